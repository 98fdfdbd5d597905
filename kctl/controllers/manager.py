"""The controller-manager's one-shot pass: run every control loop to a fixed point.

Each round, every controller reads the current ``MemoryView`` and returns actions; the
manager applies them through the API server (so validation, defaulting and metadata
are the API server's) and keeps the view current. A round that changes no object ends
the pass. Errors from the API server do not stop the pass: they are collected and
reported, as a real controller would log and retry.

Objects in the view are read-only, as an informer cache's are upstream: controllers copy
before they change anything, and a write puts a new object in the view. So the pass writes
``shared``: the store keeps the very objects the view holds as its staged writes and
serializes each object once, in its final state, at commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from kctl.api import registry
from kctl.api.errors import StatusError
from kctl.controllers.base import Bind, Create, Delete, Emit, Update, UpdateStatus
from kctl.controllers.events import EventRecorder
from kctl.controllers.view import MemoryView
from kctl.store.collector import automatic_gc_paused

MAX_ROUNDS = 200

#: Resources the control loops never read (kept out of the view and the diff).
_IGNORED = {"events", "events.events.k8s.io"}
#: Resources the loops read and write but that are observations, not changes a pass causes
#: (metrics-server's samples): kept out of the diff.
_UNREPORTED = {"pods.metrics.k8s.io", "nodes.metrics.k8s.io"}


class DidNotConverge(RuntimeError):
    pass


@dataclass
class Change:
    """One object that the pass created, changed or deleted."""

    action: str  # created | changed | deleted
    resource: str  # e.g. "deployments.apps"
    namespace: str | None
    name: str
    before: dict | None = field(default=None, repr=False)
    after: dict | None = field(default=None, repr=False)


@dataclass
class PassResult:
    changes: list[Change]
    events: list[dict]
    errors: list[str]
    rounds: int


def _key(obj: dict) -> tuple[str | None, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace"), meta.get("name", "")


def _rv(obj: dict | None) -> str | None:
    return None if obj is None else (obj.get("metadata") or {}).get("resourceVersion")


class ControllerManager:
    def __init__(self, api, controllers, now: datetime):
        self.api = api
        self.controllers = list(controllers)
        self.now = now
        self.recorder = EventRecorder(api, now)
        self.errors: list[str] = []
        self.view = MemoryView()
        self._before: dict[tuple[str, str | None, str], dict] = {}
        #: Whether a delete took Events with it (a carried event index would be stale).
        self.events_deleted = False
        with automatic_gc_paused():
            for rt in registry.RESOURCES:
                resource = rt.group_resource
                if resource in _IGNORED or resource in self.view.resources():
                    continue
                for obj in api.list(rt):
                    self.view.put(obj, resource)
                    self._before[(resource, *_key(obj))] = obj

    def observe(self, obj: dict, resource: str | None = None) -> None:
        """An object written through the API server outside the pass (between two passes
        over one carried view, e.g. ``kctl simulate`` setting a workload's load): the view
        holds it from now on, as an informer's cache would after the watch event."""
        self.view.put(obj, resource or self.api.resource_type(obj).group_resource)

    def rebase(self, now: datetime) -> None:
        """Start a new pass over the carried view at ``now``: what it changes is diffed
        against the view as it is now (what a fresh manager would have listed), and its
        events and errors are its own."""
        self.now = now
        self._before = {(resource, *_key(obj)): obj for resource in self.view.resources()
                        for obj in self.view.list(resource)}
        self.errors = []
        if self.events_deleted:
            self.recorder = EventRecorder(self.api, now)
            self.events_deleted = False
        else:
            self.recorder.now = now
            self.recorder.recorded = []

    def run(self, max_rounds: int = MAX_ROUNDS) -> PassResult:
        with automatic_gc_paused():
            return self._run(max_rounds)

    def _run(self, max_rounds: int) -> PassResult:
        for round_number in range(1, max_rounds + 1):
            changed = False
            for controller in self.controllers:
                for action in list(controller.sync(self.view, self.now)):
                    changed |= self.apply(action, controller.name)
            if not changed:
                return PassResult(self.changes(), self.recorder.recorded, self.errors, round_number)
        raise DidNotConverge(f"the control plane did not reach a fixed point after {max_rounds} rounds")

    # -- applying actions -------------------------------------------------------------
    def apply(self, action, source: str = "") -> bool:
        """Apply one action through the API server; True when an object changed."""
        try:
            if isinstance(action, Emit):
                self.recorder.record(action.event)
                return False
            if isinstance(action, Create):
                stored = self.api.create(action.obj, copy=not action.handover, shared=True)
                self.view.put(stored)
                return True
            if isinstance(action, Update | UpdateStatus):
                before = self._current(action.obj)
                if isinstance(action, Update):
                    write = self.api.update
                else:
                    write = partial(self.api.update_status, copy=not action.handover)
                # One pass is the only writer and its view is current: a controller that
                # writes one object twice in a sync must not conflict with itself.
                obj = {**action.obj, "metadata": {k: v for k, v in (action.obj.get("metadata") or {}).items()
                                                  if k != "resourceVersion"}}
                stored = write(obj, shared=True)
                self.view.put(stored)
                return _rv(stored) != _rv(before)
            if isinstance(action, Bind):
                return self._bind(action)
            if isinstance(action, Delete):
                return self._delete(action)
        except StatusError as e:
            self.errors.append(f"{source}: {e}")
            return False
        raise TypeError(f"unknown action {action!r}")

    def _current(self, obj: dict) -> dict | None:
        rt = self.api.resource_type(obj)
        ns, name = _key(obj)
        return self.view.get(rt.group_resource, ns, name)

    def _bind(self, action: Bind) -> bool:
        ref = action.ref
        pod = self.view.get("pods", ref.namespace, ref.name)
        if pod is None or (pod.get("spec") or {}).get("nodeName"):
            return False
        # The view's objects are never changed in place: the bound pod is a new object that
        # shares the unchanged parts (the store keeps its own serialized copy).
        bound = {**pod, "metadata": dict(pod["metadata"]), "spec": {**pod["spec"], "nodeName": action.node_name}}
        status = bound["status"] = dict(pod.get("status") or {})
        conditions = [c for c in status.get("conditions") or () if c.get("type") != "PodScheduled"]
        conditions.insert(0, {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                              "lastTransitionTime": self.api.clock.timestamp()})
        status["conditions"] = conditions
        stored = self.api.store_update(self.api.resource_type("pods"), bound, shared=True)
        self.view.put(stored, "pods")
        return True

    def _delete(self, action: Delete) -> bool:
        ref = action.ref
        rt = registry.for_kind(ref.api_version, ref.kind) or registry.resolve(ref.kind)
        try:
            deleted = self.api.delete(rt, ref.namespace, ref.name, propagation=action.propagation)
        except StatusError as e:
            if e.reason == "NotFound":
                return False
            raise
        for obj in deleted:
            meta = obj.get("metadata") or {}
            resource = self.api.resource_type(obj).group_resource
            if resource in _IGNORED:
                self.events_deleted = True
            if meta.get("deletionTimestamp") and meta.get("finalizers"):
                self.view.put(obj, resource)
            else:
                self.view.remove(obj, resource)
        return bool(deleted)

    # -- the diff ---------------------------------------------------------------------
    def changes(self) -> list[Change]:
        out: list[Change] = []
        after_keys = set()
        for resource in self.view.resources():
            if resource in _UNREPORTED:
                continue
            for obj in self.view.list(resource):
                key = (resource, *_key(obj))
                after_keys.add(key)
                before = self._before.get(key)
                if before is None:
                    out.append(Change("created", resource, key[1], key[2], None, obj))
                elif _rv(before) != _rv(obj):
                    out.append(Change("changed", resource, key[1], key[2], before, obj))
        for key, before in self._before.items():
            if key not in after_keys and key[0] not in _UNREPORTED:
                out.append(Change("deleted", key[0], key[1], key[2], before, None))
        order = {"created": 0, "changed": 1, "deleted": 2}
        out.sort(key=lambda c: (c.resource != "namespaces", c.resource, c.namespace or "", c.name, order[c.action]))
        return out
