"""The Deployment controller (``deployment_controller.go`` ``syncDeployment``).

``DeploymentController.sync(cluster, now)`` syncs every Deployment once, in (namespace,
name) order, and returns the plan. Each Deployment's sync reads as upstream's guard
clauses: selecting everything, being deleted, paused, legacy rollback, scaling event,
then the strategy. ReplicaSets are claimed as the ControllerRefManager does (owned and
matching: kept; owned and not matching: released; orphans matching: adopted), pods are
only read (for Recreate) through ``cluster.owned_by(rs uid)``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from kctl.api.labels import LabelSelectorError, selector_from_label_selector
from kctl.controllers.base import ClusterView, Update, controller_ref, owner_reference

from . import util as u
from .context import Requeue, SyncContext
from .legacy_rollback import rollback
from .progress import check_paused_conditions
from .recreate import rollout_recreate
from .rolling import rollout_rolling
from .sync import _rollback_to, is_scaling_event, sync, sync_status_only

RS_RESOURCE = "replicasets.apps"
DEPLOYMENT_RESOURCE = "deployments.apps"


class DeploymentController:
    name = "deployment-controller"

    def sync(self, cluster: ClusterView, now: datetime) -> list:
        deployments = cluster.list(DEPLOYMENT_RESOURCE)
        if not deployments:
            return []
        orphans: dict[str | None, list[dict]] = defaultdict(list)
        for rs in cluster.list(RS_RESOURCE):
            if controller_ref(rs) is None and not u.meta(rs).get("deletionTimestamp"):
                orphans[u.meta(rs).get("namespace")].append(rs)
        claimed: set[str] = set()
        actions: list = []
        for d in deployments:
            actions.extend(sync_deployment(cluster, d, now, orphans.get(u.meta(d).get("namespace"), ()), claimed))
        return actions


def sync_deployment(cluster: ClusterView, d: dict, now: datetime, orphan_rss=(), claimed: set | None = None) -> list:
    """The plan for one Deployment (``syncDeployment``)."""
    ctx = SyncContext(d, now)
    selector_obj = (d.get("spec") or {}).get("selector")
    if selector_obj is not None and not selector_obj.get("matchLabels") and not selector_obj.get("matchExpressions"):
        ctx.event("Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
        generation = int(u.meta(d).get("generation") or 0)
        if int(ctx.status.get("observedGeneration") or 0) < generation:
            ctx.status["observedGeneration"] = generation
        return ctx.finish()
    try:
        selector = selector_from_label_selector(selector_obj)
    except LabelSelectorError:
        return []

    rs_list = claim_replica_sets(ctx, cluster, selector, orphan_rss, claimed if claimed is not None else set())
    deleting = bool(u.meta(d).get("deletionTimestamp"))
    try:
        if deleting:
            sync_status_only(ctx, rs_list, cluster)
            return ctx.finish()
        check_paused_conditions(ctx)
        if (d.get("spec") or {}).get("paused"):
            sync(ctx, rs_list, cluster)
        elif _rollback_to(d) is not None:
            rollback(ctx, rs_list, cluster)
        elif is_scaling_event(ctx, rs_list, cluster):
            sync(ctx, rs_list, cluster)
        elif u.strategy_type(d) == u.RECREATE:
            rollout_recreate(ctx, rs_list, pod_map(cluster, rs_list), cluster)
        else:
            rollout_rolling(ctx, rs_list, cluster)
    except Requeue:
        pass
    return ctx.finish()


def claim_replica_sets(ctx: SyncContext, cluster: ClusterView, selector, orphan_rss, claimed: set) -> list[dict]:
    """``ClaimReplicaSets`` (ControllerRefManager.ClaimObject): release owned RSs whose labels
    no longer match, adopt matching orphans (not while the deployment is being deleted)."""
    d = ctx.original
    uid = u.meta(d).get("uid", "")
    deleting = bool(u.meta(d).get("deletionTimestamp"))
    rs_list: list[dict] = []
    for rs in cluster.owned_by(uid):
        if rs.get("kind") != "ReplicaSet":
            continue
        if selector.matches(u.meta(rs).get("labels")):
            rs_list.append(rs)
        elif not deleting:
            ctx.actions.append(Update(_with_owner_refs(rs, [r for r in u.meta(rs).get("ownerReferences") or ()
                                                            if r.get("uid") != uid])))
    if deleting:
        return rs_list
    for rs in orphan_rss:
        rs_uid = u.meta(rs).get("uid", "")
        if rs_uid in claimed or not selector.matches(u.meta(rs).get("labels")):
            continue
        claimed.add(rs_uid)
        adopted = _with_owner_refs(rs, [*(u.meta(rs).get("ownerReferences") or ()), owner_reference(d)])
        ctx.update_rs(adopted)
        rs_list.append(adopted)
    return rs_list


def _with_owner_refs(obj: dict, refs: list[dict]) -> dict:
    m = {**(obj.get("metadata") or {}), "ownerReferences": refs}
    if not refs:
        m.pop("ownerReferences")
    return {**obj, "metadata": m}


def pod_map(cluster: ClusterView, rs_list: list[dict]) -> dict[str, list[dict]]:
    """``getPodMapForDeployment``: pods grouped by the UID of the RS that controls them."""
    out: dict[str, list[dict]] = {}
    for rs in rs_list:
        rs_uid = u.meta(rs).get("uid")
        if rs_uid:
            out[rs_uid] = [p for p in cluster.owned_by(rs_uid) if p.get("kind") == "Pod"]
    return out

