"""The VPA updater (Controller ``vpa-updater``; pkg/updater): evicts pods whose requests
are far from the recommendation so that their controller re-creates them and admission
gives the new pods the recommended requests. Modes ``Recreate`` (the default) and ``Auto``
(its alias; ``InPlaceOrRecreate`` too, as kctl has no in-place resize) evict; ``Off`` and
``Initial`` never do.

A pod is updated when a container's request of a recommended resource lies outside
[lowerBound, upperBound], or when it is older than 12 h and its requests differ from the
targets by more than 10% (sum over resources of |target - request| / request). Candidates
go outside-range first, then by that difference. Evictions need at least ``minReplicas``
(2) live pods and keep configured - int(configured x 0.5) pods alive (one pod may go when
all are running and the tolerance is 0). One pass a step (upstream: every minute).
Events: pod ``EvictedByVPA`` ``Pod was evicted by VPA Updater to apply resource
recommendation.``; VPA ``EvictedPod`` ``VPA Updater evicted Pod <name> to apply resource
recommendation.``
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import Plan
from kctl.controllers.vpa import policy as vpa_policy
from kctl.controllers.vpa.targets import VPAS, target_object, target_pods, update_mode

COMPONENT = "vpa-updater"
DEFAULT_MIN_REPLICAS = 2
EVICTION_TOLERANCE = 0.5
POD_LIFETIME_UPDATE_THRESHOLD = 12 * 3600
POD_UPDATE_THRESHOLD = 0.1


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def update_priority(pod: dict, recs: dict[str, dict]) -> tuple[bool, float]:
    """(outside the recommended range, relative difference of the requests from the targets)."""
    outside = False
    totals: dict[str, list[int]] = {}
    for c in (pod.get("spec") or {}).get("containers") or ():
        rec = recs.get(c.get("name"))
        if rec is None:
            continue
        requests = ((c.get("resources") or {}).get("requests")) or {}
        for res, target in (rec.get("target") or {}).items():
            if res not in requests:
                outside = True
                request = 0
            else:
                request = vpa_policy.to_amount(res, requests[res])
            lower = vpa_policy.to_amount(res, (rec.get("lowerBound") or {}).get(res, target))
            upper = vpa_policy.to_amount(res, (rec.get("upperBound") or {}).get(res, target))
            if request < lower or request > upper:
                outside = True
            t = totals.setdefault(res, [0, 0])
            t[0] += request
            t[1] += vpa_policy.to_amount(res, target)
    diff = 0.0
    for request, target in totals.values():
        if request > 0:
            diff += abs(target - request) / request
    return outside, diff


def configured_replicas(vpa: dict, cluster, live: int) -> int:
    target = target_object(vpa, cluster.get)
    replicas = ((target or {}).get("spec") or {}).get("replicas")
    return int(replicas) if replicas is not None else live


class VPAUpdater:
    name = COMPONENT

    def __init__(self):
        self._done: set[str] = set()

    def sync(self, cluster, now: datetime):
        plan = Plan()
        for vpa in cluster.list(VPAS):
            uid = (vpa.get("metadata") or {}).get("uid", "")
            if uid in self._done or update_mode(vpa) != "Recreate":
                continue
            recs = {r.get("containerName"): r for r in
                    (((vpa.get("status") or {}).get("recommendation") or {}).get("containerRecommendations") or [])}
            if not recs:
                continue
            pods = [p for p in target_pods(vpa, cluster)
                    if (p.get("status") or {}).get("phase") == "Running"
                    and not (p.get("metadata") or {}).get("deletionTimestamp")]
            min_replicas = int(((vpa.get("spec") or {}).get("updatePolicy") or {}).get("minReplicas")
                               or DEFAULT_MIN_REPLICAS)
            if not pods or len(pods) < min_replicas:
                continue
            self._done.add(uid)
            configured = configured_replicas(vpa, cluster, len(pods))
            tolerance = int(configured * EVICTION_TOLERANCE)
            candidates = []
            for pod in pods:
                outside, diff = update_priority(pod, recs)
                started = _parse((pod.get("status") or {}).get("startTime")
                                 or (pod.get("metadata") or {}).get("creationTimestamp"))
                old = started is not None and (now - started).total_seconds() > POD_LIFETIME_UPDATE_THRESHOLD
                if outside or (old and diff > POD_UPDATE_THRESHOLD):
                    candidates.append((not outside, -diff, pod["metadata"]["name"], pod))
            running = len(pods)
            for evicted, (*_, pod) in enumerate(sorted(candidates, key=lambda c: c[:3])):
                if not (running - evicted > configured - tolerance
                        or (running == configured and tolerance == 0 and evicted == 0)):
                    break
                plan.event(pod, "Normal", "EvictedByVPA",
                           "Pod was evicted by VPA Updater to apply resource recommendation.", COMPONENT)
                plan.event(vpa, "Normal", "EvictedPod",
                           f"VPA Updater evicted Pod {pod['metadata']['name']} to apply resource recommendation.",
                           COMPONENT)
                plan.delete(pod)
        return plan.actions
