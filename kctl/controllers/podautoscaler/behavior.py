"""Normalizing a recommendation: stabilization windows and scaling limits
(``normalizeDesiredReplicas`` / ``normalizeDesiredReplicasWithBehaviors`` and their helpers in
pkg/controller/podautoscaler/horizontal.go, Kubernetes 1.34).

Pure functions over the HPA's ``History`` (the recommendations and scale events upstream keeps
in memory; kctl persists them on the HPA, see ``history.py``) and ``now``. Every function that
upstream uses to update its in-memory lists returns the updated lists instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

#: --horizontal-pod-autoscaler-downscale-stabilization
DOWNSCALE_STABILIZATION_WINDOW = timedelta(minutes=5)
SCALE_UP_LIMIT_FACTOR = 2.0
SCALE_UP_LIMIT_MINIMUM = 4.0
MAX_INT32 = 2**31 - 1
MIN_INT32 = -(2**31)

#: (reason, message) of the ScalingLimited condition.
SCALE_UP_LIMIT = ("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
SCALE_DOWN_LIMIT = ("ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
TOO_MANY_REPLICAS = ("TooManyReplicas", "the desired replica count is more than the maximum replica count")
TOO_FEW_REPLICAS = ("TooFewReplicas", "the desired replica count is less than the minimum replica count")
DESIRED_WITHIN_RANGE = ("DesiredWithinRange", "the desired count is within the acceptable range")

#: (reason, message) of the AbleToScale condition after stabilization.
SCALE_UP_STABILIZED = ("ScaleUpStabilized",
                       "recent recommendations were lower than current one, applying the lowest recent recommendation")
SCALE_DOWN_STABILIZED = ("ScaleDownStabilized",
                         "recent recommendations were higher than current one, applying the highest recent recommendation")
READY_FOR_NEW_SCALE = ("ReadyForNewScale", "recommended size matches current size")


@dataclass(frozen=True)
class Recommendation:
    """``timestampedRecommendation``."""

    replicas: int
    timestamp: datetime


@dataclass(frozen=True)
class ScaleEvent:
    """``timestampedScaleEvent`` (the ``outdated`` mark never changes a result: not kept)."""

    change: int
    timestamp: datetime


# -- legacy path (behavior unset) -----------------------------------------------------------------


def calculate_scale_up_limit(current_replicas: int) -> int:
    """``calculateScaleUpLimit``: max(2 × current, 4)."""
    return int(max(SCALE_UP_LIMIT_FACTOR * float(current_replicas), SCALE_UP_LIMIT_MINIMUM))


def stabilize_recommendation(recommendations: list[Recommendation], desired: int, now: datetime,
                             window: timedelta = DOWNSCALE_STABILIZATION_WINDOW) -> tuple[int, list[Recommendation]]:
    """``stabilizeRecommendation``: the highest recommendation not older than the window
    (strictly: samples *before* now - window drop out); records ``desired`` in the place of
    the last outdated sample, or appends it."""
    cutoff = now - window
    highest = desired
    old_index = None
    for i, rec in enumerate(recommendations):
        if rec.timestamp < cutoff:
            old_index = i
        elif rec.replicas > highest:
            highest = rec.replicas
    updated = list(recommendations)
    if old_index is not None:
        updated[old_index] = Recommendation(desired, now)
    else:
        updated.append(Recommendation(desired, now))
    return highest, updated


def convert_desired_replicas_with_rules(current: int, desired: int, min_replicas: int,
                                        max_replicas: int) -> tuple[int, str, str]:
    """``convertDesiredReplicasWithRules``: clamp to [min, min(max, scale-up limit)]."""
    scale_up_limit = calculate_scale_up_limit(current)
    if max_replicas > scale_up_limit:
        maximum, limiting = scale_up_limit, SCALE_UP_LIMIT
    else:
        maximum, limiting = max_replicas, TOO_MANY_REPLICAS
    if desired < min_replicas:
        return min_replicas, *TOO_FEW_REPLICAS
    if desired > maximum:
        return maximum, *limiting
    return desired, *DESIRED_WITHIN_RANGE


# -- behavior path ---------------------------------------------------------------------------------


def _window(rules: dict | None, default: int) -> int:
    value = (rules or {}).get("stabilizationWindowSeconds")
    return default if value is None else int(value)


def stabilize_recommendation_with_behaviors(
    recommendations: list[Recommendation], current: int, desired: int, scale_up: dict, scale_down: dict,
    now: datetime,
) -> tuple[int, str, str, list[Recommendation]]:
    """``stabilizeRecommendationWithBehaviors``: up = lowest recommendation inside the scale-up
    window, down = highest inside the scale-down window (samples strictly *after* the
    cutoff); the current count is brought between them. Returns the stabilized count, the
    AbleToScale (reason, message) to use if it differs from ``desired``, and the history."""
    up_cutoff = now - timedelta(seconds=_window(scale_up, 0))
    down_cutoff = now - timedelta(seconds=_window(scale_down, int(DOWNSCALE_STABILIZATION_WINDOW.total_seconds())))
    up_rec = down_rec = desired
    old_index = None
    for i, rec in enumerate(recommendations):
        if rec.timestamp > up_cutoff:
            up_rec = min(rec.replicas, up_rec)
        if rec.timestamp > down_cutoff:
            down_rec = max(rec.replicas, down_rec)
        if rec.timestamp < up_cutoff and rec.timestamp < down_cutoff:
            old_index = i
    recommendation = current
    if recommendation < up_rec:
        recommendation = up_rec
    if recommendation > down_rec:
        recommendation = down_rec
    updated = list(recommendations)
    if old_index is not None:
        updated[old_index] = Recommendation(desired, now)
    else:
        updated.append(Recommendation(desired, now))
    reason, message = SCALE_UP_STABILIZED if desired >= current else SCALE_DOWN_STABILIZED
    return recommendation, reason, message, updated


def replicas_change_per_period(period_seconds: int, events: list[ScaleEvent], now: datetime) -> int:
    """``getReplicasChangePerPeriod``: the change of the events strictly inside the period."""
    cutoff = now - timedelta(seconds=period_seconds)
    return sum(e.change for e in events if e.timestamp > cutoff)


def _select_policy(rules: dict) -> str:
    return rules.get("selectPolicy") or "Max"


def _policy_limit(current: int, up_events: list[ScaleEvent], down_events: list[ScaleEvent], rules: dict,
                  now: datetime, proposal, most_permissive) -> int:
    """What both limit functions share: per policy, the replicas at the start of its period
    (``current - added + deleted`` within it), its proposal from there; ``selectPolicy`` Max
    keeps the most permissive proposal, Min the least, Disabled the current count."""
    select = _select_policy(rules)
    if select == "Disabled":
        return current
    pick = most_permissive if select != "Min" else (min if most_permissive is max else max)
    result = MIN_INT32 if pick is max else MAX_INT32
    for policy in rules.get("policies") or ():
        period = int(policy.get("periodSeconds") or 0)
        added = replicas_change_per_period(period, up_events, now)
        deleted = replicas_change_per_period(period, down_events, now)
        proposed = proposal(policy.get("type"), current - added + deleted, int(policy.get("value") or 0))
        if proposed is not None:
            result = pick(result, proposed)
    return result


def _scale_up_proposal(kind: str, start: int, value: int) -> int | None:
    if kind == "Pods":
        return start + value
    if kind == "Percent":
        return int(math.ceil(float(start) * (1 + float(value) / 100)))
    return None


def _scale_down_proposal(kind: str, start: int, value: int) -> int | None:
    if kind == "Pods":
        return start - value
    if kind == "Percent":
        return int(float(start) * (1 - float(value) / 100))
    return None


def calculate_scale_up_limit_with_scaling_rules(current: int, up_events: list[ScaleEvent],
                                                down_events: list[ScaleEvent], rules: dict, now: datetime) -> int:
    """``calculateScaleUpLimitWithScalingRules``: per policy, from the replicas at the start of
    its period: Pods +value, Percent ceil(×(1 + value/100)); Max takes the largest, Min the
    smallest, Disabled keeps the current count."""
    return _policy_limit(current, up_events, down_events, rules, now, _scale_up_proposal, max)


def calculate_scale_down_limit_with_behaviors(current: int, up_events: list[ScaleEvent],
                                              down_events: list[ScaleEvent], rules: dict, now: datetime) -> int:
    """``calculateScaleDownLimitWithBehaviors``: Pods start - value, Percent
    int(start × (1 - value/100)) (truncated); Max takes the lowest limit (the largest change)."""
    return _policy_limit(current, up_events, down_events, rules, now, _scale_down_proposal, min)


def convert_desired_replicas_with_behavior_rate(
    current: int, desired: int, min_replicas: int, max_replicas: int, scale_up: dict, scale_down: dict,
    up_events: list[ScaleEvent], down_events: list[ScaleEvent], now: datetime,
) -> tuple[int, str, str]:
    """``convertDesiredReplicasWithBehaviorRate``: the rate limits of the policies, then
    min/max."""
    if desired > current:
        limit = calculate_scale_up_limit_with_scaling_rules(current, up_events, down_events, scale_up, now)
        if limit < current:
            limit = current  # no further scale-up until the events age out
        maximum = max_replicas
        if maximum > limit:
            maximum, limiting = limit, SCALE_UP_LIMIT
        else:
            limiting = TOO_MANY_REPLICAS
        if desired > maximum:
            return maximum, *limiting
    elif desired < current:
        limit = calculate_scale_down_limit_with_behaviors(current, up_events, down_events, scale_down, now)
        if limit > current:
            limit = current
        minimum = min_replicas
        if minimum < limit:
            minimum, limiting = limit, SCALE_DOWN_LIMIT
        else:
            limiting = TOO_FEW_REPLICAS
        if desired < minimum:
            return minimum, *limiting
    return desired, *DESIRED_WITHIN_RANGE


def longest_policy_period(rules: dict | None) -> int:
    """``getLongestPolicyPeriod``."""
    return max((int(p.get("periodSeconds") or 0) for p in (rules or {}).get("policies") or ()), default=0)


def store_scale_event(up_events: list[ScaleEvent], down_events: list[ScaleEvent], behavior: dict | None,
                      previous: int, new: int, now: datetime) -> tuple[list[ScaleEvent], list[ScaleEvent]]:
    """``storeScaleEvent``: record a rescale (only when behavior is set), in the place of the
    last event older than the longest policy period of that direction, or appended."""
    if behavior is None:
        return up_events, down_events
    if new > previous:
        rules, events, change = behavior.get("scaleUp"), list(up_events), new - previous
    else:
        rules, events, change = behavior.get("scaleDown"), list(down_events), previous - new
    cutoff = now - timedelta(seconds=longest_policy_period(rules))
    old_index = None
    for i, e in enumerate(events):
        if e.timestamp < cutoff:
            old_index = i
    if old_index is not None:
        events[old_index] = ScaleEvent(change, now)
    else:
        events.append(ScaleEvent(change, now))
    return (events, down_events) if new > previous else (up_events, events)
