"""A real cluster database for the read commands, driven through kctl's CLI entry point.

``Kctl(db)`` runs ``kctl --db DB ARGS`` in-process through ``kctl.cli.errors.run`` (the
same path as the console script: exit codes, stderr rendering), with the cluster clock
frozen (``KCTL_FROZEN_CLOCK=1``); see ``tests.harness.run_kctl``. Clusters are bootstrapped
at a fixed instant so names, IPs and ages are reproducible.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.harness import BOOT, Result, advance_clock, bootstrap_cluster, run_kctl

HERE = Path(__file__).parent
MANIFESTS = HERE / "manifests"
GOLDEN = HERE / "golden"
#: How far the clock moves after the manifests are applied (ages read 5m10s).
AFTER_APPLY_SECONDS = 310


class Kctl:
    def __init__(self, db: Path):
        self.db = db

    def __call__(self, *args: str, stdin: str = "") -> Result:
        return run_kctl(self.db, args, stdin=stdin)

    def ok(self, *args: str) -> str:
        r = self(*args)
        assert r.code == 0, f"kctl {' '.join(args)} exited {r.code}: {r.err}"
        return r.out

    def advance(self, seconds: float) -> None:
        """Move the cluster clock forward (no control-plane pass: reads only)."""
        advance_clock(self.db, seconds)


def new_cluster(path: Path) -> Kctl:
    bootstrap_cluster(path, BOOT)
    return Kctl(path)


@pytest.fixture
def fresh(tmp_path) -> Kctl:
    """A freshly bootstrapped cluster (3 nodes, 4 namespaces, the kubernetes Service)."""
    return new_cluster(tmp_path / "fresh.db")


@pytest.fixture(scope="session")
def shop(tmp_path_factory) -> Kctl:
    """The bootstrapped cluster with tests/cli_read/manifests applied, 5m10s later.
    Read-only: tests must not write to it."""
    k = new_cluster(tmp_path_factory.mktemp("shop") / "shop.db")
    for name in ("web.yaml", "workloads.yaml"):
        r = k("apply", "-f", str(MANIFESTS / name))
        assert r.code == 0, r.err
    k.advance(AFTER_APPLY_SECONDS)
    return k


def assert_golden(name: str, text: str) -> None:
    """Compare with ``golden/<name>``; ``UPDATE_GOLDEN=1`` rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path} (UPDATE_GOLDEN=1 rewrites it)"
