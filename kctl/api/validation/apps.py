"""apps/v1 workloads: pkg/apis/apps/validation (``ValidateDeployment``,
``ValidateReplicaSet``, ``ValidateStatefulSet``, ``ValidateDaemonSet``).

apps/v1 defaults are applied first: Deployment ``strategy`` RollingUpdate with
``maxSurge``/``maxUnavailable`` 25%, StatefulSet ``podManagementPolicy``
OrderedReady and ``updateStrategy`` RollingUpdate, DaemonSet ``updateStrategy``
RollingUpdate (maxUnavailable 1, maxSurge 0); pod templates as in ``pod``.
"""

from __future__ import annotations

from kctl.api import field as fe
from kctl.api.validation import meta, names
from kctl.api.validation.pod import validate_pod_template_spec
from kctl.api.validation.util import (
    GoJSON,
    as_dict,
    as_int,
    as_str,
    int_or_string_value,
    is_int,
    label_selector_value,
    validate_nonnegative_field,
)

# -- IntOrString helpers (ValidatePositiveIntOrPercent & co) -----------------------------------


def validate_positive_int_or_percent(value: object, path: tuple) -> list[fe.FieldError]:
    """``ValidatePositiveIntOrPercent``."""
    if isinstance(value, str):
        return [fe.invalid(path, value, m) for m in names.is_valid_percent(value)]
    if is_int(value):
        return validate_nonnegative_field(value, path)
    return []


def get_percent_value(value: object) -> int | None:
    if isinstance(value, str) and not names.is_valid_percent(value):
        return int(value[:-1])
    return None


def get_int_or_percent_value(value: object) -> int:
    pct = get_percent_value(value)
    return pct if pct is not None else int_or_string_value(value)


def is_not_more_than_100_percent(value: object, path: tuple) -> list[fe.FieldError]:
    """``IsNotMoreThan100Percent``."""
    pct = get_percent_value(value)
    if pct is None or pct <= 100:
        return []
    return [fe.invalid(path, value, "must not be greater than 100%")]


# -- templates -------------------------------------------------------------------------------


def _template_labels(template: dict):
    return as_dict(template.get("metadata")).get("labels")


def validate_pod_template_spec_for_replica_set(
    template: object, selector, path: tuple
) -> list[fe.FieldError]:
    """``ValidatePodTemplateSpecForReplicaSet`` (used by Deployments and ReplicaSets)."""
    if not isinstance(template, dict):
        return [fe.required(path)]
    errs: list[fe.FieldError] = []
    labels = _template_labels(template)
    if not selector.empty() and not selector.matches(labels):
        errs.append(
            fe.invalid((*path, "metadata", "labels"), labels, "`selector` does not match template `labels`")
        )
    errs.extend(validate_pod_template_spec(template, path))
    errs.extend(_validate_template_restart_policy(template, path, "ReplicaSet"))
    return errs


def _validate_template_restart_policy(template: dict, path: tuple, kind: str) -> list[fe.FieldError]:
    spec = as_dict(template.get("spec"))
    errs: list[fe.FieldError] = []
    policy = as_str(spec.get("restartPolicy")) or "Always"
    if policy != "Always":
        errs.append(fe.not_supported((*path, "spec", "restartPolicy"), policy, ("Always",)))
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None:
        p = (*path, "spec", "activeDeadlineSeconds")
        if kind == "StatefulSet":
            errs.append(fe.forbidden(p, "activeDeadlineSeconds in StatefulSet is not Supported"))
        else:
            errs.append(fe.invalid(p, ads, f"activeDeadlineSeconds in {kind} is not Supported"))
    return errs


def _validate_selector(spec: dict, path: tuple, kind: str) -> tuple[object, list[fe.FieldError]]:
    """Selector required, valid and non-empty; returns the parsed selector (None when invalid)."""
    errs: list[fe.FieldError] = []
    selector = spec.get("selector")
    if selector is None:
        errs.append(fe.required((*path, "selector")))
    elif isinstance(selector, dict):
        errs.extend(meta.validate_label_selector(selector, (*path, "selector")))
        if not as_dict(selector.get("matchLabels")) and not selector.get("matchExpressions"):
            errs.append(
                fe.invalid(
                    (*path, "selector"),
                    label_selector_value(selector),
                    f"empty selector is invalid for {kind}",
                )
            )
    parsed = meta.label_selector_as_selector(selector)
    return parsed, errs


# -- Deployment ---------------------------------------------------------------------------------


def _strategy_value(strategy: dict) -> GoJSON:
    ru = strategy.get("rollingUpdate")
    rendered = None
    if isinstance(ru, dict):
        rendered = {"MaxUnavailable": ru.get("maxUnavailable", 0), "MaxSurge": ru.get("maxSurge", 0)}
    return GoJSON({"Type": as_str(strategy.get("type")), "RollingUpdate": rendered})


def validate_rolling_update_deployment(ru: dict, path: tuple) -> list[fe.FieldError]:
    """``ValidateRollingUpdateDeployment`` (absent fields defaulted to 25%)."""
    max_unavailable = ru.get("maxUnavailable", "25%")
    max_surge = ru.get("maxSurge", "25%")
    errs = validate_positive_int_or_percent(max_unavailable, (*path, "maxUnavailable"))
    errs.extend(validate_positive_int_or_percent(max_surge, (*path, "maxSurge")))
    if get_int_or_percent_value(max_unavailable) == 0 and get_int_or_percent_value(max_surge) == 0:
        errs.append(
            fe.invalid((*path, "maxUnavailable"), max_unavailable, "may not be 0 when `maxSurge` is 0")
        )
    errs.extend(is_not_more_than_100_percent(max_unavailable, (*path, "maxUnavailable")))
    return errs


def validate_deployment_strategy(strategy: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateDeploymentStrategy``."""
    strategy = as_dict(strategy)
    stype = as_str(strategy.get("type")) or "RollingUpdate"
    ru = strategy.get("rollingUpdate")
    if stype == "Recreate":
        if ru is not None:
            return [
                fe.forbidden(
                    (*path, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"
                )
            ]
        return []
    if stype == "RollingUpdate":
        return validate_rolling_update_deployment(as_dict(ru), (*path, "rollingUpdate"))
    return [fe.not_supported(path, _strategy_value(strategy), ("Recreate", "RollingUpdate"))]


def validate_deployment_spec(spec: object, path: tuple = ("spec",)) -> list[fe.FieldError]:
    """``ValidateDeploymentSpec``."""
    spec = as_dict(spec)
    replicas = spec.get("replicas", 1)
    errs = validate_nonnegative_field(replicas, (*path, "replicas"))
    selector, sel_errs = _validate_selector(spec, path, "deployment")
    errs.extend(sel_errs)
    if selector is None:
        errs.append(
            fe.invalid(
                (*path, "selector"), label_selector_value(spec.get("selector")), "invalid label selector"
            )
        )
    else:
        errs.extend(
            validate_pod_template_spec_for_replica_set(spec.get("template"), selector, (*path, "template"))
        )
    errs.extend(validate_deployment_strategy(spec.get("strategy"), (*path, "strategy")))
    min_ready = as_int(spec.get("minReadySeconds"), 0)
    errs.extend(validate_nonnegative_field(min_ready, (*path, "minReadySeconds")))
    errs.extend(validate_nonnegative_field(spec.get("revisionHistoryLimit"), (*path, "revisionHistoryLimit")))
    pds = spec.get("progressDeadlineSeconds", 600)
    if is_int(pds):
        errs.extend(validate_nonnegative_field(pds, (*path, "progressDeadlineSeconds")))
        if pds <= min_ready:
            errs.append(
                fe.invalid((*path, "progressDeadlineSeconds"), pds, "must be greater than minReadySeconds")
            )
    return errs


def validate_deployment(obj: dict) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_deployment_spec(obj.get("spec")))
    return errs


# -- ReplicaSet -----------------------------------------------------------------------------------


def validate_replica_set_spec(spec: object, path: tuple = ("spec",)) -> list[fe.FieldError]:
    """``ValidateReplicaSetSpec``."""
    spec = as_dict(spec)
    errs = validate_nonnegative_field(spec.get("replicas", 1), (*path, "replicas"))
    errs.extend(validate_nonnegative_field(spec.get("minReadySeconds"), (*path, "minReadySeconds")))
    selector, sel_errs = _validate_selector(spec, path, "deployment")
    errs.extend(sel_errs)
    if selector is None:
        errs.append(
            fe.invalid(
                (*path, "selector"), label_selector_value(spec.get("selector")), "invalid label selector"
            )
        )
    else:
        errs.extend(
            validate_pod_template_spec_for_replica_set(spec.get("template"), selector, (*path, "template"))
        )
    return errs


def validate_replica_set(obj: dict) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_replica_set_spec(obj.get("spec")))
    return errs


# -- StatefulSet ----------------------------------------------------------------------------------


def validate_stateful_set_spec(spec: object, path: tuple = ("spec",)) -> list[fe.FieldError]:
    """``ValidateStatefulSetSpec``."""
    spec = as_dict(spec)
    errs: list[fe.FieldError] = []
    policy = as_str(spec.get("podManagementPolicy")) or "OrderedReady"
    if policy not in ("OrderedReady", "Parallel"):
        errs.append(
            fe.invalid((*path, "podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'")
        )
    strategy = as_dict(spec.get("updateStrategy"))
    stype = as_str(strategy.get("type")) or "RollingUpdate"
    ru = strategy.get("rollingUpdate")
    if stype == "OnDelete":
        if ru is not None:
            errs.append(
                fe.invalid(
                    (*path, "updateStrategy", "rollingUpdate"),
                    GoJSON(ru),
                    "only allowed for updateStrategy 'RollingUpdate'",
                )
            )
    elif stype == "RollingUpdate":
        if isinstance(ru, dict):
            errs.extend(
                validate_nonnegative_field(
                    ru.get("partition"), (*path, "updateStrategy", "rollingUpdate", "partition")
                )
            )
    else:
        errs.append(
            fe.invalid(
                (*path, "updateStrategy"),
                GoJSON({"Type": stype, "RollingUpdate": ru}),
                "must be 'RollingUpdate' or 'OnDelete'",
            )
        )
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if isinstance(retention, dict):
        for key in ("whenDeleted", "whenScaled"):
            value = as_str(retention.get(key)) or "Retain"
            if value not in ("Retain", "Delete"):
                errs.append(
                    fe.not_supported(
                        (*path, "persistentVolumeClaimRetentionPolicy", key), value, ("Retain", "Delete")
                    )
                )
    ordinals = spec.get("ordinals")
    if isinstance(ordinals, dict):
        errs.extend(validate_nonnegative_field(ordinals.get("start"), (*path, "ordinals.start")))
    errs.extend(validate_nonnegative_field(spec.get("replicas", 1), (*path, "replicas")))
    errs.extend(validate_nonnegative_field(spec.get("minReadySeconds"), (*path, "minReadySeconds")))
    selector, sel_errs = _validate_selector(spec, path, "statefulset")
    errs.extend(sel_errs)
    template = as_dict(spec.get("template"))
    if selector is None:
        errs.append(fe.invalid((*path, "selector"), label_selector_value(spec.get("selector")), ""))
    else:
        labels = _template_labels(template)
        if not selector.empty() and not selector.matches(labels):
            errs.append(
                fe.invalid(
                    (*path, "template", "metadata", "labels"),
                    labels,
                    "`selector` does not match template `labels`",
                )
            )
        errs.extend(validate_pod_template_spec(template, (*path, "template")))
    errs.extend(_validate_template_restart_policy(template, (*path, "template"), "StatefulSet"))
    errs.extend(validate_nonnegative_field(spec.get("revisionHistoryLimit"), (*path, "revisionHistoryLimit")))
    return errs


def validate_stateful_set(obj: dict) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_stateful_set_spec(obj.get("spec")))
    return errs


# -- DaemonSet -------------------------------------------------------------------------------------


def validate_daemon_set_update_strategy(strategy: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateDaemonSetUpdateStrategy`` (+ ``ValidateRollingUpdateDaemonSet``)."""
    strategy = as_dict(strategy)
    stype = as_str(strategy.get("type")) or "RollingUpdate"
    if stype == "OnDelete":
        return []
    if stype != "RollingUpdate":
        return [
            fe.not_supported(
                path,
                GoJSON({"Type": stype, "RollingUpdate": strategy.get("rollingUpdate")}),
                ("RollingUpdate", "OnDelete"),
            )
        ]
    ru = as_dict(strategy.get("rollingUpdate"))
    p = (*path, "rollingUpdate")
    max_unavailable = ru.get("maxUnavailable", 1)
    max_surge = ru.get("maxSurge", 0)
    errs = validate_positive_int_or_percent(max_unavailable, (*p, "maxUnavailable"))
    errs.extend(validate_positive_int_or_percent(max_surge, (*p, "maxSurge")))
    errs.extend(is_not_more_than_100_percent(max_unavailable, (*p, "maxUnavailable")))
    errs.extend(is_not_more_than_100_percent(max_surge, (*p, "maxSurge")))
    has_unavailable = get_int_or_percent_value(max_unavailable) != 0
    has_surge = get_int_or_percent_value(max_surge) != 0
    if has_unavailable and has_surge:
        errs.append(fe.invalid((*p, "maxSurge"), max_surge, "may not be set when maxUnavailable is non-zero"))
    elif not has_unavailable and not has_surge:
        errs.append(fe.required((*p, "maxUnavailable"), "cannot be 0 when maxSurge is 0"))
    return errs


def validate_daemon_set_spec(spec: object, path: tuple = ("spec",)) -> list[fe.FieldError]:
    """``ValidateDaemonSetSpec``."""
    spec = as_dict(spec)
    errs = meta.validate_label_selector(spec.get("selector"), (*path, "selector"))
    template = as_dict(spec.get("template"))
    selector = meta.label_selector_as_selector(spec.get("selector"))
    labels = _template_labels(template)
    if selector is not None and not selector.matches(labels):
        errs.append(
            fe.invalid(
                (*path, "template", "metadata", "labels"),
                labels,
                "`selector` does not match template `labels`",
            )
        )
    sel = spec.get("selector")
    if isinstance(sel, dict) and not as_dict(sel.get("matchLabels")) and not sel.get("matchExpressions"):
        errs.append(
            fe.invalid(
                (*path, "selector"), label_selector_value(sel), "empty selector is invalid for daemonset"
            )
        )
    errs.extend(validate_pod_template_spec(template, (*path, "template")))
    errs.extend(_validate_template_restart_policy(template, (*path, "template"), "DaemonSet"))
    errs.extend(validate_nonnegative_field(spec.get("minReadySeconds"), (*path, "minReadySeconds")))
    errs.extend(validate_nonnegative_field(spec.get("templateGeneration"), (*path, "templateGeneration")))
    errs.extend(validate_daemon_set_update_strategy(spec.get("updateStrategy"), (*path, "updateStrategy")))
    errs.extend(validate_nonnegative_field(spec.get("revisionHistoryLimit"), (*path, "revisionHistoryLimit")))
    return errs


def validate_daemon_set(obj: dict) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_daemon_set_spec(obj.get("spec")))
    return errs
