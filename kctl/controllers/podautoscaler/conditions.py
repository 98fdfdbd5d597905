"""HPA status conditions (``setCondition`` / ``setConditionInList`` in horizontal.go).

The list keeps the order in which types were first set (AbleToScale, ScalingActive,
ScalingLimited on a normal sync); ``lastTransitionTime`` moves only when the status flips.
"""

from __future__ import annotations

ABLE_TO_SCALE = "AbleToScale"
SCALING_ACTIVE = "ScalingActive"
SCALING_LIMITED = "ScalingLimited"


def set_condition(conditions: list[dict], type_: str, status: str, reason: str, message: str,
                  now: str) -> list[dict]:
    """A new list with the condition of ``type_`` set (``now``: RFC 3339 time)."""
    out = [dict(c) for c in conditions]
    for c in out:
        if c.get("type") == type_:
            existing = c
            break
    else:
        existing = {"type": type_}
        out.append(existing)
    if existing.get("status") != status:
        existing["lastTransitionTime"] = now
    existing["status"] = status
    existing["reason"] = reason
    existing["message"] = message
    return out
