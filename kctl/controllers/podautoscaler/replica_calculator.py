"""The HPA's replica calculator (pkg/controller/podautoscaler/replica_calculator.go and
metrics/utilization.go, Kubernetes 1.34), as pure functions.

Every number is computed with the same operations, in the same order and with the same
integer/float types as upstream: utilization is ``(Σusage × 100) // Σrequests`` (int64
truncation), ratios are float64 divisions, replica counts are ``int32(math.Ceil(...))``.
Inputs are the pods the target's selector picks and the per-pod metric values (milli-units),
already read from the cluster by ``metrics.py``; ``now`` is the cluster clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

#: --horizontal-pod-autoscaler-tolerance
DEFAULT_TOLERANCE = 0.1
#: --horizontal-pod-autoscaler-cpu-initialization-period
CPU_INITIALIZATION_PERIOD = timedelta(minutes=5)
#: --horizontal-pod-autoscaler-initial-readiness-delay
DELAY_OF_INITIAL_READINESS_STATUS = timedelta(seconds=30)

NO_PODS = "no pods returned by selector while calculating replica count"
NO_READY_METRICS = "did not receive metrics for targeted pods (pods might be unready)"
NO_MATCHING_METRICS = "no metrics returned matched known pods"


class CalculationError(Exception):
    """An error the calculator reports (upstream returns ``err``; the text is kept)."""


@dataclass(frozen=True)
class PodMetric:
    """One pod's sample: ``value`` in milli-units, when it was taken, and over which window."""

    value: int
    timestamp: datetime
    window: timedelta = timedelta(0)


@dataclass(frozen=True)
class Tolerances:
    """Scale-down and scale-up tolerances (``Tolerances.isWithin``): a ratio inside
    ``[1 - down, 1 + up]`` (bounds included) keeps the current replica count."""

    scale_down: float = DEFAULT_TOLERANCE
    scale_up: float = DEFAULT_TOLERANCE

    def is_within(self, usage_ratio: float) -> bool:
        return (1.0 - self.scale_down) <= usage_ratio <= (1.0 + self.scale_up)


DEFAULT_TOLERANCES = Tolerances()


def _ceil32(value: float) -> int:
    """``int32(math.Ceil(x))``."""
    return int(math.ceil(value))


# -- pod helpers --------------------------------------------------------------------------------


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    from kctl.controllers.podautoscaler.values import parse_time

    try:
        return parse_time(text)
    except ValueError:
        return None


def pod_condition(pod: dict, type_: str) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def is_pod_ready(pod: dict) -> bool:
    """``podutil.IsPodReady``: the Ready condition is True."""
    c = pod_condition(pod, "Ready")
    return c is not None and c.get("status") == "True"


def group_pods(
    pods: list[dict],
    metrics: dict[str, PodMetric],
    resource: str,
    now: datetime,
    cpu_initialization_period: timedelta = CPU_INITIALIZATION_PERIOD,
    delay_of_initial_readiness_status: timedelta = DELAY_OF_INITIAL_READINESS_STATUS,
) -> tuple[int, set[str], set[str], set[str]]:
    """``groupPods``: (readyPodCount, unready, missing, ignored).

    Ignored: being deleted or Failed. Unready: Pending; for cpu also no Ready condition or no
    startTime, or inside the cpu initialization period while not Ready or with a sample that
    does not cover a full window since the last readiness transition, or (after it) not
    Ready and never ready. Missing: no metric. Ready: the rest."""
    ready = 0
    unready: set[str] = set()
    missing: set[str] = set()
    ignored: set[str] = set()
    for pod in pods:
        name = (pod.get("metadata") or {}).get("name", "")
        status = pod.get("status") or {}
        phase = status.get("phase")
        if (pod.get("metadata") or {}).get("deletionTimestamp") or phase == "Failed":
            ignored.add(name)
            continue
        if phase == "Pending":
            unready.add(name)
            continue
        metric = metrics.get(name)
        if metric is None:
            missing.add(name)
            continue
        if resource == "cpu":
            condition = pod_condition(pod, "Ready")
            start = _parse_time(status.get("startTime"))
            if condition is None or start is None:
                is_unready = True
            else:
                transition = _parse_time(condition.get("lastTransitionTime")) or datetime.min.replace(tzinfo=now.tzinfo)
                if start + cpu_initialization_period > now:
                    is_unready = condition.get("status") == "False" or metric.timestamp < transition + metric.window
                else:
                    is_unready = (condition.get("status") == "False"
                                  and start + delay_of_initial_readiness_status > transition)
            if is_unready:
                unready.add(name)
                continue
        ready += 1
    return ready, unready, missing, ignored


def calculate_requests(pods: list[dict], container: str, resource: str) -> dict[str, int]:
    """``calculateRequests``: each pod's request (milli) for ``resource`` over its containers
    (and restartable init containers), or only ``container``; pod-level
    ``spec.resources.requests`` win when set (PodLevelResources, beta in 1.34)."""
    from kctl.controllers.podautoscaler.values import milli_value

    out: dict[str, int] = {}
    for pod in pods:
        spec = pod.get("spec") or {}
        name = (pod.get("metadata") or {}).get("name", "")
        pod_level = ((spec.get("resources") or {}).get("requests") or {}).get(resource)
        if container == "" and pod_level is not None:
            out[name] = milli_value(pod_level)
            continue
        containers = list(spec.get("containers") or ())
        containers += [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
        total = 0
        for c in containers:
            if container and c.get("name") != container:
                continue
            request = ((c.get("resources") or {}).get("requests") or {}).get(resource)
            if request is None:
                raise CalculationError(f"missing request for {resource} in container {c.get('name', '')} of Pod {name}")
            total += milli_value(request)
        out[name] = total
    return out


def get_resource_utilization_ratio(
    metrics: dict[str, PodMetric], requests: dict[str, int], target_utilization: int
) -> tuple[float, int, int]:
    """``GetResourceUtilizationRatio``: (ratio, utilization %, raw average milli-value)."""
    metrics_total = requests_total = entries = 0
    for name, metric in metrics.items():
        request = requests.get(name)
        if request is None:
            continue  # an extraneous metric
        metrics_total += metric.value
        requests_total += request
        entries += 1
    if requests_total == 0:
        raise CalculationError(NO_MATCHING_METRICS)
    utilization = _go_div(metrics_total * 100, requests_total)
    return float(utilization) / float(target_utilization), utilization, _go_div(metrics_total, entries)


def get_metric_usage_ratio(metrics: dict[str, PodMetric], target_usage: int) -> tuple[float, int]:
    """``GetMetricUsageRatio``: (ratio, integer average usage)."""
    total = sum(m.value for m in metrics.values())
    usage = _go_div(total, len(metrics))
    return float(usage) / float(target_usage), usage


def _go_div(a: int, b: int) -> int:
    """Go's int64 division truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


# -- the calculations ---------------------------------------------------------------------------


def resource_replicas(
    current_replicas: int,
    target_utilization: int,
    resource: str,
    pods: list[dict],
    metrics: dict[str, PodMetric],
    now: datetime,
    container: str = "",
    tolerances: Tolerances = DEFAULT_TOLERANCES,
) -> tuple[int, int, int]:
    """``GetResourceReplicas`` after the metrics were fetched: (replicas, utilization %, raw
    average). Missing pods count as their full request (or the target, if above 100 %) on a
    scale-down and 0 on a scale-up; unready pods count as 0 on a scale-up and are otherwise
    left out; the result never flips the direction of the first estimate."""
    if not pods:
        raise CalculationError(NO_PODS)
    metrics = dict(metrics)
    ready_count, unready, missing, ignored = group_pods(pods, metrics, resource, now)
    for name in ignored | unready:
        metrics.pop(name, None)
    requests = calculate_requests(pods, container, resource)
    if not metrics:
        raise CalculationError(NO_READY_METRICS)
    usage_ratio, utilization, raw = get_resource_utilization_ratio(metrics, requests, target_utilization)

    scale_up_with_unready = bool(unready) and usage_ratio > 1.0
    if not scale_up_with_unready and not missing:
        if tolerances.is_within(usage_ratio):
            return current_replicas, utilization, raw
        return _ceil32(usage_ratio * float(ready_count)), utilization, raw

    if missing:
        if usage_ratio < 1.0:
            fallback = max(100, target_utilization)
            for name in missing:
                metrics[name] = PodMetric(_go_div(requests[name] * fallback, 100), now)
        elif usage_ratio > 1.0:
            for name in missing:
                metrics[name] = PodMetric(0, now)
    if scale_up_with_unready:
        for name in unready:
            metrics[name] = PodMetric(0, now)

    new_ratio, _, _ = get_resource_utilization_ratio(metrics, requests, target_utilization)
    if (tolerances.is_within(new_ratio) or (usage_ratio < 1.0 and new_ratio > 1.0)
            or (usage_ratio > 1.0 and new_ratio < 1.0)):
        return current_replicas, utilization, raw
    new_replicas = _ceil32(new_ratio * float(len(metrics)))
    if (new_ratio < 1.0 and new_replicas > current_replicas) or (new_ratio > 1.0 and new_replicas < current_replicas):
        return current_replicas, utilization, raw
    return new_replicas, utilization, raw


def plain_metric_replicas(
    current_replicas: int,
    target_usage: int,
    resource: str,
    pods: list[dict],
    metrics: dict[str, PodMetric],
    now: datetime,
    tolerances: Tolerances = DEFAULT_TOLERANCES,
) -> tuple[int, int]:
    """``calcPlainMetricReplicas`` (AverageValue resource targets and Pods metrics):
    (replicas, average usage). Missing pods count as exactly the target on a scale-down."""
    if not pods:
        raise CalculationError(NO_PODS)
    metrics = dict(metrics)
    ready_count, unready, missing, ignored = group_pods(pods, metrics, resource, now)
    for name in ignored | unready:
        metrics.pop(name, None)
    if not metrics:
        raise CalculationError(NO_READY_METRICS)
    usage_ratio, usage = get_metric_usage_ratio(metrics, target_usage)

    scale_up_with_unready = bool(unready) and usage_ratio > 1.0
    if not scale_up_with_unready and not missing:
        if tolerances.is_within(usage_ratio):
            return current_replicas, usage
        return _ceil32(usage_ratio * float(ready_count)), usage

    if missing:
        value = target_usage if usage_ratio < 1.0 else 0
        for name in missing:
            metrics[name] = PodMetric(value, now)
    if scale_up_with_unready:
        for name in unready:
            metrics[name] = PodMetric(0, now)

    new_ratio, _ = get_metric_usage_ratio(metrics, target_usage)
    if (tolerances.is_within(new_ratio) or (usage_ratio < 1.0 and new_ratio > 1.0)
            or (usage_ratio > 1.0 and new_ratio < 1.0)):
        return current_replicas, usage
    new_replicas = _ceil32(new_ratio * float(len(metrics)))
    if (new_ratio < 1.0 and new_replicas > current_replicas) or (new_ratio > 1.0 and new_replicas < current_replicas):
        return current_replicas, usage
    return new_replicas, usage


def ready_pods_count(pods: list[dict]) -> int:
    """``getReadyPodsCount``: Running and Ready pods."""
    if not pods:
        raise CalculationError(NO_PODS)
    return sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Running" and is_pod_ready(p))


def usage_ratio_replicas(current_replicas: int, usage_ratio: float, pods: list[dict],
                         tolerances: Tolerances = DEFAULT_TOLERANCES) -> int:
    """``getUsageRatioReplicaCount`` (Object and External Value targets): ratio × ready pods;
    from zero replicas, ``ceil(ratio)``."""
    if current_replicas != 0:
        if tolerances.is_within(usage_ratio):
            return current_replicas
        try:
            ready = ready_pods_count(pods)
        except CalculationError as e:
            raise CalculationError(f"unable to calculate ready pods: {e}") from None
        return _ceil32(usage_ratio * float(ready))
    return _ceil32(usage_ratio)


def per_pod_replicas(status_replicas: int, usage: int, target_per_pod: int,
                     tolerances: Tolerances = DEFAULT_TOLERANCES) -> tuple[int, int]:
    """``GetObjectPerPodMetricReplicas`` / ``GetExternalPerPodMetricReplicas`` (AverageValue
    targets): (replicas, usage per pod rounded up)."""
    replicas = status_replicas
    usage_ratio = float(usage) / (float(target_per_pod) * float(replicas)) if replicas else math.inf
    if not tolerances.is_within(usage_ratio):
        replicas = _ceil32(float(usage) / float(target_per_pod))
    per_pod = _ceil32(float(usage) / float(status_replicas)) if status_replicas else 0
    return replicas, per_pod
