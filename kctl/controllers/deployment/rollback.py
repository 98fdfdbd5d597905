"""kubectl's client-side Deployment helpers (``polymorphichelpers/{rollback,history,
rollout_status}.go``) as pure functions for ``kctl rollout undo|history|status``.

- ``rollback(deployment, replica_sets, to_revision)`` is ``DeploymentRollbacker.Rollback``:
  pick the target ReplicaSet (``deployment_revision``), refuse paused deployments, skip when
  the template already matches, else return the new template (pod-template-hash removed)
  and annotations to patch in. Messages are kubectl's; the CLI prefixes
  ``deployment.apps/<name> `` to results and ``error: `` to ``RollbackError``.
- ``history`` / ``format_history`` are ``DeploymentHistoryViewer.ViewHistory`` data and table.
- ``rollout_status`` is ``DeploymentStatusViewer.Status``.

``replica_sets`` may be every ReplicaSet of the namespace: only those whose controller
ownerReference is the deployment count (``GetAllReplicaSets``).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import conditions as c
from . import util as u

ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"


class RollbackError(Exception):
    """A kubectl error; ``str()`` is the message without the ``error: `` prefix."""


class RolloutStatusError(Exception):
    """``rollout status`` failure (exit 1); ``str()`` without ``error: ``."""


@dataclass(frozen=True)
class RollbackResult:
    """``message``: ``rolled back`` or ``skipped rollback (...)``. When rolled back,
    ``template`` and ``annotations`` replace ``spec.template`` and ``metadata.annotations``
    (kubectl sends them as one JSON patch)."""

    message: str
    template: dict | None = None
    annotations: dict | None = None

    @property
    def changed(self) -> bool:
        return self.template is not None


def controlled_replica_sets(deployment: dict, replica_sets: list[dict]) -> list[dict]:
    uid = u.meta(deployment).get("uid")
    out = []
    for rs in replica_sets:
        for ref in u.meta(rs).get("ownerReferences") or ():
            if ref.get("controller") and ref.get("uid") == uid:
                out.append(rs)
                break
    return out


def get_all_replica_sets(deployment: dict, replica_sets: list[dict]) -> list[dict]:
    """Old RSs (listing order) followed by the new RS, as kubectl's deploymentRevision sees them."""
    rss = controlled_replica_sets(deployment, replica_sets)
    new_rs = u.find_new_replica_set(deployment, rss)
    _, all_old = u.find_old_replica_sets(deployment, rss, new_rs)
    return [*all_old, new_rs] if new_rs is not None else all_old


def deployment_revision(deployment: dict, replica_sets: list[dict], to_revision: int) -> dict:
    """The RS of ``to_revision``, or for 0 the one with the second highest revision."""
    if to_revision < 0:
        raise RollbackError(f"unable to find specified revision {to_revision} in history")
    latest = previous = None
    latest_rev = previous_rev = -1
    for rs in get_all_replica_sets(deployment, replica_sets):
        try:
            v = u.revision(rs)
        except ValueError:
            continue
        if to_revision == 0:
            if latest_rev < v:
                previous_rev, previous = latest_rev, latest
                latest_rev, latest = v, rs
            elif previous_rev < v:
                previous_rev, previous = v, rs
        elif to_revision == v:
            return rs
    if to_revision > 0:
        raise RollbackError(f"unable to find specified revision {to_revision} in history")
    if previous is None:
        raise RollbackError(f'no rollout history found for deployment "{u.meta(deployment).get("name", "")}"')
    return previous


def rollback(deployment: dict, replica_sets: list[dict], to_revision: int = 0) -> RollbackResult:
    target = deployment_revision(deployment, replica_sets, to_revision)
    if (deployment.get("spec") or {}).get("paused"):
        raise RollbackError("you cannot rollback a paused deployment; "
                            "resume it first with 'kubectl rollout resume' and try again")
    if u.equal_ignore_hash(u.template(target), u.template(deployment)):
        return RollbackResult(f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})")
    tmpl = u.template(target)
    m = dict(tmpl.get("metadata") or {})
    m["labels"] = {k: v for k, v in (m.get("labels") or {}).items() if k != u.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY}
    new_template = {**tmpl, "metadata": m}
    dep_ann = u.annotations(deployment)
    annotations = {k: dep_ann[k] for k in sorted(u.ANNOTATIONS_TO_SKIP) if k in dep_ann}
    for k, v in u.annotations(target).items():
        if k not in u.ANNOTATIONS_TO_SKIP:
            annotations[k] = v
    return RollbackResult(ROLLBACK_SUCCESS, new_template, dict(sorted(annotations.items())))


@dataclass(frozen=True)
class Revision:
    revision: int
    change_cause: str  # "" when absent
    template: dict


def history(deployment: dict, replica_sets: list[dict]) -> list[Revision]:
    """Revisions ascending; a later RS with the same revision replaces an earlier one."""
    by_rev: dict[int, Revision] = {}
    for rs in get_all_replica_sets(deployment, replica_sets):
        try:
            v = u.revision(rs)
        except ValueError:
            continue
        cause = u.annotations(rs).get(u.CHANGE_CAUSE_ANNOTATION, "")
        tmpl = u.template(rs)
        if cause:
            tm = dict(tmpl.get("metadata") or {})
            tm["annotations"] = {**(tm.get("annotations") or {}), u.CHANGE_CAUSE_ANNOTATION: cause}
            tmpl = {**tmpl, "metadata": tm}
        by_rev[v] = Revision(v, cause, tmpl)
    return [by_rev[k] for k in sorted(by_rev)]


def format_history(revisions: list[Revision]) -> str:
    """The body ``rollout history`` prints after ``deployment.apps/<name> \\n`` (tabwriter,
    minwidth 0, padding 2): ``No rollout history found.`` when empty."""
    if not revisions:
        return "No rollout history found."
    rows = [("REVISION", "CHANGE-CAUSE")] + [(str(r.revision), r.change_cause or "<none>") for r in revisions]
    width = max(len(a) for a, _ in rows) + 2
    return "".join(f"{a.ljust(width)}{b}\n" for a, b in rows)


def rollout_status(deployment: dict, revision: int = 0) -> tuple[str, bool]:
    """(message with trailing newline, done). Raises ``RolloutStatusError`` on a timed-out
    rollout or a revision mismatch."""
    name = u.meta(deployment).get("name", "")
    if revision > 0:
        try:
            current = u.revision(deployment)
        except ValueError as e:
            raise RolloutStatusError(f'cannot get the revision of deployment "{name}": {e}') from None
        if revision != current:
            raise RolloutStatusError(f"desired revision ({revision}) is different from the running revision ({current})")
    status = deployment.get("status") or {}
    generation = int(u.meta(deployment).get("generation") or 0)
    if generation <= int(status.get("observedGeneration") or 0):
        cond = c.get_deployment_condition(status, c.PROGRESSING)
        if cond is not None and cond.get("reason") == c.TIMED_OUT_REASON:
            raise RolloutStatusError(f'deployment "{name}" exceeded its progress deadline')
        replicas = u.spec_replicas(deployment)
        updated = int(status.get("updatedReplicas") or 0)
        total = int(status.get("replicas") or 0)
        available = int(status.get("availableReplicas") or 0)
        if updated < replicas:
            return (f'Waiting for deployment "{name}" rollout to finish: '
                    f"{updated} out of {replicas} new replicas have been updated...\n", False)
        if total > updated:
            return (f'Waiting for deployment "{name}" rollout to finish: '
                    f"{total - updated} old replicas are pending termination...\n", False)
        if available < updated:
            return (f'Waiting for deployment "{name}" rollout to finish: '
                    f"{available} of {updated} updated replicas are available...\n", False)
        return f'deployment "{name}" successfully rolled out\n', True
    return "Waiting for deployment spec update to be observed...\n", False
