"""Allocation on Service create and update: the API server's entry points.

Mirrors ``allocateCreate`` / ``allocateUpdate`` in
``pkg/registry/core/service/storage/alloc.go``: ClusterIPs first, then nodePorts and the
healthCheckNodePort. The API server calls ``allocate_create`` after ``prepare_for_create``
and validation, ``allocate_update`` after ``prepare_for_update`` and validation, passing
the addresses and ports held by the *other* Services
(``ipam.cluster_ips_in_use(services, exclude=(ns, name))`` and
``portalloc.node_ports_in_use(...)``). Both return a new object and raise
``kctl.api.errors.StatusError`` with upstream's messages.
"""

from __future__ import annotations

from collections.abc import Iterable

from kctl.networking.ipam import DEFAULT_SERVICE_CIDR, allocate_cluster_ip, init_ip_family_fields, is_headless
from kctl.networking.portalloc import DEFAULT_NODE_PORT_RANGE, allocate_node_ports


def allocate_create(svc: dict, used_ips: Iterable[str], used_ports: Iterable[int],
                    cidr: str = DEFAULT_SERVICE_CIDR, port_range: str = DEFAULT_NODE_PORT_RANGE) -> dict:
    out = allocate_cluster_ip(svc, used_ips, cidr)
    return allocate_node_ports(out, used_ports, None, port_range)


def allocate_update(new: dict, old: dict, used_ips: Iterable[str], used_ports: Iterable[int],
                    cidr: str = DEFAULT_SERVICE_CIDR, port_range: str = DEFAULT_NODE_PORT_RANGE) -> dict:
    """updateClusterIPs + txnUpdateNodePorts for a single-stack cluster.

    ExternalName -> another type allocates a ClusterIP; the reverse releases it (the strategy
    already dropped it). A headless or unchanged ClusterIP is kept (immutability is checked
    by validation). ipFamilyPolicy is inherited from the stored object when omitted.
    """
    new_spec = new.get("spec") or {}
    old_spec = old.get("spec") or {}
    if new_spec.get("type") != "ExternalName":
        if old_spec.get("type") == "ExternalName":
            out = allocate_cluster_ip(new, used_ips, cidr)
        else:
            out = dict(new)
            out["spec"] = dict(new_spec)
            if not out["spec"].get("ipFamilyPolicy") and old_spec.get("ipFamilyPolicy"):
                out["spec"]["ipFamilyPolicy"] = old_spec["ipFamilyPolicy"]
            if not is_headless(out) and not out["spec"].get("clusterIPs"):
                out = allocate_cluster_ip(out, used_ips, cidr)
            else:
                init_ip_family_fields(out, cidr)
    else:
        out = new
    return allocate_node_ports(out, used_ports, old, port_range)
