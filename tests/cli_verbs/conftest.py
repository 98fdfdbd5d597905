"""kubectl's ``set``, ``expose`` and ``run`` through kctl's CLI entry point, on a real cluster
database (``tests.scenarios.conftest.Kctl``: in-process, frozen clock, reproducible names)."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import Kctl, new_cluster

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
"""


@pytest.fixture
def k(tmp_path) -> Kctl:
    return new_cluster(tmp_path)


@pytest.fixture
def web(k) -> Kctl:
    """A cluster with deployment ``web`` (3 replicas of nginx:1.27, port 80) rolled out."""
    k.apply(WEB, "-q")
    return k
