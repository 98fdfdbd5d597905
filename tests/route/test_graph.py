"""kctl graph: tree, DOT and Mermaid renderings of a fixed cluster (golden files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kctl.controllers.view import MemoryView
from kctl.networking.graph import build, render

GOLDEN = Path(__file__).parent / "golden"


def _pod(name: str, ip: str, node: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "shop"},
            "spec": {"nodeName": node}, "status": {"podIP": ip}}


def _svc(name: str, ip: str, port: int, type_: str = "ClusterIP") -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "shop"},
            "spec": {"type": type_, "clusterIP": ip, "ports": [{"name": "http", "port": port}]}}


def _slice(service: str, endpoints: list[tuple[str, str, bool]]) -> dict:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": f"{service}-abcde", "namespace": "shop",
                         "labels": {"kubernetes.io/service-name": service}},
            "ports": [{"name": "http", "port": 8080}],
            "endpoints": [{"addresses": [ip], "conditions": {"ready": ready},
                           "targetRef": {"kind": "Pod", "name": pod, "namespace": "shop"}}
                          for pod, ip, ready in endpoints]}


def cluster() -> MemoryView:
    ingress = {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "shop", "namespace": "shop"},
        "spec": {"ingressClassName": "nginx",
                 "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
                 "rules": [{"host": "shop.example.com", "http": {"paths": [
                     {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
                     {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"name": "http"}}}},
                     {"path": "/old", "pathType": "Exact", "backend": {"service": {"name": "legacy", "port": {"number": 80}}}},
                 ]}}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.100"}]}},
    }
    return MemoryView([
        ingress,
        _svc("web", "10.96.10.1", 80), _svc("api", "10.96.10.2", 8000, "NodePort"), _svc("db", "None", 5432),
        _slice("web", [("web-a", "10.244.1.2", True), ("web-b", "10.244.2.2", False)]),
        _slice("api", [("api-a", "10.244.3.4", True)]),
        _slice("db", [("db-0", "10.244.1.9", True)]),
        _pod("web-a", "10.244.1.2", "node-1"), _pod("web-b", "10.244.2.2", "node-2"),
        _pod("api-a", "10.244.3.4", "node-3"), _pod("db-0", "10.244.1.9", "node-1"),
    ])


@pytest.mark.parametrize(("fmt", "suffix"), [("tree", "txt"), ("dot", "dot"), ("mermaid", "mmd")])
def test_graph_golden(fmt, suffix):
    text = render(build(cluster(), "shop"), fmt) + "\n"
    path = GOLDEN / f"graph.{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_graph_cli_tree_and_bad_format(k):
    k.apply("""\
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  clusterIP: 10.96.77.77
  ports: [{port: 80}]
""")
    assert k.ok("graph").splitlines() == [
        "service/empty (ClusterIP 10.96.77.77 :80)",
        "service/kubernetes (ClusterIP 10.96.0.1 :443)",
    ]
    r = k("graph", "-o", "svg")
    assert r.code == 1
    assert r.err == ('error: unable to match a printer suitable for the output format "svg", '
                     "allowed formats are: tree,dot,mermaid\n")
