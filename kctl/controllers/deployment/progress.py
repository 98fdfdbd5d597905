"""``pkg/controller/deployment/progress.go`` (+ DeploymentTimedOut, checkPausedConditions):
the Progressing condition of a rollout and the copy of ReplicaSet failure conditions."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import conditions as c
from . import util as u
from .context import SyncContext
from .podutil import aware, parse_time
from .sync import calculate_status


def deployment_timed_out(d: dict, new_status: dict, now: datetime) -> bool:
    """``DeploymentTimedOut``: Progressing.lastUpdateTime + progressDeadlineSeconds is before now
    (never once the new RS is available; always once timed out)."""
    if not u.has_progress_deadline(d):
        return False
    cond = c.get_deployment_condition(new_status, c.PROGRESSING)
    if cond is None:
        return False
    if cond.get("reason") == c.NEW_RS_AVAILABLE_REASON:
        return False
    if cond.get("reason") == c.TIMED_OUT_REASON:
        return True
    since = parse_time(cond.get("lastUpdateTime"))
    if since is None:
        return False
    return since + timedelta(seconds=u.progress_deadline_seconds(d)) < aware(now)


def check_paused_conditions(ctx: SyncContext) -> None:
    """``checkPausedConditions``: Progressing Unknown/DeploymentPaused while paused,
    Unknown/DeploymentResumed after; a timed-out condition is left alone."""
    d = ctx.d
    if not u.has_progress_deadline(d):
        return
    cond = c.get_deployment_condition(ctx.status, c.PROGRESSING)
    if cond is not None and cond.get("reason") == c.TIMED_OUT_REASON:
        return
    paused_cond_exists = cond is not None and cond.get("reason") == c.PAUSED_DEPLOY_REASON
    paused = bool((d.get("spec") or {}).get("paused"))
    if paused and not paused_cond_exists:
        c.set_deployment_condition(ctx.status, c.new_deployment_condition(
            c.PROGRESSING, "Unknown", c.PAUSED_DEPLOY_REASON, "Deployment is paused", ctx.now))
    elif not paused and paused_cond_exists:
        c.set_deployment_condition(ctx.status, c.new_deployment_condition(
            c.PROGRESSING, "Unknown", c.RESUMED_DEPLOY_REASON, "Deployment is resumed", ctx.now))


def get_replica_failures(all_rss: list[dict | None], new_rs: dict | None) -> list[dict]:
    """``getReplicaFailures``: the new RS's ReplicaFailure conditions, else the old ones'."""
    def failures(rs: dict) -> list[dict]:
        return [c.replica_set_to_deployment_condition(x) for x in (rs.get("status") or {}).get("conditions") or ()
                if x.get("type") == c.REPLICA_FAILURE]

    found = failures(new_rs) if new_rs is not None else []
    if found:
        return found
    for rs in all_rss:
        if rs is not None:
            found.extend(failures(rs))
    return found


def sync_rollout_status(ctx: SyncContext, all_rss: list[dict | None], new_rs: dict | None) -> None:
    """``syncRolloutStatus``: calculateStatus plus the Progressing condition."""
    d = ctx.d
    new_status = calculate_status(ctx, all_rss, new_rs)
    if not u.has_progress_deadline(d):
        c.remove_deployment_condition(new_status, c.PROGRESSING)

    current = c.get_deployment_condition(ctx.status, c.PROGRESSING)
    is_complete = (int(new_status.get("replicas") or 0) == int(new_status.get("updatedReplicas") or 0)
                   and current is not None and current.get("reason") == c.NEW_RS_AVAILABLE_REASON)
    if u.has_progress_deadline(d) and not is_complete:
        if u.deployment_complete(d, new_status):
            msg = f'Deployment "{ctx.name}" has successfully progressed.'
            if new_rs is not None:
                msg = f'ReplicaSet "{new_rs["metadata"]["name"]}" has successfully progressed.'
            c.set_deployment_condition(new_status, c.new_deployment_condition(
                c.PROGRESSING, "True", c.NEW_RS_AVAILABLE_REASON, msg, ctx.now))
        elif u.deployment_progressing(ctx.original, new_status):
            msg = f'Deployment "{ctx.name}" is progressing.'
            if new_rs is not None:
                msg = f'ReplicaSet "{new_rs["metadata"]["name"]}" is progressing.'
            cond = c.new_deployment_condition(c.PROGRESSING, "True", c.REPLICA_SET_UPDATED_REASON, msg, ctx.now)
            # Progress refreshes lastUpdateTime even when the reason is unchanged.
            if current is not None:
                if current.get("status") == "True":
                    cond["lastTransitionTime"] = current.get("lastTransitionTime")
                c.remove_deployment_condition(new_status, c.PROGRESSING)
            c.set_deployment_condition(new_status, cond)
        elif deployment_timed_out(d, new_status, ctx.now):
            msg = f'Deployment "{ctx.name}" has timed out progressing.'
            if new_rs is not None:
                msg = f'ReplicaSet "{new_rs["metadata"]["name"]}" has timed out progressing.'
            c.set_deployment_condition(new_status, c.new_deployment_condition(
                c.PROGRESSING, "False", c.TIMED_OUT_REASON, msg, ctx.now))

    failures = get_replica_failures(all_rss, new_rs)
    if failures:
        c.set_deployment_condition(new_status, failures[0])
    else:
        c.remove_deployment_condition(new_status, c.REPLICA_FAILURE)
    ctx.d["status"] = new_status
