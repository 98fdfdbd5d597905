"""Write commands through kctl's CLI entry point, on a real cluster database.

``Kctl(db)`` runs ``kctl --db DB ARGS`` in-process through ``kctl.cli.errors.run`` (the
console script's path: exit codes, stderr rendering) with the cluster clock frozen
(``KCTL_FROZEN_CLOCK=1``; see ``tests.harness.run_kctl``); clusters are bootstrapped at a
fixed instant, so generated names, IPs and timestamps are reproducible. ``k.objects(...)``
reads the store directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import BOOT, Result, bootstrap_cluster, run_kctl

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
"""

WEB_SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
"""


class Kctl:
    def __init__(self, db: Path, workdir: Path):
        self.db = db
        self.workdir = workdir

    def __call__(self, *args: str, env: dict | None = None) -> Result:
        """The command with ``env`` set; stdin is left as it is."""
        return run_kctl(self.db, args, env=env)

    def ok(self, *args: str, **kw) -> str:
        r = self(*args, **kw)
        assert r.code == 0, f"kctl {' '.join(args)} exited {r.code}: {r.err}"
        return r.out

    def file(self, name: str, text: str) -> str:
        path = self.workdir / name
        path.write_text(text)
        return str(path)

    def apply(self, text: str, name: str = "m.yaml") -> str:
        return self.ok("apply", "-q", "-f", self.file(name, text))

    def objects(self, resource: str, namespace: str | None = "default") -> list[dict]:
        from kctl.api.server import APIServer
        from kctl.store.store import Store

        store = Store.open(str(self.db))
        try:
            with store.snapshot() as tx:
                return APIServer(tx).list(resource, namespace)
        finally:
            store.close()

    def names(self, resource: str, namespace: str | None = "default") -> list[str]:
        return [o["metadata"]["name"] for o in self.objects(resource, namespace)]

    def get(self, resource: str, name: str, namespace: str | None = "default") -> dict | None:
        for o in self.objects(resource, namespace):
            if o["metadata"]["name"] == name:
                return o
        return None


def new_cluster(path: Path) -> Kctl:
    bootstrap_cluster(path, BOOT)
    return Kctl(path, path.parent)


@pytest.fixture
def k(tmp_path) -> Kctl:
    """A freshly bootstrapped cluster (3 nodes, 4 namespaces, the kubernetes Service)."""
    return new_cluster(tmp_path / "cluster.db")


@pytest.fixture
def web(k) -> Kctl:
    """The cluster with the web Deployment (2 replicas) and its Service applied."""
    k.apply(WEB + "---\n" + WEB_SVC)
    return k
