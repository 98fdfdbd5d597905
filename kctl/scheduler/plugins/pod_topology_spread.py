"""PodTopologySpread: hard constraints filter (skew), soft ones and the system
defaults score (fewer matching pods in a node's domain is better)."""

from __future__ import annotations

import math

from kctl.api.labels import selector_from_label_selector
from kctl.scheduler.framework import MAX_NODE_SCORE, SKIP, Plugin, unresolvable, unschedulable

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"

#: The scheduler's system default constraints (applied to pods that declare none and
#: belong to a Service, ReplicaSet, ReplicationController or StatefulSet).
SYSTEM_DEFAULT_CONSTRAINTS = (
    {"topologyKey": HOSTNAME, "maxSkew": 3, "whenUnsatisfiable": "ScheduleAnyway"},
    {"topologyKey": ZONE, "maxSkew": 5, "whenUnsatisfiable": "ScheduleAnyway"},
)


class _Constraint:
    __slots__ = ("key", "max_skew", "min_domains", "selector", "self_match")

    def __init__(self, raw: dict, selector, pod_labels: dict):
        self.key = raw.get("topologyKey", "")
        self.max_skew = int(raw.get("maxSkew", 1))
        self.min_domains = int(raw.get("minDomains") or 1)
        self.selector = selector
        self.self_match = 1 if selector.matches(pod_labels) else 0


def _constraints(pod: dict, when: str) -> list[_Constraint]:
    labels = (pod.get("metadata") or {}).get("labels") or {}
    out = []
    for raw in (pod.get("spec") or {}).get("topologySpreadConstraints") or ():
        if raw.get("whenUnsatisfiable", "DoNotSchedule") != when:
            continue
        sel = dict(raw.get("labelSelector") or {})
        keys = raw.get("matchLabelKeys") or ()
        if keys:  # matchLabelKeys: AND the pod's own values for these keys
            sel = {**sel, "matchLabels": {**(sel.get("matchLabels") or {}), **{k: labels[k] for k in keys if k in labels}}}
        out.append(_Constraint(raw, selector_from_label_selector(sel), labels))
    return out


def soft_constraints(pod: dict, snapshot) -> list[_Constraint]:
    """The ScheduleAnyway constraints PreScore works with: the pod's own, or the system
    defaults over its Services'/controllers' selector when it declares none at all."""
    soft = _constraints(pod, "ScheduleAnyway")
    if not soft and not (pod.get("spec") or {}).get("topologySpreadConstraints"):
        selector = snapshot.default_spread_selector(pod)
        if selector is not None:
            labels = (pod.get("metadata") or {}).get("labels") or {}
            soft = [_Constraint(c, selector, labels) for c in SYSTEM_DEFAULT_CONSTRAINTS]
    return soft


def has_hard_constraints(pod: dict) -> bool:
    return any(raw.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule"
               for raw in (pod.get("spec") or {}).get("topologySpreadConstraints") or ())


class PodTopologySpread(Plugin):
    name = "PodTopologySpread"

    def _count(self, pod: dict, constraints: list[_Constraint]) -> dict[tuple[str, str], int]:
        """Matching pods per (topologyKey, value) over the nodes the pod may use (the
        snapshot keeps these counts current as pods are assumed)."""
        return self.snapshot.spread_counts(pod, constraints)

    # -- Filter ---------------------------------------------------------------------
    def pre_filter(self, pod):
        self.hard = _constraints(pod, "DoNotSchedule")
        if not self.hard:
            return SKIP
        self.hard_counts = self._count(pod, self.hard)
        self.min_match = {}
        for c in self.hard:
            domain_counts = [n for (k, _), n in self.hard_counts.items() if k == c.key]
            low = min(domain_counts, default=0)
            self.min_match[c.key] = 0 if len(domain_counts) < c.min_domains else low
        return None

    def filter(self, pod, ni):
        for c in self.hard:
            value = ni.labels.get(c.key)
            if value is None:
                return unresolvable("node(s) didn't match pod topology spread constraints (missing required label)")
            skew = self.hard_counts.get((c.key, value), 0) + c.self_match - self.min_match[c.key]
            if skew > c.max_skew:
                return unschedulable("node(s) didn't match pod topology spread constraints")
        return None

    # -- Score ----------------------------------------------------------------------
    def pre_score(self, pod, nodes):
        soft = soft_constraints(pod, self.snapshot)
        if not soft:
            return SKIP
        self.soft = soft
        self.ignored = {ni.name for ni in nodes if not all(c.key in ni.labels for c in soft)}
        self.soft_counts = self._count(pod, soft)
        self.weights = []
        for c in soft:
            if c.key == HOSTNAME:
                size = len(nodes) - len(self.ignored)
            else:
                size = len({ni.labels[c.key] for ni in nodes if ni.name not in self.ignored})
            self.weights.append(math.log(size + 2))
        self.namespace = (pod.get("metadata") or {}).get("namespace")
        return None

    def score(self, pod, ni):
        if ni.name in self.ignored:
            return 0
        total = 0.0
        for c, weight in zip(self.soft, self.weights, strict=True):
            value = ni.labels.get(c.key)
            if value is None:
                continue
            if c.key == HOSTNAME:
                count = self.snapshot.count_matching(ni, self.namespace, c.selector)
            else:
                count = self.soft_counts.get((c.key, value), 0)
            total += count * weight + (c.max_skew - 1)
        return go_round(total)

    def normalize_score(self, pod, scores):
        considered = [s for name, s in scores.items() if name not in self.ignored]
        low = min(considered, default=0)
        high = max(considered, default=0)
        for name, s in scores.items():
            if name in self.ignored:
                scores[name] = 0
            elif high == 0:
                scores[name] = MAX_NODE_SCORE
            else:
                scores[name] = MAX_NODE_SCORE * (high + low - s) // high


def go_round(x: float) -> int:
    """Go's math.Round: half away from zero (Python's round() is banker's)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))
