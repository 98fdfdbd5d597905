"""HorizontalPodAutoscaler (autoscaling/v2 and v1), VerticalPodAutoscaler, PodDisruptionBudget.

kubectl has no VPA describer (it falls back to the generic one); kctl prints a readable
layout in the same idiom: target, update policy, resource policy and a per-container
recommendation table.
"""

from __future__ import annotations

from datetime import datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    describe_events,
    format_label_selector,
    go_quote,
    go_string_list,
    intstr,
    meta,
    rfc1123z,
    write_conditions,
    write_labels_annotations,
    write_name_namespace,
)
from kctl.printers.describe.quantity import quantity_string
from kctl.printers.describe.tabwriter import PrefixWriter


def _q(value: object) -> str:
    """``Quantity.String()`` of an optional quantity (a nil pointer prints ``<nil>``)."""
    return "<nil>" if value is None else quantity_string(value)


def _current(hpa: dict, i: int, source: str) -> dict | None:
    current = (hpa.get("status") or {}).get("currentMetrics") or []
    if len(current) > i and current[i].get(source) is not None:
        return current[i][source].get("current") or {}
    return None


def _metric_lines(hpa: dict, w: PrefixWriter) -> None:
    for i, metric in enumerate((hpa.get("spec") or {}).get("metrics") or []):
        mtype = metric.get("type", "")
        if mtype == "External":
            ext = metric.get("external") or {}
            name, target = (ext.get("metric") or {}).get("name", ""), ext.get("target") or {}
            cur = _current(hpa, i, "external")
            if target.get("averageValue") is not None:
                current = (
                    _q(cur.get("averageValue"))
                    if cur and cur.get("averageValue") is not None
                    else "<unknown>"
                )
                w.write(
                    LEVEL_1,
                    f"{go_quote(name)} (target average value):\t{current} / {_q(target['averageValue'])}\n",
                )
            else:
                current = _q(cur.get("value")) if cur is not None else "<unknown>"
                w.write(LEVEL_1, f"{go_quote(name)} (target value):\t{current} / {_q(target.get('value'))}\n")
        elif mtype == "Pods":
            pods = metric.get("pods") or {}
            cur = _current(hpa, i, "pods")
            current = _q(cur.get("averageValue")) if cur is not None else "<unknown>"
            target = (pods.get("target") or {}).get("averageValue")
            name = (pods.get("metric") or {}).get("name", "")
            w.write(LEVEL_1, f"{go_quote(name)} on pods:\t{current} / {_q(target)}\n")
        elif mtype == "Object":
            obj = metric.get("object") or {}
            described, target = obj.get("describedObject") or {}, obj.get("target") or {}
            name = (obj.get("metric") or {}).get("name", "")
            w.write(LEVEL_1, f'"{name}" on {described.get("kind", "")}/{described.get("name", "")} ')
            cur = _current(hpa, i, "object")
            if target.get("type") == "AverageValue":
                current = _q(cur.get("averageValue")) if cur is not None else "<unknown>"
                w.write(LEVEL_0, f"(target average value):\t{current} / {_q(target.get('averageValue'))}\n")
            else:
                current = _q(cur.get("value")) if cur is not None else "<unknown>"
                w.write(LEVEL_0, f"(target value):\t{current} / {_q(target.get('value'))}\n")
        elif mtype in ("Resource", "ContainerResource"):
            key = "resource" if mtype == "Resource" else "containerResource"
            res = metric.get(key) or {}
            target = res.get("target") or {}
            if mtype == "Resource":
                w.write(LEVEL_1, f"resource {res.get('name', '')} on pods")
            else:
                w.write(
                    LEVEL_1,
                    f'resource {res.get("name", "")} of container "{res.get("container", "")}" on pods',
                )
            cur = _current(hpa, i, key)
            if target.get("averageValue") is not None:
                current = _q(cur.get("averageValue")) if cur is not None else "<unknown>"
                w.write(LEVEL_0, f":\t{current} / {_q(target['averageValue'])}\n")
            else:
                current = "<unknown>"
                if cur is not None and cur.get("averageUtilization") is not None:
                    current = f"{cur['averageUtilization']}% ({_q(cur.get('averageValue'))})"
                util = target.get("averageUtilization")
                target_text = f"{util}%" if util is not None else "<auto>"
                w.write(LEVEL_1, f"(as a percentage of request):\t{current} / {target_text}\n")
        else:
            w.write(LEVEL_1, f"<unknown metric type {go_quote(mtype)}>\n")


def _direction_behavior(w: PrefixWriter, direction: str, rules: dict | None) -> None:
    if rules is None:
        return
    w.write(LEVEL_1, f"{direction}:\n")
    if rules.get("stabilizationWindowSeconds") is not None:
        w.write(LEVEL_2, f"Stabilization Window: {rules['stabilizationWindowSeconds']} seconds\n")
    if rules.get("policies"):
        w.write(LEVEL_2, f"Select Policy: {rules.get('selectPolicy') or 'Max'}\n")
        w.write(LEVEL_2, "Policies:\n")
        for p in rules["policies"]:
            w.write(
                LEVEL_3,
                f"- Type: {p.get('type', '')}\tValue: {p.get('value', 0)}\tPeriod: {p.get('periodSeconds', 0)} seconds\n",
            )


def describe_hpa(hpa: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    """``describeHorizontalPodAutoscalerV2`` (``V1`` for autoscaling/v1 objects)."""
    m, spec, status = meta(hpa), hpa.get("spec") or {}, hpa.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    kind = related.get("targetKind") or ref.get("kind", "")
    write_name_namespace(w, hpa)
    write_labels_annotations(w, hpa)
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'), now)}\n")
    w.write(LEVEL_0, f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    v1 = hpa.get("apiVersion") == "autoscaling/v1"
    if v1:
        if spec.get("targetCPUUtilizationPercentage") is not None:
            w.write(LEVEL_0, f"Target CPU utilization:\t{spec['targetCPUUtilizationPercentage']}%\n")
            current = status.get("currentCPUUtilizationPercentage")
            w.write(LEVEL_0, f"Current CPU utilization:\t{'<unknown>' if current is None else current}%\n")
    else:
        w.write(LEVEL_0, "Metrics:\t( current / target )\n")
        _metric_lines(hpa, w)
    min_replicas = spec.get("minReplicas")
    w.write(LEVEL_0, f"Min replicas:\t{'<unset>' if min_replicas is None else min_replicas}\n")
    w.write(LEVEL_0, f"Max replicas:\t{spec.get('maxReplicas', 0)}\n")
    if not v1 and spec.get("behavior") is not None:
        w.write(LEVEL_0, "Behavior:\n")
        _direction_behavior(w, "Scale Up", spec["behavior"].get("scaleUp"))
        _direction_behavior(w, "Scale Down", spec["behavior"].get("scaleDown"))
    w.write(LEVEL_0, f"{kind} pods:\t")
    w.write(
        LEVEL_0, f"{status.get('currentReplicas', 0)} current / {status.get('desiredReplicas', 0)} desired\n"
    )
    if not v1 and status.get("conditions"):
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('reason', '')}\t{c.get('message', '')}\n",
            )
    describe_events(hpa, events, w, now)


# --- VPA ------------------------------------------------------------------------------------

_BOUNDS = (
    ("lowerBound", "Lower Bound"),
    ("target", "Target"),
    ("upperBound", "Upper Bound"),
    ("uncappedTarget", "Uncapped Target"),
)


def describe_vpa(vpa: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    m, spec, status = meta(vpa), vpa.get("spec") or {}, vpa.get("status") or {}
    write_name_namespace(w, vpa)
    write_labels_annotations(w, vpa)
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'), now)}\n")
    ref = spec.get("targetRef") or {}
    w.write(LEVEL_0, f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    policy = spec.get("updatePolicy") or {}
    w.write(LEVEL_0, f"Update Mode:\t{policy.get('updateMode') or '<unset>'}\n")
    if policy.get("minReplicas") is not None:
        w.write(LEVEL_0, f"Min Replicas:\t{policy['minReplicas']}\n")
    container_policies = (spec.get("resourcePolicy") or {}).get("containerPolicies") or []
    if container_policies:
        w.write(LEVEL_0, "Resource Policy:\n")
        for cp in container_policies:
            w.write(LEVEL_1, f"{cp.get('containerName', '')}:\n")
            if cp.get("mode"):
                w.write(LEVEL_2, f"Mode:\t{cp['mode']}\n")
            for title, key in (("Min Allowed", "minAllowed"), ("Max Allowed", "maxAllowed")):
                rl = cp.get(key) or {}
                if rl:
                    text = ", ".join(f"{k}: {quantity_string(rl[k])}" for k in sorted(rl))
                    w.write(LEVEL_2, f"{title}:\t{text}\n")
            if cp.get("controlledResources") is not None:
                w.write(LEVEL_2, f"Controlled Resources:\t{go_string_list(cp['controlledResources'])}\n")
            if cp.get("controlledValues"):
                w.write(LEVEL_2, f"Controlled Values:\t{cp['controlledValues']}\n")
    recs = (status.get("recommendation") or {}).get("containerRecommendations") or []
    if not recs:
        w.write(LEVEL_0, "Recommendation:\t<none>\n")
    else:
        w.write(LEVEL_0, "Recommendation:\n")
        w.write(LEVEL_1, "Container\tResource\t" + "\t".join(t for _, t in _BOUNDS) + "\n")
        w.write(LEVEL_1, "---------\t--------\t" + "\t".join("-" * len(t) for _, t in _BOUNDS) + "\n")
        for rec in recs:
            resources = sorted(set().union(*((rec.get(k) or {}) for k, _ in _BOUNDS)))
            for j, rname in enumerate(resources):
                cells = [
                    quantity_string((rec.get(k) or {})[rname]) if rname in (rec.get(k) or {}) else "-"
                    for k, _ in _BOUNDS
                ]
                cname = rec.get("containerName", "") if j == 0 else ""
                w.write(LEVEL_1, f"{cname}\t{rname}\t" + "\t".join(cells) + "\n")
    write_conditions(w, status.get("conditions"), now)
    describe_events(vpa, events, w, now)


# --- PodDisruptionBudget -------------------------------------------------------------------


def describe_pdb(pdb: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    spec, status = pdb.get("spec") or {}, pdb.get("status") or {}
    write_name_namespace(w, pdb)
    if spec.get("minAvailable") is not None:
        w.write(LEVEL_0, f"Min available:\t{intstr(spec['minAvailable'])}\n")
    elif spec.get("maxUnavailable") is not None:
        w.write(LEVEL_0, f"Max unavailable:\t{intstr(spec['maxUnavailable'])}\n")
    if spec.get("selector") is not None:
        w.write(LEVEL_0, f"Selector:\t{format_label_selector(spec['selector'])}\n")
    else:
        w.write(LEVEL_0, "Selector:\t<unset>\n")
    w.write(LEVEL_0, "Status:\n")
    w.write(LEVEL_2, f"Allowed disruptions:\t{status.get('disruptionsAllowed', 0)}\n")
    w.write(LEVEL_2, f"Current:\t{status.get('currentHealthy', 0)}\n")
    w.write(LEVEL_2, f"Desired:\t{status.get('desiredHealthy', 0)}\n")
    w.write(LEVEL_2, f"Total:\t{status.get('expectedPods', 0)}\n")
    describe_events(pdb, events, w, now)
