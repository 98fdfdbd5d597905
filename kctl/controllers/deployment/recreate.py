"""``pkg/controller/deployment/recreate.go``: scale every old ReplicaSet to 0, wait until no
old pod is left in a non-terminal phase (terminating pods still count), then create and
scale up the new ReplicaSet."""

from __future__ import annotations

from . import util as u
from .context import SyncContext
from .history import cleanup_deployment
from .progress import sync_rollout_status
from .sync import _current, get_all_replica_sets_and_sync_revision, scale_replica_set_and_record_event


def rollout_recreate(ctx: SyncContext, rs_list: list[dict], pod_map: dict[str, list[dict]], cluster=None) -> None:
    new_rs, old_rss = get_all_replica_sets_and_sync_revision(ctx, rs_list, False, cluster)
    all_rss = [*old_rss, new_rs]

    if scale_down_old_replica_sets_for_recreate(ctx, rs_list, u.filter_active_replica_sets(old_rss)):
        sync_rollout_status(ctx, [_current(rs_list, rs) for rs in all_rss], new_rs)
        return

    if old_pods_running(new_rs, old_rss, pod_map):
        sync_rollout_status(ctx, all_rss, new_rs)
        return

    if new_rs is None:
        new_rs, old_rss = get_all_replica_sets_and_sync_revision(ctx, rs_list, True, cluster)
        all_rss = [*old_rss, new_rs]

    scale_replica_set_and_record_event(ctx, rs_list, new_rs, u.spec_replicas(ctx.d))
    new_rs = _current(rs_list, new_rs)
    all_rss = [*old_rss, new_rs]

    if u.deployment_complete(ctx.d, ctx.status):
        cleanup_deployment(ctx, old_rss)
    sync_rollout_status(ctx, all_rss, new_rs)


def scale_down_old_replica_sets_for_recreate(ctx: SyncContext, rs_list: list[dict], old_rss: list[dict]) -> bool:
    scaled = False
    for rs in old_rss:
        if u.spec_replicas(rs) == 0:
            continue
        did, _ = scale_replica_set_and_record_event(ctx, rs_list, rs, 0)
        scaled = scaled or did
    return scaled


def old_pods_running(new_rs: dict | None, old_rss: list[dict], pod_map: dict[str, list[dict]]) -> bool:
    """``oldPodsRunning``: old RSs still report pods, or an old pod is Pending/Running/Unknown."""
    if u.get_actual_replica_count_for_replica_sets(old_rss) > 0:
        return True
    new_uid = (new_rs.get("metadata") or {}).get("uid") if new_rs is not None else None
    for rs_uid, pods in pod_map.items():
        if new_uid is not None and rs_uid == new_uid:
            continue
        for pod in pods:
            if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                return True
    return False
