"""``controller.ActivePodsWithRanks`` (pkg/controller/controller_utils.go): the order in which
a ReplicaSet scale-down picks its victims (first = deleted first), with the PodDeletionCost
and LogarithmicScaleDown features on (their 1.34 defaults):

1. unassigned (no nodeName) before assigned
2. phase Pending < Unknown < Running
3. not Ready before Ready
4. lower ``controller.kubernetes.io/pod-deletion-cost`` first
5. higher rank first (rank = active related pods on the same node)
6. both Ready with different ready times: the shorter-ready one first, compared by
   floor(log2(now − readyTime in ns)); equal buckets -> lower UID first
7. higher max container restart count first (then higher sidecar restart count)
8. newer creationTimestamp first (same log2 bucketing; equal bucket -> lower UID)

Go's ``sort.Sort`` is not stable; kctl sorts stably over the pods in (name) order so ties
the comparator leaves open resolve deterministically.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from datetime import datetime

from kctl.controllers.deployment.podutil import aware, is_pod_active, is_pod_ready, parse_time

POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def get_deletion_cost_from_pod_annotations(annotations: dict | None) -> int:
    """``helper.GetDeletionCostFromPodAnnotations``: an int32, 0 when absent or invalid."""
    value = (annotations or {}).get(POD_DELETION_COST)
    if value is None:
        return 0
    try:
        cost = int(value, 10)
    except (TypeError, ValueError):
        return 0
    return cost if _INT32_MIN <= cost <= _INT32_MAX else 0


def max_container_restarts(pod: dict) -> tuple[int, int]:
    """(max regular container restarts, max restartable-init (sidecar) container restarts)."""
    status = pod.get("status") or {}
    regular = max((int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or ()), default=0)
    sidecars = {c.get("name") for c in (pod.get("spec") or {}).get("initContainers") or ()
                if c.get("restartPolicy") == "Always"}
    sidecar = max((int(c.get("restartCount") or 0) for c in status.get("initContainerStatuses") or ()
                   if c.get("name") in sidecars), default=0)
    return regular, sidecar


def _ready_time(pod: dict) -> datetime | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready" and c.get("status") == "True":
            return parse_time(c.get("lastTransitionTime"))
    return None


def _log2_rank(t: datetime, now: datetime) -> int:
    delta = now - t
    ns = (delta.days * 86400 + delta.seconds) * 10**9 + delta.microseconds * 1000
    return int(math.log2(float(ns))) if ns > 0 else -1


class _Key:
    __slots__ = ("node", "phase", "ready", "cost", "rank", "ready_time", "restarts", "created", "uid")

    def __init__(self, pod: dict, rank: int):
        m = pod.get("metadata") or {}
        self.node = (pod.get("spec") or {}).get("nodeName") or ""
        self.phase = _PHASE_ORDINAL.get((pod.get("status") or {}).get("phase"), 0)
        self.ready = is_pod_ready(pod)
        self.cost = get_deletion_cost_from_pod_annotations(m.get("annotations"))
        self.rank = rank
        self.ready_time = _ready_time(pod) if self.ready else None
        self.restarts = max_container_restarts(pod)
        self.created = parse_time(m.get("creationTimestamp"))
        self.uid = m.get("uid", "")


def _after_or_zero(t1: datetime | None, t2: datetime | None) -> bool:
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _time_less(t1: datetime | None, t2: datetime | None, uid1: str, uid2: str, now: datetime | None) -> bool:
    if now is None or t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = _log2_rank(t1, now) - _log2_rank(t2, now)
    if diff == 0:
        return uid1 < uid2
    return diff < 0


def _less(i: _Key, j: _Key, now: datetime | None) -> bool:
    if i.node != j.node and (not i.node or not j.node):
        return not i.node
    if i.phase != j.phase:
        return i.phase < j.phase
    if i.ready != j.ready:
        return not i.ready
    if i.cost != j.cost:
        return i.cost < j.cost
    if i.rank != j.rank:
        return i.rank > j.rank
    if i.ready and j.ready and i.ready_time != j.ready_time:
        return _time_less(i.ready_time, j.ready_time, i.uid, j.uid, now)
    if i.restarts[0] != j.restarts[0]:
        return i.restarts[0] > j.restarts[0]
    if i.restarts[1] != j.restarts[1]:
        return i.restarts[1] > j.restarts[1]
    if i.created != j.created:
        return _time_less(i.created, j.created, i.uid, j.uid, now)
    return False


def sort_active_pods_with_ranks(pods: list[dict], ranks: list[int], now: datetime | None) -> list[dict]:
    """The pods ordered by ``ActivePodsWithRanks.Less`` (deletion candidates first)."""
    now = aware(now) if now is not None else None
    keyed = sorted(zip(pods, (_Key(p, r) for p, r in zip(pods, ranks, strict=True)), strict=True),
                   key=lambda pk: (pk[0].get("metadata") or {}).get("name", ""))

    def cmp(a, b) -> int:
        if _less(a[1], b[1], now):
            return -1
        if _less(b[1], a[1], now):
            return 1
        return 0

    keyed.sort(key=functools.cmp_to_key(cmp))
    return [p for p, _ in keyed]


def get_pods_ranked_by_related_pods_on_same_node(pods_to_rank: list[dict], related_pods: Iterable[dict]) -> list[int]:
    """Ranks: how many active related pods share each pod's node (unassigned pods share "")."""
    on_node: dict[str, int] = {}
    for pod in related_pods:
        if is_pod_active(pod):
            node = (pod.get("spec") or {}).get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    return [on_node.get((p.get("spec") or {}).get("nodeName") or "", 0) for p in pods_to_rank]


def get_pods_to_delete(filtered_pods: list[dict], related_pods: Iterable[dict], diff: int,
                       now: datetime | None) -> list[dict]:
    """``getPodsToDelete``: the ``diff`` first pods by rank (no sorting when all go)."""
    if diff < len(filtered_pods):
        ranks = get_pods_ranked_by_related_pods_on_same_node(filtered_pods, related_pods)
        return sort_active_pods_with_ranks(filtered_pods, ranks, now)[:diff]
    return list(filtered_pods[:diff])
