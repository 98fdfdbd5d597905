"""``kubectl top node|pod`` tables (kubectl's ``metricsutil.TopCmdPrinter``), as pure functions.

- Cells are tab-terminated, *including the last one* (kubectl prints ``value\\t`` for every
  cell), so the last column is padded too; the tabwriter is kubectl's (minwidth 6, padding 3).
- cpu prints as ``MilliValue()`` + ``m``; memory as ``Value() / 2**20`` (integer) + ``Mi``.
- Node percentages: ``int64(float64(usage.MilliValue()) / float64(available.MilliValue()) *
  100)`` (truncated), available = allocatable (``--show-capacity``: capacity); 0 when the
  available amount is zero. A NodeMetrics for a node that is not listed gets no percentages.
- Nodes listed without metrics get ``<unknown>`` in all four cells, after the others (upstream
  walks a Go map there; kctl sorts them by name to stay deterministic).
- Sorting: by name (pods: namespace then name with ``-A``); ``--sort-by cpu|memory`` sorts by
  usage, descending (stable, name order among ties); ``--containers`` lists each pod's
  containers sorted by name (or by the same usage).
- ``--sum`` (pods): a ``________`` rule under the usage columns and a totals row. The rule
  and the totals are indented by ``columns - 2`` / ``columns - 3`` empty cells where
  ``columns`` counts NAMESPACE/POD only when headers are printed (upstream's quirk).
- The utilization bars (kctl's addition, terminals only) go after the last cell, as free text,
  so they never change the columns' widths.
"""

from __future__ import annotations

from functools import lru_cache

from kctl.printers.tabwriter import format_cells

NODE_COLUMNS = ("NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)")
POD_COLUMNS = ("NAME", "CPU(cores)", "MEMORY(bytes)")
UNKNOWN = "<unknown>"
RULE = "________"
SORT_KEYS = ("cpu", "memory")


def _q(raw: object):
    from kctl.api.quantity import Quantity, QuantityError

    try:
        return Quantity(str(raw)) if raw is not None else Quantity(0)
    except QuantityError:
        return Quantity(0)


def cpu_cell(milli: int) -> str:
    return f"{milli}m"


def memory_cell(nbytes: int) -> str:
    mib = nbytes // 2**20 if nbytes >= 0 else -(-nbytes // 2**20)  # Go's truncating division
    return f"{mib}Mi"


def percent(usage_milli: int, available_milli: int) -> str:
    fraction = 0.0 if available_milli == 0 else float(usage_milli) / float(available_milli) * 100
    return f"{int(fraction)}%"


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def _ns(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("namespace") or ""


def node_usage(metrics: dict) -> tuple[int, int]:
    usage = metrics.get("usage") or {}
    return _q(usage.get("cpu")).milli_value(), _q(usage.get("memory")).value()


def pod_usage(metrics: dict) -> tuple[int, int]:
    cpu = mem = 0
    for c in metrics.get("containers") or ():
        usage = c.get("usage") or {}
        raw_cpu, raw_mem = usage.get("cpu"), usage.get("memory")
        cpu += _milli_of(None if raw_cpu is None else str(raw_cpu))
        mem += _bytes_of(None if raw_mem is None else str(raw_mem))
    return cpu, mem


@lru_cache(maxsize=8192)
def _milli_of(text: str | None) -> int:
    """``_q(text).milli_value()``, read once per text (``kctl simulate`` samples every step)."""
    return _q(text).milli_value()


@lru_cache(maxsize=8192)
def _bytes_of(text: str | None) -> int:
    return _q(text).value()


def _sort(items: list, key_usage, sort_by: str | None, key_name) -> list:
    items = sorted(items, key=key_name)
    if sort_by == "cpu":
        return sorted(items, key=lambda m: -key_usage(m)[0])
    if sort_by == "memory":
        return sorted(items, key=lambda m: -key_usage(m)[1])
    return items


def render_top_nodes(metrics: list[dict], nodes: list[dict], *, sort_by: str | None = None,
                     no_headers: bool = False, show_capacity: bool = False, bars: bool = False,
                     color: bool = False) -> str:
    """The ``top node`` table; ``nodes`` are the listed Node objects (their allocatable)."""
    if not metrics:
        return ""
    field = "capacity" if show_capacity else "allocatable"
    available = {_name(n): (n.get("status") or {}).get(field) or {} for n in nodes}
    rows: list[list[str]] = []
    if not no_headers:
        rows.append([*NODE_COLUMNS, ""])
    for m in _sort(metrics, node_usage, sort_by, _name):
        name = _name(m)
        cpu, mem = node_usage(m)
        avail = available.pop(name, None)
        if avail is None:
            rows.append([name, cpu_cell(cpu), memory_cell(mem), ""])
            continue
        cpu_avail = _q(avail.get("cpu")).milli_value() if "cpu" in avail else None
        mem_avail = _q(avail.get("memory")).milli_value() if "memory" in avail else None
        row = [name, cpu_cell(cpu)]
        if cpu_avail is not None:
            row.append(percent(cpu, cpu_avail))
        row.append(memory_cell(mem))
        if mem_avail is not None:
            row.append(percent(_q((m.get("usage") or {}).get("memory")).milli_value(), mem_avail))
        tail = ""
        if bars:
            tail = utilization_bars(cpu, cpu_avail or 0, _q((m.get("usage") or {}).get("memory")).milli_value(),
                                    mem_avail or 0, color)
        rows.append([*row, tail])
    for name in sorted(available):
        rows.append([name, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, ""])
    return format_cells(rows)


def render_top_pods(metrics: list[dict], *, containers: bool = False, with_namespace: bool = False,
                    no_headers: bool = False, sort_by: str | None = None, sum_: bool = False) -> str:
    """The ``top pod`` table."""
    if not metrics:
        return ""
    rows: list[list[str]] = []
    width = len(POD_COLUMNS)
    if not no_headers:
        header: list[str] = []
        if with_namespace:
            header.append("NAMESPACE")
            width += 1
        if containers:
            header.append("POD")
            width += 1
        rows.append([*header, *POD_COLUMNS, ""])

    def key_name(m: dict):
        return (_ns(m), _name(m)) if with_namespace else (_name(m),)

    total_cpu = total_mem = 0
    for m in _sort(metrics, pod_usage, sort_by, key_name):
        prefix = [_ns(m)] if with_namespace else []
        if containers:
            cs = _sort(list(m.get("containers") or ()), _container_usage, sort_by, lambda c: c.get("name", ""))
            for c in cs:
                cpu, mem = _container_usage(c)
                rows.append([*prefix, _name(m), c.get("name", ""), cpu_cell(cpu), memory_cell(mem), ""])
        else:
            cpu, mem = pod_usage(m)
            rows.append([*prefix, _name(m), cpu_cell(cpu), memory_cell(mem), ""])
        cpu, mem = pod_usage(m)
        total_cpu += cpu
        total_mem += mem
    if sum_:
        rows.append([*([""] * max(width - 2, 0)), RULE, RULE, ""])
        rows.append([*([""] * max(width - 3, 0)), "", cpu_cell(total_cpu), memory_cell(total_mem), ""])
    return format_cells(rows)


def _container_usage(c: dict) -> tuple[int, int]:
    usage = c.get("usage") or {}
    return _q(usage.get("cpu")).milli_value(), _q(usage.get("memory")).value()


# -- the utilization bars -------------------------------------------------------------------------
BAR_WIDTH = 10
_EIGHTHS = " ▏▎▍▌▋▊▉"
_GREEN, _YELLOW, _RED, _RESET = "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[0m"


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A left-aligned block bar of ``width`` cells, in eighths (clamped to 0..1)."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = int(fraction * width * 8 + 0.5)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part and full < width else "")
    return text.ljust(width)


def _colored(text: str, fraction: float, color: bool) -> str:
    if not color:
        return text
    code = _GREEN if fraction < 0.6 else _YELLOW if fraction < 0.85 else _RED
    return f"{code}{text}{_RESET}"


def utilization_bars(cpu_milli: int, cpu_avail_milli: int, mem_milli: int, mem_avail_milli: int,
                     color: bool = False) -> str:
    """``cpu [████▌     ] mem [█▏        ]``: usage against allocatable."""
    parts = []
    for label, used, avail in (("cpu", cpu_milli, cpu_avail_milli), ("mem", mem_milli, mem_avail_milli)):
        fraction = used / avail if avail else 0.0
        parts.append(f"{label} [{_colored(bar(fraction), fraction, color)}]")
    return " ".join(parts)
