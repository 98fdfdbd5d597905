"""The default profile's scheduling cycle for common pods, column by column.

Same decisions as the plugin-by-plugin path (``Framework(..., fast=False)``, the
reference): the same nodes visited from the same rotating start index, the same first
failing filter per node, the same FailedScheduling text, the same per-plugin scores
(integer arithmetic and float rounding done in the same order), the same tie-break.
It only avoids recomputing what cannot have changed:

- the static filters (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity) and
  the static raw scores (TaintToleration, NodeAffinity) depend on the pod's
  nodeSelector, node affinity and tolerations and on the nodes, which do not change
  within a snapshot: they are computed once per such signature by the plugins
  themselves, over every node;
- NodeResourcesFit's verdict and the LeastAllocated/BalancedAllocation scores depend
  on the pod's requests and on one node's load: kept per request shape, recomputed
  only for the nodes that received a pod since (``Snapshot.assumed``); when a request
  fits the least free node, every node passes without looking;
- PodTopologySpread reads the snapshot's incrementally kept match counts.

It takes pods that request no host ports, declare no DoNotSchedule spread constraint,
carry no pod (anti-)affinity and need no InterPodAffinity filter or score (existing
pods' terms are checked through the plugin), and do not pin a node by name or by
``matchFields`` (those would each make a signature of their own). Everything else
goes through the plugins.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from itertools import compress, repeat
from operator import add, eq

from kctl.scheduler.framework import (
    MAX_NODE_SCORE,
    Code,
    Status,
    fit_error,
    num_feasible_nodes_to_find,
    run_filters,
)
from kctl.scheduler.nodeinfo import host_ports
from kctl.scheduler.plugins.inter_pod_affinity import InterPodAffinity
from kctl.scheduler.plugins.node_affinity import NodeAffinity
from kctl.scheduler.plugins.node_basics import NodeName, NodeUnschedulable
from kctl.scheduler.plugins.node_resources import balanced_allocation_score, fits, least_allocated_score
from kctl.scheduler.plugins.pod_topology_spread import (
    HOSTNAME,
    go_round,
    has_hard_constraints,
    soft_constraints,
)
from kctl.scheduler.plugins.taint_toleration import TaintToleration
from kctl.scheduler.resources import CPU, MEMORY, pod_request_summary

_COUNT_BITS = 40  # matching pods on one node stay far below 2**40
_COUNT_MASK = (1 << _COUNT_BITS) - 1

STATIC_FILTERS = (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity)


try:  # CPython's own SHA-256: the same digests, less set-up per tiny message than OpenSSL's
    from _sha256 import sha256 as _sha256
except ImportError:  # pragma: no cover - other Pythons
    try:
        from _sha2 import sha256 as _sha256
    except ImportError:
        from hashlib import sha256 as _sha256


def _lowest_digest(prefix: bytes, names) -> int:
    """Position of the name with the lowest sha256(prefix + name): ``tie_break_key``'s order."""
    seed = _sha256(prefix)
    digests = []
    for name in names:
        h = seed.copy()
        h.update(name)
        digests.append(h.digest())
    return digests.index(min(digests))


class _Static:
    """Per static signature: each node's first failing static filter, raw static scores."""

    __slots__ = ("affinity", "affinity_any", "bad2", "ok", "ok2", "taint", "taint_any", "verdicts")

    def __init__(self, pod: dict, snapshot):
        nodes = snapshot.nodes
        n = len(nodes)
        plugins = [cls(snapshot) for cls in STATIC_FILTERS]
        self.verdicts = [run_filters(plugins, pod, ni) for ni in nodes]
        self.ok = [i for i, v in enumerate(self.verdicts) if v is None]
        self.ok2 = self.ok + [i + n for i in self.ok]
        bad = [i for i, v in enumerate(self.verdicts) if v is not None]
        self.bad2 = bad + [i + n for i in bad]
        taint, affinity = TaintToleration(snapshot), NodeAffinity(snapshot)
        taint.pre_score(pod, nodes)
        affinity.pre_score(pod, nodes)
        self.taint = [taint.score(pod, ni) for ni in nodes]
        self.taint_any = any(self.taint)
        self.affinity = [affinity.score(pod, ni) for ni in nodes] if affinity.preferred else [0] * n
        self.affinity_any = any(self.affinity)


class _Shape:
    """Per request shape: NodeResourcesFit's verdict and the two resource scores per node."""

    __slots__ = ("balanced", "fit", "least", "nz", "request", "seen")

    def __init__(self, request: dict[str, int], nz: tuple[int, int], snapshot):
        self.request, self.nz = request, nz
        cpu, mem = nz
        rcpu, rmem = request.get(CPU, 0), request.get(MEMORY, 0)
        nodes = snapshot.nodes
        self.least = [least_allocated_score(ni, cpu, mem) for ni in nodes]
        skip_balanced = not request.get(CPU) and not request.get(MEMORY)
        self.balanced = None if skip_balanced else [balanced_allocation_score(ni, rcpu, rmem) for ni in nodes]
        self.fit: list[Status | None] | None = None
        self.seen = len(snapshot.assumed)

    def _fit(self, ni) -> Status | None:
        reasons = fits(self.request, ni)
        return Status(Code.UNSCHEDULABLE, tuple(reasons), "NodeResourcesFit") if reasons else None

    def refresh(self, snapshot, need_fit: bool) -> None:
        assumed = snapshot.assumed
        if self.seen < len(assumed):
            nodes = snapshot.nodes
            cpu, mem = self.nz
            rcpu, rmem = self.request.get(CPU, 0), self.request.get(MEMORY, 0)
            for i in set(assumed[self.seen:]):
                ni = nodes[i]
                self.least[i] = least_allocated_score(ni, cpu, mem)
                if self.balanced is not None:
                    self.balanced[i] = balanced_allocation_score(ni, rcpu, rmem)
                if self.fit is not None:
                    self.fit[i] = self._fit(ni)
            self.seen = len(assumed)
        if need_fit and self.fit is None:
            self.fit = [self._fit(ni) for ni in snapshot.nodes]


class FastPath:
    def __init__(self, framework):
        self.framework = framework
        self.snapshot = framework.snapshot
        self.names = [ni.name for ni in self.snapshot.nodes]
        self.name_bytes = [name.encode() for name in self.names]
        self._static: dict[str, _Static] = {}
        self._shapes: dict[tuple, _Shape] = {}
        self._labels: dict[str, list] = {}
        self._distinct: dict[str, set] = {}
        self._combo_cache: dict[tuple[str, ...], tuple] = {}
        self._missing: dict[tuple[str, ...], frozenset[int]] = {}

    @staticmethod
    def supports(profile) -> bool:
        from kctl.scheduler.profile import DEFAULT_PROFILE

        return profile.plugins == DEFAULT_PROFILE.plugins

    # -- eligibility ----------------------------------------------------------------
    def _eligible(self, pod: dict, spec: dict) -> bool:
        if spec.get("nodeName"):
            return False
        affinity = spec.get("affinity") or {}
        if affinity.get("podAffinity") or affinity.get("podAntiAffinity"):
            return False
        required = (affinity.get("nodeAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution") or {}
        if any(t.get("matchFields") for t in required.get("nodeSelectorTerms") or ()):
            return False
        if host_ports(pod) or has_hard_constraints(pod):
            return False
        if self.snapshot.affinity_pods:  # existing pods' terms may still concern this pod
            ipa = InterPodAffinity(self.snapshot)
            for status in (ipa.pre_filter(pod), ipa.pre_score(pod, [])):
                if status is None or status.code != Code.SKIP:
                    return False
        return True

    # -- one cycle ------------------------------------------------------------------
    def schedule(self, pod: dict, result) -> bool:
        """Fill ``result`` and return True, or return False to leave the pod to the plugins."""
        spec = pod.get("spec") or {}
        if not self._eligible(pod, spec):
            return False
        snapshot = self.snapshot
        static_key = repr((spec.get("nodeSelector"), (spec.get("affinity") or {}).get("nodeAffinity"),
                           spec.get("tolerations")))
        static = self._static.get(static_key)
        if static is None:
            static = self._static[static_key] = _Static(pod, snapshot)
        request, nz = pod_request_summary(pod)
        shape_key = (tuple(request.items()), nz)
        shape = self._shapes.get(shape_key)
        if shape is None:
            shape = self._shapes[shape_key] = _Shape(request, nz, snapshot)
        fits_all = snapshot.fits_everywhere(request)
        shape.refresh(snapshot, need_fit=not fits_all)

        feasible = self._find_feasible(static, shape, fits_all, result)
        if not feasible:
            result.message = fit_error(len(self.names), result.statuses, pod)
            return True
        if len(feasible) == 1:
            result.node = self.names[feasible[0]]
            return True
        self._score(pod, static, shape, feasible, result)
        return True

    def _find_feasible(self, static: _Static, shape: _Shape, fits_all: bool, result) -> list[int]:
        framework = self.framework
        n = len(self.names)
        want = num_feasible_nodes_to_find(n)
        start = framework.next_start_node_index
        ok = static.ok
        m = len(ok)
        j = bisect_left(ok, start)
        names = self.names
        statuses = result.statuses
        if fits_all:
            if m >= want:
                window = static.ok2[j:j + want]
                processed = window[-1] - start + 1
            else:
                window = static.ok2[j:j + m]
                processed = n
            feasible = window if not window or window[-1] < n else [x - n if x >= n else x for x in window]
        else:
            fit = shape.fit
            feasible = []
            processed = n
            for x in static.ok2[j:j + m]:
                i = x - n if x >= n else x
                verdict = fit[i]
                if verdict is None:
                    feasible.append(i)
                    if len(feasible) >= want:
                        processed = x - start + 1
                        break
                else:
                    statuses[names[i]] = verdict
        bad2 = static.bad2
        if bad2:
            verdicts = static.verdicts
            for x in bad2[bisect_left(bad2, start):bisect_left(bad2, start + processed)]:
                i = x - n if x >= n else x
                statuses[names[i]] = verdicts[i]
        framework.next_start_node_index = (start + processed) % n
        result.feasible, result.evaluated = len(feasible), processed
        return feasible

    def _score(self, pod: dict, static: _Static, shape: _Shape, feasible: list[int], result) -> None:
        columns: list[tuple[str, int, object]] = []
        # TaintToleration: reversed DefaultNormalizeScore.
        taint = MAX_NODE_SCORE
        if static.taint_any:
            raw = list(map(static.taint.__getitem__, feasible))
            top = max(raw)
            if top:
                taint = [3 * (MAX_NODE_SCORE - s * MAX_NODE_SCORE // top) for s in raw]
        columns.append(("TaintToleration", 1, taint) if isinstance(taint, list) else ("TaintToleration", 3, taint))
        # NodeAffinity: preferred terms, normalized to the best.
        affinity = 0
        if static.affinity_any:
            raw = list(map(static.affinity.__getitem__, feasible))
            top = max(raw)
            if top:
                affinity = [2 * (s * MAX_NODE_SCORE // top) for s in raw]
        columns.append(("NodeAffinity", 1, affinity) if isinstance(affinity, list) else ("NodeAffinity", 2, affinity))
        least = list(map(shape.least.__getitem__, feasible))
        columns.append(("NodeResourcesFit", 1, least))
        # Totals: columns are kept weighted (weight 1 in the breakdown) so that each
        # costs one C-level addition; constant columns cannot change the winner.
        totals = least
        spread = self._spread(pod, feasible)
        if spread is not None:
            columns.append(("PodTopologySpread", 1, spread))
            totals = map(add, totals, spread)
        # InterPodAffinity: its PreScore skipped (checked before choosing this path).
        if shape.balanced is not None:
            balanced = list(map(shape.balanced.__getitem__, feasible))
            columns.append(("NodeResourcesBalancedAllocation", 1, balanced))
            totals = map(add, totals, balanced)
        if not isinstance(taint, int):
            totals = map(add, totals, taint)
        if not isinstance(affinity, int):
            totals = map(add, totals, affinity)
        totals = list(totals)
        top = max(totals)
        if totals.count(top) == 1:
            best = feasible[totals.index(top)]
        else:
            tied = list(compress(feasible, map(eq, totals, repeat(top))))
            best = tied[_lowest_digest(f"{result.pod_key}\x00".encode(), map(self.name_bytes.__getitem__, tied))]
        result.node = self.names[best]
        result.score_columns = (_Names(self.names, feasible), columns)

    # -- PodTopologySpread score ----------------------------------------------------
    def _label(self, key: str) -> list:
        col = self._labels.get(key)
        if col is None:
            col = self._labels[key] = [ni.labels.get(key) for ni in self.snapshot.nodes]
        return col

    def _spread(self, pod: dict, feasible: list[int]) -> list[int] | None:
        """PodTopologySpread's PreScore, Score and NormalizeScore over the feasible nodes,
        times its weight (2).

        Per node the raw score is Σ (count × weight + maxSkew − 1) in constraint order,
        rounded half away from zero; a count is the node's own matching pods for the
        hostname key, else its domain's (constraints sharing a key add up); each float
        operation as the plugin does it."""
        snapshot = self.snapshot
        soft = soft_constraints(pod, snapshot)
        if not soft:
            return None
        keys = tuple(c.key for c in soft)
        missing = self._missing.get(keys)
        if missing is None:
            missing = self._missing[keys] = frozenset(
                ni.index for ni in snapshot.nodes if not all(k in ni.labels for k in keys))
        ignored = [i in missing for i in feasible] if missing else None
        considered = feasible if ignored is None else [i for i in feasible if i not in missing]
        weights = []
        for c in soft:
            if c.key == HOSTNAME:
                size = len(considered)
            else:
                size = len(set(map(self._label(c.key).__getitem__, considered)))
            weights.append(math.log(size + 2))
        ns = (pod.get("metadata") or {}).get("namespace")
        # Per constraint, what a node's raw score reads: its own matching pods (hostname)
        # or its value of the key (whose domain count is looked up through ``contrib``).
        parts = []
        for c, weight in zip(soft, weights, strict=True):
            k = c.max_skew - 1
            if c.key == HOSTNAME:
                parts.append((snapshot.match_counts(ns, c.selector), weight, k, None))
                continue
            same_key = [o for o in soft if o.key == c.key]
            if len(same_key) == 1:
                per_value = snapshot.domain_counts(pod, soft, c)
            else:
                per_value = {}
                for o in same_key:
                    for value, n in snapshot.domain_counts(pod, soft, o).items():
                        per_value[value] = per_value.get(value, 0) + n
            contrib = {value: per_value.get(value, 0) * weight + k for value in self._values(c.key)}
            parts.append((self._label(c.key), weight, k, contrib))
        # Nodes alike in what they read score alike: score each distinct reading once.
        # A reading is one int when at most one constraint is on the hostname: its
        # count in the low bits, the node's combination of the other keys' values above.
        hosts = [part for part in parts if part[3] is None]
        if len(hosts) <= 1:
            others = tuple(c.key for c in soft if c.key != HOSTNAME)
            combo_of, combos, shifted = self._combos(others)
            if hosts:
                per_node = hosts[0][0]
                readings = list(map(add, map(per_node.__getitem__, feasible), map(shifted.__getitem__, feasible)))
            else:
                readings = list(map(combo_of.__getitem__, feasible))
            raw_of = {}
            for reading in set(readings):
                count, values = (reading & _COUNT_MASK, combos[reading >> _COUNT_BITS]) if hosts else (0, combos[reading])
                total = 0.0
                at = 0
                for _, weight, k, contrib in parts:
                    if contrib is None:
                        total += count * weight + k
                    else:
                        total += contrib[values[at]]
                        at += 1
                raw_of[reading] = go_round(total)
        else:
            readings = list(zip(*[map(source.__getitem__, feasible) for source, _, _, _ in parts], strict=True))
            raw_of = {}
            for reading in set(readings):
                total = 0.0
                for (_, weight, k, contrib), x in zip(parts, reading, strict=True):
                    total += x * weight + k if contrib is None else contrib[x]
                raw_of[reading] = go_round(total)
        if ignored is None:
            low, high = min(raw_of.values()), max(raw_of.values())
            if high == 0:
                return [2 * MAX_NODE_SCORE] * len(feasible)
            normalized = {r: 2 * (MAX_NODE_SCORE * (high + low - s) // high) for r, s in raw_of.items()}
            return list(map(normalized.__getitem__, readings))
        raw = list(map(raw_of.__getitem__, readings))
        kept = [s for s, skip in zip(raw, ignored, strict=True) if not skip]
        low, high = min(kept, default=0), max(kept, default=0)
        return [0 if skip else 2 * MAX_NODE_SCORE if high == 0 else 2 * (MAX_NODE_SCORE * (high + low - s) // high)
                for s, skip in zip(raw, ignored, strict=True)]

    def _combos(self, keys: tuple[str, ...]) -> tuple[list[int], list[tuple], list[int]]:
        """Per node the id of its values for ``keys``, the values per id, and the ids
        shifted above the count bits."""
        entry = self._combo_cache.get(keys)
        if entry is None:
            ids: dict[tuple, int] = {}
            combo_of = [ids.setdefault(tuple(ni.labels.get(k) for k in keys), len(ids)) for ni in self.snapshot.nodes]
            entry = self._combo_cache[keys] = (combo_of, list(ids), [c << _COUNT_BITS for c in combo_of])
        return entry

    def _values(self, key: str) -> set:
        values = self._distinct.get(key)
        if values is None:
            values = self._distinct[key] = set(self._label(key))
        return values


class _Names:
    """The feasible nodes' names, listed only if the score breakdown is read."""

    __slots__ = ("names", "positions")

    def __init__(self, names: list[str], positions: list[int]):
        self.names, self.positions = names, positions

    def __iter__(self):
        return map(self.names.__getitem__, self.positions)
