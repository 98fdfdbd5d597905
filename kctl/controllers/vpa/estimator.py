"""From usage histograms to a recommendation (pkg/recommender/logic/recommender.go,
estimator.go; pkg/recommender/model/types.go for the integer amounts).

Amounts are integers, as upstream's ResourceAmount: CPU in millicores, memory in bytes,
float -> int by truncation at each step (percentile, margin, confidence), infinities capped
at 1e14. For each container:

  target = max(P90 x 1.15, min)
  lower  = max(P50 x 1.15 x (1 + 0.001/c)^-2, min)
  upper  = max(P95 x 1.15 x (1 + 1/c), min)

with c = min(history days, samples / 1440) and min = 25m CPU and 250 MiB memory per pod,
split equally among the pod's recommended containers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kctl.controllers.vpa.model import AggregateContainerState

TARGET_PERCENTILE = 0.9
LOWER_BOUND_PERCENTILE = 0.5
UPPER_BOUND_PERCENTILE = 0.95
SAFETY_MARGIN = 0.15
POD_MIN_CPU_MILLICORES = 25
POD_MIN_MEMORY_BYTES = 250 * 1024 * 1024
MAX_RESOURCE_AMOUNT = 10**14


def amount(value: float) -> int:
    """resourceAmountFromFloat: negative -> 0, huge -> 1e14, else truncated."""
    if value < 0 or math.isnan(value):
        return 0
    if value > MAX_RESOURCE_AMOUNT:
        return MAX_RESOURCE_AMOUNT
    return int(value)


def scale(value: int, factor: float) -> int:
    return amount(value * factor)


@dataclass(frozen=True)
class Resources:
    cpu: int  # millicores
    memory: int  # bytes


@dataclass(frozen=True)
class Recommendation:
    target: Resources
    lower: Resources
    upper: Resources


def percentile(state: AggregateContainerState, p: float) -> Resources:
    return Resources(amount(state.cpu.percentile(p) * 1000), amount(state.memory.percentile(p)))


def _with_margin(r: Resources) -> Resources:
    return Resources(scale(r.cpu, 1 + SAFETY_MARGIN), scale(r.memory, 1 + SAFETY_MARGIN))


def _with_confidence(r: Resources, multiplier: float, exponent: float, confidence: float) -> Resources:
    factor = math.pow(1.0 + multiplier / confidence, exponent) if confidence > 0 else (
        math.inf if exponent > 0 else 0.0)
    return Resources(scale(r.cpu, factor), scale(r.memory, factor))


def _at_least(r: Resources, minimum: Resources) -> Resources:
    return Resources(max(r.cpu, minimum.cpu), max(r.memory, minimum.memory))


def pod_minimum(containers: int) -> Resources:
    fraction = 1.0 / containers if containers else 1.0
    return Resources(scale(POD_MIN_CPU_MILLICORES, fraction), scale(POD_MIN_MEMORY_BYTES, fraction))


def recommend(state: AggregateContainerState, containers: int) -> Recommendation:
    """The recommendation for one container of a pod with ``containers`` recommended containers."""
    minimum = pod_minimum(containers)
    c = state.confidence_days()
    target = _with_margin(percentile(state, TARGET_PERCENTILE))
    lower = _with_confidence(_with_margin(percentile(state, LOWER_BOUND_PERCENTILE)), 0.001, -2.0, c)
    upper = _with_confidence(_with_margin(percentile(state, UPPER_BOUND_PERCENTILE)), 1.0, 1.0, c)
    return Recommendation(_at_least(target, minimum), _at_least(lower, minimum), _at_least(upper, minimum))
