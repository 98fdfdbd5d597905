"""Container restart back-off (CrashLoopBackOff) and OOM kills, as pure functions.

Mirrors ``kuberuntime_manager.go`` doBackOff with the default kubelet back-off
(``flowcontrol.Backoff``: initial 10 s, doubling, max 300 s): the first restart of a failed
container is immediate; after the n-th restart (restartCount n >= 1) the next failure waits
``min(10 s * 2**(n-1), 300 s)``. Messages:
- waiting: ``back-off 40s restarting failed container=<c> pod=<pod>_<ns>(<uid>)``
- event:  Warning BackOff ``Back-off restarting failed container <c> in pod <pod>_<ns>(<uid>)``
OOM (the kernel's cgroup OOM killer): memory usage above the container's memory limit ->
terminated reason ``OOMKilled``, exit code 137. Without a memory limit only node pressure
evicts (not modelled here). The metrics-driven trigger feeds usage through the kubelet's
lookups (``Lookups.memory_usage``).
"""

from __future__ import annotations

from kctl.kubelet.images import go_duration
from kctl.kubelet.qos import quantity_value

INITIAL_BACKOFF_SECONDS = 10
MAX_BACKOFF_SECONDS = 300
OOM_EXIT_CODE = 137


def restart_backoff_seconds(restart_count: int) -> int:
    """Back-off before restarting a container that failed with ``restart_count`` restarts so
    far (0 -> restart at once)."""
    if restart_count <= 0:
        return 0
    return min(INITIAL_BACKOFF_SECONDS * 2 ** (restart_count - 1), MAX_BACKOFF_SECONDS)


def format_pod(pod: dict) -> str:
    """kubelet's ``format.Pod``: ``<name>_<namespace>(<uid>)``."""
    meta = pod.get("metadata") or {}
    return f"{meta.get('name', '')}_{meta.get('namespace') or 'default'}({meta.get('uid', '')})"


def crash_loop_message(container_name: str, pod: dict, backoff_seconds: int) -> str:
    return (f"back-off {go_duration(backoff_seconds)} restarting failed container={container_name} "
            f"pod={format_pod(pod)}")


def back_off_event_message(container_name: str, pod: dict) -> str:
    return f"Back-off restarting failed container {container_name} in pod {format_pod(pod)}"


def memory_limit_bytes(container: dict) -> int | None:
    limit = ((container.get("resources") or {}).get("limits") or {}).get("memory")
    if limit is None:
        return None
    value = quantity_value(limit)
    return int(-(-value // 1))  # ceil, like Quantity.Value()


def is_oom_killed(container: dict, usage_bytes: int | None) -> bool:
    """Whether a running container with this memory usage is killed by the OOM killer."""
    limit = memory_limit_bytes(container)
    return usage_bytes is not None and limit is not None and limit > 0 and usage_bytes > limit
