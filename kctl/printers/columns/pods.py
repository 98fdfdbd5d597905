"""Pod rows: READY, STATUS, RESTARTS, AGE (+ IP, NODE, NOMINATED NODE, READINESS GATES).

Mirrors ``printPod`` in kubernetes ``pkg/printers/internalversion/printers.go``: the
STATUS reason algorithm (phase/reason, SchedulingGated, init containers, containers
walked last-to-first, Completed->Running/NotReady, Terminating/Unknown), sidecar
(restartable init container) accounting and ``N (<age> ago)`` restarts.
"""

from __future__ import annotations

from datetime import datetime

from kctl.printers.duration import parse_rfc3339, translate_timestamp_since

from . import AGE, NAME, Column, register
from .common import age

NODE_UNREACHABLE_POD_REASON = "NodeLost"


def is_restartable_init_container(container: dict | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def _condition_true(conditions: list, ctype: str) -> bool:
    return any(c.get("type") == ctype and c.get("status") == "True" for c in conditions)


def _terminated_finished_at(status: dict) -> str | None:
    last = (status.get("lastState") or {}).get("terminated")
    if last is not None:
        return last.get("finishedAt") or ""
    return None


def _later(current: str | None, candidate: str | None) -> str | None:
    """metav1.Time.Before on RFC 3339 strings (zero/empty time sorts first)."""
    if not candidate:
        return current
    if not current:
        return candidate
    return candidate if parse_rfc3339(current) < parse_rfc3339(candidate) else current


def pod_status_cells(pod: dict) -> tuple[int, int, str, int, str | None]:
    """(ready, total, reason, restarts, last_restart_finished_at) for a pod."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    conditions = status.get("conditions") or []
    restarts = 0
    restartable_init_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: str | None = None
    last_restartable_init_restart: str | None = None

    phase = status.get("phase") or ""
    reason = phase
    if status.get("reason"):
        reason = status["reason"]
    for c in conditions:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    spec_inits = spec.get("initContainers") or []
    init_containers = {c.get("name"): c for c in spec_inits}
    total += sum(1 for c in spec_inits if is_restartable_init_container(c))

    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(cs.get("restartCount") or 0)
        finished = _terminated_finished_at(cs)
        last_restart = _later(last_restart, finished)
        restartable = is_restartable_init_container(init_containers.get(cs.get("name")))
        if restartable:
            restartable_init_restarts += int(cs.get("restartCount") or 0)
            last_restartable_init_restart = _later(last_restartable_init_restart, finished)
        state = cs.get("state") or {}
        terminated = state.get("terminated")
        waiting = state.get("waiting")
        if terminated is not None and int(terminated.get("exitCode") or 0) == 0:
            continue
        if restartable and cs.get("started") is True:
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                if terminated.get("signal"):
                    reason = f"Init:Signal:{terminated['signal']}"
                else:
                    reason = f"Init:ExitCode:{terminated.get('exitCode') or 0}"
            else:
                reason = "Init:" + terminated["reason"]
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(spec_inits)}"
        initializing = True
        break

    if not initializing or _condition_true(conditions, "Initialized"):
        restarts = restartable_init_restarts
        last_restart = last_restartable_init_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount") or 0)
            last_restart = _later(last_restart, _terminated_finished_at(cs))
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            terminated = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode') or 0}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(conditions, "Ready") else "NotReady"

    deletion = (pod.get("metadata") or {}).get("deletionTimestamp")
    if deletion and status.get("reason") == NODE_UNREACHABLE_POD_REASON:
        reason = "Unknown"
    elif deletion and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return ready, total, reason, restarts, last_restart


def pod_row(pod: dict, now: datetime) -> list:
    ready, total, reason, restarts, last_restart = pod_status_cells(pod)
    restarts_str = str(restarts)
    if restarts != 0 and last_restart:
        restarts_str = f"{restarts} ({translate_timestamp_since(last_restart, now)} ago)"
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    pod_ips = status.get("podIPs") or []
    pod_ip = (pod_ips[0].get("ip") if pod_ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    readiness_gates = "<none>"
    if gates:
        conditions = status.get("conditions") or []
        true_count = 0
        for gate in gates:
            for c in conditions:
                if c.get("type") == gate.get("conditionType"):
                    if c.get("status") == "True":
                        true_count += 1
                    break
        readiness_gates = f"{true_count}/{len(gates)}"
    return [
        (pod.get("metadata") or {}).get("name", ""),
        f"{ready}/{total}",
        reason,
        restarts_str,
        age(pod, now),
        pod_ip,
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        readiness_gates,
    ]


register(
    "",
    "Pod",
    (
        NAME,
        Column("Ready"),
        Column("Status"),
        Column("Restarts"),
        AGE,
        Column("IP", 1),
        Column("Node", 1),
        Column("Nominated Node", 1),
        Column("Readiness Gates", 1),
    ),
    pod_row,
)
