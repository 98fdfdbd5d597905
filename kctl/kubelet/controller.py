"""The simulated kubelet as a controller: every Ready node's kubelet, in one loop.

For each pod bound to a node (``spec.nodeName``) that exists and is Ready:
- a pod with ``metadata.deletionTimestamp`` is being stopped: while containers still run and
  ``now < deletionTimestamp`` (the API server set it to deletion time + grace period) nothing
  changes (kubectl shows Terminating); then the kubelet stops the running containers
  (``Killing``: ``Stopping container <c>``) and removes the pod: ``Delete`` with
  ``grace_period_seconds=0``. A pod with nothing running is removed at once.
- terminal pods (Succeeded/Failed) are left alone;
- otherwise ``generate_pod_status`` gives the next status; an ``UpdateStatus`` is returned only
  when it differs from the current one (a converged cluster yields no actions), together with
  the events of the transition (source component ``kubelet``, host = the node name).
Pod IPs come from a host-local IPAM per node (see ``ipam``), reserved from the pods that
already hold addresses, allocated in (creationTimestamp, namespace, name) order.
Node heartbeats are refreshed only on request (``heartbeat``), not on every pass.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kctl.controllers.base import Delete, ObjectRef, Plan
from kctl.kubelet.ipam import HostLocalIPAM, holds_pod_ip
from kctl.kubelet.node_status import is_node_ready, refresh_node_heartbeat
from kctl.kubelet.registration import (
    free_internal_ips,
    needs_registration,
    node_addresses,
    register,
    registration_events,
)
from kctl.kubelet.status import TERMINAL_PHASES, Lookups, generate_pod_status
from kctl.kubelet.timeutil import as_utc, parse_time

COMPONENT = "kubelet"


def _pod_order(pod: dict) -> tuple[str, str, str]:
    meta = pod.get("metadata") or {}
    return meta.get("creationTimestamp") or "", meta.get("namespace") or "", meta.get("name", "")


class Kubelet:
    name = COMPONENT

    def __init__(self, memory_usage=None):
        #: Optional ``(pod, container_name) -> bytes | None`` (the OOM trigger).
        self.memory_usage = memory_usage
        #: (namespace, name) -> (pod, node, now, reads, result) of the last status computed.
        self._memo: dict[tuple, tuple] = {}

    def sync(self, cluster, now: datetime):
        now = as_utc(now)
        plan = Plan()
        self._register_nodes(cluster, now, plan)
        by_node: dict[str, list[dict]] = {}
        for pod in cluster.list("pods"):
            node_name = (pod.get("spec") or {}).get("nodeName")
            if node_name:
                by_node.setdefault(node_name, []).append(pod)
        for node_name in sorted(by_node):
            node = cluster.get("nodes", None, node_name)
            if node is None or not is_node_ready(node):
                continue
            self._sync_node(cluster, node, sorted(by_node[node_name], key=_pod_order), now, plan)
        return plan.actions

    def _register_nodes(self, cluster, now: datetime, plan: Plan) -> None:
        """Nodes no kubelet has reported on get registered (see ``registration``): labels
        and annotations by an update, the status by a status update, and the start-up events.
        Their pods wait for the next round, when the node is Ready."""
        nodes = cluster.list("nodes")
        waiting = sorted((n for n in nodes if needs_registration(n)), key=_pod_order)
        if not waiting:
            return
        taken: set[str] = set()
        for n in nodes:
            taken |= node_addresses(n)
        addresses = free_internal_ips(taken)
        for node in waiting:
            registered = register(node, now, None if node_addresses(node) else next(addresses))
            if registered["metadata"] != node["metadata"]:
                plan.update({**node, "metadata": registered["metadata"]})
            plan.update_status(registered)
            name = registered["metadata"]["name"]
            for reason, message in registration_events(name):
                plan.event(registered, "Normal", reason, message, COMPONENT, name)

    def _sync_node(self, cluster, node: dict, pods: list[dict], now: datetime, plan: Plan) -> None:
        node_name = node["metadata"]["name"]
        ipam: HostLocalIPAM | None = None
        reads = _ReadRecorder(cluster)

        def allocate_pod_ips(_pod: dict) -> list[str]:
            # The node's IPAM is only needed when a pod gets its sandbox: built on first use,
            # from the pods as they were when this sync started (as before, eagerly).
            nonlocal ipam
            reads.allocated = True
            if ipam is None:
                ipam = HostLocalIPAM(node)
                for p in pods:
                    if holds_pod_ip(p):
                        ipam.reserve(ip.get("ip", "") for ip in (p.get("status") or {}).get("podIPs") or ())
            return ipam.allocate()

        lookups = Lookups(configmap=reads.configmap, secret=reads.secret, allocate_pod_ips=allocate_pod_ips,
                          memory_usage=reads.memory_usage)
        if self.memory_usage is not None:
            lookups.memory_usage = self.memory_usage
        for pod in pods:
            meta = pod.get("metadata") or {}
            status = pod.get("status") or {}
            if meta.get("deletionTimestamp"):
                self._terminate(pod, now, plan, node_name)
                continue
            if status.get("phase") in TERMINAL_PHASES:
                continue
            result = self._pod_status(cluster, pod, node, lookups, reads, now)
            for ev in result.events:
                plan.event(pod, ev.type, ev.reason, ev.message, COMPONENT, node_name, ev.field_path)
            if result.status != status:
                # The manager and the API server read an action's object without changing it.
                plan.update_status({**pod, "status": result.status}, handover=True)

    def _pod_status(self, cluster, pod: dict, node: dict, lookups: Lookups, reads: _ReadRecorder, now: datetime):
        """``generate_pod_status``, reusing this loop's previous answer when nothing it read has
        changed: the same pod and node objects (the view replaces objects, it never changes them
        in place), the same ``now``, and the same objects behind every ConfigMap/Secret lookup.
        The function is pure for those inputs, so its answer (status and events) is the same;
        answers that allocated a pod IP or read memory usage are never reused."""
        key = ((pod.get("metadata") or {}).get("namespace"), (pod.get("metadata") or {}).get("name"))
        memo = self._memo.get(key)
        if memo is not None and memo[0] is pod and memo[1] is node and memo[2] == now and all(
            cluster.get(resource, ns, name) is obj for resource, ns, name, obj in memo[3]
        ):
            return memo[4]
        reads.start()
        result = generate_pod_status(pod, node, lookups, now)
        if reads.allocated or self.memory_usage is not None:
            self._memo.pop(key, None)
        else:
            self._memo[key] = (pod, node, now, tuple(reads.seen), result)
        return result

    def _terminate(self, pod: dict, now: datetime, plan: Plan, node_name: str) -> None:
        status = pod.get("status") or {}
        running = [("spec.initContainers", s) for s in status.get("initContainerStatuses") or ()
                   if "running" in (s.get("state") or {})]
        running += [("spec.containers", s) for s in status.get("containerStatuses") or ()
                    if "running" in (s.get("state") or {})]
        if running and now < shutdown_deadline(pod):
            return
        # Stop order: app containers, then sidecars (in reverse).
        for where, s in [r for r in running if r[0] == "spec.containers"] + \
                [r for r in reversed(running) if r[0] == "spec.initContainers"]:
            name = s.get("name", "")
            plan.event(pod, "Normal", "Killing", f"Stopping container {name}", COMPONENT, node_name,
                       f"{where}{{{name}}}")
        plan.actions.append(_force_delete(pod))

    def heartbeat(self, cluster, now: datetime):
        """UpdateStatus actions refreshing ``lastHeartbeatTime`` on every node's conditions."""
        plan = Plan()
        for node in cluster.list("nodes"):
            updated = refresh_node_heartbeat(node, now)
            if updated is not None:
                plan.update_status(updated)
        return plan.actions


#: Simulated containers exit as soon as they get SIGTERM; this annotation makes one take
#: longer (never longer than the grace period, after which the kubelet kills it).
TERMINATION_SECONDS = "kctl.io/termination-seconds"


def shutdown_deadline(pod: dict) -> datetime:
    """When the pod's containers have stopped: deletion start + the simulated shutdown
    time (default 0), capped by the grace period (deletionTimestamp = start + grace)."""
    meta = pod["metadata"]
    deadline = parse_time(meta["deletionTimestamp"])
    if deadline is None:
        return now_floor()
    grace = int(meta.get("deletionGracePeriodSeconds") or 0)
    try:
        wanted = int((meta.get("annotations") or {}).get(TERMINATION_SECONDS, "0"))
    except ValueError:
        wanted = 0
    return deadline - timedelta(seconds=grace) + timedelta(seconds=min(max(wanted, 0), grace))


class _ReadRecorder:
    """ConfigMap/Secret lookups from the view that remember what they returned (per pod)."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.seen: list[tuple[str, str, str, dict | None]] = []
        self.allocated = False

    def start(self) -> None:
        self.seen = []
        self.allocated = False

    def configmap(self, namespace: str, name: str) -> dict | None:
        obj = self.cluster.get("configmaps", namespace, name)
        self.seen.append(("configmaps", namespace, name, obj))
        return obj

    def secret(self, namespace: str, name: str) -> dict | None:
        obj = self.cluster.get("secrets", namespace, name)
        self.seen.append(("secrets", namespace, name, obj))
        return obj

    def memory_usage(self, pod: dict, container: str) -> int | None:
        """The OOM trigger: the container's memory usage from its pod's PodMetrics (what the
        metrics-server reports from the load model, or what a user applied). Only read for
        containers with a memory limit (without one, no usage can OOM-kill them)."""
        from kctl.kubelet.backoff import memory_limit_bytes

        spec = next((c for c in (pod.get("spec") or {}).get("containers") or () if c.get("name") == container), None)
        if spec is None or memory_limit_bytes(spec) is None:
            return None
        from kctl.metrics.server import container_memory_bytes

        meta = pod.get("metadata") or {}
        obj = self.cluster.get("pods.metrics.k8s.io", meta.get("namespace"), meta.get("name", ""))
        self.seen.append(("pods.metrics.k8s.io", meta.get("namespace"), meta.get("name", ""), obj))
        return container_memory_bytes(obj, container)


def now_floor() -> datetime:
    return datetime.min.replace(tzinfo=UTC)


def _force_delete(pod: dict) -> Delete:
    return Delete(ObjectRef.of(pod), grace_period_seconds=0)
