"""The load model: how much cpu and memory a workload's pods use.

Load is set per workload with ``kctl load`` and stored on the workload itself, in the
annotation ``kctl.io/load`` (compact JSON), so pods created later (scale-ups, rollouts,
recreations) inherit it::

    kctl.io/load: '{"cpu":"180m","memory":"300Mi"}'
    kctl.io/load: '{"cpu":"100m","memory":"64Mi","perPod":true,"spread":[0.8,1,1.2]}'

Rules (deterministic, exact integer arithmetic):

- **Which load a pod gets**: the outermost object carrying the annotation along the pod's
  controller chain: the pod itself, its controller (ReplicaSet, StatefulSet, DaemonSet, Job,
  ReplicationController), that one's controller (the Deployment of a ReplicaSet). Outermost,
  so that during a rollout the old and new ReplicaSets' pods share their Deployment's load.
  The ReplicaSets of a Deployment never carry a load themselves: the Deployment controller
  copies the Deployment's annotations to them (and keeps the copy when the Deployment's is
  removed), so their annotation is not the user's.
- **Who shares it**: the *serving* pods of that owner: bound, phase Running, not being deleted
  (Pending pods use nothing; terminating pods have been removed from the Service and use
  nothing that matters). They are sorted by name.
- **total** (the default): ``cpu``/``memory`` are the workload's total usage, divided over its
  serving pods (so a scale-up lowers every pod's usage, as spreading traffic does).
  ``perPod: true``: every serving pod uses that amount.
- **spread**: multipliers applied to the pods in name order (cycled when there are more pods
  than multipliers). In total mode they are weights (``[1, 3]`` over 2 pods: 25 % / 75 %); in
  per-pod mode they scale each pod's amount (``[0.8, 1, 1.2]``).
- **rounding**: cpu in millicores, memory in bytes; shares of a total are floored and the
  remainder goes one unit at a time to the largest fractional parts (ties: name order), so
  the pods' usage adds up exactly to the total; per-pod amounts round half up.
- **containers**: a pod's usage is split over its app containers (``spec.containers``) in
  proportion to their requests of that resource (evenly when none has a request), with the
  same rounding.
- **idle**: pods without any load (and a resource the load leaves out) use
  ``IDLE_CPU_MILLI`` = 1m cpu and ``IDLE_MEMORY_BYTES`` = 8Mi per container.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import lcm

LOAD_ANNOTATION = "kctl.io/load"
IDLE_CPU_MILLI = 1
IDLE_MEMORY_BYTES = 8 * 2**20

#: Owners whose pods can share a load (controller ownerReference kinds), by resource.
WORKLOAD_RESOURCES = {
    ("apps", "ReplicaSet"): "replicasets.apps",
    ("apps", "Deployment"): "deployments.apps",
    ("apps", "StatefulSet"): "statefulsets.apps",
    ("apps", "DaemonSet"): "daemonsets.apps",
    ("batch", "Job"): "jobs.batch",
    ("", "ReplicationController"): "replicationcontrollers",
}


class LoadError(ValueError):
    """An unreadable load (flag value or annotation)."""


@dataclass(frozen=True)
class Load:
    """One workload's load: cpu in millicores, memory in bytes (None: not set -> idle)."""

    cpu: str | None = None
    memory: str | None = None
    per_pod: bool = False
    spread: tuple[Fraction, ...] = ()

    @property
    def cpu_milli(self) -> int | None:
        return None if self.cpu is None else _milli(self.cpu)

    @property
    def memory_bytes(self) -> int | None:
        return None if self.memory is None else _bytes(self.memory)

    def to_annotation(self) -> str:
        data: dict = {}
        if self.cpu is not None:
            data["cpu"] = self.cpu
        if self.memory is not None:
            data["memory"] = self.memory
        if self.per_pod:
            data["perPod"] = True
        if self.spread:
            data["spread"] = [_number(w) for w in self.spread]
        return json.dumps(data, separators=(",", ":"))

    def describe(self) -> str:
        """``cpu 180m, memory 300Mi (total, spread 0.8,1,1.2)``."""
        parts = [f"cpu {self.cpu or '<idle>'}", f"memory {self.memory or '<idle>'}"]
        mode = "per pod" if self.per_pod else "total"
        if self.spread:
            mode += ", spread " + ",".join(str(_number(w)) for w in self.spread)
        return f"{', '.join(parts)} ({mode})"


def _number(w: Fraction) -> int | float:
    return int(w) if w.denominator == 1 else float(w)


@lru_cache(maxsize=4096)
def _milli(text: str) -> int:
    from kctl.api.quantity import Quantity

    return Quantity(text).milli_value()


@lru_cache(maxsize=4096)
def _bytes(text: str) -> int:
    from kctl.api.quantity import Quantity

    return Quantity(text).value()


def check_quantity(text: str, what: str) -> str:
    """A cpu/memory flag value as a canonical quantity string; LoadError when unreadable."""
    from kctl.api.quantity import Quantity, QuantityError

    try:
        q = Quantity(text)
    except QuantityError as e:
        raise LoadError(f'invalid {what} quantity "{text}": {e}') from None
    if q.sign() < 0:
        raise LoadError(f'invalid {what} quantity "{text}": must not be negative')
    return str(q)


def parse_spread(text: str) -> tuple[Fraction, ...]:
    """``0.8,1.0,1.2`` -> exact multipliers; ``""`` / ``none`` -> no spread."""
    if text.strip().lower() in ("", "none"):
        return ()
    out = []
    for part in text.split(","):
        try:
            w = Fraction(part.strip())
        except (ValueError, ZeroDivisionError):
            raise LoadError(f'invalid spread "{text}": "{part.strip()}" is not a number') from None
        if w < 0:
            raise LoadError(f'invalid spread "{text}": multipliers must not be negative')
        out.append(w)
    if not any(out):
        raise LoadError(f'invalid spread "{text}": at least one multiplier must be positive')
    return tuple(out)


def parse_load(text: str | None) -> Load | None:
    """The ``kctl.io/load`` annotation; None when absent. LoadError when unreadable."""
    if text is None:
        return None
    return _parse_load(text)


@lru_cache(maxsize=4096)
def _parse_load(text: str) -> Load:
    """``parse_load`` of a present annotation: the metrics-server reads every pod's owners'
    annotations at every round, and a ``Load`` is immutable, so each text is parsed once."""
    try:
        data = json.loads(text)
    except ValueError:
        raise LoadError(f"invalid {LOAD_ANNOTATION} annotation: not JSON") from None
    if not isinstance(data, dict):
        raise LoadError(f"invalid {LOAD_ANNOTATION} annotation: not a JSON object")
    cpu = data.get("cpu")
    memory = data.get("memory")
    spread = data.get("spread") or []
    if not isinstance(spread, list):
        raise LoadError(f"invalid {LOAD_ANNOTATION} annotation: spread must be a list")
    return Load(
        cpu=None if cpu is None else check_quantity(str(cpu), "cpu"),
        memory=None if memory is None else check_quantity(str(memory), "memory"),
        per_pod=bool(data.get("perPod")),
        spread=parse_spread(",".join(str(w) for w in spread)),
    )


def load_of(obj: dict) -> Load | None:
    """The load an object carries itself (unreadable annotations count as none)."""
    text = ((obj.get("metadata") or {}).get("annotations") or {}).get(LOAD_ANNOTATION)
    try:
        return parse_load(text)
    except LoadError:
        return None


# -- who carries a pod's load ------------------------------------------------------------------
def is_serving(pod: dict) -> bool:
    """Bound, Running and not being deleted: the pods that use resources and share a load."""
    meta = pod.get("metadata") or {}
    return (not meta.get("deletionTimestamp") and bool((pod.get("spec") or {}).get("nodeName"))
            and (pod.get("status") or {}).get("phase") == "Running")


def _controller_of(cluster, obj: dict, cache: dict) -> dict | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if not ref.get("controller"):
            continue
        group = (ref.get("apiVersion") or "").rpartition("/")[0]
        resource = WORKLOAD_RESOURCES.get((group, ref.get("kind", "")))
        if resource is None:
            return None
        ns = (obj.get("metadata") or {}).get("namespace")
        key = (resource, ns, ref.get("name", ""))
        if key not in cache:
            owner = cluster.get(resource, ns, ref.get("name", ""))
            if owner is not None and ref.get("uid") and (owner.get("metadata") or {}).get("uid") != ref.get("uid"):
                owner = None
            cache[key] = owner
        return cache[key]
    return None


def _deployment_owned(obj: dict) -> bool:
    return obj.get("kind") == "ReplicaSet" and any(
        r.get("controller") and r.get("kind") == "Deployment" for r in (obj.get("metadata") or {}).get("ownerReferences") or ())


def load_owner(cluster, pod: dict, cache: dict | None = None) -> tuple[dict, Load] | None:
    """The outermost object along the pod's controller chain (the pod first) with a load.
    A Deployment's ReplicaSets never carry one of their own: their annotation is the
    Deployment controller's copy (kept after the Deployment's is removed)."""
    cache = {} if cache is None else cache
    load = None if _deployment_owned(pod) else load_of(pod)
    found = (pod, load) if load is not None else None
    owner = _controller_of(cluster, pod, cache)
    if owner is None:
        return found
    # What the chain above the pod carries is the same for all the pods of one owner: walked
    # once per owner (the cache keeps the owner, so its id is not reused meanwhile).
    above = cache.setdefault(_ABOVE, {})
    entry = above.get(id(owner))
    if entry is None:
        entry = above[id(owner)] = (owner, _outermost(cluster, owner, cache, 3))
    return entry[1] or found


#: ``load_owner``'s cache key for what each owner's chain carries.
_ABOVE = ("above",)


def _outermost(cluster, obj: dict | None, cache: dict, levels: int) -> tuple[dict, Load] | None:
    """The outermost object with a load among ``obj`` and the ``levels - 1`` controllers above it."""
    found = None
    for _ in range(levels):  # pod -> ReplicaSet -> Deployment (and room for one more level)
        if obj is None:
            break
        load = None if _deployment_owned(obj) else load_of(obj)
        if load is not None:
            found = (obj, load)
        obj = _controller_of(cluster, obj, cache)
    return found


# -- arithmetic ---------------------------------------------------------------------------------
def distribute(total: int, weights: list[Fraction]) -> list[int]:
    """``total`` split in proportion to ``weights``: floors, then the remainder one unit at a
    time to the largest fractional parts (ties: first). Zero weights (all) -> even split.

    Exact, in integers: over a common denominator the weights are integers ``a_i`` (sum
    ``A``), pod ``i``'s exact share is ``total * a_i / A``, its floor the quotient and its
    fractional part the remainder (over ``A``) of that division."""
    count = len(weights)
    if count <= 1:
        return [total] * count
    if not any(weights):
        weights = [1] * count
    denominator = lcm(*(w.denominator for w in weights))
    scaled = [w.numerator * (denominator // w.denominator) for w in weights]
    wsum = sum(scaled)
    shares, remainders = [], []
    for a in scaled:
        q, r = divmod(total * a, wsum)
        shares.append(q)
        remainders.append(r)
    left = total - sum(shares)
    if left:
        order = sorted(range(count), key=lambda i: (-remainders[i], i))
        for i in order[:left]:
            shares[i] += 1
    return shares


def round_half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2))


def spread_weights(spread: tuple[Fraction, ...], count: int) -> list[Fraction]:
    if not spread:
        return [Fraction(1)] * count
    return [spread[i % len(spread)] for i in range(count)]


def pod_usages(load: Load, count: int) -> list[tuple[int | None, int | None]]:
    """(cpu millicores, memory bytes) per serving pod (in name order); None = idle."""
    return list(_pod_usages(load, count))


@lru_cache(maxsize=4096)
def _pod_usages(load: Load, count: int) -> tuple[tuple[int | None, int | None], ...]:
    weights = spread_weights(load.spread, count)
    out_cpu = _shares(load.cpu_milli, load.per_pod, weights)
    out_mem = _shares(load.memory_bytes, load.per_pod, weights)
    return tuple(zip(out_cpu, out_mem, strict=True))


def _shares(amount: int | None, per_pod: bool, weights: list[Fraction]) -> list[int | None]:
    if amount is None:
        return [None] * len(weights)
    if per_pod:
        return [round_half_up(amount * w) for w in weights]
    return distribute(amount, weights)


def _request(container: dict, resource: str) -> Fraction:
    from kctl.kubelet.qos import quantity_value

    raw = ((container.get("resources") or {}).get("requests") or {}).get(resource)
    if raw is None:
        raw = ((container.get("resources") or {}).get("limits") or {}).get(resource)
    try:
        return quantity_value(raw) if raw is not None else Fraction(0)
    except ValueError:
        return Fraction(0)


def container_usages(pod: dict, cpu_milli: int | None, memory_bytes: int | None) -> list[tuple[str, int, int]]:
    """(container name, cpu millicores, memory bytes) for each app container of the pod."""
    containers = (pod.get("spec") or {}).get("containers") or []
    names = [c.get("name", "") for c in containers]
    if cpu_milli is None:
        cpu = [IDLE_CPU_MILLI] * len(containers)
    elif len(containers) == 1:
        cpu = [cpu_milli]  # one container uses it all, whatever its request
    else:
        cpu = distribute(cpu_milli, [_request(c, "cpu") for c in containers])
    if memory_bytes is None:
        mem = [IDLE_MEMORY_BYTES] * len(containers)
    elif len(containers) == 1:
        mem = [memory_bytes]
    else:
        mem = distribute(memory_bytes, [_request(c, "memory") for c in containers])
    return list(zip(names, cpu, mem, strict=True))


@lru_cache(maxsize=8192)
def cpu_quantity(milli: int) -> str:
    from kctl.api.quantity import DECIMAL_SI, Quantity

    return str(Quantity.from_milli(milli, DECIMAL_SI))


@lru_cache(maxsize=8192)
def memory_quantity(nbytes: int) -> str:
    from kctl.api.quantity import BINARY_SI, Quantity

    return str(Quantity.from_nanos(nbytes * 10**9, BINARY_SI))
