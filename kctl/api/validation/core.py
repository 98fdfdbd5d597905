"""Other core/v1 kinds: Namespace, Node, PersistentVolumeClaim, ServiceAccount
(pkg/apis/core/validation ``ValidateNamespace``, ``ValidateNode``,
``ValidatePersistentVolumeClaim``, ``ValidateServiceAccount``)."""

from __future__ import annotations

from kctl.api import field as fe
from kctl.api.validation import meta, names
from kctl.api.validation.pod import (
    parse_quantity_field,
    validate_resource_quantity_value,
    validate_taint_effect,
)
from kctl.api.validation.util import IS_NOT_POSITIVE_ERROR_MSG, GoJSON, Key, as_dict, as_list, as_str

ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
VOLUME_MODES = ("Block", "Filesystem")


def validate_namespace(obj: dict) -> list[fe.FieldError]:
    """``ValidateNamespace``: the name is a DNS-1123 label; finalizers are qualified names."""
    errs = meta.validate_object_meta(obj.get("metadata"), False, names.name_is_dns_label)
    for i, f in enumerate(as_list(as_dict(obj.get("spec")).get("finalizers"))):
        if isinstance(f, str):
            p = ("spec", "finalizers", i)
            errs.extend(fe.invalid(p, f, m) for m in names.is_qualified_name(f))
            if "/" not in f and f not in ("kubernetes", "orphan", "foregroundDeletion"):
                errs.append(
                    fe.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified")
                )
    return errs


def _taint_value(t: dict) -> GoJSON:
    return GoJSON(
        {
            "Key": as_str(t.get("key")),
            "Value": as_str(t.get("value")),
            "Effect": as_str(t.get("effect")),
            "TimeAdded": None,
        }
    )


def validate_node(obj: dict) -> list[fe.FieldError]:
    """``ValidateNode``: podCIDR(s) syntax and dual-stack pairing, taints."""
    errs = meta.validate_object_meta(obj.get("metadata"), False, names.name_is_dns_subdomain)
    spec = as_dict(obj.get("spec"))
    cidrs = [c for c in as_list(spec.get("podCIDRs")) if isinstance(c, str)]
    if not cidrs and as_str(spec.get("podCIDR")):
        cidrs = [as_str(spec.get("podCIDR"))]
    for i, cidr in enumerate(cidrs):
        errs.extend(fe.invalid(("spec", "podCIDRs", i), cidr, m) for m in names.is_valid_cidr(cidr))
    if len(cidrs) > 1:
        families = {":" in c for c in cidrs}
        if len(cidrs) > 2 or len(families) != 2:
            errs.append(
                fe.invalid(
                    ("spec", "podCIDRs"), cidrs, "may specify no more than one CIDR for each IP family"
                )
            )
    seen: dict[str, set] = {}
    for i, taint in enumerate(as_list(spec.get("taints"))):
        taint = as_dict(taint)
        p = ("spec", "taints", i)
        key, value, effect = as_str(taint.get("key")), as_str(taint.get("value")), as_str(taint.get("effect"))
        errs.extend(meta.validate_label_name(key, (*p, "key")))
        msgs = names.is_valid_label_value(value)
        if msgs:
            errs.append(fe.invalid((*p, "value"), value, ";".join(msgs)))
        errs.extend(validate_taint_effect(effect, False, (*p, "effect")))
        if key in seen.get(effect, ()):
            dup = fe.FieldError(
                fe.DUPLICATE, p, _taint_value(taint), "taints must be unique by key and effect pair"
            )
            errs.append(dup)
            continue
        seen.setdefault(effect, set()).add(key)
    return errs


def validate_persistent_volume_claim_spec(spec: object, path: tuple) -> list[fe.FieldError]:
    """``ValidatePersistentVolumeClaimSpec`` (access modes, storage request, selector, volumeMode)."""
    spec = as_dict(spec)
    errs: list[fe.FieldError] = []
    errs.extend(meta.validate_label_selector(spec.get("selector"), (*path, "selector")))
    modes = as_list(spec.get("accessModes"))
    if not modes:
        errs.append(fe.required((*path, "accessModes"), "at least 1 access mode is required"))
    for mode in modes:
        if mode not in ACCESS_MODES:
            errs.append(fe.not_supported((*path, "accessModes"), mode, ACCESS_MODES))
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        errs.append(
            fe.forbidden((*path, "accessModes"), "may not use ReadWriteOncePod with other access modes")
        )
    requests = as_dict(as_dict(spec.get("resources")).get("requests"))
    storage_path = (*path, "resources", Key("storage"))
    if "storage" not in requests:
        errs.append(fe.required(storage_path))
    else:
        q = parse_quantity_field(requests["storage"], storage_path, errs)
        if q is not None:
            if q.sign() <= 0:
                errs.append(fe.invalid(storage_path, str(q), IS_NOT_POSITIVE_ERROR_MSG))
            else:
                errs.extend(validate_resource_quantity_value("storage", q, storage_path))
    scn = spec.get("storageClassName")
    if isinstance(scn, str) and scn:
        errs.extend(fe.invalid((*path, "storageClassName"), scn, m) for m in names.is_dns1123_subdomain(scn))
    vm = spec.get("volumeMode")
    if isinstance(vm, str) and vm not in VOLUME_MODES:
        errs.append(fe.not_supported((*path, "volumeMode"), vm, VOLUME_MODES))
    return errs


def validate_persistent_volume_claim(obj: dict) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_persistent_volume_claim_spec(obj.get("spec"), ("spec",)))
    return errs


def validate_service_account(obj: dict) -> list[fe.FieldError]:
    return meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
