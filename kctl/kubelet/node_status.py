"""Node facts the kubelet and the node lifecycle controller share: readiness and heartbeats."""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import clone
from kctl.kubelet.timeutil import as_utc, rfc3339


def node_condition(node: dict, ctype: str) -> dict | None:
    for cond in (node.get("status") or {}).get("conditions") or ():
        if cond.get("type") == ctype:
            return cond
    return None


def node_ready_status(node: dict) -> str:
    """``True`` / ``False`` / ``Unknown`` (no Ready condition counts as Unknown)."""
    cond = node_condition(node, "Ready")
    return (cond or {}).get("status") or "Unknown"


def is_node_ready(node: dict) -> bool:
    return node_ready_status(node) == "True"


def refresh_node_heartbeat(node: dict, now: datetime) -> dict | None:
    """The node with every condition's ``lastHeartbeatTime`` set to ``now`` (what the kubelet's
    node status update does every nodeStatusUpdateFrequency), or None when already current."""
    stamp = rfc3339(as_utc(now))
    conditions = (node.get("status") or {}).get("conditions") or []
    if not conditions or all(c.get("lastHeartbeatTime") == stamp for c in conditions):
        return None
    updated = clone(node)
    for cond in updated["status"]["conditions"]:
        cond["lastHeartbeatTime"] = stamp
    return updated
