"""Metrics tests run kctl in-process on fresh clusters, as the scenario tests do."""

from __future__ import annotations

from tests.scenarios.conftest import Kctl, k, new_cluster  # noqa: F401

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}, tier: {tier}}}}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{memory: {limit}}}
      - name: side
        image: busybox:1.36
        resources:
          requests: {{cpu: 50m, memory: 64Mi}}
"""


def app(name: str = "web", replicas: int = 3, tier: str = "front", limit: str | None = "256Mi") -> str:
    text = APP.format(name=name, replicas=replicas, tier=tier, limit=limit)
    return text if limit else text.replace("          limits: {memory: None}\n", "")
