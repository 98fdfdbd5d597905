"""Builders for kubelet / node lifecycle tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kctl.controllers.view import MemoryView
from kctl.printers.columns.pods import pod_status_cells

T0 = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def node(name: str = "node-1", cidr: str | None = "10.244.1.0/24", ready: str = "True",
         ip: str = "172.18.0.3", taints: list | None = None, **spec) -> dict:
    n = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": f"uid-{name}"},
         "spec": dict(spec),
         "status": {"addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                    "conditions": [{"type": "Ready", "status": ready, "reason": "KubeletReady",
                                    "lastHeartbeatTime": "2025-05-01T11:00:00Z",
                                    "lastTransitionTime": "2025-05-01T11:00:00Z"}]}}
    if cidr:
        n["spec"]["podCIDR"] = cidr
        n["spec"]["podCIDRs"] = [cidr]
    if taints is not None:
        n["spec"]["taints"] = taints
    return n


def pod(name: str = "web", node_name: str | None = "node-1", containers: list | None = None,
        namespace: str = "default", annotations: dict | None = None, created: str = "2025-05-01T11:59:00Z",
        **spec) -> dict:
    p = {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": name, "namespace": namespace, "uid": f"uid-{name}", "creationTimestamp": created},
         "spec": {"containers": containers or [{"name": "app", "image": "nginx:1.27"}], **spec}}
    if node_name:
        p["spec"]["nodeName"] = node_name
    if annotations:
        p["metadata"]["annotations"] = annotations
    return p


def configmap(name: str, data: dict | None = None, namespace: str = "default") -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace},
            "data": data or {}}


def secret(name: str, data: dict | None = None, namespace: str = "default") -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": namespace},
            "type": "Opaque", "data": data or {}}


def view(*objects) -> MemoryView:
    return MemoryView(list(objects))


def kubectl_status(p: dict) -> str:
    """The STATUS column kubectl prints for the pod."""
    return pod_status_cells(p)[2]


def ready_column(p: dict) -> str:
    ready, total, *_ = pod_status_cells(p)
    return f"{ready}/{total}"


def events_of(events) -> list[tuple[str, str, str]]:
    return [(e.type, e.reason, e.message) for e in events]
