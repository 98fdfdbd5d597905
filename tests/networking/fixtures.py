"""Small object builders for the networking tests."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


def service(name: str, ns: str = "default", *, selector: dict | None = None, ports: list | None = None,
            type_: str = "ClusterIP", cluster_ip: str | None = "10.96.100.1", labels: dict | None = None,
            **spec) -> dict:
    s: dict = {"type": type_}
    if selector is not None:
        s["selector"] = selector
    if ports is not None:
        s["ports"] = ports
    if cluster_ip is not None:
        s["clusterIP"] = cluster_ip
        s["clusterIPs"] = [cluster_ip]
    s.update(spec)
    meta: dict = {"name": name, "namespace": ns, "uid": f"uid-svc-{ns}-{name}"}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": s}


def pod(name: str, ip: str | None, *, ns: str = "default", labels: dict | None = None, ready: bool = True,
        node: str = "node-1", ports: list | None = None, phase: str = "Running", deleting: bool = False,
        hostname: str | None = None, subdomain: str | None = None) -> dict:
    spec: dict = {"nodeName": node, "containers": [{"name": "app", "image": "nginx", "ports": ports or []}]}
    if hostname:
        spec["hostname"] = hostname
    if subdomain:
        spec["subdomain"] = subdomain
    status: dict = {"phase": phase, "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    meta: dict = {"name": name, "namespace": ns, "uid": f"uid-{name}", "labels": labels if labels is not None else {"app": "web"}}
    if deleting:
        meta["deletionTimestamp"] = "2025-05-01T11:59:00Z"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def node(name: str, zone: str | None = None) -> dict:
    meta: dict = {"name": name, "uid": f"uid-{name}", "labels": {"kubernetes.io/hostname": name}}
    if zone:
        meta["labels"]["topology.kubernetes.io/zone"] = zone
    return {"apiVersion": "v1", "kind": "Node", "metadata": meta}
