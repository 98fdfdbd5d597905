"""autoscaling/v1 -> autoscaling/v2 HorizontalPodAutoscaler conversion
(pkg/apis/autoscaling/v1/conversion.go), as the API server decodes a v1 request body.

- ``spec.targetCPUUtilizationPercentage`` -> a Resource cpu metric with an
  ``averageUtilization`` target;
- the round-trip annotations v1 clients carry: ``autoscaling.alpha.kubernetes.io/metrics``
  (v1 ``MetricSpec`` list, the old v2beta1 shape) become the metrics in front of the cpu one,
  ``autoscaling.alpha.kubernetes.io/behavior`` becomes ``spec.behavior``; all four
  round-trip annotations are dropped;
- status: ``currentCPUUtilizationPercentage`` -> a Resource cpu current metric.
"""

from __future__ import annotations

import copy
import json

METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
ROUND_TRIP_ANNOTATIONS = (METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION)


def _target(utilization=None, average_value=None, value=None) -> dict:
    if utilization is not None:
        return {"type": "Utilization", "averageUtilization": utilization}
    if average_value is not None:
        return {"type": "AverageValue", "averageValue": average_value}
    return {"type": "Value", "value": value}


def _metric_v1_to_v2(m: dict) -> dict:
    """A v1 (v2beta1-shaped) MetricSpec in the v2 shape."""
    kind = m.get("type")
    if kind == "Resource":
        r = m.get("resource") or {}
        return {"type": kind, "resource": {"name": r.get("name", ""), "target": _target(
            r.get("targetAverageUtilization"), r.get("targetAverageValue"))}}
    if kind == "ContainerResource":
        r = m.get("containerResource") or {}
        return {"type": kind, "containerResource": {"name": r.get("name", ""), "container": r.get("container", ""),
                                                    "target": _target(r.get("targetAverageUtilization"),
                                                                      r.get("targetAverageValue"))}}
    if kind == "Pods":
        p = m.get("pods") or {}
        metric = {"name": p.get("metricName", "")}
        if p.get("selector") is not None:
            metric["selector"] = p["selector"]
        return {"type": kind, "pods": {"metric": metric, "target": _target(average_value=p.get("targetAverageValue"))}}
    if kind == "Object":
        o = m.get("object") or {}
        metric = {"name": o.get("metricName", "")}
        if o.get("selector") is not None:
            metric["selector"] = o["selector"]
        target = _target(average_value=o.get("averageValue")) if o.get("averageValue") is not None else \
            _target(value=o.get("targetValue"))
        return {"type": kind, "object": {"describedObject": o.get("target") or {}, "metric": metric, "target": target}}
    if kind == "External":
        e = m.get("external") or {}
        metric = {"name": e.get("metricName", "")}
        if e.get("metricSelector") is not None:
            metric["selector"] = e["metricSelector"]
        target = _target(average_value=e.get("targetAverageValue")) if e.get("targetAverageValue") is not None else \
            _target(value=e.get("targetValue"))
        return {"type": kind, "external": {"metric": metric, "target": target}}
    return {"type": kind}


def convert_v1_to_v2(obj: dict) -> dict:
    """A new autoscaling/v2 object for an autoscaling/v1 HPA (``obj`` is not modified)."""
    out = copy.deepcopy(obj)
    convert_v1_to_v2_in_place(out)
    return out


def convert_v1_to_v2_in_place(obj: dict) -> None:
    """The same conversion, changing ``obj`` itself (its metadata dict stays the same
    object: the API server holds on to it while it decodes a request)."""
    obj["apiVersion"] = "autoscaling/v2"
    meta = obj.get("metadata")
    annotations = dict((meta or {}).get("annotations") or {}) if isinstance(meta, dict) else {}
    spec = obj.get("spec")
    if isinstance(spec, dict):
        cpu = spec.pop("targetCPUUtilizationPercentage", None)
        metrics = []
        other = annotations.get(METRICS_ANNOTATION)
        if other:
            try:
                metrics = [_metric_v1_to_v2(m) for m in json.loads(other) if isinstance(m, dict)]
            except (ValueError, TypeError):
                metrics = []
        if cpu is not None:
            metrics.append({"type": "Resource", "resource": {"name": "cpu", "target": _target(cpu)}})
        if metrics:
            spec["metrics"] = metrics
        raw_behavior = annotations.get(BEHAVIOR_ANNOTATION)
        if raw_behavior:
            try:
                behavior = json.loads(raw_behavior)
                if isinstance(behavior, dict):
                    spec["behavior"] = behavior
            except ValueError:
                pass
    status = obj.get("status")
    if isinstance(status, dict):
        current = status.pop("currentCPUUtilizationPercentage", None)
        if current is not None:
            status["currentMetrics"] = [{"type": "Resource", "resource": {
                "name": "cpu", "current": {"averageUtilization": current}}}]
    if isinstance(meta, dict) and meta.get("annotations") is not None:
        for key in ROUND_TRIP_ANNOTATIONS:
            annotations.pop(key, None)
        meta["annotations"] = annotations
