"""HorizontalPodAutoscaler (printHorizontalPodAutoscaler/formatHPAMetrics upstream),
VerticalPodAutoscaler (the VPA CRD's additionalPrinterColumns) and kctl's NodeGroup."""

from __future__ import annotations

from datetime import datetime

from . import AGE, NAME, Column, register
from .common import age, name, quantity_string


def _q(value) -> str:
    """(*resource.Quantity).String(); a nil quantity prints ``<nil>``."""
    if value is None:
        return "<nil>"
    return quantity_string(value)


def _v1_to_v2(hpa: dict) -> tuple[list, list]:
    """autoscaling/v1 targetCPUUtilizationPercentage -> one Resource cpu metric."""
    spec = hpa.get("spec") or {}
    status = hpa.get("status") or {}
    specs, statuses = [], []
    if spec.get("targetCPUUtilizationPercentage") is not None:
        specs.append({"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization",
                                      "averageUtilization": spec["targetCPUUtilizationPercentage"]}}})
        if status.get("currentCPUUtilizationPercentage") is not None:
            statuses.append({"type": "Resource", "resource": {
                "name": "cpu", "current": {"averageUtilization": status["currentCPUUtilizationPercentage"]}}})
    return specs, statuses


def format_hpa_metrics(specs: list | None, statuses: list | None) -> str:
    """TARGETS: ``cpu: 45%/70%``, ``memory: 200Mi/500Mi``, ``<cur>/<target>``,
    ``<cur>/<target> (avg)``; ``<unknown>`` current; max 2 then `` + N more...``."""
    specs = specs or []
    statuses = statuses or []
    if not specs:
        return "<none>"
    out: list[str] = []
    for i, spec in enumerate(specs):
        st = statuses[i] if len(statuses) > i else {}
        mtype = spec.get("type")
        if mtype == "External":
            target = (spec.get("external") or {}).get("target") or {}
            cur = (st.get("external") or {}).get("current") if st.get("external") is not None else None
            if target.get("averageValue") is not None:
                current = _q(cur.get("averageValue")) if cur and cur.get("averageValue") is not None else "<unknown>"
                out.append(f"{current}/{_q(target['averageValue'])} (avg)")
            else:
                current = _q((cur or {}).get("value")) if st.get("external") is not None else "<unknown>"
                out.append(f"{current}/{_q(target.get('value'))}")
        elif mtype == "Pods":
            target = (spec.get("pods") or {}).get("target") or {}
            current = "<unknown>"
            if st.get("pods") is not None:
                current = _q(((st["pods"] or {}).get("current") or {}).get("averageValue"))
            out.append(f"{current}/{_q(target.get('averageValue'))}")
        elif mtype == "Object":
            target = (spec.get("object") or {}).get("target") or {}
            cur = ((st.get("object") or {}).get("current") or {}) if st.get("object") is not None else None
            if target.get("averageValue") is not None:
                current = _q(cur["averageValue"]) if cur and cur.get("averageValue") is not None else "<unknown>"
                out.append(f"{current}/{_q(target['averageValue'])} (avg)")
            else:
                current = _q(cur.get("value")) if cur is not None else "<unknown>"
                out.append(f"{current}/{_q(target.get('value'))}")
        elif mtype in ("Resource", "ContainerResource"):
            field = "resource" if mtype == "Resource" else "containerResource"
            source = spec.get(field) or {}
            target = source.get("target") or {}
            res_name = source.get("name", "")
            cur = ((st.get(field) or {}).get("current") or {}) if st.get(field) is not None else None
            if target.get("averageValue") is not None:
                current = _q(cur.get("averageValue")) if cur is not None else "<unknown>"
                out.append(f"{res_name}: {current}/{_q(target['averageValue'])}")
            else:
                current = "<unknown>"
                if cur is not None and cur.get("averageUtilization") is not None:
                    current = f"{int(cur['averageUtilization'])}%"
                tgt = "<auto>"
                if target.get("averageUtilization") is not None:
                    tgt = f"{int(target['averageUtilization'])}%"
                out.append(f"{res_name}: {current}/{tgt}")
        else:
            out.append("<unknown type>")
    if len(out) > 2:
        return f"{', '.join(out[:2])} + {len(out) - 2} more..."
    return ", ".join(out)


def horizontal_pod_autoscaler_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    if str(obj.get("apiVersion", "")) == "autoscaling/v1":
        specs, statuses = _v1_to_v2(obj)
    else:
        specs, statuses = spec.get("metrics"), status.get("currentMetrics")
    ref = spec.get("scaleTargetRef") or {}
    min_replicas = spec.get("minReplicas")
    return [
        name(obj),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        format_hpa_metrics(specs, statuses),
        str(min_replicas) if min_replicas is not None else "<unset>",
        int(spec.get("maxReplicas") or 0),
        int(status.get("currentReplicas") or 0),
        age(obj, now),
    ]


def _crd_cell(value):
    """A CRD printer column cell: a value the JSONPath did not find is a nil (empty) cell."""
    return value


def vertical_pod_autoscaler_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    recs = ((status.get("recommendation") or {}).get("containerRecommendations")) or []
    target = (recs[0].get("target") or {}) if recs else {}
    provided = None
    for c in status.get("conditions") or []:
        if c.get("type") == "RecommendationProvided":
            provided = c.get("status")
            break
    return [
        name(obj),
        _crd_cell((spec.get("updatePolicy") or {}).get("updateMode")),
        _crd_cell(target.get("cpu")),
        _crd_cell(target.get("memory")),
        _crd_cell(provided),
        age(obj, now),
    ]


def node_group_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    return [name(obj), spec.get("minSize"), spec.get("maxSize"), status.get("currentSize"), age(obj, now)]


register("autoscaling", "HorizontalPodAutoscaler",
         (NAME, Column("Reference"), Column("Targets"), Column("MinPods"), Column("MaxPods"),
          Column("Replicas"), AGE),
         horizontal_pod_autoscaler_row)
register("autoscaling.k8s.io", "VerticalPodAutoscaler",
         (NAME, Column("Mode"), Column("CPU"), Column("Mem"), Column("Provided"), AGE),
         vertical_pod_autoscaler_row)
register("kctl.io", "NodeGroup",
         (NAME, Column("Min", type="integer"), Column("Max", type="integer"),
          Column("Current", type="integer"), AGE),
         node_group_row)
