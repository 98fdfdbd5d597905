"""Service, Endpoints, EndpointSlice, Ingress and IngressClass describers."""

from __future__ import annotations

from datetime import datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    describe_events,
    format_labels,
    go_bool,
    meta,
    print_annotations_multiline,
    print_labels_multiline,
    write_labels_annotations,
    write_name_namespace,
)
from kctl.printers.describe.tabwriter import PrefixWriter


def _join_host_port(host: str, port: object) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _ready(endpoint: dict) -> bool:
    ready = (endpoint.get("conditions") or {}).get("ready")
    return ready is None or bool(ready)


def format_endpoint_slices(slices: list[dict] | None, ports: set[str] | None) -> str:
    """``formatEndpointSlices``: ready ``ip:port`` entries, at most 3, then ``+ N more...``."""
    if not slices:
        return "<none>"
    shown: list[str] = []
    limit, more, count = 3, False, 0
    for s in slices:
        endpoints = s.get("endpoints") or []
        if not s.get("ports"):
            for ep in endpoints:
                if len(shown) == limit:
                    more = True
                if not _ready(ep):
                    continue
                if not more:
                    shown.append((ep.get("addresses") or [""])[0])
                count += 1
            continue
        for port in s["ports"]:
            if ports is not None and (port.get("name") or "") not in ports:
                continue
            for ep in endpoints:
                if len(shown) == limit:
                    more = True
                if not _ready(ep):
                    continue
                if not more:
                    shown.append(_join_host_port((ep.get("addresses") or [""])[0], port.get("port")))
                count += 1
    text = ",".join(shown)
    return f"{text} + {count - limit} more..." if more else text


def _lb_ingress(ingress: list[dict]) -> str:
    parts = []
    for ing in ingress:
        if ing.get("ip"):
            parts.append(ing["ip"] + (f" ({ing['ipMode']})" if ing.get("ipMode") else ""))
        else:
            parts.append(ing.get("hostname", ""))
    return ", ".join(parts)


def describe_service(
    svc: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    spec, status = svc.get("spec") or {}, svc.get("status") or {}
    slices = related.get("endpointSlices") or []
    write_name_namespace(w, svc)
    write_labels_annotations(w, svc)
    w.write(LEVEL_0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(LEVEL_0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(LEVEL_0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(LEVEL_0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(LEVEL_0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(LEVEL_0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(LEVEL_0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(LEVEL_0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(LEVEL_0, f"External Name:\t{spec['externalName']}\n")
    lb = (status.get("loadBalancer") or {}).get("ingress") or []
    if lb:
        w.write(LEVEL_0, f"LoadBalancer Ingress:\t{_lb_ingress(lb)}\n")
    for sp in spec.get("ports") or []:
        name = sp.get("name") or "<unset>"
        proto = sp.get("protocol", "TCP")
        w.write(LEVEL_0, f"Port:\t{name}\t{sp.get('port', 0)}/{proto}\n")
        target = sp.get("targetPort", sp.get("port", 0))
        w.write(LEVEL_0, f"TargetPort:\t{target}/{proto}\n")
        if sp.get("nodePort"):
            w.write(LEVEL_0, f"NodePort:\t{name}\t{sp['nodePort']}/{proto}\n")
        w.write(LEVEL_0, f"Endpoints:\t{format_endpoint_slices(slices, {sp.get('name') or ''})}\n")
    w.write(LEVEL_0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(LEVEL_0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(LEVEL_0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(LEVEL_0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(LEVEL_0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution"):
        w.write(LEVEL_0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    describe_events(svc, events, w, now)


def describe_endpoints(ep: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    write_name_namespace(w, ep)
    write_labels_annotations(w, ep)
    w.write(LEVEL_0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or []) or "<none>"
        w.write(LEVEL_1, f"Addresses:\t{ready}\n")
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or []) or "<none>"
        w.write(LEVEL_1, f"NotReadyAddresses:\t{not_ready}\n")
        if subset.get("ports"):
            w.write(LEVEL_1, "Ports:\n")
            w.write(LEVEL_2, "Name\tPort\tProtocol\n")
            w.write(LEVEL_2, "----\t----\t--------\n")
            for p in subset["ports"]:
                w.write(
                    LEVEL_2, f"{p.get('name') or '<unset>'}\t{p.get('port', 0)}\t{p.get('protocol', 'TCP')}\n"
                )
        w.write(LEVEL_0, "\n")
    describe_events(ep, events, w, now)


def describe_endpoint_slice(eps: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    write_name_namespace(w, eps)
    write_labels_annotations(w, eps)
    w.write(LEVEL_0, f"AddressType:\t{eps.get('addressType', '')}\n")
    if not eps.get("ports"):
        w.write(LEVEL_0, "Ports: <unset>\n")
    else:
        w.write(LEVEL_0, "Ports:\n")
        w.write(LEVEL_1, "Name\tPort\tProtocol\n")
        w.write(LEVEL_1, "----\t----\t--------\n")
        for p in eps["ports"]:
            port = p.get("port")
            w.write(
                LEVEL_1,
                f"{p.get('name') or '<unset>'}\t{'<unset>' if port is None else port}\t{p.get('protocol', 'TCP')}\n",
            )
    if not eps.get("endpoints"):
        w.write(LEVEL_0, "Endpoints: <none>\n")
    else:
        w.write(LEVEL_0, "Endpoints:\n")
        for ep in eps["endpoints"]:
            w.write(LEVEL_1, f"- Addresses:\t{', '.join(ep.get('addresses') or []) or '<none>'}\n")
            w.write(LEVEL_2, "Conditions:\n")
            ready = (ep.get("conditions") or {}).get("ready")
            w.write(LEVEL_3, f"Ready:\t{'<unset>' if ready is None else go_bool(ready)}\n")
            hostname = ep.get("hostname")
            w.write(LEVEL_2, f"Hostname:\t{'<unset>' if hostname is None else hostname}\n")
            if ep.get("targetRef") is not None:
                ref = ep["targetRef"]
                w.write(LEVEL_2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
            node = ep.get("nodeName")
            w.write(LEVEL_2, f"NodeName:\t{'<unset>' if node is None else node}\n")
            zone = ep.get("zone")
            w.write(LEVEL_2, f"Zone:\t{'<unset>' if zone is None else zone}\n")
    describe_events(eps, events, w, now)


# --- Ingress -----------------------------------------------------------------------------


def _service_backend_string(backend: dict) -> str:
    port = backend.get("port") or {}
    number = port.get("number") or 0
    return f"{backend.get('name', '')}:{number if number else port.get('name', '')}"


def describe_backend(backend: dict, related: dict) -> str:
    """``describeBackendV1``: ``svc:port (endpoints)`` or the resource reference."""
    if backend.get("service") is not None:
        sb = backend["service"]
        text = _service_backend_string(sb)
        services = related.get("services") or {}
        service = services.get(sb.get("name"))
        if service is None:
            return f'{text} (<error: services "{sb.get("name", "")}" not found>)'
        port = sb.get("port") or {}
        sp_name = ""
        for sp in (service.get("spec") or {}).get("ports") or []:
            by_number = bool(port.get("number")) and port["number"] == sp.get("port")
            if by_number or (bool(port.get("name")) and port["name"] == sp.get("name")):
                sp_name = sp.get("name") or ""
        slices = (related.get("endpointSlices") or {}).get(sb.get("name")) or []
        return f"{text} ({format_endpoint_slices(slices, {sp_name})})"
    if backend.get("resource") is not None:
        r = backend["resource"]
        group = r.get("apiGroup") if r.get("apiGroup") is not None else "<none>"
        return f"APIGroup: {group}, Kind: {r.get('kind', '')}, Name: {r.get('name', '')}"
    return ""


def describe_ingress(
    ing: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    m, spec, status = meta(ing), ing.get("spec") or {}, ing.get("status") or {}
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    print_labels_multiline(w, "Labels", m.get("labels"))
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    addresses = sorted(
        {i.get("ip") or i.get("hostname") for i in (status.get("loadBalancer") or {}).get("ingress") or []}
        - {None, ""}
    )
    w.write(LEVEL_0, f"Address:\t{','.join(addresses)}\n")
    w.write(LEVEL_0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")
    default = "<default>"
    if spec.get("defaultBackend") is not None:
        default = describe_backend(spec["defaultBackend"], related)
    w.write(LEVEL_0, f"Default backend:\t{default}\n")
    if spec.get("tls"):
        w.write(LEVEL_0, "TLS:\n")
        for t in spec["tls"]:
            hosts = ",".join(t.get("hosts") or [])
            if not t.get("secretName"):
                w.write(LEVEL_1, f"SNI routes {hosts}\n")
            else:
                w.write(LEVEL_1, f"{t['secretName']} terminates {hosts}\n")
    w.write(LEVEL_0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(LEVEL_1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        w.write(LEVEL_1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            w.write(
                LEVEL_2,
                f"\t{path.get('path', '')} \t{describe_backend(path.get('backend') or {}, related)}\n",
            )
    if count == 0:
        w.write(LEVEL_1, f"*\t*\t{default}\n")
    print_annotations_multiline(w, "Annotations", m.get("annotations"))
    describe_events(ing, events, w, now)


def describe_ingress_class(ic: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    spec = ic.get("spec") or {}
    w.write(LEVEL_0, f"Name:\t{meta(ic).get('name', '')}\n")
    write_labels_annotations(w, ic)
    w.write(LEVEL_0, f"Controller:\t{spec.get('controller', '')}\n")
    params = spec.get("parameters")
    if params is not None:
        w.write(LEVEL_0, "Parameters:\n")
        if params.get("apiGroup") is not None:
            w.write(LEVEL_1, f"APIGroup:\t{params['apiGroup']}\n")
        w.write(LEVEL_1, f"Kind:\t{params.get('kind', '')}\n")
        w.write(LEVEL_1, f"Name:\t{params.get('name', '')}\n")
    describe_events(ic, events, w, now)
