"""``cleanupDeployment`` (sync.go): keep at most revisionHistoryLimit old ReplicaSets.

Old RSs not being deleted beyond the limit are deleted lowest revision first, skipping any
that still has replicas (spec or status) or whose status has not observed its generation.
"""

from __future__ import annotations

from kctl.controllers.base import Delete, ObjectRef

from . import util as u
from .context import SyncContext


def cleanup_deployment(ctx: SyncContext, old_rss: list[dict]) -> None:
    if not u.has_revision_history_limit(ctx.d):
        return
    cleanable = [rs for rs in old_rss if rs is not None and not u.meta(rs).get("deletionTimestamp")]
    diff = len(cleanable) - u.revision_history_limit(ctx.d)
    if diff <= 0:
        return
    cleanable.sort(key=u.replica_sets_by_revision_key)
    for rs in cleanable[:diff]:
        if (u.status_int(rs, "replicas") != 0 or u.spec_replicas(rs) != 0
                or int(u.meta(rs).get("generation") or 0) > u.status_int(rs, "observedGeneration")):
            continue
        ctx.actions.append(Delete(ObjectRef.of(rs)))
