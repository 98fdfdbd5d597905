"""PodMetrics / NodeMetrics rows (metrics.k8s.io), as metrics-server's table convertor
prints them: NAME, then one column per resource name (sorted: CPU, MEMORY), WINDOW.
A pod's usage is the sum over its containers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from . import NAME, Column, register
from .common import name

_DEC = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}


def _parse(q) -> tuple[Decimal, bool]:
    """(value, is_binary) of a quantity string such as ``250m``, ``12345Ki``, ``1e3``."""
    s = str(q).strip()
    for suffix, exp in _BIN.items():
        if s.endswith(suffix):
            return Decimal(s[: -len(suffix)]) * (2**exp), True
    if s and s[-1] in _DEC and s[-1] != "E":
        return Decimal(s[:-1]) * (Decimal(10) ** _DEC[s[-1]]), False
    if s.endswith("E") and s[:-1].replace(".", "", 1).lstrip("+-").isdigit():
        return Decimal(s[:-1]) * (Decimal(10) ** 18), False
    return Decimal(s), False


def _canonical(value: Decimal, binary: bool) -> str:
    """resource.Quantity canonical String() for a non-negative sum (BinarySI below 1024 or
    fractional values fall back to DecimalSI, as upstream)."""
    if value == 0:
        return "0"
    if binary and value == value.to_integral_value() and value >= 1024:
        exp = 0
        v = int(value)
        while exp < 60 and v % 1024 == 0:
            v //= 1024
            exp += 10
        suffix = {0: ""} | {e: s for s, e in _BIN.items()}
        return f"{v}{suffix[exp]}"
    # DecimalSI: the largest exponent (multiple of 3) that keeps an integer mantissa,
    # rounding up to nanos when needed.
    for exp in (18, 15, 12, 9, 6, 3, 0, -3, -6, -9):
        mantissa = value / (Decimal(10) ** exp)
        if mantissa == mantissa.to_integral_value():
            suffix = next(s for s, e in _DEC.items() if e == exp)
            return f"{int(mantissa)}{suffix}"
    nanos = (value / Decimal(10) ** -9).to_integral_value(rounding="ROUND_CEILING")
    return _canonical(nanos * Decimal(10) ** -9, False)


def sum_quantities(values: list) -> str:
    if not values:
        return "0"
    total = Decimal(0)
    binary = None
    for v in values:
        d, is_bin = _parse(v)
        total += d
        if binary is None:
            binary = is_bin
    return _canonical(total, bool(binary))


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
