"""Test harness.

- A minimal stand-in for the manager, for unit tests of single controllers:
  ``apply(view, actions)`` applies a controller's plan to a MemoryView the simple way
  (no validation or defaulting): names from generateName get a counter suffix, uids are
  ``uid-<name>``; ``run_until_stable`` runs controllers to a fixed point.
- kctl's CLI in-process, for the tests that go through it (the ``Kctl`` helpers of the
  cli_read, cli_write and scenarios conftests): ``run_kctl`` runs ``kctl --db DB ARGS``
  through ``kctl.cli.errors.run`` (the console script's path: exit codes, stderr rendering)
  with the cluster clock frozen; ``bootstrap_cluster`` creates a cluster database at the
  fixed instant ``BOOT``; ``advance_clock`` moves a cluster's clock.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kctl.controllers.base import Create, Delete, Emit, Update, UpdateStatus
from kctl.controllers.view import MemoryView

_counter = itertools.count()


def apply(view: MemoryView, actions) -> list:
    events = []
    for action in actions:
        if isinstance(action, Create):
            obj = action.obj
            meta = obj.setdefault("metadata", {})
            if not meta.get("name") and meta.get("generateName"):
                meta["name"] = f"{meta['generateName']}{next(_counter):05d}"
            meta.setdefault("uid", f"uid-{meta['name']}")
            view.put(obj)
        elif isinstance(action, Update):
            old = _find(view, action.obj)
            obj = action.obj
            if old is not None and "status" in old:
                obj = {**obj, "status": old["status"]}
            view.put(obj)
        elif isinstance(action, UpdateStatus):
            old = _find(view, action.obj)
            obj = dict(old or action.obj)
            obj["status"] = action.obj.get("status")
            annotations = (action.obj.get("metadata") or {}).get("annotations")
            if annotations is not None:  # status writes carry annotations, as the API server's
                obj["metadata"] = {**(obj.get("metadata") or {}), "annotations": annotations}
            view.put(obj)
        elif isinstance(action, Delete):
            for resource in view.resources():
                found = view.get(resource, action.ref.namespace, action.ref.name)
                if found is not None and found.get("kind") == action.ref.kind:
                    view.remove(found, resource)
        elif isinstance(action, Emit):
            events.append(action.event)
    return events


def _find(view: MemoryView, obj: dict):
    meta = obj.get("metadata") or {}
    for resource in view.resources():
        found = view.get(resource, meta.get("namespace"), meta.get("name", ""))
        if found is not None and found.get("kind") == obj.get("kind"):
            return found
    return None


def run_until_stable(view: MemoryView, controllers, now, max_rounds: int = 50) -> list:
    """Run controllers in order until a round produces no actions; returns all events."""
    events = []
    for _ in range(max_rounds):
        changed = False
        for c in controllers:
            actions = [a for a in c.sync(view, now)]
            if any(not isinstance(a, Emit) for a in actions):
                changed = True
            events.extend(apply(view, actions))
        if not changed:
            return events
    raise AssertionError("controllers did not converge")


# -- kctl's CLI, in-process --------------------------------------------------------------------

#: When test clusters are bootstrapped: generated names, IPs and ages are reproducible from it.
BOOT = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)
#: Set while a command runs: the cluster clock only moves when a test moves it.
FROZEN_CLOCK_ENV = "KCTL_FROZEN_CLOCK"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_kctl(db: Path, args, *, stdin: str | None = None, env: dict | None = None) -> Result:
    """``kctl --db DB ARGS`` through ``kctl.cli.errors.run`` with stdout and stderr captured,
    ``KCTL_FROZEN_CLOCK=1`` and ``env`` set for the command; ``stdin`` (when not None)
    replaces ``sys.stdin``. argv, stdin and the environment are restored afterwards."""
    from kctl.cli import app
    from kctl.cli.errors import run

    out, err = io.StringIO(), io.StringIO()
    env = {FROZEN_CLOCK_ENV: "1", **(env or {})}
    saved_env = {k: os.environ.get(k) for k in env}
    saved_argv, saved_stdin = sys.argv, sys.stdin
    sys.argv = ["kctl", "--db", str(db), *args]
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(app)
    finally:
        sys.argv, sys.stdin = saved_argv, saved_stdin
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Result(code, out.getvalue(), err.getvalue())


def bootstrap_cluster(db: Path, now: datetime = BOOT) -> None:
    """A freshly initialized cluster database at ``db`` (3 nodes, 4 namespaces, the kubernetes
    Service), its clock at ``now``."""
    from kctl.api.cluster import ensure_initialized
    from kctl.store.store import Store

    store = Store.open(str(db))
    try:
        ensure_initialized(store, now=now)
    finally:
        store.close()


def advance_clock(db: Path, seconds: float) -> None:
    """Move the cluster clock of ``db`` forward (no control-plane pass)."""
    from kctl.api.server.clock import Clock
    from kctl.store.store import Store

    store = Store.open(str(db))
    try:
        with store.transaction() as tx:
            Clock(tx).advance(seconds)
    finally:
        store.close()
