"""The VPA updater (Controller ``vpa-updater``; pkg/updater): evicts pods whose requests
are far from the recommendation so that their controller re-creates them and admission
gives the new pods the recommended requests. Modes ``Recreate`` (the default) and ``Auto``
(its alias; ``InPlaceOrRecreate`` too, as kctl has no in-place resize) evict; ``Off`` and
``Initial`` never do.

A pod is updated (UpdatePriorityCalculator.AddPod) when a container's request of a
recommended resource lies outside [lowerBound, upperBound]; or after a *quick OOM*: a
container (not ``mode: Off``) whose last termination was ``OOMKilled`` less than 10 min
(``--evict-after-oom-threshold``) after it started, unless the requests already equal the
targets; or when it has run for at least 12 h and its requests differ from the targets by
at least 10% (ResourceDiff: sum over resources of |target - request| / max(request, 1)).
Candidates are ordered as upstream's PodPriority: pods with a container to grow first,
then by that difference (largest first; ties by name). Evictions need at least ``minReplicas``
(2) live pods and keep configured - int(configured x 0.5) pods alive (one pod may go when
all are running and the tolerance is 0). One pass a step (upstream: every minute).
Events: pod ``EvictedByVPA`` ``Pod was evicted by VPA Updater to apply resource
recommendation.``; VPA ``EvictedPod`` ``VPA Updater evicted Pod <name> to apply resource
recommendation.``
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import Plan, parse_time
from kctl.controllers.vpa import policy as vpa_policy
from kctl.controllers.vpa.targets import VPAS, target_object, target_pods, update_mode

COMPONENT = "vpa-updater"
DEFAULT_MIN_REPLICAS = 2
EVICTION_TOLERANCE = 0.5
POD_LIFETIME_UPDATE_THRESHOLD = 12 * 3600
POD_UPDATE_THRESHOLD = 0.1
#: --evict-after-oom-threshold
EVICT_AFTER_OOM_THRESHOLD = 600


def update_priority(pod: dict, recs: dict[str, dict]) -> tuple[bool, float, bool]:
    """GetUpdatePriority: (outside the recommended range, ResourceDiff, scale-up)."""
    outside = scale_up = False
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
            wanted = vpa_policy.to_amount(res, target)
            if wanted > request:
                scale_up = True
            lower = vpa_policy.to_amount(res, (rec.get("lowerBound") or {}).get(res, target))
            upper = vpa_policy.to_amount(res, (rec.get("upperBound") or {}).get(res, target))
            if request < lower or request > upper:
                outside = True
            t = totals.setdefault(res, [0, 0])
            t[0] += request
            t[1] += wanted
    diff = 0.0
    for request, target in totals.values():
        total = max(float(request), 1.0)
        diff += abs(total - target) / total
    return outside, diff, scale_up


def quick_oom(pod: dict, vpa: dict) -> bool:
    """A container (not ``mode: Off``) OOM-killed less than EVICT_AFTER_OOM_THRESHOLD after it started."""
    for cs in (pod.get("status") or {}).get("containerStatuses") or ():
        if vpa_policy.is_off(vpa_policy.container_policy(vpa, cs.get("name", ""))):
            continue
        term = (cs.get("lastState") or {}).get("terminated") or {}
        if term.get("reason") != "OOMKilled":
            continue
        started, finished = parse_time(term.get("startedAt")), parse_time(term.get("finishedAt"))
        if started is not None and finished is not None and (
                (finished - started).total_seconds() < EVICT_AFTER_OOM_THRESHOLD):
            return True
    return False


def accepts_update(pod: dict, vpa: dict, outside: bool, diff: float, now: datetime) -> bool:
    """UpdatePriorityCalculator.AddPod's rules (see the module docstring)."""
    oom = quick_oom(pod, vpa)
    if not outside and not oom:
        started = parse_time((pod.get("status") or {}).get("startTime"))
        if started is None or (now - started).total_seconds() < POD_LIFETIME_UPDATE_THRESHOLD:
            return False
        if diff < POD_UPDATE_THRESHOLD:
            return False
    return not (oom and diff == 0)


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
                outside, diff, scale_up = update_priority(pod, recs)
                if accepts_update(pod, vpa, outside, diff, now):
                    candidates.append((not scale_up, -diff, pod["metadata"]["name"], pod))
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
