"""The state of one Deployment sync: working copies and the ordered plan of actions.

Upstream writes through the API server as it decides and continues with the objects the
server returns. kctl's controllers return a plan instead, so a sync keeps *working copies*:
the deployment (annotations and status) and its ReplicaSets as updated so far, and
coalesces writes so each object is written at most once per sync (a later change to an RS
replaces the earlier Update/Create in place). Events keep the order they were recorded in.
Snapshot objects are never mutated: an RS that changes is copied shallowly (new metadata,
annotations and spec dicts; the pod template is shared, never modified).
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import Create, Emit, Event, ObjectRef, Update, UpdateStatus, clone

COMPONENT = "deployment-controller"


class Requeue(Exception):
    """Stop this sync here; the writes planned so far still happen (upstream returns an error)."""


class SyncContext:
    def __init__(self, deployment: dict, now: datetime):
        self.original = deployment
        m = deployment.get("metadata") or {}
        self.d = {**deployment, "metadata": {**m, "annotations": dict(m.get("annotations") or {})},
                  "status": clone(deployment.get("status") or {})}
        self.now = now
        self.actions: list = []
        self._slots: dict[str, int] = {}
        self._ref = ObjectRef.of(deployment)

    # -- the deployment -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.d["metadata"].get("name", "")

    @property
    def namespace(self) -> str | None:
        return self.d["metadata"].get("namespace")

    @property
    def status(self) -> dict:
        return self.d["status"]

    def event(self, type_: str, reason: str, message: str) -> None:
        self.actions.append(Emit(Event(self._ref, type_, reason, message, COMPONENT)))

    # -- ReplicaSet writes ----------------------------------------------------------------
    def create_rs(self, rs: dict) -> None:
        self._slots[rs["metadata"]["name"]] = len(self.actions)
        self.actions.append(Create(rs))

    def update_rs(self, rs: dict) -> None:
        name = rs["metadata"]["name"]
        slot = self._slots.get(name)
        if slot is None:
            self._slots[name] = len(self.actions)
            self.actions.append(Update(rs))
        elif isinstance(self.actions[slot], Create):
            self.actions[slot] = Create(rs)
        else:
            self.actions[slot] = Update(rs)

    # -- finishing ------------------------------------------------------------------------
    def finish(self) -> list:
        """The plan: RS writes and events in order, then the deployment's metadata (the
        revision annotation) and status writes if they changed."""
        actions = list(self.actions)
        om = self.original.get("metadata") or {}
        # As upstream, the revision annotation travels with the status write: the status
        # strategy keeps annotations, and generation does not move.
        # A spec change (the legacy rollback annotation) needs a real update.
        if (self.original.get("spec") or {}) != (self.d.get("spec") or {}):
            actions.append(Update(self.d))
        if (om.get("annotations") or {}) != self.d["metadata"]["annotations"] or \
                (self.original.get("status") or {}) != self.d["status"]:
            actions.append(UpdateStatus(self.d))
        return actions


def copy_rs(rs: dict) -> dict:
    """A working copy of an RS whose metadata/annotations/spec may be changed."""
    m = rs.get("metadata") or {}
    return {**rs, "metadata": {**m, "annotations": dict(m.get("annotations") or {})}, "spec": dict(rs.get("spec") or {})}
