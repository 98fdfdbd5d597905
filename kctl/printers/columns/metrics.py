"""PodMetrics / NodeMetrics rows (metrics.k8s.io), as metrics-server's table convertor
prints them: NAME, then one column per resource name (sorted: CPU, MEMORY), WINDOW.
A pod's usage is the sum over its containers."""

from __future__ import annotations

from datetime import datetime

from . import NAME, Column, register
from .common import name


def sum_quantities(values: list) -> str:
    """Sum of quantities, printed canonically (resource.Quantity Add + String)."""
    from kctl.api.quantity import Quantity, QuantityError

    total = None
    for v in values:
        try:
            q = Quantity(v)
        except QuantityError:
            return str(v)
        total = q if total is None else total + q
    return "0" if total is None else str(total)


def pod_metrics_row(obj: dict, now: datetime) -> list:
    cpu = [c.get("usage", {}).get("cpu", "0") for c in obj.get("containers") or []]
    mem = [c.get("usage", {}).get("memory", "0") for c in obj.get("containers") or []]
    return [name(obj), sum_quantities(cpu), sum_quantities(mem), obj.get("window", "")]


def node_metrics_row(obj: dict, now: datetime) -> list:
    usage = obj.get("usage") or {}
    return [name(obj), sum_quantities([usage.get("cpu", "0")]), sum_quantities([usage.get("memory", "0")]),
            obj.get("window", "")]


_COLUMNS = (NAME, Column("cpu", format="quantity"), Column("memory", format="quantity"),
            Column("Window", format="duration"))
register("metrics.k8s.io", "PodMetrics", _COLUMNS, pod_metrics_row)
register("metrics.k8s.io", "NodeMetrics", _COLUMNS, node_metrics_row)
