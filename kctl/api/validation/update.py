"""Update-time rules: the immutable fields of ``Validate*Update`` upstream.

* ObjectMeta: ``metadata.name``/``metadata.namespace`` (``ValidateObjectMetaUpdate``);
* apps/v1 Deployment, ReplicaSet, DaemonSet: ``spec.selector``; StatefulSet: only
  replicas, ordinals, template, updateStrategy, revisionHistoryLimit,
  persistentVolumeClaimRetentionPolicy and minReadySeconds may change;
* Job: ``spec.selector``, ``spec.completions`` (non-indexed), ``spec.template``;
* Service: ``spec.clusterIPs`` may not change once set (unset in the new object
  means "keep", as the registry fills it in);
* ConfigMap/Secret with ``immutable: true``: data/binaryData/immutable; Secret ``type``;
* PersistentVolumeClaim: spec except ``resources.requests`` and ``volumeAttributesClassName``;
* Pod: ``ValidatePodUpdate`` (``kctl.api.validation.pod_update``).
"""

from __future__ import annotations

from kctl.api import field as fe
from kctl.api.validation.config import secret_data
from kctl.api.validation.service import cluster_ips
from kctl.api.validation.util import (
    FIELD_IMMUTABLE_ERROR_MSG,
    GoJSON,
    as_dict,
    as_str,
    label_selector_value,
)

_IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"
_STS_MUTABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)


def _group(api_version: object) -> str:
    return api_version.split("/", 1)[0] if isinstance(api_version, str) and "/" in api_version else ""


def validate_object_meta_update(new: dict, old: dict) -> list[fe.FieldError]:
    errs: list[fe.FieldError] = []
    nm, om = as_dict(new.get("metadata")), as_dict(old.get("metadata"))
    for key in ("name", "namespace"):
        n, o = as_str(nm.get(key)), as_str(om.get(key))
        if o and n and n != o:
            errs.append(fe.invalid(("metadata", key), n, FIELD_IMMUTABLE_ERROR_MSG))
    return errs


def _selector_immutable(new_spec: dict, old_spec: dict) -> list[fe.FieldError]:
    ns, os_ = new_spec.get("selector"), old_spec.get("selector")
    if _normal_selector(ns) != _normal_selector(os_):
        return [fe.invalid(("spec", "selector"), label_selector_value(ns), FIELD_IMMUTABLE_ERROR_MSG)]
    return []


def _normal_selector(sel: object) -> object:
    sel = as_dict(sel)
    return (as_dict(sel.get("matchLabels")) or {}, sel.get("matchExpressions") or [])


def validate_immutable(new: dict, old: dict) -> list[fe.FieldError]:
    errs = validate_object_meta_update(new, old)
    group, kind = _group(new.get("apiVersion")), new.get("kind")
    ns, os_ = as_dict(new.get("spec")), as_dict(old.get("spec"))
    if group == "apps" and kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        errs.extend(_selector_immutable(ns, os_))
    elif group == "apps" and kind == "StatefulSet":
        a = {k: v for k, v in ns.items() if k not in _STS_MUTABLE}
        b = {k: v for k, v in os_.items() if k not in _STS_MUTABLE}
        if a != b:
            errs.append(
                fe.forbidden(
                    ("spec",),
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                    "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
                    "and 'minReadySeconds' are forbidden",
                )
            )
    elif group == "batch" and kind == "Job":
        if ns.get("manualSelector") is True or os_.get("manualSelector") is True:
            errs.extend(_selector_immutable(ns, os_))
        if ns.get("completionMode") != "Indexed" and ns.get("completions") != os_.get("completions"):
            errs.append(fe.invalid(("spec", "completions"), ns.get("completions"), FIELD_IMMUTABLE_ERROR_MSG))
        if ns.get("template") != os_.get("template"):
            errs.append(
                fe.invalid(("spec", "template"), GoJSON(ns.get("template")), FIELD_IMMUTABLE_ERROR_MSG)
            )
    elif group == "" and kind == "Pod":
        from kctl.api.validation.pod_update import validate_pod_update

        errs.extend(validate_pod_update(new, old))
    elif group == "" and kind == "Service":
        errs.extend(_validate_cluster_ips_update(ns, os_))
    elif group == "" and kind in ("ConfigMap", "Secret"):
        errs.extend(_validate_immutable_data(new, old, kind))
    elif group == "" and kind == "PersistentVolumeClaim":
        a = {k: v for k, v in ns.items() if k not in ("resources", "volumeAttributesClassName")}
        b = {k: v for k, v in os_.items() if k not in ("resources", "volumeAttributesClassName")}
        ra = {k: v for k, v in as_dict(ns.get("resources")).items() if k != "requests"}
        rb = {k: v for k, v in as_dict(os_.get("resources")).items() if k != "requests"}
        if a != b or ra != rb:
            errs.append(
                fe.forbidden(
                    ("spec",),
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
                )
            )
    return errs


def _validate_cluster_ips_update(ns: dict, os_: dict) -> list[fe.FieldError]:
    """``validateUpgradeDowngradeClusterIPs`` after the registry keeps unset IPs."""
    if (as_str(ns.get("type")) or "ClusterIP") == "ExternalName" or (
        as_str(os_.get("type")) or "ClusterIP"
    ) == "ExternalName":
        return []
    old_ips = cluster_ips(os_)
    new_ips = cluster_ips(ns) or old_ips
    if old_ips[:1] == ["None"] and new_ips[:1] == ["None"]:
        return []
    errs: list[fe.FieldError] = []
    if len(old_ips) == len(new_ips):
        for i, ip in enumerate(old_ips):
            if ip != new_ips[i]:
                errs.append(fe.invalid(("spec", "clusterIPs", i), new_ips, "may not change once set"))
    elif len(old_ips) > len(new_ips):
        if new_ips and new_ips[0] != old_ips[0]:
            errs.append(fe.invalid(("spec", "clusterIPs", 0), new_ips, "may not change once set"))
        if len(new_ips) == 1 and ns.get("ipFamilyPolicy") != "SingleStack":
            errs.append(
                fe.invalid(
                    ("spec", "clusterIPs", 0),
                    new_ips,
                    "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP",
                )
            )
    elif old_ips and new_ips[0] != old_ips[0]:
        errs.append(fe.invalid(("spec", "clusterIPs", 0), new_ips, "may not change once set"))
    return errs


def _validate_immutable_data(new: dict, old: dict, kind: str) -> list[fe.FieldError]:
    errs: list[fe.FieldError] = []
    if kind == "Secret":
        nt, ot = as_str(new.get("type")) or "Opaque", as_str(old.get("type")) or "Opaque"
        if nt != ot:
            errs.append(fe.invalid(("type",), nt, FIELD_IMMUTABLE_ERROR_MSG))
    if old.get("immutable") is not True:
        return errs
    if new.get("immutable") is not True:
        errs.append(fe.forbidden(("immutable",), _IMMUTABLE_WHEN_SET))
    if kind == "Secret":
        if secret_data(new)[0] != secret_data(old)[0]:
            errs.append(fe.forbidden(("data",), _IMMUTABLE_WHEN_SET))
    else:
        if (new.get("data") or {}) != (old.get("data") or {}):
            errs.append(fe.forbidden(("data",), _IMMUTABLE_WHEN_SET))
        if (new.get("binaryData") or {}) != (old.get("binaryData") or {}):
            errs.append(fe.forbidden(("binaryData",), _IMMUTABLE_WHEN_SET))
    return errs
