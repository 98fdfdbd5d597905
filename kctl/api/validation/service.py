"""Services: pkg/apis/core/validation ``ValidateService`` (+ the NodePort range check of
the port allocator, which the API server applies on create).

Defaults applied first, as the API server does: ``type: ClusterIP``, port
``protocol: TCP``, ``targetPort`` = ``port``, ``sessionAffinity: None``,
``externalTrafficPolicy: Cluster`` for NodePort/LoadBalancer, ``clusterIPs`` from
``clusterIP``.
"""

from __future__ import annotations

from kctl.api import field as fe
from kctl.api.validation import meta, names
from kctl.api.validation.pod import SUPPORTED_PORT_PROTOCOLS, validate_port_num_or_name
from kctl.api.validation.util import GoJSON, as_dict, as_int, as_list, as_str, is_int

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
SESSION_AFFINITIES = ("ClientIP", "None")
TRAFFIC_POLICIES = ("Cluster", "Local")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
KUBELET_PORT = 10250
NODE_PORT_RANGE = (30000, 32767)


def is_headless(spec: dict) -> bool:
    return as_str(spec.get("clusterIP")) == "None"


def cluster_ips(spec: dict) -> list:
    """``clusterIPs`` as the strategy normalizes it: from ``clusterIP`` when only that is set."""
    ips = [ip for ip in as_list(spec.get("clusterIPs")) if isinstance(ip, str)]
    cip = as_str(spec.get("clusterIP"))
    if cip and not ips:
        return [cip]
    return ips


def _service_port_value(port: dict, protocol: str) -> GoJSON:
    return GoJSON({
        "Name": "", "Protocol": protocol, "AppProtocol": None, "Port": as_int(port.get("port"), 0),
        "TargetPort": 0, "NodePort": 0,
    })  # fmt: skip


def validate_service_port(port: dict, require_name: bool, seen: set, path: tuple) -> list[fe.FieldError]:
    """``validateServicePort``."""
    errs: list[fe.FieldError] = []
    name = as_str(port.get("name"))
    if require_name and not name:
        errs.append(fe.required((*path, "name")))
    elif name:
        if msgs := names.is_dns1123_label(name):
            errs.extend(fe.invalid((*path, "name"), name, m) for m in msgs)
        if name in seen:
            errs.append(fe.duplicate((*path, "name"), name))
        else:
            seen.add(name)
    number = as_int(port.get("port"), 0)
    if msgs := names.is_valid_port_num(number):
        errs.extend(fe.invalid((*path, "port"), number, m) for m in msgs)
    protocol = as_str(port.get("protocol")) or "TCP"
    if protocol not in SUPPORTED_PORT_PROTOCOLS:
        errs.append(fe.not_supported((*path, "protocol"), protocol, SUPPORTED_PORT_PROTOCOLS))
    target = port.get("targetPort")
    if target in (None, 0, ""):
        target = number
    errs.extend(validate_port_num_or_name(target, (*path, "targetPort")))
    app_protocol = port.get("appProtocol")
    if isinstance(app_protocol, str):
        errs.extend(meta.validate_label_name(app_protocol, (*path, "appProtocol")))
    return errs


def validate_service(obj: dict) -> list[fe.FieldError]:
    """``ValidateService`` (create)."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns1035_label)
    spec = as_dict(obj.get("spec"))
    stype = as_str(spec.get("type")) or "ClusterIP"
    ports = [as_dict(p) for p in as_list(spec.get("ports"))]
    headless = is_headless(spec)
    ips = cluster_ips(spec)

    if not ports and not headless and stype != "ExternalName":
        errs.append(fe.required(("spec", "ports")))
    if stype == "LoadBalancer":
        if headless:
            errs.append(
                fe.invalid(
                    ("spec", "clusterIPs", 0), ips[0], "may not be set to 'None' for LoadBalancer services"
                )
            )
        for i, port in enumerate(ports):
            if as_int(port.get("port")) == KUBELET_PORT:
                errs.append(
                    fe.invalid(
                        ("spec", "ports", i),
                        KUBELET_PORT,
                        f"may not expose port {KUBELET_PORT} externally since it is used by kubelet",
                    )
                )
    elif stype == "NodePort":
        if headless:
            errs.append(
                fe.invalid(
                    ("spec", "clusterIPs", 0), ips[0], "may not be set to 'None' for NodePort services"
                )
            )
    elif stype == "ExternalName":
        if ips:
            errs.append(fe.forbidden(("spec", "clusterIPs"), "may not be set for ExternalName services"))
        if as_list(spec.get("ipFamilies")):
            errs.append(fe.forbidden(("spec", "ipFamilies"), "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(fe.forbidden(("spec", "ipFamilyPolicy"), "may not be set for ExternalName services"))
        cname = as_str(spec.get("externalName"))
        cname = cname[:-1] if cname.endswith(".") else cname
        if cname:
            errs.extend(
                fe.invalid(("spec", "externalName"), cname, m) for m in names.is_dns1123_subdomain(cname)
            )
        else:
            errs.append(fe.required(("spec", "externalName")))

    seen: set[str] = set()
    for i, port in enumerate(ports):
        errs.extend(validate_service_port(port, len(ports) > 1, seen, ("spec", "ports", i)))

    if isinstance(spec.get("selector"), dict):
        errs.extend(meta.validate_labels(spec.get("selector"), ("spec", "selector")))

    affinity = as_str(spec.get("sessionAffinity")) or "None"
    if affinity not in SESSION_AFFINITIES:
        errs.append(fe.not_supported(("spec", "sessionAffinity"), affinity, SESSION_AFFINITIES))
    if affinity == "ClientIP":
        timeout = as_dict(as_dict(spec.get("sessionAffinityConfig")).get("clientIP")).get("timeoutSeconds")
        if is_int(timeout) and not 0 < timeout <= 86400:
            errs.append(
                fe.invalid(
                    ("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"),
                    timeout,
                    "must be greater than 0 and less than 86400",
                )
            )
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(
            fe.forbidden(("spec", "sessionAffinityConfig"), "must not be set when session affinity is None")
        )

    errs.extend(validate_service_cluster_ips_related_fields(spec, stype, ips))

    for i, ip in enumerate(as_list(spec.get("externalIPs"))):
        if isinstance(ip, str) and (msgs := names.is_valid_ip(ip)):
            errs.extend(fe.invalid(("spec", "externalIPs", i), ip, m) for m in msgs)

    if stype not in SERVICE_TYPES:
        errs.append(fe.not_supported(("spec", "type"), stype, SERVICE_TYPES))

    if stype == "ClusterIP":
        for i, port in enumerate(ports):
            if as_int(port.get("nodePort"), 0):
                errs.append(
                    fe.forbidden(
                        ("spec", "ports", i, "nodePort"), "may not be used when `type` is 'ClusterIP'"
                    )
                )

    node_ports: set = set()
    for i, port in enumerate(ports):
        node_port = as_int(port.get("nodePort"), 0)
        if not node_port:
            continue
        key = (as_str(port.get("protocol")) or "TCP", node_port)
        if key in node_ports:
            errs.append(fe.duplicate(("spec", "ports", i, "nodePort"), node_port))
        node_ports.add(key)

    seen_ports: set = set()
    for i, port in enumerate(ports):
        protocol = as_str(port.get("protocol")) or "TCP"
        key = (protocol, as_int(port.get("port"), 0))
        if key in seen_ports:
            errs.append(fe.duplicate(("spec", "ports", i), _service_port_value(port, protocol)))
        seen_ports.add(key)

    ranges = as_list(spec.get("loadBalancerSourceRanges"))
    if ranges:
        if stype != "LoadBalancer":
            errs.append(
                fe.forbidden(
                    ("spec", "LoadBalancerSourceRanges"), "may only be used when `type` is 'LoadBalancer'"
                )
            )
        for i, cidr in enumerate(ranges):
            if isinstance(cidr, str):
                errs.extend(
                    fe.invalid(("spec", "LoadBalancerSourceRanges", i), cidr.strip(), m)
                    for m in names.is_valid_cidr(cidr.strip())
                )

    errs.extend(_validate_traffic_policies(spec, stype))

    # The port allocator rejects explicit nodePorts outside the range (create time).
    if stype in ("NodePort", "LoadBalancer"):
        lo, hi = NODE_PORT_RANGE
        for i, port in enumerate(ports):
            node_port = as_int(port.get("nodePort"), 0)
            if node_port and not lo <= node_port <= hi:
                errs.append(
                    fe.invalid(
                        ("spec", "ports", i, "nodePort"),
                        node_port,
                        f"provided port is not in the valid range. The range of valid ports is {lo}-{hi}",
                    )
                )
    return errs


def _validate_traffic_policies(spec: dict, stype: str) -> list[fe.FieldError]:
    """``validateServiceExternalTrafficPolicy`` / ``validateServiceInternalTrafficFieldsValue``."""
    errs: list[fe.FieldError] = []
    externally = stype in ("NodePort", "LoadBalancer") or (
        stype == "ClusterIP" and bool(as_list(spec.get("externalIPs")))
    )
    etp = spec.get("externalTrafficPolicy")
    if not externally:
        if isinstance(etp, str) and etp:
            errs.append(
                fe.invalid(
                    ("spec", "externalTrafficPolicy"),
                    etp,
                    "may only be set for externally-accessible services",
                )
            )
    elif isinstance(etp, str) and etp and etp not in TRAFFIC_POLICIES:
        errs.append(fe.not_supported(("spec", "externalTrafficPolicy"), etp, TRAFFIC_POLICIES))
    itp = spec.get("internalTrafficPolicy")
    if isinstance(itp, str) and itp and stype != "ExternalName" and itp not in TRAFFIC_POLICIES:
        errs.append(fe.not_supported(("spec", "internalTrafficPolicy"), itp, TRAFFIC_POLICIES))
    return errs


def validate_service_cluster_ips_related_fields(spec: dict, stype: str, ips: list) -> list[fe.FieldError]:
    """``ValidateServiceClusterIPsRelatedFields`` (basic: consistency, IP syntax, families, policy)."""
    if stype == "ExternalName":
        return []
    errs: list[fe.FieldError] = []
    cip = as_str(spec.get("clusterIP"))
    if cip and ips and ips[0] != cip:
        errs.append(fe.invalid(("spec", "clusterIPs"), ips, "first value must match `clusterIP`"))
    elif not cip and ips:
        errs.append(
            fe.invalid(("spec", "clusterIPs"), ips, "must be empty when `clusterIP` is not specified")
        )
    seen: set = set()
    for i, fam in enumerate(as_list(spec.get("ipFamilies"))):
        if fam not in IP_FAMILIES:
            errs.append(fe.not_supported(("spec", "ipFamilies", i), fam, IP_FAMILIES))
        if fam in seen:
            errs.append(fe.duplicate(("spec", "ipFamilies", i), fam))
        seen.add(fam)
    policy = spec.get("ipFamilyPolicy")
    if isinstance(policy, str) and policy not in IP_FAMILY_POLICIES:
        errs.append(fe.not_supported(("spec", "ipFamilyPolicy"), policy, IP_FAMILY_POLICIES))
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                errs.append(
                    fe.invalid(("spec", "clusterIPs"), ips, "'None' must be the first and only value")
                )
            continue
        if msgs := names.is_valid_ip(ip):
            errs.extend(fe.invalid(("spec", "clusterIPs", i), ip, m) for m in msgs)
    return errs
