"""``pkg/controller/deployment/rolling.go``: one RollingUpdate step per sync.

A sync either scales the new ReplicaSet up (bounded by maxSurge) or scales old ones down
(bounded by maxUnavailable: unhealthy replicas first, then oldest RS first), then syncs
the rollout status; once the deployment is complete, old ReplicaSets beyond
revisionHistoryLimit are cleaned up.
"""

from __future__ import annotations

from . import util as u
from .context import SyncContext
from .history import cleanup_deployment
from .progress import sync_rollout_status
from .sync import _current, get_all_replica_sets_and_sync_revision, scale_replica_set_and_record_event


def rollout_rolling(ctx: SyncContext, rs_list: list[dict], cluster=None) -> None:
    new_rs, old_rss = get_all_replica_sets_and_sync_revision(ctx, rs_list, True, cluster)
    all_rss = [*old_rss, new_rs]

    if reconcile_new_replica_set(ctx, rs_list, all_rss, new_rs):
        sync_rollout_status(ctx, [_current(rs_list, rs) for rs in all_rss], _current(rs_list, new_rs))
        return

    new_rs = _current(rs_list, new_rs)
    if reconcile_old_replica_sets(ctx, rs_list, [*old_rss, new_rs], u.filter_active_replica_sets(old_rss), new_rs):
        sync_rollout_status(ctx, [_current(rs_list, rs) for rs in all_rss], new_rs)
        return

    old_rss = [_current(rs_list, rs) for rs in old_rss]
    if u.deployment_complete(ctx.d, ctx.status):
        cleanup_deployment(ctx, old_rss)
    sync_rollout_status(ctx, [*old_rss, new_rs], new_rs)


def reconcile_new_replica_set(ctx: SyncContext, rs_list: list[dict], all_rss: list[dict], new_rs: dict) -> bool:
    """``reconcileNewReplicaSet``: shrink an oversized new RS, or grow it by NewRSNewReplicas."""
    replicas = u.spec_replicas(ctx.d)
    if u.spec_replicas(new_rs) == replicas:
        return False
    if u.spec_replicas(new_rs) > replicas:
        scaled, _ = scale_replica_set_and_record_event(ctx, rs_list, new_rs, replicas)
        return scaled
    new_replicas_count = u.new_rs_new_replicas(ctx.d, all_rss, new_rs)
    scaled, _ = scale_replica_set_and_record_event(ctx, rs_list, new_rs, new_replicas_count)
    return scaled


def reconcile_old_replica_sets(ctx: SyncContext, rs_list: list[dict], all_rss: list[dict], old_rss: list[dict],
                               new_rs: dict) -> bool:
    """``reconcileOldReplicaSets``: scale old RSs down as far as maxUnavailable allows."""
    if u.get_replica_count_for_replica_sets(old_rss) == 0:
        return False
    all_pods_count = u.get_replica_count_for_replica_sets(all_rss)
    min_available = u.spec_replicas(ctx.d) - u.max_unavailable(ctx.d)
    new_rs_unavailable = u.spec_replicas(new_rs) - u.status_int(new_rs, "availableReplicas")
    max_scaled_down = all_pods_count - min_available - new_rs_unavailable
    if max_scaled_down <= 0:
        return False

    old_rss, cleanup_count = cleanup_unhealthy_replicas(ctx, rs_list, old_rss, max_scaled_down)
    scaled_down_count = scale_down_old_replica_sets_for_rolling_update(ctx, rs_list, [*old_rss, new_rs], old_rss)
    return cleanup_count + scaled_down_count > 0


def cleanup_unhealthy_replicas(ctx: SyncContext, rs_list: list[dict], old_rss: list[dict],
                               max_cleanup_count: int) -> tuple[list[dict], int]:
    """``cleanupUnhealthyReplicas``: oldest RS first, drop its unavailable replicas (the
    ReplicaSet controller deletes not-ready pods first), at most ``max_cleanup_count``."""
    old_rss = sorted(old_rss, key=u.creation_key)
    total = 0
    for i, target in enumerate(old_rss):
        if total >= max_cleanup_count:
            break
        replicas = u.spec_replicas(target)
        available = u.status_int(target, "availableReplicas")
        if replicas == 0 or replicas == available:
            continue
        count = min(max_cleanup_count - total, replicas - available)
        new_count = replicas - count
        if new_count > replicas:
            break
        _, old_rss[i] = scale_replica_set_and_record_event(ctx, rs_list, target, new_count)
        total += count
    return old_rss, total


def scale_down_old_replica_sets_for_rolling_update(ctx: SyncContext, rs_list: list[dict], all_rss: list[dict],
                                                   old_rss: list[dict]) -> int:
    """``scaleDownOldReplicaSetsForRollingUpdate``: remove up to (available − minAvailable)
    replicas, oldest RS first."""
    min_available = u.spec_replicas(ctx.d) - u.max_unavailable(ctx.d)
    available = u.get_available_replica_count_for_replica_sets(all_rss)
    if available <= min_available:
        return 0
    total_to_scale_down = available - min_available
    total = 0
    for target in sorted(old_rss, key=u.creation_key):
        if total >= total_to_scale_down:
            break
        replicas = u.spec_replicas(target)
        if replicas == 0:
            continue
        count = min(replicas, total_to_scale_down - total)
        scale_replica_set_and_record_event(ctx, rs_list, target, replicas - count)
        total += count
    return total
