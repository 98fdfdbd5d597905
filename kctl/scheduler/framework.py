"""The scheduling framework: plugins, their verdicts, and one scheduling cycle.

A plugin is a small class with a ``name`` and any of the extension points
``pre_filter``, ``filter``, ``pre_score``, ``score`` and ``normalize_score``. A fresh
instance is made for every cycle, so per-cycle state lives in plain attributes
(upstream keeps it in a string-keyed CycleState). A verdict is a ``Status``; the
runner stamps the plugin name on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum

from kctl.scheduler.nodeinfo import NodeInfo, Snapshot

MAX_NODE_SCORE = 100


class Code(IntEnum):
    SUCCESS = 0
    ERROR = 1
    UNSCHEDULABLE = 2
    UNSCHEDULABLE_AND_UNRESOLVABLE = 3
    SKIP = 5


@dataclass
class Status:
    code: Code
    reasons: tuple[str, ...] = ()
    plugin: str = ""

    @property
    def ok(self) -> bool:
        return self.code == Code.SUCCESS


def unschedulable(*reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE, reasons)


def unresolvable(*reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons)


SKIP = Status(Code.SKIP)


class Plugin:
    """Base class: every extension point is optional."""

    name = ""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot


@dataclass(frozen=True)
class Profile:
    """A scheduler profile: enabled plugins in order, with score weights."""

    name: str
    plugins: tuple[tuple[type[Plugin], int], ...]


@dataclass
class ScheduleResult:
    pod_key: str
    node: str | None = None
    message: str = ""  # FailedScheduling text when node is None
    feasible: int = 0
    evaluated: int = 0
    statuses: dict[str, Status] = field(default_factory=dict)
    #: The fast path leaves the score breakdown as columns, built on first read:
    #: (node names in feasible order, [(plugin, weight, scores or one score for all)]).
    score_columns: tuple | None = field(default=None, repr=False)
    _scores: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    @property
    def scores(self) -> dict[str, dict[str, int]]:
        """node -> {plugin: weighted score}, for `describe` to say why a node won."""
        if self.score_columns is not None:
            names, columns = self.score_columns
            self.score_columns = None
            for j, name in enumerate(names):
                self._scores[name] = {plugin: (col if isinstance(col, int) else col[j]) * weight
                                      for plugin, weight, col in columns}
        return self._scores


def num_feasible_nodes_to_find(num_all_nodes: int, percentage: int = 0) -> int:
    """Adaptive percentageOfNodesToScore, as upstream's numFeasibleNodesToFind."""
    min_feasible, min_pct, base_pct = 100, 5, 50
    if num_all_nodes < min_feasible:
        return num_all_nodes
    pct = percentage
    if pct == 0:
        pct = base_pct - num_all_nodes // 125
        if pct < min_pct:
            pct = min_pct
    num = num_all_nodes * pct // 100
    return max(num, min_feasible)


def tie_break_key(pod_key: str, node_name: str) -> bytes:
    """Among equally scored nodes kctl picks the lowest sha256(pod, node): deterministic,
    yet spread like upstream's uniformly random choice."""
    return hashlib.sha256(f"{pod_key}\x00{node_name}".encode()).digest()


class Framework:
    """Runs one profile over a snapshot; ``next_start_node_index`` rotates like upstream.

    With ``fast`` (the default) pods that only the default profile's common plugins
    concern go through ``kctl.scheduler.fastpath``, which caches what does not change
    within a snapshot; every other pod, and every profile but the default one, runs the
    plugins one node at a time (the reference implementation, ``fast=False``).
    """

    def __init__(self, profile: Profile, snapshot: Snapshot, fast: bool = True):
        self.profile = profile
        self.snapshot = snapshot
        self.next_start_node_index = 0
        self._fast = None
        if fast:
            from kctl.scheduler.fastpath import FastPath

            if FastPath.supports(profile):
                self._fast = FastPath(self)

    def schedule_one(self, pod: dict) -> ScheduleResult:
        meta = pod.get("metadata") or {}
        key = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
        result = ScheduleResult(key)
        nodes = self.snapshot.nodes
        if not nodes:
            result.message = "no nodes available to schedule pods"
            return result
        if self._fast is not None and self._fast.schedule(pod, result):
            return result
        plugins = [(cls(self.snapshot), weight) for cls, weight in self.profile.plugins]
        filters = []
        for plugin, _weight in plugins:
            pre = getattr(plugin, "pre_filter", None)
            status = pre(pod) if pre else None
            if status is not None and status.code == Code.SKIP:
                continue  # PreFilter Skip: this plugin's Filter does not run
            if status is not None and not status.ok:
                status.plugin = plugin.name
                result.message = f"0/{len(nodes)} nodes are available: {'; '.join(status.reasons)}."
                return result
            if hasattr(plugin, "filter"):
                filters.append(plugin)
        feasible = self._find_feasible(pod, filters, result)
        if not feasible:
            result.message = fit_error(len(nodes), result.statuses, pod)
            return result
        if len(feasible) == 1:
            result.node = feasible[0].name
            return result
        totals = self._score(pod, plugins, feasible, result)
        top = max(totals.values())
        result.node = pick_among_best(key, [ni.name for ni in feasible if totals[ni.name] == top])
        return result

    def _find_feasible(self, pod: dict, filters: list, result: ScheduleResult) -> list[NodeInfo]:
        nodes = self.snapshot.nodes
        n = len(nodes)
        want = num_feasible_nodes_to_find(n)
        feasible: list[NodeInfo] = []
        processed = 0
        for i in range(n):
            ni = nodes[(self.next_start_node_index + i) % n]
            processed += 1
            status = run_filters(filters, pod, ni)
            if status is None:
                feasible.append(ni)
                if len(feasible) >= want:
                    break
            else:
                result.statuses[ni.name] = status
        self.next_start_node_index = (self.next_start_node_index + processed) % n
        result.feasible, result.evaluated = len(feasible), processed
        return feasible

    def _score(self, pod: dict, active: list, feasible: list[NodeInfo], result: ScheduleResult) -> dict[str, int]:
        totals = {ni.name: 0 for ni in feasible}
        for plugin, weight in active:
            if not hasattr(plugin, "score"):
                continue
            pre = getattr(plugin, "pre_score", None)
            if pre is not None:
                status = pre(pod, feasible)
                if status is not None and status.code == Code.SKIP:
                    continue
            scores = {ni.name: plugin.score(pod, ni) for ni in feasible}
            normalize = getattr(plugin, "normalize_score", None)
            if normalize is not None:
                normalize(pod, scores)
            for name, s in scores.items():
                totals[name] += s * weight
                result.scores.setdefault(name, {})[plugin.name] = s * weight
        return totals


def pick_among_best(pod_key: str, names: list[str]) -> str:
    """The highest-scoring node, ties broken by the lowest ``tie_break_key``."""
    if len(names) == 1:
        return names[0]
    return min(names, key=lambda name: tie_break_key(pod_key, name))


def run_filters(filters: list, pod: dict, ni: NodeInfo) -> Status | None:
    """Filters stop at the first plugin that rejects the node (upstream semantics)."""
    for plugin in filters:
        status = plugin.filter(pod, ni)
        if status is not None and not status.ok:
            status.plugin = plugin.name
            return status
    return None


def fit_error(num_nodes: int, statuses: dict[str, Status], pod: dict) -> str:
    """FitError.Error(): ``0/3 nodes are available: 1 node(s) had untolerated taint
    {k: v}, 2 Insufficient cpu. preemption: 0/3 nodes are available: ...``"""
    histogram: dict[str, int] = {}
    for status in statuses.values():
        for reason in status.reasons:
            histogram[reason] = histogram.get(reason, 0) + 1
    parts = sorted(f"{count} {reason}" for reason, count in histogram.items())
    message = f"0/{num_nodes} nodes are available: {', '.join(parts)}."
    post = preemption_message(num_nodes, statuses, pod)
    return f"{message} {post}" if post else message


def preemption_message(num_nodes: int, statuses: dict[str, Status], pod: dict) -> str:
    """DefaultPreemption's PostFilter verdict when no victims can be found.

    Nodes rejected as UnschedulableAndUnresolvable cannot be helped by preemption;
    the others could be, if lower-priority pods ran there (kctl's pods default to
    priority 0, so there are usually none)."""
    if (pod.get("spec") or {}).get("preemptionPolicy") == "Never":
        return "preemption: not eligible due to preemptionPolicy=Never."
    not_helpful = sum(1 for s in statuses.values() if s.code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE)
    no_victims = len(statuses) - not_helpful
    parts = []
    if not_helpful:
        parts.append(f"{not_helpful} Preemption is not helpful for scheduling")
    if no_victims:
        parts.append(f"{no_victims} No preemption victims found for incoming pod")
    parts.sort()
    return f"preemption: 0/{num_nodes} nodes are available: {', '.join(parts)}."
