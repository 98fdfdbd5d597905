"""The Service registry strategy's spec fix-ups (``pkg/registry/core/service/strategy.go``).

``prepare_for_create`` / ``prepare_for_update`` run before validation, as upstream's
``PrepareForCreate`` / ``PrepareForUpdate`` do. They return new objects.

- ``patch_allocated_values``: on update, a client that omits allocated values (clusterIP,
  clusterIPs, nodePorts, healthCheckNodePort; e.g. ``kubectl replace`` of a hand-written
  manifest) keeps the stored ones. NodePorts are matched by port *name*, and only patched
  when that old nodePort is not used by another port of the new object.
- ``normalize_cluster_ips``: keeps the singular ``clusterIP`` and plural ``clusterIPs``
  coherent for old and new clients.
- ``drop_type_dependent_fields``: on a type change, wipes the values that no longer apply
  and that the user did not also change (clusterIPs when becoming ExternalName, nodePorts
  when becoming ClusterIP, healthCheckNodePort, allocateLoadBalancerNodePorts,
  loadBalancerClass, externalTrafficPolicy) and clears ``status.loadBalancer`` when the
  Service stops being a LoadBalancer.
"""

from __future__ import annotations


def _spec(svc: dict | None) -> dict:
    return (svc or {}).get("spec") or {}


def needs_cluster_ip(svc: dict) -> bool:
    return _spec(svc).get("type") != "ExternalName"


def needs_node_port(svc: dict) -> bool:
    return _spec(svc).get("type") in ("NodePort", "LoadBalancer")


def needs_hc_node_port(svc: dict) -> bool:
    spec = _spec(svc)
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def externally_accessible(svc: dict) -> bool:
    spec = _spec(svc)
    return spec.get("type") in ("NodePort", "LoadBalancer") or bool(spec.get("externalIPs"))


def can_set_load_balancer_class(svc: dict) -> bool:
    return _spec(svc).get("type") == "LoadBalancer"


def _copy(svc: dict) -> dict:
    out = dict(svc)
    spec = dict(svc.get("spec") or {})
    if spec.get("ports"):
        spec["ports"] = [dict(p) for p in spec["ports"]]
    out["spec"] = spec
    if isinstance(svc.get("status"), dict):
        out["status"] = dict(svc["status"])
    return out


def prepare_for_create(svc: dict) -> dict:
    out = _copy(svc)
    normalize_cluster_ips(out, None)
    return out


def prepare_for_update(new: dict, old: dict) -> dict:
    out = _copy(new)
    patch_allocated_values(out, old)
    normalize_cluster_ips(out, old)
    drop_type_dependent_fields(out, old)
    return out


def patch_allocated_values(new: dict, old: dict) -> None:
    """patchAllocatedValues (mutates ``new``)."""
    ns, os_ = new["spec"], _spec(old)
    if needs_cluster_ip(old) and needs_cluster_ip(new):
        if not ns.get("clusterIP") and os_.get("clusterIP"):
            ns["clusterIP"] = os_["clusterIP"]
        if not ns.get("clusterIPs") and os_.get("clusterIPs"):
            ns["clusterIPs"] = list(os_["clusterIPs"])
    if needs_node_port(old) and needs_node_port(new):
        def used_by(svc_spec: dict) -> set[int]:
            return {p["nodePort"] for p in svc_spec.get("ports") or () if p.get("nodePort")}

        used = used_by(os_) & used_by(ns)
        by_name = {p.get("name", ""): p.get("nodePort", 0) for p in os_.get("ports") or ()}
        for p in ns.get("ports") or ():
            if not p.get("nodePort"):
                old_value = by_name.get(p.get("name", ""), 0)
                if old_value and old_value not in used:
                    p["nodePort"] = old_value
    if (needs_hc_node_port(old) and needs_hc_node_port(new)
            and not ns.get("healthCheckNodePort") and os_.get("healthCheckNodePort")):
        ns["healthCheckNodePort"] = os_["healthCheckNodePort"]


def _same_cluster_ips(a: dict, b: dict) -> bool:
    return list(_spec(a).get("clusterIPs") or []) == list(_spec(b).get("clusterIPs") or [])


def normalize_cluster_ips(new: dict, old: dict | None) -> None:
    """NormalizeClusterIPs (mutates ``new``)."""
    ns = new["spec"]
    if old is None:
        if ns.get("clusterIP") and not ns.get("clusterIPs"):
            ns["clusterIPs"] = [ns["clusterIP"]]
        return
    os_ = _spec(old)
    if os_.get("clusterIPs") and not ns.get("clusterIPs") and os_.get("clusterIP") == ns.get("clusterIP"):
        ns["clusterIPs"] = list(os_["clusterIPs"])
    if os_.get("clusterIP") != ns.get("clusterIP"):
        if os_.get("clusterIP") and not ns.get("clusterIP"):
            if _same_cluster_ips(old, new):
                ns.pop("clusterIPs", None)
        elif _same_cluster_ips(old, new):
            ns["clusterIPs"] = [ns["clusterIP"]]


def drop_type_dependent_fields(new: dict, old: dict) -> None:
    """dropTypeDependentFields (mutates ``new``)."""
    ns, os_ = new["spec"], _spec(old)
    if needs_cluster_ip(old) and not needs_cluster_ip(new):
        if _same_cluster_ips(old, new):
            ns.pop("clusterIP", None)
            ns.pop("clusterIPs", None)
        if list(ns.get("ipFamilies") or []) == list(os_.get("ipFamilies") or []):
            ns.pop("ipFamilies", None)
        if ns.get("ipFamilyPolicy") == os_.get("ipFamilyPolicy"):
            ns.pop("ipFamilyPolicy", None)
    if needs_node_port(old) and not needs_node_port(new):
        old_ports = [p.get("nodePort", 0) for p in os_.get("ports") or ()]
        new_ports = [p.get("nodePort", 0) for p in ns.get("ports") or ()]
        if old_ports == new_ports:
            for p in ns.get("ports") or ():
                p.pop("nodePort", None)
    if (needs_hc_node_port(old) and not needs_hc_node_port(new)
            and os_.get("healthCheckNodePort") == ns.get("healthCheckNodePort")):
        ns.pop("healthCheckNodePort", None)
    if (os_.get("type") == "LoadBalancer" and ns.get("type") != "LoadBalancer"
            and ns.get("allocateLoadBalancerNodePorts") is not None
            and ns.get("allocateLoadBalancerNodePorts") == os_.get("allocateLoadBalancerNodePorts")):
        ns.pop("allocateLoadBalancerNodePorts", None)
    if (can_set_load_balancer_class(old) and not can_set_load_balancer_class(new)
            and ns.get("loadBalancerClass") is not None and ns.get("loadBalancerClass") == os_.get("loadBalancerClass")):
        ns.pop("loadBalancerClass", None)
    if (externally_accessible(old) and not externally_accessible(new)
            and ns.get("externalTrafficPolicy") == os_.get("externalTrafficPolicy")):
        ns.pop("externalTrafficPolicy", None)
    if ns.get("type") != "LoadBalancer":
        status = new.get("status")
        if isinstance(status, dict) and status.get("loadBalancer"):
            new["status"] = {**status, "loadBalancer": {}}
