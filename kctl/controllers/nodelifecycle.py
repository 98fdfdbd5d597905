"""Node lifecycle: condition taints, NotReady pods, NoExecute taint eviction, orphaned pods.

One controller (name ``node-controller``) covering what upstream splits over the node
lifecycle controller, the taint-eviction controller and PodGC:

1. Taints from conditions (``doNoScheduleTaintingPass`` / ``doNoExecuteTaintingPass``):
   Ready False -> ``node.kubernetes.io/not-ready`` NoSchedule + NoExecute; Ready Unknown (or no
   Ready condition) -> ``node.kubernetes.io/unreachable`` NoSchedule + NoExecute; MemoryPressure,
   DiskPressure, PIDPressure True and NetworkUnavailable True -> ``memory-pressure``,
   ``disk-pressure``, ``pid-pressure``, ``network-unavailable`` NoSchedule; ``spec.unschedulable``
   -> ``node.kubernetes.io/unschedulable`` NoSchedule. NoExecute taints get ``timeAdded``. Taints
   that no longer apply are removed; nothing changes when the node is already right (no churn).
   Nodes without any conditions (not yet reported) are left alone.
2. MarkPodsNotReady: pods on a node whose Ready is not True get their Ready condition set to
   False, with a Warning ``NodeNotReady`` event ``Node is not ready``.
3. Taint eviction (``pkg/controller/tainteviction``): a pod on a node with a NoExecute taint it
   does not tolerate is deleted now; if all NoExecute taints are tolerated, it is deleted once
   the smallest ``tolerationSeconds`` of the matching tolerations has passed (none set = never).
   The clock starts at the later of the taint's ``timeAdded`` and the pod's binding time
   (PodScheduled transition, else creation). Event: Normal ``TaintManagerEviction``
   ``Marking for deletion Pod <ns>/<name>``; the pod gets condition DisruptionTarget
   (``DeletionByTaintManager``, ``Taint manager: deleting due to NoExecute taint``) and a normal
   (graceful) delete. Admission adds not-ready/unreachable tolerations for 300 s to every pod.
4. Orphaned pods (PodGC ``gcOrphaned``): a pod bound to a node that does not exist is marked
   Failed with DisruptionTarget (``DeletionByPodGC``, ``PodGC: node no longer exists``) and
   force-deleted (grace 0) so its controller replaces it. PodGC records no event. Upstream
   waits a 40 s quarantine first; the simulation does not (node deletion is explicit here).
   Terminating pods that were never scheduled are force-deleted too (``gcUnscheduledTerminating``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kctl.api.scheduling import tolerates_taint
from kctl.controllers.base import Delete, ObjectRef, Plan, clone, rfc3339

COMPONENT = "node-controller"

TAINT_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
#: (condition type, status) -> NoSchedule taint key (nodeConditionToTaintKeyStatusMap).
CONDITION_TAINTS = {
    ("Ready", "False"): TAINT_NOT_READY,
    ("Ready", "Unknown"): TAINT_UNREACHABLE,
    ("MemoryPressure", "True"): "node.kubernetes.io/memory-pressure",
    ("DiskPressure", "True"): "node.kubernetes.io/disk-pressure",
    ("PIDPressure", "True"): "node.kubernetes.io/pid-pressure",
    ("NetworkUnavailable", "True"): "node.kubernetes.io/network-unavailable",
}
CONTROLLER_TAINT_KEYS = frozenset(CONDITION_TAINTS.values()) | {TAINT_UNSCHEDULABLE}
TERMINAL_PHASES = ("Succeeded", "Failed")


def _as_utc(t: datetime) -> datetime:
    t = t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    return t.replace(microsecond=0)


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return _as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _ready_status(node: dict) -> str | None:
    conditions = (node.get("status") or {}).get("conditions") or []
    if not conditions:
        return None
    for cond in conditions:
        if cond.get("type") == "Ready":
            return cond.get("status") or "Unknown"
    return "Unknown"


# -- 1. taints from conditions ------------------------------------------------------------
def desired_controller_taints(node: dict, now: datetime) -> list[dict]:
    """The taints this controller wants on the node (NoSchedule first, then NoExecute)."""
    conditions = (node.get("status") or {}).get("conditions") or []
    taints = []
    ready = _ready_status(node)
    for cond in conditions:
        key = CONDITION_TAINTS.get((cond.get("type"), cond.get("status")))
        if key:
            taints.append({"key": key, "effect": "NoSchedule"})
    if ready == "Unknown" and not any(c.get("type") == "Ready" for c in conditions):
        taints.append({"key": TAINT_UNREACHABLE, "effect": "NoSchedule"})
    if (node.get("spec") or {}).get("unschedulable"):
        taints.append({"key": TAINT_UNSCHEDULABLE, "effect": "NoSchedule"})
    if ready == "False":
        taints.append({"key": TAINT_NOT_READY, "effect": "NoExecute", "timeAdded": rfc3339(now)})
    elif ready == "Unknown":
        taints.append({"key": TAINT_UNREACHABLE, "effect": "NoExecute", "timeAdded": rfc3339(now)})
    return taints


def reconcile_node_taints(node: dict, now: datetime) -> list[dict] | None:
    """The node's new ``spec.taints`` or None when nothing changes. Existing taints keep their
    position and ``timeAdded``; taints the controller owns but no longer wants are dropped."""
    if not (node.get("status") or {}).get("conditions"):
        return None
    current = list((node.get("spec") or {}).get("taints") or [])
    desired = desired_controller_taints(node, now)
    wanted = {(t["key"], t["effect"]) for t in desired}
    kept = [t for t in current
            if t.get("key") not in CONTROLLER_TAINT_KEYS or (t.get("key"), t.get("effect")) in wanted]
    have = {(t.get("key"), t.get("effect")) for t in kept}
    new = kept + [t for t in desired if (t["key"], t["effect"]) not in have]
    return None if new == current else new


# -- 3. taint eviction ----------------------------------------------------------------------
def matching_tolerations(taints: list[dict], tolerations: list[dict]) -> list[dict] | None:
    """GetMatchingTolerations: the first toleration of each taint, or None if one is untolerated."""
    used = []
    for taint in taints:
        match = next((t for t in tolerations if tolerates_taint(t, taint)), None)
        if match is None:
            return None
        used.append(match)
    return used


def min_toleration_seconds(tolerations: list[dict]) -> int | None:
    """getMinTolerationTime: 0 for an empty list, None (= forever) if none sets seconds."""
    if not tolerations:
        return 0
    seconds = [int(t["tolerationSeconds"]) for t in tolerations if t.get("tolerationSeconds") is not None]
    if not seconds:
        return None
    return max(0, min(seconds))


def _bound_at(pod: dict) -> datetime | None:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "PodScheduled" and cond.get("status") == "True":
            return _parse(cond.get("lastTransitionTime"))
    return _parse((pod.get("metadata") or {}).get("creationTimestamp"))


def eviction_time(pod: dict, node: dict) -> datetime | None | bool:
    """When the taint manager deletes ``pod``: True = now, None = never, else a time."""
    taints = [t for t in (node.get("spec") or {}).get("taints") or () if t.get("effect") == "NoExecute"]
    if not taints:
        return None
    used = matching_tolerations(taints, (pod.get("spec") or {}).get("tolerations") or [])
    if used is None:
        return True
    seconds = min_toleration_seconds(used)
    if seconds is None:
        return None
    starts = [t for t in (_parse(t.get("timeAdded")) for t in taints) if t is not None]
    bound = _bound_at(pod)
    if bound is not None:
        starts.append(bound)
    if not starts:
        return True if seconds == 0 else None
    return max(starts) + timedelta(seconds=seconds)


def _with_condition(pod: dict, condition: dict, now: datetime, phase: str | None = None) -> dict:
    updated = clone(pod)
    status = updated.setdefault("status", {})
    conditions = [c for c in status.get("conditions") or () if c.get("type") != condition["type"]]
    conditions.append({**condition, "lastProbeTime": None, "lastTransitionTime": rfc3339(now)})
    status["conditions"] = conditions
    if phase is not None:
        status["phase"] = phase
    return updated


class NodeLifecycleController:
    name = COMPONENT

    def sync(self, cluster, now: datetime):
        now = _as_utc(now)
        plan = Plan()
        nodes = {n["metadata"]["name"]: n for n in cluster.list("nodes")}
        for name in sorted(nodes):
            node = nodes[name]
            taints = reconcile_node_taints(node, now)
            if taints is not None:
                updated = clone(node)
                updated.setdefault("spec", {})["taints"] = taints
                plan.update(updated)
                nodes[name] = updated
        for pod in cluster.list("pods"):
            meta = pod.get("metadata") or {}
            node_name = (pod.get("spec") or {}).get("nodeName")
            if not node_name:
                if meta.get("deletionTimestamp"):
                    plan.actions.append(Delete(ObjectRef.of(pod), grace_period_seconds=0))
                continue
            node = nodes.get(node_name)
            if node is None:
                self._gc_orphaned(pod, now, plan)
                continue
            if meta.get("deletionTimestamp"):
                continue
            if self._evict_by_taint(pod, node, now, plan):
                continue
            self._mark_not_ready(pod, node, now, plan)
        return plan.actions

    @staticmethod
    def _gc_orphaned(pod: dict, now: datetime, plan: Plan) -> None:
        phase = (pod.get("status") or {}).get("phase")
        condition = {"type": "DisruptionTarget", "status": "True", "reason": "DeletionByPodGC",
                     "message": "PodGC: node no longer exists"}
        plan.update_status(_with_condition(pod, condition, now, None if phase in TERMINAL_PHASES else "Failed"))
        plan.actions.append(Delete(ObjectRef.of(pod), grace_period_seconds=0))

    @staticmethod
    def _evict_by_taint(pod: dict, node: dict, now: datetime, plan: Plan) -> bool:
        when = eviction_time(pod, node)
        if when is None or (when is not True and when > now):
            return False
        meta = pod.get("metadata") or {}
        plan.event(pod, "Normal", "TaintManagerEviction",
                   f"Marking for deletion Pod {meta.get('namespace') or 'default'}/{meta.get('name', '')}",
                   COMPONENT)
        condition = {"type": "DisruptionTarget", "status": "True", "reason": "DeletionByTaintManager",
                     "message": "Taint manager: deleting due to NoExecute taint"}
        plan.update_status(_with_condition(pod, condition, now))
        plan.delete(pod)
        return True

    @staticmethod
    def _mark_not_ready(pod: dict, node: dict, now: datetime, plan: Plan) -> None:
        ready = _ready_status(node)
        if ready in (None, "True"):
            return
        status = pod.get("status") or {}
        cond = next((c for c in status.get("conditions") or () if c.get("type") == "Ready"), None)
        if cond is None or cond.get("status") == "False":
            return
        updated = clone(pod)
        for c in updated["status"]["conditions"]:
            if c.get("type") == "Ready":
                c["status"] = "False"
                c["lastTransitionTime"] = rfc3339(now)
        plan.update_status(updated)
        plan.event(pod, "Warning", "NodeNotReady", "Node is not ready", COMPONENT)
