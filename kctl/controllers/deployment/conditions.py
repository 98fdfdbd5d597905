"""Deployment conditions (``deployment_util.go``: NewDeploymentCondition, GetDeploymentCondition,
SetDeploymentCondition, RemoveDeploymentCondition) and the reason constants.

``set_deployment_condition`` is a no-op when status and reason are unchanged, keeps
``lastTransitionTime`` when only the reason changes, and re-appends the condition at the
end (so the order of ``status.conditions`` shifts as upstream's does).
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import rfc3339

AVAILABLE = "Available"
PROGRESSING = "Progressing"
REPLICA_FAILURE = "ReplicaFailure"

# Reasons (deployment_util.go)
FAILED_RS_CREATE_REASON = "ReplicaSetCreateError"
NEW_REPLICA_SET_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
PAUSED_DEPLOY_REASON = "DeploymentPaused"
RESUMED_DEPLOY_REASON = "DeploymentResumed"
REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"


def new_deployment_condition(type_: str, status: str, reason: str, message: str, now: datetime) -> dict:
    t = rfc3339(now)
    return {"type": type_, "status": status, "lastUpdateTime": t, "lastTransitionTime": t,
            "reason": reason, "message": message}


def get_deployment_condition(status: dict, type_: str) -> dict | None:
    for c in status.get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def set_deployment_condition(status: dict, condition: dict) -> None:
    """Mutates ``status`` (a working copy) in place."""
    current = get_deployment_condition(status, condition["type"])
    if current is not None and current.get("status") == condition["status"] \
            and current.get("reason") == condition["reason"]:
        return
    if current is not None and current.get("status") == condition["status"]:
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    conditions = [c for c in status.get("conditions") or () if c.get("type") != condition["type"]]
    conditions.append(condition)
    status["conditions"] = conditions


def remove_deployment_condition(status: dict, type_: str) -> None:
    conditions = [c for c in status.get("conditions") or () if c.get("type") != type_]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def replica_set_to_deployment_condition(cond: dict) -> dict:
    """``ReplicaSetToDeploymentCondition``: lastUpdateTime = the RS condition's lastTransitionTime."""
    return {"type": cond.get("type"), "status": cond.get("status"),
            "lastUpdateTime": cond.get("lastTransitionTime"), "lastTransitionTime": cond.get("lastTransitionTime"),
            "reason": cond.get("reason", ""), "message": cond.get("message", "")}
