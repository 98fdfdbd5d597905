"""policy/v1 PodDisruptionBudget: pkg/apis/policy/validation ``ValidatePodDisruptionBudgetSpec``."""

from __future__ import annotations

from kctl.api import field as fe
from kctl.api.validation import meta, names
from kctl.api.validation.apps import is_not_more_than_100_percent, validate_positive_int_or_percent
from kctl.api.validation.util import GoJSON, as_dict, label_selector_value

UNHEALTHY_POD_EVICTION_POLICIES = ("AlwaysAllow", "IfHealthyBudget")


def validate_pod_disruption_budget_spec(spec: object, path: tuple) -> list[fe.FieldError]:
    spec = as_dict(spec)
    errs: list[fe.FieldError] = []
    min_available = spec.get("minAvailable")
    max_unavailable = spec.get("maxUnavailable")
    if min_available is not None and max_unavailable is not None:
        selector = spec.get("selector")
        shown = GoJSON({
            "MinAvailable": min_available,
            "Selector": label_selector_value(selector).value if isinstance(selector, dict) else None,
            "MaxUnavailable": max_unavailable,
            "UnhealthyPodEvictionPolicy": spec.get("unhealthyPodEvictionPolicy"),
        })  # fmt: skip
        errs.append(fe.invalid(path, shown, "minAvailable and maxUnavailable cannot be both set"))
    for key, value in (("minAvailable", min_available), ("maxUnavailable", max_unavailable)):
        if value is not None:
            errs.extend(validate_positive_int_or_percent(value, (*path, key)))
            errs.extend(is_not_more_than_100_percent(value, (*path, key)))
    errs.extend(meta.validate_label_selector(spec.get("selector"), (*path, "selector")))
    policy = spec.get("unhealthyPodEvictionPolicy")
    if isinstance(policy, str) and policy not in UNHEALTHY_POD_EVICTION_POLICIES:
        errs.append(
            fe.not_supported((*path, "unhealthyPodEvictionPolicy"), policy, UNHEALTHY_POD_EVICTION_POLICIES)
        )
    return errs


def validate_pod_disruption_budget(obj: dict) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_pod_disruption_budget_spec(obj.get("spec"), ("spec",)))
    return errs
