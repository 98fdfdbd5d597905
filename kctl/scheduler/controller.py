"""kube-scheduler as a control loop: bind pending pods, or report why they cannot be.

Pods are taken in PrioritySort order (priority, highest first; then creation time and
name). Each placement is assumed into the snapshot before the next pod is scheduled,
as the scheduler cache does. A pod that failed is tried again only after the cluster
changed (a node, or a bound pod), the way the scheduling queue re-queues
unschedulable pods on cluster events rather than in a busy loop.
"""

from __future__ import annotations

import gc

from kctl.controllers.base import Bind, Emit, Event, ObjectRef, UpdateStatus, clone, rfc3339
from kctl.scheduler.framework import Framework
from kctl.scheduler.nodeinfo import Snapshot
from kctl.scheduler.profile import DEFAULT_PROFILE

SCHEDULER_NAME = "default-scheduler"


def is_pending(pod: dict) -> bool:
    spec = pod.get("spec") or {}
    meta = pod.get("metadata") or {}
    phase = (pod.get("status") or {}).get("phase")
    return (
        not spec.get("nodeName")
        and not meta.get("deletionTimestamp")
        and phase not in ("Succeeded", "Failed")
        and (spec.get("schedulerName") or SCHEDULER_NAME) == SCHEDULER_NAME
        and not spec.get("schedulingGates")
    )


def queue_order(pod: dict) -> tuple:
    meta = pod.get("metadata") or {}
    return (-int((pod.get("spec") or {}).get("priority") or 0), meta.get("creationTimestamp") or "",
            meta.get("namespace") or "", meta.get("name") or "")


class SchedulerController:
    name = SCHEDULER_NAME

    def __init__(self, profile=DEFAULT_PROFILE):
        self.profile = profile
        self._failed: dict[str, tuple] = {}  # pod uid -> cluster token at the failed attempt

    def sync(self, cluster, now):
        pending = [p for p in cluster.list("pods") if is_pending(p)]
        if not pending:
            return []
        nodes = cluster.list("nodes")
        pods = cluster.list("pods")
        token = (tuple((n["metadata"]["name"], n["metadata"].get("resourceVersion")) for n in nodes),
                 sum(1 for p in pods if (p.get("spec") or {}).get("nodeName")))
        pending = [p for p in pending if self._failed.get(p["metadata"].get("uid")) != token]
        if not pending:
            return []
        # Building the snapshot and placing pods allocate many containers and no reference
        # cycles to speak of: the cyclic collector would only rescan the (large) heap of
        # cluster objects meanwhile.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._schedule_all(cluster, nodes, pods, pending, token, now)
        finally:
            if collecting:
                gc.enable()

    def _schedule_all(self, cluster, nodes, pods, pending, token, now) -> list:
        snapshot = Snapshot(nodes, pods, default_spread_selector=SpreadSelectorCache(cluster))
        framework = Framework(self.profile, snapshot)
        actions = []
        for pod in sorted(pending, key=queue_order):
            result = framework.schedule_one(pod)
            meta = pod["metadata"]
            if result.node is not None:
                # The snapshot only reads the pods it holds: share all but the spec's top.
                bound = {**pod, "spec": {**(pod.get("spec") or {}), "nodeName": result.node}}
                snapshot.assume(bound, result.node)
                actions.append(Bind(ObjectRef.of(pod), result.node))
                actions.append(Emit(Event(ObjectRef.of(pod), "Normal", "Scheduled",
                                          f"Successfully assigned {meta.get('namespace')}/{meta['name']} to {result.node}",
                                          SCHEDULER_NAME)))
                self._failed.pop(meta.get("uid"), None)
            else:
                self._failed[meta.get("uid")] = token
                actions.extend(unschedulable(pod, result.message, now))
        return actions


def unschedulable(pod: dict, message: str, now) -> list:
    """PodScheduled=False/Unschedulable with the FitError text, and a FailedScheduling event."""
    actions = []
    status = (pod.get("status") or {})
    current = next((c for c in status.get("conditions") or () if c.get("type") == "PodScheduled"), None)
    if current is None or current.get("reason") != "Unschedulable" or current.get("message") != message:
        updated = clone(pod)
        st = updated.setdefault("status", {})
        conds = [c for c in st.get("conditions") or () if c.get("type") != "PodScheduled"]
        conds.insert(0, {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                         "lastTransitionTime": rfc3339(now), "reason": "Unschedulable", "message": message})
        st["conditions"] = conds
        actions.append(UpdateStatus(updated))
    actions.append(Emit(Event(ObjectRef.of(pod), "Warning", "FailedScheduling", message, SCHEDULER_NAME)))
    return actions


class SpreadSelectorCache:
    """``default_spread_selector`` for one sync: the Services and controllers do not
    change while the scheduler places pods, so each namespace's are listed and parsed
    once, and the answer is memoized per (namespace, labels)."""

    def __init__(self, cluster):
        self.cluster = cluster
        self._memo: dict[tuple, object] = {}
        self._sources: dict[str | None, tuple[list[dict], list[tuple[dict, object]]]] = {}

    def _sources_of(self, ns: str | None) -> tuple[list[dict], list[tuple[dict, object]]]:
        sources = self._sources.get(ns)
        if sources is None:
            from kctl.api.labels import selector_from_label_selector

            services = [sel for svc in self.cluster.list("services", ns) if (sel := (svc.get("spec") or {}).get("selector"))]
            owners = [(sel, selector_from_label_selector(sel))
                      for resource in ("replicasets.apps", "statefulsets.apps")
                      for owner in self.cluster.list(resource, ns)
                      if (sel := (owner.get("spec") or {}).get("selector"))]
            sources = self._sources[ns] = (services, owners)
        return sources

    def __call__(self, pod: dict):
        meta = pod.get("metadata") or {}
        labels = meta.get("labels") or {}
        if not labels:
            return None
        ns = meta.get("namespace")
        key = (ns, tuple(sorted(labels.items())))
        try:
            return self._memo[key]
        except KeyError:
            selector = self._memo[key] = _default_selector(labels, *self._sources_of(ns))
            return selector


def default_spread_selector(cluster, pod: dict):
    """helper.DefaultSelector: the selectors of Services, ReplicaSets and StatefulSets
    that select this pod, ANDed (None when nothing selects it)."""
    return SpreadSelectorCache(cluster)(pod)


def _default_selector(labels: dict, services: list[dict], owners: list[tuple[dict, object]]):
    from kctl.api.labels import selector_from_label_selector, selector_from_set

    match_labels: dict[str, str] = {}
    found = False
    for sel in services:
        if all(labels.get(k) == v for k, v in sel.items()):
            match_labels.update(sel)
            found = True
    exprs = []
    for raw, selector in owners:
        if selector.matches(labels):
            match_labels.update(raw.get("matchLabels") or {})
            exprs.extend(raw.get("matchExpressions") or ())
            found = True
    if not found:
        return None
    if exprs:
        return selector_from_label_selector({"matchLabels": match_labels, "matchExpressions": exprs})
    return selector_from_set(match_labels)
