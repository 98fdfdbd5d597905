"""``pkg/controller/deployment/rollback.go``: the controller side of the legacy
``deprecated.deployment.rollback.to`` annotation (extensions/v1beta1 ``rollbackTo``).

Modern ``kubectl rollout undo`` is client-side (see ``rollback.py``); this path only runs
for objects that still carry the annotation. It copies the target revision's template into
the deployment and clears the annotation (one Update), with upstream's events.
"""

from __future__ import annotations

from . import util as u
from .context import SyncContext
from .sync import _rollback_to, get_all_replica_sets_and_sync_revision

ROLLBACK_REVISION_NOT_FOUND = "DeploymentRollbackRevisionNotFound"
ROLLBACK_TEMPLATE_UNCHANGED = "DeploymentRollbackTemplateUnchanged"
ROLLBACK_DONE = "DeploymentRollback"


def rollback(ctx: SyncContext, rs_list: list[dict], cluster=None) -> None:
    new_rs, all_old = get_all_replica_sets_and_sync_revision(ctx, rs_list, True, cluster)
    all_rss = [*all_old, new_rs]
    target = _rollback_to(ctx.d)
    if target == 0:
        target = u.last_revision(all_rss)
        if target == 0:
            ctx.event("Warning", ROLLBACK_REVISION_NOT_FOUND, "Unable to find last revision.")
            _clear_rollback_to(ctx)
            return
    for rs in all_rss:
        if rs is None:
            continue
        try:
            v = u.revision(rs)
        except ValueError:
            continue
        if v == target:
            if not u.equal_ignore_hash(u.template(ctx.d), u.template(rs)):
                set_from_replica_set_template(ctx.d, u.template(rs))
                set_deployment_annotations_to(ctx.d, rs)
                ctx.event("Normal", ROLLBACK_DONE, f'Rolled back deployment "{ctx.name}" to revision {target}')
            else:
                ctx.event("Warning", ROLLBACK_TEMPLATE_UNCHANGED,
                          f'The rollback revision contains the same template as current deployment "{ctx.name}"')
            _clear_rollback_to(ctx)
            return
    ctx.event("Warning", ROLLBACK_REVISION_NOT_FOUND, "Unable to find the revision to rollback to.")
    _clear_rollback_to(ctx)


def _clear_rollback_to(ctx: SyncContext) -> None:
    """``updateDeploymentAndClearRollbackTo`` (the spec change makes ``finish`` emit an Update)."""
    ctx.d["metadata"]["annotations"].pop(u.DEPRECATED_ROLLBACK_TO, None)


def set_from_replica_set_template(d: dict, tmpl: dict) -> None:
    """``SetFromReplicaSetTemplate``: the RS template minus pod-template-hash (working copy)."""
    m = dict(tmpl.get("metadata") or {})
    labels = {k: v for k, v in (m.get("labels") or {}).items() if k != u.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY}
    m["labels"] = labels
    d["spec"] = {**(d.get("spec") or {}), "template": {**tmpl, "metadata": m}}


def set_deployment_annotations_to(d: dict, rs: dict) -> None:
    """``SetDeploymentAnnotationsTo``: keep the skipped annotations, take the rest from the RS."""
    ann = d["metadata"]["annotations"]
    kept = {k: v for k, v in ann.items() if k in u.ANNOTATIONS_TO_SKIP}
    ann.clear()
    ann.update(kept)
    for k, v in u.annotations(rs).items():
        if k not in u.ANNOTATIONS_TO_SKIP:
            ann[k] = v
