"""``pkg/controller/deployment/sync.go``: finding/creating the new ReplicaSet and syncing
revisions, scaling (incl. proportional scaling), the status calculation, and the sync used
for paused deployments and scaling events.
"""

from __future__ import annotations

from kctl.controllers.base import owner_reference, rfc3339

from . import conditions as c
from . import util as u
from .context import Requeue, SyncContext, copy_rs
from .hash import compute_hash

# --- new RS / revisions (getAllReplicaSetsAndSyncRevision, getNewReplicaSet) -------------

def get_all_replica_sets_and_sync_revision(ctx: SyncContext, rs_list: list[dict], create_if_not_existed: bool,
                                           cluster=None) -> tuple[dict | None, list[dict]]:
    """(new RS or None, all old RSs); may update the new RS's annotations, the deployment's
    revision annotation and Progressing condition, or create the new RS."""
    new_rs = u.find_new_replica_set(ctx.d, rs_list)
    _, all_old = u.find_old_replica_sets(ctx.d, rs_list, new_rs)
    new_rs = get_new_replica_set(ctx, rs_list, new_rs, all_old, create_if_not_existed, cluster)
    return new_rs, all_old


def get_new_replica_set(ctx: SyncContext, rs_list: list[dict], existing: dict | None, old_rss: list[dict],
                        create_if_not_existed: bool, cluster=None) -> dict | None:
    d = ctx.d
    new_revision = str(u.max_revision(old_rss) + 1)

    if existing is not None:
        rs_copy = copy_rs(existing)
        ann = rs_copy["metadata"]["annotations"]
        annotations_updated = u.set_new_replica_set_annotations(d, ann, new_revision, True)
        min_ready_needs_update = u.min_ready_seconds(existing) != u.min_ready_seconds(d)
        if annotations_updated or min_ready_needs_update:
            _set_min_ready_seconds(rs_copy, u.min_ready_seconds(d))
            rs_copy["metadata"]["annotations"] = dict(sorted(ann.items()))
            _replace(rs_list, existing, rs_copy)
            ctx.update_rs(rs_copy)
            return rs_copy
        _set_deployment_revision(ctx, u.annotations(existing).get(u.REVISION_ANNOTATION, ""))
        if u.has_progress_deadline(d) and c.get_deployment_condition(ctx.status, c.PROGRESSING) is None:
            msg = f'Found new replica set "{existing["metadata"]["name"]}"'
            c.set_deployment_condition(ctx.status, c.new_deployment_condition(
                c.PROGRESSING, "True", c.FOUND_NEW_RS_REASON, msg, ctx.now))
        return existing

    if not create_if_not_existed:
        return None

    # The new ReplicaSet does not exist: create it.
    tmpl = u.template(d)
    collision_count = ctx.status.get("collisionCount")
    pod_template_hash = compute_hash(tmpl, collision_count)
    tmpl_meta = dict(tmpl.get("metadata") or {})
    labels = {**(tmpl_meta.get("labels") or {}), u.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY: pod_template_hash}
    tmpl_meta["labels"] = labels
    new_template = {**tmpl, "metadata": tmpl_meta}
    name = f"{ctx.name}-{pod_template_hash}"
    new_rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": ctx.namespace,
            "creationTimestamp": rfc3339(ctx.now),
            "labels": dict(labels),
            "annotations": {},
            "ownerReferences": [owner_reference(ctx.original)],
        },
        "spec": {
            "replicas": 0,
            "selector": clone_selector_and_add_label((d.get("spec") or {}).get("selector") or {},
                                                     u.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, pod_template_hash),
            "template": new_template,
        },
    }
    _set_min_ready_seconds(new_rs, u.min_ready_seconds(d))
    new_replicas = u.new_rs_new_replicas(d, [*old_rss, new_rs], new_rs)
    new_rs["spec"]["replicas"] = new_replicas
    ann = new_rs["metadata"]["annotations"]
    u.set_new_replica_set_annotations(d, ann, new_revision, False)
    new_rs["metadata"]["annotations"] = dict(sorted(ann.items()))

    # AlreadyExists: the same RS (ours, same template) or a hash collision.
    found = cluster.get("replicasets.apps", ctx.namespace, name) if cluster is not None else None
    if found is None:
        found = next((rs for rs in rs_list if rs["metadata"].get("name") == name), None)
    if found is not None:
        ref = _controller_ref(found)
        if ref is not None and ref.get("uid") == ctx.d["metadata"].get("uid") \
                and u.equal_ignore_hash(u.template(found), tmpl):
            _set_deployment_revision(ctx, new_revision)
            return found
        ctx.status["collisionCount"] = int(collision_count or 0) + 1
        raise Requeue(f'replicasets.apps "{name}" already exists')

    ctx.create_rs(new_rs)
    rs_list.append(new_rs)
    if new_replicas > 0:
        ctx.event("Normal", "ScalingReplicaSet", f"Scaled up replica set {name} from 0 to {new_replicas}")
    _set_deployment_revision(ctx, new_revision)
    if u.has_progress_deadline(d):
        c.set_deployment_condition(ctx.status, c.new_deployment_condition(
            c.PROGRESSING, "True", c.NEW_REPLICA_SET_REASON, f'Created new replica set "{name}"', ctx.now))
    return new_rs


def clone_selector_and_add_label(selector: dict, key: str, value: str) -> dict:
    """``labelsutil.CloneSelectorAndAddLabel``."""
    out: dict = {"matchLabels": {**(selector.get("matchLabels") or {}), key: value}}
    if selector.get("matchExpressions") is not None:
        out["matchExpressions"] = [
            {**e, **({"values": list(e["values"])} if e.get("values") is not None else {})}
            for e in selector["matchExpressions"]
        ]
    return out


def _controller_ref(obj: dict) -> dict | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def _set_min_ready_seconds(rs: dict, value: int) -> None:
    if value:
        rs["spec"]["minReadySeconds"] = value
    else:
        rs["spec"].pop("minReadySeconds", None)


def _set_deployment_revision(ctx: SyncContext, revision: str) -> bool:
    """``SetDeploymentRevision`` on the working deployment."""
    ann = ctx.d["metadata"]["annotations"]
    if ann.get(u.REVISION_ANNOTATION) != revision:
        ann[u.REVISION_ANNOTATION] = revision
        return True
    return False


def _replace(rs_list: list[dict], old: dict, new: dict) -> None:
    for i, rs in enumerate(rs_list):
        if rs is old:
            rs_list[i] = new
            return


# --- scaling -----------------------------------------------------------------------------

def scale_replica_set_and_record_event(ctx: SyncContext, rs_list: list[dict], rs: dict,
                                       new_scale: int) -> tuple[bool, dict]:
    if u.spec_replicas(rs) == new_scale:
        return False, rs
    op = "up" if u.spec_replicas(rs) < new_scale else "down"
    return scale_replica_set(ctx, rs_list, rs, new_scale, op)


def scale_replica_set(ctx: SyncContext, rs_list: list[dict], rs: dict, new_scale: int,
                      operation: str) -> tuple[bool, dict]:
    """``scaleReplicaSet``: write spec.replicas and the desired/max-replicas annotations;
    a size change records ``Scaled <op> replica set <rs> from <old> to <new>``."""
    d = ctx.d
    size_needs_update = u.spec_replicas(rs) != new_scale
    desired, max_replicas = u.spec_replicas(d), u.spec_replicas(d) + u.max_surge(d)
    if not (size_needs_update or u.replicas_annotations_need_update(rs, desired, max_replicas)):
        return False, rs
    old_scale = u.spec_replicas(rs)
    rs_copy = copy_rs(rs)
    rs_copy["spec"]["replicas"] = new_scale
    ann = rs_copy["metadata"]["annotations"]
    u.set_replicas_annotations(ann, desired, max_replicas)
    rs_copy["metadata"]["annotations"] = dict(sorted(ann.items()))
    _replace(rs_list, rs, rs_copy)
    ctx.update_rs(rs_copy)
    if size_needs_update:
        ctx.event("Normal", "ScalingReplicaSet",
                  f"Scaled {operation} replica set {rs_copy['metadata']['name']} from {old_scale} to {new_scale}")
    return size_needs_update, rs_copy


def _current(rs_list: list[dict], rs: dict | None) -> dict | None:
    """The working version of ``rs`` (by name) after earlier writes of this sync."""
    if rs is None:
        return None
    name = rs["metadata"].get("name")
    for x in rs_list:
        if x["metadata"].get("name") == name:
            return x
    return rs


def scale(ctx: SyncContext, rs_list: list[dict], new_rs: dict | None, old_rss: list[dict]) -> None:
    """``scale``: scale the only active RS; or retire old RSs behind a saturated new one; or
    spread the change over all active RSs in proportion to their size (RollingUpdate)."""
    d = ctx.d
    replicas = u.spec_replicas(d)
    active_or_latest = u.find_active_or_latest(new_rs, old_rss)
    if active_or_latest is not None:
        if u.spec_replicas(active_or_latest) != replicas:
            scale_replica_set_and_record_event(ctx, rs_list, active_or_latest, replicas)
        return

    if u.is_saturated(d, new_rs):
        for old in u.filter_active_replica_sets(old_rss):
            scale_replica_set_and_record_event(ctx, rs_list, _current(rs_list, old), 0)
        return

    if not u.is_rolling_update(d):
        return
    all_rss = u.filter_active_replica_sets([*old_rss, new_rs])
    all_rss_replicas = u.get_replica_count_for_replica_sets(all_rss)
    allowed_size = replicas + u.max_surge(d) if replicas > 0 else 0
    to_add = allowed_size - all_rss_replicas
    operation = ""
    if to_add > 0:
        all_rss.sort(key=u.replica_sets_by_size_newer_key)
        operation = "up"
    elif to_add < 0:
        all_rss.sort(key=u.replica_sets_by_size_older_key)
        operation = "down"

    added = 0
    name_to_size: dict[str, int] = {}
    for rs in all_rss:
        if to_add != 0:
            proportion = u.get_proportion(rs, d, to_add, added)
            name_to_size[rs["metadata"]["name"]] = u.spec_replicas(rs) + proportion
            added += proportion
        else:
            name_to_size[rs["metadata"]["name"]] = u.spec_replicas(rs)

    for i, rs in enumerate(all_rss):
        name = rs["metadata"]["name"]
        if i == 0 and to_add != 0:
            name_to_size[name] = max(0, name_to_size[name] + to_add - added)
        scale_replica_set(ctx, rs_list, _current(rs_list, rs), name_to_size[name], operation)


def is_scaling_event(ctx: SyncContext, rs_list: list[dict], cluster=None) -> bool:
    """``isScalingEvent``: an active RS's desired-replicas annotation differs from spec.replicas."""
    new_rs, old_rss = get_all_replica_sets_and_sync_revision(ctx, rs_list, False, cluster)
    replicas = u.spec_replicas(ctx.d)
    for rs in u.filter_active_replica_sets([*old_rss, new_rs]):
        desired, ok = u.get_desired_replicas_annotation(rs)
        if ok and desired != replicas:
            return True
    return False


def sync(ctx: SyncContext, rs_list: list[dict], cluster=None) -> None:
    """``sync``: reconcile a paused deployment or a scaling event (no rollout)."""
    from .history import cleanup_deployment

    new_rs, old_rss = get_all_replica_sets_and_sync_revision(ctx, rs_list, False, cluster)
    scale(ctx, rs_list, new_rs, old_rss)
    new_rs = _current(rs_list, new_rs)
    old_rss = [_current(rs_list, rs) for rs in old_rss]
    if (ctx.d.get("spec") or {}).get("paused") and _rollback_to(ctx.d) is None:
        cleanup_deployment(ctx, old_rss)
    sync_deployment_status(ctx, [*old_rss, new_rs], new_rs)


def sync_status_only(ctx: SyncContext, rs_list: list[dict], cluster=None) -> None:
    new_rs, old_rss = get_all_replica_sets_and_sync_revision(ctx, rs_list, False, cluster)
    sync_deployment_status(ctx, [*old_rss, new_rs], new_rs)


def _rollback_to(d: dict) -> int | None:
    """``getRollbackTo``: the legacy ``deprecated.deployment.rollback.to`` annotation."""
    value = u.annotations(d).get(u.DEPRECATED_ROLLBACK_TO)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


# --- status ------------------------------------------------------------------------------

def calculate_status(ctx: SyncContext, all_rss: list[dict | None], new_rs: dict | None) -> dict:
    """``calculateStatus``: counts from the RSs, observedGeneration, the Available condition.
    Zero counts are omitted, as the API's ``omitempty`` fields are."""
    d = ctx.d
    available = u.get_available_replica_count_for_replica_sets(all_rss)
    total = u.get_replica_count_for_replica_sets(all_rss)
    fields = {
        "observedGeneration": int(u.meta(d).get("generation") or 0),
        "replicas": u.get_actual_replica_count_for_replica_sets(all_rss),
        "updatedReplicas": u.get_actual_replica_count_for_replica_sets([new_rs]),
        "readyReplicas": u.get_ready_replica_count_for_replica_sets(all_rss),
        "availableReplicas": available,
        "unavailableReplicas": max(0, total - available),
    }
    status: dict = {k: v for k, v in fields.items() if v}
    old = ctx.status
    if old.get("conditions"):
        status["conditions"] = list(old["conditions"])
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    if available >= u.spec_replicas(d) - u.max_unavailable(d):
        cond = c.new_deployment_condition(c.AVAILABLE, "True", c.MINIMUM_REPLICAS_AVAILABLE,
                                          "Deployment has minimum availability.", ctx.now)
    else:
        cond = c.new_deployment_condition(c.AVAILABLE, "False", c.MINIMUM_REPLICAS_UNAVAILABLE,
                                          "Deployment does not have minimum availability.", ctx.now)
    c.set_deployment_condition(status, cond)
    return status


def sync_deployment_status(ctx: SyncContext, all_rss: list[dict | None], new_rs: dict | None) -> None:
    ctx.d["status"] = calculate_status(ctx, all_rss, new_rs)
