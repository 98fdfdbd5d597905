"""Scenario tests: manifests applied through kctl's CLI, the cluster read back with
``kctl get ... -o json``.

``Kctl(db)`` runs ``kctl --db DB ARGS`` in-process through ``kctl.cli.errors.run`` (the
console script's path: exit codes, stderr rendering) with the cluster clock frozen
(``KCTL_FROZEN_CLOCK=1``; see ``tests.harness.run_kctl``); clusters are bootstrapped at a
fixed instant with the default seed, so names, IPs and placements are reproducible.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.harness import BOOT, Result, advance_clock, bootstrap_cluster, run_kctl


class Kctl:
    def __init__(self, db: Path, workdir: Path):
        self.db = db
        self.workdir = workdir
        self._files = 0

    def __call__(self, *args: str, stdin: str = "") -> Result:
        return run_kctl(self.db, args, stdin=stdin)

    def ok(self, *args: str, stdin: str = "") -> str:
        r = self(*args, stdin=stdin)
        assert r.code == 0, f"kctl {' '.join(args)} exited {r.code}: {r.err}"
        return r.out

    def apply(self, manifest: str, *extra: str) -> Result:
        """``kctl apply -f <file>`` of a YAML text (dedented); asserts success."""
        self._files += 1
        path = self.workdir / f"m{self._files}.yaml"
        path.write_text(textwrap.dedent(manifest), encoding="utf-8")
        r = self("apply", "-f", str(path), *extra)
        assert r.code == 0, f"apply exited {r.code}: {r.err}"
        return r

    def apply_result(self, manifest: str) -> Result:
        self._files += 1
        path = self.workdir / f"m{self._files}.yaml"
        path.write_text(textwrap.dedent(manifest), encoding="utf-8")
        return self("apply", "-f", str(path), "-q")

    def items(self, *args: str) -> list[dict]:
        """``kctl get ARGS -o json`` -> the items (a single object comes back as a list of one)."""
        doc = json.loads(self.ok("get", *args, "-o", "json"))
        return doc["items"] if doc.get("kind") == "List" else [doc]

    def obj(self, *args: str) -> dict:
        return json.loads(self.ok("get", *args, "-o", "json"))

    def events(self, target: str, namespace: str = "default") -> list[tuple[str, str, str]]:
        """(type, reason, message) of the object's events, oldest first (``kctl events --for``)."""
        doc = json.loads(self.ok("events", "-n", namespace, "--for", target, "-o", "json"))
        return [(e.get("type"), e.get("reason"), e.get("message") or e.get("note")) for e in doc["items"]]

    def advance(self, seconds: float) -> None:
        """Move the cluster clock forward (the next write command's pass sees the new time)."""
        advance_clock(self.db, seconds)


def new_cluster(tmp: Path, name: str = "cluster") -> Kctl:
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / f"{name}.db"
    bootstrap_cluster(db, BOOT)
    return Kctl(db, tmp)


@pytest.fixture
def k(tmp_path) -> Kctl:
    """A fresh cluster: 3 Ready worker nodes (node-1..3, podCIDR 10.244.N.0/24)."""
    return new_cluster(tmp_path)


def names(objs: list[dict]) -> list[str]:
    return [o["metadata"]["name"] for o in objs]


def scaling_events(k: Kctl, deployment: str) -> list[str]:
    return [m for _, reason, m in k.events(f"deployment/{deployment}") if reason == "ScalingReplicaSet"]


def deployment_yaml(name: str = "web", replicas: int = 4, image: str = "nginx:1.27", strategy: str = "",
                    extra_spec: str = "") -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
{strategy}{extra_spec}  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: main
        image: "{image}"
        ports: [{{containerPort: 80, name: http}}]
"""
