"""rbac.authorization.k8s.io/v1: pkg/apis/rbac/validation (names are path segments)."""

from __future__ import annotations

from kctl.api import field as fe
from kctl.api.validation import meta, names
from kctl.api.validation.util import as_dict, as_list, as_str

GROUP_NAME = "rbac.authorization.k8s.io"


def validate_policy_rule(rule: object, namespaced: bool, path: tuple) -> list[fe.FieldError]:
    """``ValidatePolicyRule``."""
    rule = as_dict(rule)
    errs: list[fe.FieldError] = []
    if not as_list(rule.get("verbs")):
        errs.append(fe.required((*path, "verbs"), "verbs must contain at least one value"))
    urls = as_list(rule.get("nonResourceURLs"))
    if urls:
        if namespaced:
            errs.append(
                fe.invalid(
                    (*path, "nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"
                )
            )
        if (
            as_list(rule.get("apiGroups"))
            or as_list(rule.get("resources"))
            or as_list(rule.get("resourceNames"))
        ):
            errs.append(
                fe.invalid(
                    (*path, "nonResourceURLs"),
                    urls,
                    "rules cannot apply to both regular resources and non-resource URLs",
                )
            )
        return errs
    if not as_list(rule.get("apiGroups")):
        errs.append(fe.required((*path, "apiGroups"), "resource rules must supply at least one api group"))
    if not as_list(rule.get("resources")):
        errs.append(fe.required((*path, "resources"), "resource rules must supply at least one resource"))
    return errs


def validate_role(obj: dict, namespaced: bool = True) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), namespaced, names.validate_path_segment_name)
    for i, rule in enumerate(as_list(obj.get("rules"))):
        errs.extend(validate_policy_rule(rule, namespaced, ("rules", i)))
    return errs


def validate_cluster_role(obj: dict) -> list[fe.FieldError]:
    aggregation = obj.get("aggregationRule")
    errs = validate_role(obj, namespaced=False)
    if isinstance(aggregation, dict):
        selectors = as_list(aggregation.get("clusterRoleSelectors"))
        if not selectors:
            errs.append(
                fe.required(
                    ("aggregationRule", "clusterRoleSelectors"),
                    "at least one clusterRoleSelector required if aggregationRule is non-nil",
                )
            )
        for i, sel in enumerate(selectors):
            errs.extend(meta.validate_label_selector(sel, ("aggregationRule", "clusterRoleSelectors", i)))
    return errs


def validate_role_binding_subject(subject: object, namespaced: bool, path: tuple) -> list[fe.FieldError]:
    """``ValidateRoleBindingSubject`` (``apiGroup`` defaulted per kind)."""
    subject = as_dict(subject)
    errs: list[fe.FieldError] = []
    name, kind = as_str(subject.get("name")), as_str(subject.get("kind"))
    if not name:
        errs.append(fe.required((*path, "name")))
    group = subject.get("apiGroup")
    if kind == "ServiceAccount":
        if name:
            errs.extend(fe.invalid((*path, "name"), name, m) for m in names.name_is_dns_subdomain(name))
        if isinstance(group, str) and group:
            errs.append(fe.not_supported((*path, "apiGroup"), group, ("",)))
        if not namespaced and not as_str(subject.get("namespace")):
            errs.append(fe.required((*path, "namespace")))
    elif kind in ("User", "Group"):
        group = group if isinstance(group, str) and group else GROUP_NAME
        if group != GROUP_NAME:
            errs.append(fe.not_supported((*path, "apiGroup"), group, (GROUP_NAME,)))
    else:
        errs.append(fe.not_supported((*path, "kind"), kind, ("ServiceAccount", "User", "Group")))
    return errs


def validate_role_binding(obj: dict, namespaced: bool = True) -> list[fe.FieldError]:
    """``ValidateRoleBinding`` / ``ValidateClusterRoleBinding``."""
    errs = meta.validate_object_meta(obj.get("metadata"), namespaced, names.validate_path_segment_name)
    ref = as_dict(obj.get("roleRef"))
    group = as_str(ref.get("apiGroup")) or GROUP_NAME
    if group != GROUP_NAME:
        errs.append(fe.not_supported(("roleRef", "apiGroup"), group, (GROUP_NAME,)))
    kind = as_str(ref.get("kind"))
    allowed = ("Role", "ClusterRole") if namespaced else ("ClusterRole",)
    if kind not in allowed:
        errs.append(fe.not_supported(("roleRef", "kind"), kind, allowed))
    name = as_str(ref.get("name"))
    if not name:
        errs.append(fe.required(("roleRef", "name")))
    else:
        errs.extend(fe.invalid(("roleRef", "name"), name, m) for m in names.validate_path_segment_name(name))
    for i, subject in enumerate(as_list(obj.get("subjects"))):
        errs.extend(validate_role_binding_subject(subject, namespaced, ("subjects", i)))
    return errs
