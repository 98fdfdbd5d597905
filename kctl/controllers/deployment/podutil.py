"""Pod predicates the workload controllers share (``k8s.io/kubernetes/pkg/api/v1/pod/util.go``).

``is_pod_ready`` / ``is_pod_available`` mirror ``podutil.IsPodReady`` / ``IsPodAvailable``:
a pod is available when Ready and, with ``minReadySeconds > 0``, its Ready condition's
``lastTransitionTime + minReadySeconds`` is strictly before ``now`` (Go's ``Time.Before``).
``is_pod_active`` is ``controller.IsPodActive``: not Succeeded/Failed, no deletionTimestamp.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kctl.controllers.base import parse_time  # noqa: F401  (podutil.parse_time, as callers import it)


def aware(now: datetime) -> datetime:
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def pod_ready_condition(pod: dict) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c
    return None


def is_pod_ready(pod: dict) -> bool:
    c = pod_ready_condition(pod)
    return c is not None and c.get("status") == "True"


def is_pod_available(pod: dict, min_ready_seconds: int, now: datetime) -> bool:
    c = pod_ready_condition(pod)
    if c is None or c.get("status") != "True":
        return False
    if not min_ready_seconds:
        return True
    ltt = parse_time(c.get("lastTransitionTime"))
    return ltt is not None and ltt + timedelta(seconds=min_ready_seconds) < aware(now)


def is_pod_active(pod: dict) -> bool:
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not (pod.get("metadata") or {}).get("deletionTimestamp")
