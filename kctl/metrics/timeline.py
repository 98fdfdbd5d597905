"""A simulation timeline as text: the table, the events and a terminal chart.

Table: one row per tracked workload at ``t = 0``, then a row only when something in it
changed (replicas, usage, utilization, HPA targets, Pending pods or Nodes), and every
workload's row at the last step::

    TIME    WORKLOAD         REPLICAS   CPU     CPU(%)   MEMORY   TARGETS        PENDING   NODES
    0s      deployment/web   2/2        180m    90%      300Mi    cpu: 90%/60%   0         3

REPLICAS is ready/desired; CPU and MEMORY the workload's total usage (millicores, Mi as
``kubectl top`` prints them); CPU(%) the utilization against requests; TARGETS what ``kctl get
hpa`` prints for the HPA scaling it (``<none>`` without one).

Events: the notable events of the run (Warnings, and Normal events of anything but Pods,
ReplicaSets, Endpoints, EndpointSlices and Leases), in order, with the time they happened.

Chart: per workload, a sparkline of its replicas and one of its cpu utilization; then the
cluster's Nodes and Pending pods. Sparklines use the eight block characters ``▁▂▃▄▅▆▇█``
scaled from 0 to the series' maximum, at most ``CHART_WIDTH`` columns (each column the
maximum of the samples it covers).
"""

from __future__ import annotations

from kctl.printers.tabwriter import format_cells

COLUMNS = ("TIME", "WORKLOAD", "REPLICAS", "CPU", "CPU(%)", "MEMORY", "TARGETS", "PENDING", "NODES")
SPARKS = "▁▂▃▄▅▆▇█"
CHART_WIDTH = 60


def offset(seconds: int) -> str:
    """``0s``, ``45s``, ``1m30s``, ``2h0m0s``: Go's Duration.String() for whole seconds."""
    from kctl.kubelet.images import go_duration

    return go_duration(seconds)


def _cells(w, s) -> list[str]:
    from kctl.metrics.top import cpu_cell, memory_cell

    return [w.workload, f"{w.ready}/{w.replicas}", cpu_cell(w.cpu_milli), "<none>" if w.cpu_utilization is None
            else f"{w.cpu_utilization}%", memory_cell(w.memory_bytes), w.hpa or "<none>", str(s.pending), str(s.nodes)]


def render_table(timeline) -> str:
    rows = [[*COLUMNS, ""]]
    last: dict[str, list[str]] = {}
    final = len(timeline.samples) - 1
    for i, s in enumerate(timeline.samples):
        for w in s.workloads:
            cells = _cells(w, s)
            if last.get(w.workload) == cells and i != final:
                continue
            last[w.workload] = cells
            rows.append([offset(s.t), *cells[:-1], cells[-1]])
        if not s.workloads:
            cells = ["<none>", "", "", "", "", "", str(s.pending), str(s.nodes)]
            if last.get("") == cells and i != final:
                continue
            last[""] = cells
            rows.append([offset(s.t), *cells[:-1], cells[-1]])
    return format_cells(rows)


def notable_events(timeline) -> list[dict]:
    from kctl.metrics.simulate import is_notable

    return [e for s in timeline.samples for e in s.events if is_notable(e)]


def render_events(timeline) -> str:
    events = notable_events(timeline)
    if not events:
        return "No notable events.\n"
    rows = [["TIME", "TYPE", "REASON", "OBJECT", "MESSAGE"]]
    for e in events:
        rows.append([offset(e["t"]), e["type"], e["reason"], e["object"], e["message"]])
    return format_cells(rows)


def sparkline(values: list[float], width: int = CHART_WIDTH) -> str:
    """Block characters for ``values`` (0 .. max), bucketed to at most ``width`` columns."""
    if not values:
        return ""
    if len(values) > width:
        buckets = []
        for c in range(width):
            lo = c * len(values) // width
            hi = max((c + 1) * len(values) // width, lo + 1)
            buckets.append(max(values[lo:hi]))
        values = buckets
    top = max(values)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(int(v / top * (len(SPARKS) - 1) + 0.5), len(SPARKS) - 1)] if v > 0 else SPARKS[0]
                   for v in values)


def _span(values: list[int], unit: str = "") -> str:
    return f"{values[0]}{unit} -> {values[-1]}{unit} (max {max(values)}{unit})"


def render_chart(timeline) -> str:
    samples = timeline.samples
    if not samples:
        return ""
    lines = [f"{offset(samples[0].t)} .. {offset(samples[-1].t)}, every {offset(timeline.step)}"]
    names = []
    for s in samples:
        for w in s.workloads:
            if w.workload not in names:
                names.append(w.workload)
    label_width = max([len("  replicas"), len("pending"), *(len(n) for n in names)])
    for name in names:
        series = [next((w for w in s.workloads if w.workload == name), None) for s in samples]
        replicas = [w.replicas if w else 0 for w in series]
        util = [(w.cpu_utilization or 0) if w else 0 for w in series]
        lines.append(name)
        lines.append(f"{'  replicas':<{label_width}}  {sparkline(replicas)}  {_span(replicas)}")
        if any(w is not None and w.cpu_utilization is not None for w in series):
            lines.append(f"{'  cpu(%)':<{label_width}}  {sparkline(util)}  {_span(util, '%')}")
    nodes = [s.nodes for s in samples]
    pending = [s.pending for s in samples]
    lines.append(f"{'nodes':<{label_width}}  {sparkline(nodes)}  {_span(nodes)}")
    lines.append(f"{'pending':<{label_width}}  {sparkline(pending)}  {_span(pending)}")
    return "\n".join(lines) + "\n"


def render(timeline) -> str:
    """Table, events and chart, separated by blank lines."""
    return f"{render_table(timeline)}\n{render_events(timeline)}\n{render_chart(timeline)}"
