"""networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy (pkg/apis/networking/validation)."""

from __future__ import annotations

import ipaddress
import re

from kctl.api import field as fe
from kctl.api.validation import meta, names
from kctl.api.validation.pod import SUPPORTED_PORT_PROTOCOLS
from kctl.api.validation.util import Child, as_dict, as_int, as_list, as_str, is_int

PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")  # sets.List order
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
ANNOTATION_INGRESS_CLASS = "kubernetes.io/ingress.class"
MAX_LEN_INGRESS_CLASS_CONTROLLER = 250


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def validate_typed_local_object_reference(ref: object, path: tuple) -> list[fe.FieldError]:
    """``validateIngressTypedLocalObjectReference``."""
    ref = as_dict(ref)
    errs: list[fe.FieldError] = []
    group = ref.get("apiGroup")
    if isinstance(group, str):
        errs.extend(fe.invalid((*path, "apiGroup"), group, m) for m in names.is_dns1123_subdomain(group))
    kind, name = as_str(ref.get("kind")), as_str(ref.get("name"))
    if not kind:
        errs.append(fe.required((*path, "kind"), "kind is required"))
    else:
        errs.extend(fe.invalid((*path, "kind"), kind, m) for m in names.is_valid_path_segment_name(kind))
    if not name:
        errs.append(fe.required((*path, "name"), "name is required"))
    else:
        errs.extend(fe.invalid((*path, "name"), name, m) for m in names.is_valid_path_segment_name(name))
    return errs


def validate_ingress_backend(backend: object, path: tuple) -> list[fe.FieldError]:
    """``validateIngressBackend``: exactly one of service/resource; service port name XOR number."""
    backend = as_dict(backend)
    has_resource = backend.get("resource") is not None
    service = backend.get("service")
    if has_resource and service is not None:
        return [fe.invalid(path, "", "cannot set both resource and service backends")]
    if has_resource:
        return validate_typed_local_object_reference(backend.get("resource"), (*path, "resource"))
    if service is None:
        return [fe.invalid(path, "", "resource or service backend is required")]
    service = as_dict(service)
    errs: list[fe.FieldError] = []
    name = as_str(service.get("name"))
    if not name:
        errs.append(fe.required((*path, "service", "name")))
    else:
        errs.extend(
            fe.invalid((*path, "service", "name"), name, m) for m in names.name_is_dns1035_label(name)
        )
    port = as_dict(service.get("port"))
    port_name = as_str(port.get("name"))
    number = as_int(port.get("number"), 0)
    if port_name and number:
        errs.append(fe.invalid(path, "", "cannot set both port name & port number"))
    elif port_name:
        errs.extend(
            fe.invalid((*path, "service", "port", "name"), port_name, m)
            for m in names.is_valid_port_name(port_name)
        )
    elif number:
        errs.extend(
            fe.invalid((*path, "service", "port", "number"), number, m)
            for m in names.is_valid_port_num(number)
        )
    else:
        errs.append(fe.required(path, "port name or number is required"))
    return errs


def validate_http_ingress_path(p: object, path: tuple) -> list[fe.FieldError]:
    """``validateHTTPIngressPath``."""
    p = as_dict(p)
    path_type = p.get("pathType")
    if not isinstance(path_type, str):
        return [fe.required((*path, "pathType"), "pathType must be specified")]
    errs: list[fe.FieldError] = []
    value = as_str(p.get("path"))
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(fe.invalid((*path, "path"), value, "must be an absolute path"))
        if value:
            for seq in INVALID_PATH_SEQUENCES:
                if seq in value:
                    errs.append(fe.invalid((*path, "path"), value, f"must not contain '{seq}'"))
            for suffix in INVALID_PATH_SUFFIXES:
                if value.endswith(suffix):
                    errs.append(fe.invalid((*path, "path"), value, f"cannot end with '{suffix}'"))
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(fe.invalid((*path, "path"), value, "must be an absolute path"))
    else:
        errs.append(fe.not_supported((*path, "pathType"), path_type, PATH_TYPES))
    errs.extend(validate_ingress_backend(p.get("backend"), (*path, "backend")))
    return errs


def validate_ingress_rules(rules: list, path: tuple) -> list[fe.FieldError]:
    """``validateIngressRules``: hosts are DNS names or a single leading wildcard label."""
    errs: list[fe.FieldError] = []
    for i, rule in enumerate(rules):
        rule = as_dict(rule)
        rp = (*path, i)
        host = as_str(rule.get("host"))
        if host:
            if _is_ip(host):
                errs.append(fe.invalid((*rp, "host"), host, "must be a DNS name, not an IP address"))
            check = names.is_wildcard_dns1123_subdomain if "*" in host else names.is_dns1123_subdomain
            errs.extend(fe.invalid((*rp, "host"), host, m) for m in check(host))
        http = rule.get("http")
        if isinstance(http, dict):
            paths = as_list(http.get("paths"))
            if not paths:
                errs.append(fe.required((*rp, "http", "paths")))
            for j, p in enumerate(paths):
                errs.extend(validate_http_ingress_path(p, (*rp, "http", "paths", j)))
    return errs


def validate_ingress_spec(spec: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateIngressSpec``."""
    spec = as_dict(spec)
    errs: list[fe.FieldError] = []
    rules = as_list(spec.get("rules"))
    default_backend = spec.get("defaultBackend")
    if not rules and default_backend is None:
        errs.append(
            fe.invalid(
                path,
                spec.get("rules") if isinstance(spec.get("rules"), list) else None,
                "either `defaultBackend` or `rules` must be specified",
            )
        )
    if default_backend is not None:
        errs.extend(validate_ingress_backend(default_backend, (*path, "defaultBackend")))
    if rules:
        errs.extend(validate_ingress_rules(rules, (*path, "rules")))
    for t, tls in enumerate(as_list(spec.get("tls"))):
        tls = as_dict(tls)
        tp = (*path, "tls", t)
        for h, host in enumerate(as_list(tls.get("hosts"))):
            if not isinstance(host, str):
                continue
            check = names.is_wildcard_dns1123_subdomain if "*" in host else names.is_dns1123_subdomain
            errs.extend(fe.invalid((*tp, "hosts", h), host, m) for m in check(host))
        secret = as_str(tls.get("secretName"))
        if secret:
            errs.extend(
                fe.invalid((*tp, "secretName"), secret, m) for m in names.is_dns1123_subdomain(secret)
            )
    cls = spec.get("ingressClassName")
    if isinstance(cls, str):
        errs.extend(fe.invalid((*path, "ingressClassName"), cls, m) for m in names.is_dns1123_subdomain(cls))
    return errs


def validate_ingress(obj: dict) -> list[fe.FieldError]:
    """``ValidateIngressCreate``."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    spec = as_dict(obj.get("spec"))
    errs.extend(validate_ingress_spec(spec, ("spec",)))
    annotations = as_dict(as_dict(obj.get("metadata")).get("annotations"))
    cls = spec.get("ingressClassName")
    if (
        ANNOTATION_INGRESS_CLASS in annotations
        and isinstance(cls, str)
        and annotations[ANNOTATION_INGRESS_CLASS] != cls
    ):
        errs.append(
            fe.invalid(
                (Child("annotations"), Child(ANNOTATION_INGRESS_CLASS)),
                annotations[ANNOTATION_INGRESS_CLASS],
                "must match `ingressClassName` when both are specified",
            )
        )
    return errs


def validate_ingress_class(obj: dict) -> list[fe.FieldError]:
    """``ValidateIngressClass``: controller is a domain-prefixed path; parameters reference."""
    errs = meta.validate_object_meta(obj.get("metadata"), False, names.name_is_dns_subdomain)
    spec = as_dict(obj.get("spec"))
    controller = as_str(spec.get("controller"))
    cp = ("spec", "controller")
    if len(controller) > MAX_LEN_INGRESS_CLASS_CONTROLLER:
        errs.append(fe.too_long(cp, "", MAX_LEN_INGRESS_CLASS_CONTROLLER))
    errs.extend(_is_domain_prefixed_path(controller, cp))
    params = spec.get("parameters")
    if isinstance(params, dict):
        pp = ("spec", "parameters")
        errs.extend(validate_typed_local_object_reference(params, pp))
        scope = as_str(params.get("scope")) or "Cluster"
        if scope not in ("Cluster", "Namespace"):
            errs.append(fe.not_supported((*pp, "scope"), scope, ("Cluster", "Namespace")))
        elif scope == "Namespace":
            ns = params.get("namespace")
            if not isinstance(ns, str):
                errs.append(fe.required((*pp, "namespace"), "`parameters.scope` is set to 'Namespace'"))
            else:
                errs.extend(fe.invalid((*pp, "namespace"), ns, m) for m in names.name_is_dns_label(ns))
        elif params.get("namespace") is not None:
            errs.append(fe.forbidden((*pp, "namespace"), "`parameters.scope` is set to 'Cluster'"))
    return errs


_HTTP_PATH_RE = re.compile(r"^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+\Z")


def _is_domain_prefixed_path(value: str, path: tuple) -> list[fe.FieldError]:
    """``IsDomainPrefixedPath``: ``acme.io/foo``."""
    if not value:
        return [fe.required(path)]
    segments = value.split("/", 1)
    if len(segments) != 2 or not segments[0] or not segments[1]:
        return [fe.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [fe.invalid(path, segments[0], m) for m in names.is_dns1123_subdomain(segments[0])]
    if not _HTTP_PATH_RE.match(segments[1]):
        errs.append(
            fe.invalid(
                path, segments[1], names.regex_error("Invalid path", r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+")
            )
        )
    return errs


# -- NetworkPolicy --------------------------------------------------------------------------------


def validate_network_policy_port(port: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateNetworkPolicyPort``."""
    port = as_dict(port)
    errs: list[fe.FieldError] = []
    protocol = port.get("protocol")
    if isinstance(protocol, str) and protocol not in SUPPORTED_PORT_PROTOCOLS:
        errs.append(fe.not_supported((*path, "protocol"), protocol, ("TCP", "UDP", "SCTP")))
    value = port.get("port")
    end = port.get("endPort")
    if is_int(value):
        errs.extend(fe.invalid((*path, "port"), value, m) for m in names.is_valid_port_num(value))
        if is_int(end):
            if end < value:
                errs.append(fe.invalid((*path, "endPort"), value, "must be greater than or equal to `port`"))
            errs.extend(fe.invalid((*path, "endPort"), end, m) for m in names.is_valid_port_num(end))
    elif isinstance(value, str):
        if is_int(end):
            errs.append(
                fe.invalid((*path, "endPort"), end, "may not be specified when `port` is non-numeric")
            )
        errs.extend(fe.invalid((*path, "port"), value, m) for m in names.is_valid_port_name(value))
    elif is_int(end):
        errs.append(fe.invalid((*path, "endPort"), end, "may not be specified when `port` is not specified"))
    return errs


def validate_ip_block(block: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateIPBlock``."""
    block = as_dict(block)
    cidr = as_str(block.get("cidr"))
    if not cidr:
        return [fe.required((*path, "cidr"))]
    msgs = names.is_valid_cidr(cidr)
    if msgs:
        return [fe.invalid((*path, "cidr"), cidr, m) for m in msgs]
    errs: list[fe.FieldError] = []
    network = ipaddress.ip_network(names._sloppy(cidr), strict=False)
    for i, exc in enumerate(as_list(block.get("except"))):
        if not isinstance(exc, str):
            continue
        ep = (*path, "except", i)
        emsgs = names.is_valid_cidr(exc)
        if emsgs:
            errs.extend(fe.invalid(ep, exc, m) for m in emsgs)
            continue
        sub = ipaddress.ip_network(names._sloppy(exc), strict=False)
        if sub.version != network.version or not (
            sub.subnet_of(network) and sub.prefixlen > network.prefixlen
        ):  # type: ignore[arg-type]
            errs.append(fe.invalid(ep, exc, "must be a strict subset of `cidr`"))
    return errs


def validate_network_policy_peer(peer: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateNetworkPolicyPeer``."""
    peer = as_dict(peer)
    errs: list[fe.FieldError] = []
    n = 0
    for key in ("podSelector", "namespaceSelector"):
        if peer.get(key) is not None:
            n += 1
            errs.extend(meta.validate_label_selector(peer.get(key), (*path, key)))
    if peer.get("ipBlock") is not None:
        n += 1
        errs.extend(validate_ip_block(peer.get("ipBlock"), (*path, "ipBlock")))
    if n == 0:
        errs.append(fe.required(path, "must specify a peer"))
    elif n > 1 and peer.get("ipBlock") is not None:
        errs.append(fe.forbidden(path, "may not specify both ipBlock and another peer"))
    return errs


def validate_network_policy(obj: dict) -> list[fe.FieldError]:
    """``ValidateNetworkPolicy``."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    spec = as_dict(obj.get("spec"))
    errs.extend(meta.validate_label_selector(spec.get("podSelector"), ("spec", "podSelector")))
    for i, rule in enumerate(as_list(spec.get("ingress"))):
        rule = as_dict(rule)
        rp = ("spec", "ingress", i)
        for j, port in enumerate(as_list(rule.get("ports"))):
            errs.extend(validate_network_policy_port(port, (*rp, "ports", j)))
        for j, peer in enumerate(as_list(rule.get("from"))):
            errs.extend(validate_network_policy_peer(peer, (*rp, "from", j)))
    for i, rule in enumerate(as_list(spec.get("egress"))):
        rule = as_dict(rule)
        rp = ("spec", "egress", i)
        for j, peer in enumerate(as_list(rule.get("to"))):
            errs.extend(validate_network_policy_peer(peer, (*rp, "to", j)))
        for j, port in enumerate(as_list(rule.get("ports"))):
            errs.extend(validate_network_policy_port(port, (*rp, "ports", j)))
    types = as_list(spec.get("policyTypes"))
    if len(types) > 2:
        errs.append(fe.invalid(("spec", "policyTypes"), types, "may not specify more than two policyTypes"))
        return errs
    for i, ptype in enumerate(types):
        if ptype not in ("Ingress", "Egress"):
            errs.append(fe.not_supported(("spec", "policyTypes", i), ptype, ("Ingress", "Egress")))
    return errs
