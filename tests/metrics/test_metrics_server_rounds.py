"""One metrics-server instance serves every round of a step: a later round reuses the pods'
usage only while the serving pods and what the load model reads of their owners are equal,
and gives exactly what a fresh instance gives."""

from __future__ import annotations

from datetime import UTC, datetime

from kctl.controllers.base import Create, Update
from kctl.controllers.view import MemoryView
from kctl.metrics.server import MetricsServer

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)
READY = {"conditions": [{"type": "Ready", "status": "True"}]}


def deployment(load: str | None) -> dict:
    meta = {"name": "web", "namespace": "default", "uid": "d-1"}
    if load is not None:
        meta["annotations"] = {"kctl.io/load": load}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": {}}


def replica_set() -> dict:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
        "name": "web-1", "namespace": "default", "uid": "rs-1",
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d-1",
                             "controller": True}]}, "spec": {}}


def pod(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": name, "namespace": "default", "uid": f"p-{name}", "labels": {"app": "web"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "rs-1",
                             "controller": True}]},
        "spec": {"nodeName": "node-1", "containers": [{"name": "app", "image": "nginx"}]},
        "status": {"phase": "Running"}}


def cluster(load: str | None) -> MemoryView:
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}, "status": READY}
    return MemoryView([node, deployment(load), replica_set(), pod("web-a"), pod("web-b")])


def cpu(actions) -> dict[str, str]:
    return {a.obj["metadata"]["name"]: a.obj["containers"][0]["usage"]["cpu"]
            for a in actions if isinstance(a, Create | Update) and a.obj["kind"] == "PodMetrics"}


def test_a_changed_owner_load_is_seen_by_the_next_round():
    view = cluster('{"cpu":"300m"}')
    server = MetricsServer()
    assert cpu(server.sync(view, NOW)) == {"web-a": "150m", "web-b": "150m"}
    # A later round: the owner's status changed (a new object), its load did not.
    rs = replica_set()
    view.put({**rs, "status": {"replicas": 2}})
    assert server.sync(view, NOW) == MetricsServer().sync(view, NOW)
    # The Deployment's load changes between two rounds: the same instance sees it.
    view.put(deployment('{"cpu":"500m"}'))
    assert cpu(server.sync(view, NOW)) == {"web-a": "250m", "web-b": "250m"}
    view.put(deployment('{"memory":"100Mi"}'))  # cpu: idle
    assert cpu(server.sync(view, NOW)) == {"web-a": "1m", "web-b": "1m"}


def test_a_pod_that_stops_serving_is_seen_by_the_next_round():
    view = cluster('{"cpu":"300m"}')
    server = MetricsServer()
    server.sync(view, NOW)
    view.put({**pod("web-b"), "status": {"phase": "Pending"}})
    assert cpu(server.sync(view, NOW)) == {"web-a": "300m"} == cpu(MetricsServer().sync(view, NOW))
