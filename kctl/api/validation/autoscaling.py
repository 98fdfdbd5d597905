"""HorizontalPodAutoscaler (pkg/apis/autoscaling/validation) and VerticalPodAutoscaler
(the VPA admission controller's ``ValidateVPA``).

HPA autoscaling/v1 objects are converted to the v2 shape first, as the API
server validates the internal (v2-like) object: ``targetCPUUtilizationPercentage``
becomes ``metrics[0].resource.target.averageUtilization``. Defaults: ``minReplicas``
1; with no metrics, CPU at 80%; ``behavior`` rules get their default policies
when ``policies`` is absent.
"""

from __future__ import annotations

from kctl.api import field as fe
from kctl.api.quantity import QuantityError, parse_quantity
from kctl.api.validation import meta, names
from kctl.api.validation.pod import parse_quantity_field, validate_container_resource_name
from kctl.api.validation.util import Key, as_dict, as_int, as_list, as_str, is_int

MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600
METRIC_SOURCE_TYPES = ("ContainerResource", "External", "Object", "Pods", "Resource")
SELECT_POLICIES = ("Disabled", "Max", "Min")
SCALING_POLICY_TYPES = ("Percent", "Pods")
_SOURCE_FIELDS = (
    ("Object", "object"),
    ("External", "external"),
    ("Pods", "pods"),
    ("Resource", "resource"),
    ("ContainerResource", "containerResource"),
)


def validate_cross_version_object_reference(ref: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateCrossVersionObjectReference``."""
    ref = as_dict(ref)
    errs: list[fe.FieldError] = []
    for key in ("kind", "name"):
        value = as_str(ref.get(key))
        if not value:
            errs.append(fe.required((*path, key)))
        else:
            errs.extend(fe.invalid((*path, key), value, m) for m in names.is_valid_path_segment_name(value))
    return errs


def _quantity(target: dict, key: str, path: tuple, errs: list):
    raw = target.get(key)
    if raw is None:
        return None
    return parse_quantity_field(raw, (*path, key), errs)


def validate_metric_target(target: object, path: tuple) -> list[fe.FieldError]:
    """``validateMetricTarget``."""
    target = as_dict(target)
    errs: list[fe.FieldError] = []
    ttype = as_str(target.get("type"))
    if not ttype:
        errs.append(fe.required((*path, "type"), "must specify a metric target type"))
    if ttype not in ("Utilization", "Value", "AverageValue"):
        errs.append(fe.invalid((*path, "type"), ttype, "must be either Utilization, Value, or AverageValue"))
    for key in ("value", "averageValue"):
        q = _quantity(target, key, path, errs)
        if q is not None and q.sign() != 1:
            errs.append(fe.invalid((*path, key), str(q), "must be positive"))
    util = target.get("averageUtilization")
    if is_int(util) and util < 1:
        errs.append(fe.invalid((*path, "averageUtilization"), util, "must be greater than 0"))
    return errs


def validate_metric_identifier(ident: object, path: tuple) -> list[fe.FieldError]:
    name = as_str(as_dict(ident).get("name"))
    if not name:
        return [fe.required((*path, "name"), "must specify a metric name")]
    errs = [fe.invalid((*path, "name"), name, m) for m in names.is_valid_path_segment_name(name)]
    selector = as_dict(ident).get("selector")
    if selector is not None:
        errs.extend(meta.validate_label_selector(selector, (*path, "selector")))
    return errs


def _validate_source(kind: str, src: dict, path: tuple) -> list[fe.FieldError]:
    errs: list[fe.FieldError] = []
    target = as_dict(src.get("target"))
    tp = (*path, "target")
    if kind == "object":
        errs.extend(
            validate_cross_version_object_reference(src.get("describedObject"), (*path, "describedObject"))
        )
        errs.extend(validate_metric_identifier(src.get("metric"), (*path, "metric")))
        errs.extend(validate_metric_target(target, tp))
        if target.get("value") is None and target.get("averageValue") is None:
            errs.append(fe.required((*tp, "averageValue"), "must set either a target value or averageValue"))
    elif kind == "external":
        errs.extend(validate_metric_identifier(src.get("metric"), (*path, "metric")))
        errs.extend(validate_metric_target(target, tp))
        if target.get("value") is None and target.get("averageValue") is None:
            errs.append(
                fe.required(
                    (*tp, "averageValue"), "must set either a target value for metric or a per-pod target"
                )
            )
        if target.get("value") is not None and target.get("averageValue") is not None:
            errs.append(
                fe.forbidden(
                    (*tp, "value"), "may not set both a target value for metric and a per-pod target"
                )
            )
    elif kind == "pods":
        errs.extend(validate_metric_identifier(src.get("metric"), (*path, "metric")))
        errs.extend(validate_metric_target(target, tp))
        if target.get("averageValue") is None:
            errs.append(fe.required((*tp, "averageValue"), "must specify a positive target averageValue"))
    else:  # resource / containerResource
        name = as_str(src.get("name"))
        if not name:
            errs.append(fe.required((*path, "name"), "must specify a resource name"))
        elif kind == "containerResource":
            errs.extend(validate_container_resource_name(name, (*path, "name")))
        if kind == "containerResource":
            container = as_str(src.get("container"))
            if not container:
                errs.append(fe.required((*path, "container"), "must specify a container"))
            else:
                errs.extend(
                    fe.invalid((*path, "container"), container, m) for m in names.is_dns1123_label(container)
                )
        errs.extend(validate_metric_target(target, tp))
        if target.get("averageUtilization") is None and target.get("averageValue") is None:
            errs.append(
                fe.required(
                    (*tp, "averageUtilization"), "must set either a target raw value or a target utilization"
                )
            )
        if target.get("averageUtilization") is not None and target.get("averageValue") is not None:
            errs.append(
                fe.forbidden(
                    (*tp, "averageValue"), "may not set both a target raw value and a target utilization"
                )
            )
    return errs


def validate_metric_spec(spec: object, path: tuple) -> list[fe.FieldError]:
    """``validateMetricSpec``: the source named by ``type`` is set, and only that one."""
    spec = as_dict(spec)
    errs: list[fe.FieldError] = []
    mtype = as_str(spec.get("type"))
    if not mtype:
        errs.append(fe.required((*path, "type"), "must specify a metric source type"))
    if mtype not in METRIC_SOURCE_TYPES:
        errs.append(fe.not_supported((*path, "type"), mtype, METRIC_SOURCE_TYPES))
    present = []
    for _, key in _SOURCE_FIELDS:
        if spec.get(key) is not None:
            present.append(key)
            if len(present) == 1:
                errs.extend(_validate_source(key, as_dict(spec.get(key)), (*path, key)))
    expected = dict(_SOURCE_FIELDS).get(mtype, "")
    if expected:
        if spec.get(expected) is None:
            errs.append(
                fe.required((*path, expected), "must populate information for the given metric source")
            )
    elif mtype:
        errs.append(fe.not_supported((*path, "type"), mtype, METRIC_SOURCE_TYPES))
    if len(present) != 1:
        for key in sorted(k for k in present if k != expected):
            errs.append(fe.forbidden((*path, key), "must populate the given metric source only"))
    return errs


def validate_scaling_rules(rules: object, path: tuple) -> list[fe.FieldError]:
    """``validateScalingRules`` (policies absent = defaulted)."""
    if not isinstance(rules, dict):
        return []
    errs: list[fe.FieldError] = []
    window = rules.get("stabilizationWindowSeconds")
    if is_int(window) and window < 0:
        errs.append(
            fe.invalid((*path, "stabilizationWindowSeconds"), window, "must be greater than or equal to zero")
        )
    if is_int(window) and window > MAX_STABILIZATION_WINDOW_SECONDS:
        errs.append(
            fe.invalid(
                (*path, "stabilizationWindowSeconds"),
                window,
                f"must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}",
            )
        )
    select = rules.get("selectPolicy")
    if isinstance(select, str) and select not in SELECT_POLICIES:
        errs.append(fe.not_supported((*path, "selectPolicy"), select, SELECT_POLICIES))
    if "policies" in rules and rules.get("policies") is not None:
        policies = as_list(rules.get("policies"))
        if not policies:
            errs.append(fe.required((*path, "policies"), "must specify at least one Policy"))
        for i, policy in enumerate(policies):
            policy = as_dict(policy)
            pp = (*path, "policies", i)
            ptype = as_str(policy.get("type"))
            if ptype not in SCALING_POLICY_TYPES:
                errs.append(fe.not_supported((*pp, "type"), ptype, SCALING_POLICY_TYPES))
            value = as_int(policy.get("value"), 0)
            if value <= 0:
                errs.append(fe.invalid((*pp, "value"), value, "must be greater than zero"))
            period = as_int(policy.get("periodSeconds"), 0)
            if period <= 0:
                errs.append(fe.invalid((*pp, "periodSeconds"), period, "must be greater than zero"))
            if period > MAX_PERIOD_SECONDS:
                errs.append(
                    fe.invalid(
                        (*pp, "periodSeconds"), period, f"must be less than or equal to {MAX_PERIOD_SECONDS}"
                    )
                )
    return errs


def to_v2_spec(spec: dict) -> dict:
    """An autoscaling/v1 HPA spec in the v2 shape (as conversion to the internal type does)."""
    out = {k: v for k, v in spec.items() if k != "targetCPUUtilizationPercentage"}
    util = spec.get("targetCPUUtilizationPercentage")
    if util is not None:
        out["metrics"] = [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": util}},
            }
        ]
    return out


def validate_horizontal_pod_autoscaler_spec(spec: object, path: tuple) -> list[fe.FieldError]:
    """``validateHorizontalPodAutoscalerSpec`` (HPAScaleToZero off: minReplicas >= 1)."""
    spec = as_dict(spec)
    errs: list[fe.FieldError] = []
    min_replicas = as_int(spec.get("minReplicas"), 1)
    max_replicas = as_int(spec.get("maxReplicas"), 0)
    if min_replicas < 1:
        errs.append(fe.invalid((*path, "minReplicas"), min_replicas, "must be greater than or equal to 1"))
    if max_replicas < 1:
        errs.append(fe.invalid((*path, "maxReplicas"), max_replicas, "must be greater than 0"))
    if max_replicas < min_replicas:
        errs.append(
            fe.invalid((*path, "maxReplicas"), max_replicas, "must be greater than or equal to `minReplicas`")
        )
    errs.extend(
        validate_cross_version_object_reference(spec.get("scaleTargetRef"), (*path, "scaleTargetRef"))
    )
    for i, metric in enumerate(as_list(spec.get("metrics"))):
        errs.extend(validate_metric_spec(metric, (*path, "metrics", i)))
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        errs.extend(validate_scaling_rules(behavior.get("scaleUp"), (*path, "behavior", "scaleUp")))
        errs.extend(validate_scaling_rules(behavior.get("scaleDown"), (*path, "behavior", "scaleDown")))
    return errs


def validate_horizontal_pod_autoscaler(obj: dict) -> list[fe.FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    spec = as_dict(obj.get("spec"))
    if as_str(obj.get("apiVersion")) == "autoscaling/v1":
        spec = to_v2_spec(spec)
    errs.extend(validate_horizontal_pod_autoscaler_spec(spec, ("spec",)))
    return errs


# -- VerticalPodAutoscaler (admission webhook rules) ---------------------------------------------

VPA_UPDATE_MODES = ("Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto")
VPA_SCALING_MODES = ("Auto", "Off")
VPA_CONTROLLED_VALUES = ("RequestsAndLimits", "RequestsOnly")


def validate_vertical_pod_autoscaler(obj: dict) -> list[fe.FieldError]:
    """The VPA admission controller's ``ValidateVPA`` on create, one field error per finding."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    spec = as_dict(obj.get("spec"))
    policy = spec.get("updatePolicy")
    if isinstance(policy, dict):
        mode = policy.get("updateMode")
        if mode is not None and mode not in VPA_UPDATE_MODES:
            errs.append(
                fe.invalid(
                    ("spec", "updatePolicy", "updateMode"), mode, f"unexpected UpdateMode value {mode}"
                )
            )
        min_replicas = policy.get("minReplicas")
        if is_int(min_replicas) and min_replicas <= 0:
            errs.append(
                fe.invalid(
                    ("spec", "updatePolicy", "minReplicas"),
                    min_replicas,
                    f"MinReplicas has to be positive, got {min_replicas}",
                )
            )
    for i, cp in enumerate(as_list(as_dict(spec.get("resourcePolicy")).get("containerPolicies"))):
        cp = as_dict(cp)
        p = ("spec", "resourcePolicy", "containerPolicies", i)
        if not as_str(cp.get("containerName")):
            errs.append(fe.required((*p, "containerName"), "ContainerPolicies.ContainerName is required"))
        mode = cp.get("mode")
        if mode is not None and mode not in VPA_SCALING_MODES:
            errs.append(fe.invalid((*p, "mode"), mode, f"unexpected Mode value {mode}"))
        mins = {}
        for kind in ("minAllowed", "maxAllowed"):
            for res, raw in as_dict(cp.get(kind)).items():
                qp = (*p, kind, Key(str(res)))
                try:
                    q = parse_quantity(raw)
                except QuantityError as exc:
                    errs.append(fe.invalid(qp, raw, str(exc)))
                    continue
                label = "MinAllowed" if kind == "minAllowed" else "MaxAllowed"
                if res == "cpu" and q.milli_value() * 10**6 != q.nanos:
                    errs.append(
                        fe.invalid(qp, str(q), f"{label}: CPU [{q}] must be a whole number of milli CPUs")
                    )
                elif res == "memory" and q.milli_value() % 1000:
                    errs.append(
                        fe.invalid(qp, str(q), f"{label}: Memory [{q}] must be a whole number of bytes")
                    )
                if kind == "minAllowed":
                    mins[res] = q
                elif res in mins and q < mins[res]:
                    errs.append(fe.invalid(qp, str(q), f"max resource for {res} is lower than min"))
        controlled = cp.get("controlledValues")
        if controlled is not None and controlled not in VPA_CONTROLLED_VALUES:
            errs.append(fe.not_supported((*p, "controlledValues"), controlled, VPA_CONTROLLED_VALUES))
        if mode == "Off" and controlled == "RequestsAndLimits":
            errs.append(
                fe.invalid(
                    (*p, "controlledValues"),
                    controlled,
                    "ControlledValues shouldn't be specified if container scaling mode is off.",
                )
            )
    if spec.get("targetRef") is None:
        errs.append(
            fe.required(
                ("spec", "targetRef"),
                "TargetRef is required. If you're using v1beta1 version of the API, please migrate to v1",
            )
        )
    return errs
