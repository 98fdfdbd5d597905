"""A minimal stand-in for the manager, for unit tests of single controllers.

``apply(view, actions)`` applies a controller's plan to a MemoryView the simple way
(no validation or defaulting): names from generateName get a counter suffix, uids are
``uid-<name>``. Scenario tests go through the real CLI instead.
"""

from __future__ import annotations

import itertools

from kctl.controllers.base import Create, Delete, Emit, Update, UpdateStatus
from kctl.controllers.view import MemoryView

_counter = itertools.count()


def apply(view: MemoryView, actions) -> list:
    events = []
    for action in actions:
        if isinstance(action, Create):
            obj = action.obj
            meta = obj.setdefault("metadata", {})
            if not meta.get("name") and meta.get("generateName"):
                meta["name"] = f"{meta['generateName']}{next(_counter):05d}"
            meta.setdefault("uid", f"uid-{meta['name']}")
            view.put(obj)
        elif isinstance(action, Update):
            old = _find(view, action.obj)
            obj = action.obj
            if old is not None and "status" in old:
                obj = {**obj, "status": old["status"]}
            view.put(obj)
        elif isinstance(action, UpdateStatus):
            old = _find(view, action.obj)
            obj = dict(old or action.obj)
            obj["status"] = action.obj.get("status")
            annotations = (action.obj.get("metadata") or {}).get("annotations")
            if annotations is not None:  # status writes carry annotations, as the API server's
                obj["metadata"] = {**(obj.get("metadata") or {}), "annotations": annotations}
            view.put(obj)
        elif isinstance(action, Delete):
            for resource in view.resources():
                found = view.get(resource, action.ref.namespace, action.ref.name)
                if found is not None and found.get("kind") == action.ref.kind:
                    view.remove(found, resource)
        elif isinstance(action, Emit):
            events.append(action.event)
    return events


def _find(view: MemoryView, obj: dict):
    meta = obj.get("metadata") or {}
    for resource in view.resources():
        found = view.get(resource, meta.get("namespace"), meta.get("name", ""))
        if found is not None and found.get("kind") == obj.get("kind"):
            return found
    return None


def run_until_stable(view: MemoryView, controllers, now, max_rounds: int = 50) -> list:
    """Run controllers in order until a round produces no actions; returns all events."""
    events = []
    for _ in range(max_rounds):
        changed = False
        for c in controllers:
            actions = [a for a in c.sync(view, now)]
            if any(not isinstance(a, Emit) for a in actions):
                changed = True
            events.extend(apply(view, actions))
        if not changed:
            return events
    raise AssertionError("controllers did not converge")
