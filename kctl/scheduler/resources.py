"""Pod resource requests as the scheduler counts them (k8s.io/component-helpers/resource).

Requests are integers: CPU in millicores, everything else in base units (bytes).
- ``pod_requests``: the effective request (app containers + sidecars, or the largest
  init-container phase, whichever is larger; plus ``spec.overhead``). Limits-only
  containers count their limits (the API server defaults requests from limits).
- ``pod_non_zero_requests``: the same with 100m CPU / 200Mi memory for containers that
  request nothing: used for scoring only, so BestEffort pods still spread.
"""

from __future__ import annotations

from functools import lru_cache

from kctl.api.quantity import parse_quantity

CPU = "cpu"
MEMORY = "memory"
EPHEMERAL_STORAGE = "ephemeral-storage"
PODS = "pods"

DEFAULT_MILLI_CPU_REQUEST = 100  # 0.1 core
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024  # 200 MiB


@lru_cache(maxsize=4096)
def quantity_value(resource: str, value: str | int | float) -> int:
    """A quantity as the scheduler's integer: millicores for CPU, else rounded-up units."""
    q = parse_quantity(str(value))
    return q.milli_value() if resource == CPU else q.value()


def resource_list(rl: dict | None) -> dict[str, int]:
    if not rl:
        return {}
    return {name: quantity_value(name, v) for name, v in rl.items()}


def container_requests(container: dict) -> dict[str, int]:
    res = container.get("resources") or {}
    limits = resource_list(res.get("limits"))
    requests = resource_list(res.get("requests"))
    for name, v in limits.items():  # API defaulting: requests default to limits
        requests.setdefault(name, v)
    return requests


def _add(into: dict[str, int], other: dict[str, int]) -> None:
    for k, v in other.items():
        into[k] = into.get(k, 0) + v


def _max(into: dict[str, int], other: dict[str, int]) -> None:
    for k, v in other.items():
        if v > into.get(k, 0):
            into[k] = v


def _is_sidecar(init: dict) -> bool:
    return init.get("restartPolicy") == "Always"


def _requests(pod: dict, per_container) -> dict[str, int]:
    spec = pod.get("spec") or {}
    reqs: dict[str, int] = {}
    for c in spec.get("containers") or ():
        _add(reqs, per_container(c))
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for init in spec.get("initContainers") or ():
        creqs = per_container(init)
        if _is_sidecar(init):
            _add(reqs, creqs)
            _add(sidecars, creqs)
            phase = dict(sidecars)
        else:
            phase = dict(creqs)
            _add(phase, sidecars)
        _max(init_max, phase)
    _max(reqs, init_max)
    _add(reqs, resource_list(spec.get("overhead")))
    return reqs


def pod_requests(pod: dict) -> dict[str, int]:
    return _requests(pod, container_requests)


def _non_zero(container: dict) -> dict[str, int]:
    reqs = container_requests(container)
    if not reqs.get(CPU):
        reqs[CPU] = DEFAULT_MILLI_CPU_REQUEST
    if not reqs.get(MEMORY):
        reqs[MEMORY] = DEFAULT_MEMORY_REQUEST
    return reqs


def pod_non_zero_requests(pod: dict) -> tuple[int, int]:
    """(milli-CPU, memory bytes) with the non-zero defaults, for scoring."""
    reqs = _requests(pod, _non_zero)
    return reqs.get(CPU, 0), reqs.get(MEMORY, 0)


_SUMMARIES: dict[str, tuple[dict[str, int], tuple[int, int]]] = {}


def request_key(spec: dict) -> str:
    """Everything ``pod_requests`` and ``pod_non_zero_requests`` read from a pod spec."""
    return repr(([c.get("resources") for c in spec.get("containers") or ()],
                 [(c.get("resources"), c.get("restartPolicy")) for c in spec.get("initContainers") or ()],
                 spec.get("overhead")))


def pod_request_summary(pod: dict) -> tuple[dict[str, int], tuple[int, int]]:
    """(``pod_requests``, ``pod_non_zero_requests``), memoized on what they read: the
    replicas of one template are counted once. The dict is shared: do not modify it."""
    key = request_key(pod.get("spec") or {})
    summary = _SUMMARIES.get(key)
    if summary is None:
        if len(_SUMMARIES) >= 4096:
            _SUMMARIES.clear()
        summary = _SUMMARIES[key] = (pod_requests(pod), pod_non_zero_requests(pod))
    return summary
