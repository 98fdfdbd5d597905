"""resourcePolicy (pkg/utils/vpa/capping.go) and limit scaling
(pkg/utils/vpa/limit_and_request_scaling.go).

- A container policy is the one naming the container, else the ``*`` one. ``mode: Off``
  -> no recommendation for the container. ``controlledResources`` (default cpu and
  memory) limits which resources are recommended.
- Capping: target, lowerBound and upperBound are clamped into [minAllowed, maxAllowed];
  ``uncappedTarget`` keeps the target before the clamp.
- Applying a recommendation to a pod: requests become the target; with
  ``controlledValues: RequestsAndLimits`` (default) a limit keeps its original
  limit/request ratio (newLimit = newRequest x limit / request, CPU in millicores and
  memory in bytes, rounded up), ``RequestsOnly`` leaves limits alone.
"""

from __future__ import annotations

import math

from kctl.api.quantity import Quantity, parse_quantity
from kctl.controllers.vpa.estimator import Recommendation, Resources

RESOURCES = ("cpu", "memory")


def container_policy(vpa: dict, container: str) -> dict:
    policies = (((vpa.get("spec") or {}).get("resourcePolicy") or {}).get("containerPolicies")) or []
    named = next((p for p in policies if p.get("containerName") == container), None)
    return named or next((p for p in policies if p.get("containerName") == "*"), None) or {}


def controlled_resources(policy: dict) -> tuple[str, ...]:
    return tuple(r for r in RESOURCES if r in (policy.get("controlledResources") or RESOURCES))


def is_off(policy: dict) -> bool:
    return policy.get("mode") == "Off"


def to_amount(resource: str, value) -> int:
    q = parse_quantity(value)
    return q.milli_value() if resource == "cpu" else q.value()


def quantity(resource: str, value: int) -> str:
    """QuantityFromCPUAmount (milli) / QuantityFromMemoryAmount (DecimalSI bytes)."""
    if resource == "cpu":
        return str(Quantity.from_milli(value))
    return str(Quantity.from_nanos(value * 10**9))


def _clamp(resource: str, value: int, policy: dict) -> int:
    lo = (policy.get("minAllowed") or {}).get(resource)
    hi = (policy.get("maxAllowed") or {}).get(resource)
    if lo is not None:
        value = max(value, to_amount(resource, lo))
    if hi is not None:
        value = min(value, to_amount(resource, hi))
    return value


def container_recommendation(name: str, rec: Recommendation, policy: dict) -> dict:
    """One ``containerRecommendations`` entry (capped by the policy)."""
    resources = controlled_resources(policy)

    def block(r: Resources, capped: bool) -> dict:
        out = {}
        for res in resources:
            v = getattr(r, res)
            out[res] = quantity(res, _clamp(res, v, policy) if capped else v)
        return out

    return {"containerName": name, "target": block(rec.target, True), "lowerBound": block(rec.lower, True),
            "upperBound": block(rec.upper, True), "uncappedTarget": block(rec.target, False)}


def apply_to_container(container: dict, rec: dict, policy: dict) -> list[str]:
    """Set ``container``'s requests (and limits) from a recommendation entry; returns what
    changed, as the admission annotation lists it (``cpu request``, ``memory limit``...)."""
    changed: list[str] = []
    target = rec.get("target") or {}
    resources = container.setdefault("resources", {})
    requests = dict(resources.get("requests") or {})
    limits = dict(resources.get("limits") or {})
    scale_limits = (policy.get("controlledValues") or "RequestsAndLimits") == "RequestsAndLimits"
    for res in RESOURCES:
        if res not in target:
            continue
        new_request = to_amount(res, target[res])
        old_request_raw = requests.get(res, limits.get(res))
        requests[res] = quantity(res, new_request)
        changed.append(f"{res} request")
        if scale_limits and res in limits and old_request_raw is not None:
            old_request = to_amount(res, old_request_raw)
            old_limit = to_amount(res, limits[res])
            if old_request > 0:
                limits[res] = quantity(res, math.ceil(new_request * old_limit / old_request))
                changed.append(f"{res} limit")
    resources["requests"] = requests
    if limits:
        resources["limits"] = limits
    return changed
