"""``kctl simulate --plot FILE.svg``: the timeline as a self-contained SVG (no plotting library).

One panel per tracked workload: replicas (blue, left axis, drawn as steps since replicas
change at sync instants) and cpu utilization in % of requests (orange, right axis), with the
HPA's cpu target as a dashed line when it has one; then a cluster panel with Nodes (green,
left axis) and Pending pods (red, right axis). The x axis is time since the start, with ticks
at a round interval (at most 8). Coordinates are written with one decimal, so the same
timeline always gives the same bytes.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

WIDTH = 900
PANEL_HEIGHT = 170
LEFT, RIGHT, TOP, BOTTOM = 60, 60, 34, 30
BLUE, ORANGE, GREEN, RED, GREY = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#888888"
_TICKS = (15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
_TARGET = re.compile(r"cpu: [^/]*/(\d+)%")


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _tick_interval(total: int) -> int:
    for t in _TICKS:
        if total / t <= 8:
            return t
    return _TICKS[-1]


def _label(seconds: int) -> str:
    from kctl.metrics.timeline import offset

    return offset(seconds)


class _Panel:
    def __init__(self, out: list[str], y0: float, title: str, t_max: int):
        self.out, self.y0, self.t_max = out, y0, max(t_max, 1)
        self.x0, self.x1 = LEFT, WIDTH - RIGHT
        self.top, self.bottom = y0 + TOP, y0 + PANEL_HEIGHT - BOTTOM
        out.append(f'<text x="{LEFT}" y="{_f(y0 + 20)}" font-weight="bold">{escape(title)}</text>')
        out.append(f'<rect x="{self.x0}" y="{_f(self.top)}" width="{self.x1 - self.x0}" '
                   f'height="{_f(self.bottom - self.top)}" fill="none" stroke="{GREY}"/>')
        step = _tick_interval(self.t_max)
        for t in range(0, self.t_max + 1, step):
            x = self.x(t)
            out.append(f'<line x1="{_f(x)}" y1="{_f(self.bottom)}" x2="{_f(x)}" y2="{_f(self.bottom + 4)}" stroke="{GREY}"/>')
            out.append(f'<text x="{_f(x)}" y="{_f(self.bottom + 16)}" text-anchor="middle" font-size="10">{_label(t)}</text>')

    def x(self, t: float) -> float:
        return self.x0 + (self.x1 - self.x0) * t / self.t_max

    def y(self, v: float, top_value: float) -> float:
        top_value = top_value or 1
        return self.bottom - (self.bottom - self.top) * v / top_value

    def axis(self, side: str, top_value: float, color: str, name: str, unit: str = "") -> None:
        x = self.x0 - 6 if side == "left" else self.x1 + 6
        anchor = "end" if side == "left" else "start"
        for v in (0, top_value / 2, top_value):
            self.out.append(f'<text x="{x}" y="{_f(self.y(v, top_value) + 4)}" text-anchor="{anchor}" '
                            f'font-size="10" fill="{color}">{_f(v)}{unit}</text>')
        lx = self.x0 if side == "left" else self.x1
        self.out.append(f'<text x="{lx}" y="{_f(self.top - 4)}" text-anchor="{"start" if side == "left" else "end"}" '
                        f'font-size="11" fill="{color}">{escape(name)}</text>')

    def series(self, ts: list[int], values: list[float], top_value: float, color: str, steps: bool) -> None:
        points = []
        for i, (t, v) in enumerate(zip(ts, values, strict=True)):
            if steps and i:
                points.append((self.x(t), self.y(values[i - 1], top_value)))
            points.append((self.x(t), self.y(v, top_value)))
        text = " ".join(f"{_f(px)},{_f(py)}" for px, py in points)
        self.out.append(f'<polyline points="{text}" fill="none" stroke="{color}" stroke-width="2"/>')

    def hline(self, v: float, top_value: float, color: str) -> None:
        y = self.y(v, top_value)
        self.out.append(f'<line x1="{self.x0}" y1="{_f(y)}" x2="{self.x1}" y2="{_f(y)}" stroke="{color}" '
                        f'stroke-dasharray="6,4"/>')


def render_svg(timeline) -> str:
    samples = timeline.samples
    ts = [s.t for s in samples]
    t_max = ts[-1] if ts else 0
    names: list[str] = []
    for s in samples:
        for w in s.workloads:
            if w.workload not in names:
                names.append(w.workload)
    height = PANEL_HEIGHT * (len(names) + 1) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{height}" fill="white"/>']
    for i, name in enumerate(names):
        series = [next((w for w in s.workloads if w.workload == name), None) for s in samples]
        panel = _Panel(out, i * PANEL_HEIGHT, name, t_max)
        replicas = [w.replicas if w else 0 for w in series]
        util = [(w.cpu_utilization or 0) if w else 0 for w in series]
        r_top = max([*replicas, 1])
        u_top = max([*util, 100])
        targets = [int(m.group(1)) for w in series if w and w.hpa for m in [_TARGET.search(w.hpa)] if m]
        panel.axis("left", r_top, BLUE, "replicas")
        panel.axis("right", u_top, ORANGE, "cpu % of requests", "%")
        if targets:
            panel.hline(targets[-1], u_top, ORANGE)
        panel.series(ts, util, u_top, ORANGE, steps=False)
        panel.series(ts, replicas, r_top, BLUE, steps=True)
    panel = _Panel(out, len(names) * PANEL_HEIGHT, "cluster", t_max)
    nodes = [s.nodes for s in samples]
    pending = [s.pending for s in samples]
    n_top, p_top = max([*nodes, 1]), max([*pending, 1])
    panel.axis("left", n_top, GREEN, "nodes")
    panel.axis("right", p_top, RED, "pending pods")
    panel.series(ts, pending, p_top, RED, steps=True)
    panel.series(ts, nodes, n_top, GREEN, steps=True)
    out.append("</svg>")
    return "\n".join(out) + "\n"
