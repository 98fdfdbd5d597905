"""HPA scenario helpers: a cluster (tests/scenarios' ``Kctl``), a Deployment with cpu and
memory requests, and PodMetrics written by hand (what metrics-server would report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.scenarios.conftest import Kctl, new_cluster

#: The clock after ``start()``: pods started at 12:00:00 and have been Ready for a full
#: metrics window by then (the HPA ignores cpu samples that do not cover one).
T0 = "2025-05-01T12:01:00Z"


def deployment(name: str = "web", replicas: int = 2, cpu: str | None = "200m", memory: str = "64Mi",
               pod_annotations: dict | None = None) -> str:
    requests = {"memory": memory}
    if cpu is not None:
        requests["cpu"] = cpu
    template_meta = {"labels": {"app": name}}
    if pod_annotations:
        template_meta["annotations"] = pod_annotations
    return json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": template_meta, "spec": {"containers": [
                     {"name": "app", "image": "nginx", "resources": {"requests": requests}}]}}}})


def hpa(name: str = "web", *, metrics: list | None = None, min_replicas: int = 1, max_replicas: int = 10,
        behavior: dict | None = None, target: str = "web") -> str:
    spec = {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
            "minReplicas": min_replicas, "maxReplicas": max_replicas}
    if metrics is not None:
        spec["metrics"] = metrics
    if behavior is not None:
        spec["behavior"] = behavior
    return json.dumps({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                       "metadata": {"name": name}, "spec": spec})


def cpu_utilization(percent: int) -> list:
    return [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                         "averageUtilization": percent}}}]


class Cluster:
    def __init__(self, k: Kctl):
        self.k = k

    def start(self, manifest: str | None = None) -> None:
        """Apply the workload at 12:00:00 and move the clock to ``T0``."""
        self.k.apply(manifest or deployment())
        self.k.advance(60)

    def pods(self, app: str = "web") -> list[str]:
        return [p["metadata"]["name"] for p in self.k.items("pods", "-l", f"app={app}")]

    def load(self, usage: dict[str, str | tuple[str, str]], timestamp: str = T0, annotations: dict | None = None):
        """PodMetrics per pod: ``{pod: cpu}`` or ``{pod: (cpu, memory)}``."""
        docs = []
        for pod, value in usage.items():
            cpu, memory = value if isinstance(value, tuple) else (value, "30Mi")
            meta = {"name": pod, "namespace": "default"}
            if annotations:
                meta["annotations"] = annotations
            docs.append(json.dumps({"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics", "metadata": meta,
                                    "timestamp": timestamp, "window": "30s",
                                    "containers": [{"name": "app", "usage": {"cpu": cpu, "memory": memory}}]}))
        return self.k.apply("\n---\n".join(docs), "-q")

    def replicas(self, name: str = "web") -> int:
        return self.k.obj("deployment", name)["spec"]["replicas"]

    def hpa(self, name: str = "web") -> dict:
        return self.k.obj("hpa", name)

    def conditions(self, name: str = "web") -> dict[str, tuple[str, str, str]]:
        return {c["type"]: (c["status"], c["reason"], c["message"])
                for c in self.hpa(name)["status"].get("conditions", [])}

    def events(self, name: str = "web") -> list[tuple[str, str, str]]:
        return self.k.events(f"hpa/{name}")

    def advance(self, duration: str) -> None:
        self.k.ok("reconcile", "--advance", duration, "-q")


@pytest.fixture(autouse=True)
def without_metrics_server(monkeypatch):
    """These tests play metrics-server themselves (hand-written PodMetrics, pods without
    metrics): the simulated metrics-server loop, when the cluster has one, is left out."""
    from kctl.controllers import runner

    monkeypatch.setattr(runner, "CONTROLLERS",
                        tuple(c for c in runner.CONTROLLERS if not c.startswith("kctl.metrics.")))


@pytest.fixture
def cluster(tmp_path: Path) -> Cluster:
    return Cluster(new_cluster(tmp_path))
