"""Service, Endpoints, EndpointSlice, Ingress, IngressClass, NetworkPolicy rows
(mirrors printService/getServiceExternalIP/makePortString, formatEndpoints,
formatDiscoveryPorts/Endpoints, printIngress/formatHosts/formatPorts upstream)."""

from __future__ import annotations

from datetime import datetime

from . import AGE, NAME, Column, register
from .common import (
    age,
    format_label_selector,
    format_labels,
    list_with_more,
    load_balancer_status_stringer,
    name,
)

#: The API server prints tables with Wide=true, so LB addresses are never cut in
#: ``kubectl get`` against a current server; kept as a switch for client-side use.
SERVER_SIDE_WIDE = True


def service_external_ip(svc: dict, wide: bool) -> str:
    spec = svc.get("spec") or {}
    svc_type = spec.get("type") or "ClusterIP"
    external_ips = spec.get("externalIPs") or []
    if svc_type in ("ClusterIP", "NodePort"):
        return ",".join(external_ips) if external_ips else "<none>"
    if svc_type == "LoadBalancer":
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress")
        lb_ips = load_balancer_status_stringer(ingress, wide)
        if external_ips:
            results = lb_ips.split(",") if lb_ips else []
            return ",".join([*results, *external_ips])
        return lb_ips or "<pending>"
    if svc_type == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def make_port_string(ports: list | None) -> str:
    pieces = []
    for p in ports or []:
        proto = p.get("protocol") or "TCP"
        if int(p.get("nodePort") or 0) > 0:
            pieces.append(f"{p.get('port')}:{p['nodePort']}/{proto}")
        else:
            pieces.append(f"{p.get('port')}/{proto}")
    return ",".join(pieces)


def service_row(svc: dict, now: datetime) -> list:
    spec = svc.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    return [
        name(svc),
        spec.get("type") or "ClusterIP",
        cluster_ips[0] if cluster_ips else "<none>",
        service_external_ip(svc, SERVER_SIDE_WIDE),
        make_port_string(spec.get("ports")) or "<none>",
        age(svc, now),
        format_labels(spec.get("selector")),
    ]


def _join_host_port(host: str, port) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def format_endpoints(endpoints: dict) -> str:
    """ready ``ip:port`` pairs over all subsets; first 3, then `` + N more...``."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    out: list[str] = []
    limit = 3
    more = False
    count = 0
    for ss in subsets:
        addresses = ss.get("addresses") or []
        ports = ss.get("ports") or []
        if not ports:
            count += len(addresses)
            for a in addresses:
                if len(out) == limit:
                    more = True
                    break
                out.append(a.get("ip", ""))
            continue
        for port in ports:
            count += len(addresses)
            for a in addresses:
                if len(out) == limit:
                    more = True
                    break
                out.append(_join_host_port(a.get("ip", ""), port.get("port")))
    ret = ",".join(out)
    if more:
        return f"{ret} + {count - limit} more..."
    return ret


def endpoints_row(obj: dict, now: datetime) -> list:
    return [name(obj), format_endpoints(obj), age(obj, now)]


def format_discovery_ports(ports: list | None) -> str:
    items = []
    for p in ports or []:
        if p.get("port") is not None:
            items.append(str(p["port"]))
        elif p.get("name") is not None:
            items.append(p["name"])
        else:
            items.append("*")
    return list_with_more(items, len(items))


def format_discovery_endpoints(endpoints: list | None) -> str:
    items = [a for ep in endpoints or [] for a in ep.get("addresses") or []]
    return list_with_more(items, len(items))


def endpoint_slice_row(obj: dict, now: datetime) -> list:
    return [
        name(obj),
        obj.get("addressType", ""),
        format_discovery_ports(obj.get("ports")),
        format_discovery_endpoints(obj.get("endpoints")),
        age(obj, now),
    ]


def format_hosts(rules: list | None) -> str:
    rules = rules or []
    hosts: list[str] = []
    limit = 3
    more = False
    for rule in rules:
        if len(hosts) == limit:
            more = True
        if not more and rule.get("host"):
            hosts.append(rule["host"])
    if not hosts:
        return "*"
    ret = ",".join(hosts)
    if more:
        return f"{ret} + {len(rules) - limit} more..."
    return ret


def ingress_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress")
    cls = spec.get("ingressClassName")
    return [
        name(obj),
        cls if cls is not None else "<none>",
        format_hosts(spec.get("rules")),
        load_balancer_status_stringer(ingress, SERVER_SIDE_WIDE),
        "80, 443" if spec.get("tls") else "80",
        age(obj, now),
    ]


def ingress_class_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    params = spec.get("parameters")
    parameters = "<none>"
    if params is not None:
        parameters = params.get("kind", "")
        if params.get("apiGroup") is not None:
            parameters += "." + params["apiGroup"]
        parameters += "/" + params.get("name", "")
    return [name(obj), spec.get("controller", ""), parameters, age(obj, now)]


def network_policy_row(obj: dict, now: datetime) -> list:
    selector = (obj.get("spec") or {}).get("podSelector")
    return [name(obj), format_label_selector(selector), age(obj, now)]


register("", "Service",
         (NAME, Column("Type"), Column("Cluster-IP"), Column("External-IP"), Column("Port(s)"), AGE,
          Column("Selector", 1)),
         service_row)
register("", "Endpoints", (NAME, Column("Endpoints"), AGE), endpoints_row)
register("discovery.k8s.io", "EndpointSlice",
         (NAME, Column("AddressType"), Column("Ports"), Column("Endpoints"), AGE), endpoint_slice_row)
register("networking.k8s.io", "Ingress",
         (NAME, Column("Class"), Column("Hosts"), Column("Address"), Column("Ports"), AGE), ingress_row)
register("networking.k8s.io", "IngressClass", (NAME, Column("Controller"), Column("Parameters"), AGE),
         ingress_class_row)
register("networking.k8s.io", "NetworkPolicy", (NAME, Column("Pod-Selector"), AGE), network_policy_row)
