"""Deletion and garbage collection through ownerReferences
(pkg/controller/garbagecollector, pkg/controller/namespace/deletion), run synchronously.

- ``Background``: the object goes first, then every dependent whose owners are all gone
  (recursively, also in the background). A dependent that still has a live owner only loses
  its references to the gone owners (attemptToDeleteItem's dangling-reference patch).
- ``Foreground``: the same set, dependents before the owner (the owner's
  ``foregroundDeletion`` wait is over at once in kctl); the dependents are deleted in the
  foreground too.
- ``Orphan``: dependents lose their ownerReferences to the object; nothing else is deleted.
- An object with finalizers (other than the GC's own) is not removed: it gets
  ``deletionTimestamp`` and stays until an update removes its last finalizer.
- A Namespace: everything in it is deleted (background), then the namespace; ``default``,
  ``kube-system`` and ``kube-public`` may not be deleted (NamespaceLifecycle).
"""

from __future__ import annotations

from functools import cache

from kctl.api import registry
from kctl.api.errors import new_forbidden
from kctl.api.registry import ResourceType

IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")
GC_FINALIZERS = ("orphan", "foregroundDeletion")


@cache
def resource_for(group: str, resource: str) -> ResourceType | None:
    for rt in registry.RESOURCES:
        if rt.group == group and rt.name == resource:
            return rt
    return None


class GarbageCollector:
    def __init__(self, api, dry_run: bool = False):
        self.api = api
        self.tx = api.tx
        self.dry_run = dry_run
        #: uids deleted in this operation (a dry run removes nothing from the store).
        self.gone: set[str] = set()

    def delete(self, rt: ResourceType, obj: dict, propagation: str) -> list[dict]:
        md = obj["metadata"]
        if rt.group == "" and rt.kind == "Namespace":
            return self._delete_namespace(rt, obj)
        finalizers = [f for f in md.get("finalizers") or [] if f not in GC_FINALIZERS]
        out: list[dict] = []
        dependents: list[dict] = []
        if propagation == "Orphan":
            self._orphan(md["uid"])
        elif propagation == "Foreground":
            dependents = self._collect(md["uid"], "Foreground", owner_going=md["uid"])
        if finalizers:
            if not md.get("deletionTimestamp"):
                md["deletionTimestamp"] = self.api.clock.timestamp()
                md["deletionGracePeriodSeconds"] = 0
                if not self.dry_run:
                    self.api.store_update(rt, obj)
            return [obj, *dependents]
        self.gone.add(md["uid"])
        if not self.dry_run:
            self.api.delete_stored(rt, obj)
        out.append(obj)
        out.extend(dependents)
        if propagation == "Background":
            out.extend(self._collect(md["uid"], "Background"))
        return out

    def _owner_alive(self, uid: str, going: str | None) -> bool:
        return uid != going and uid not in self.gone and self.tx.uid_exists(uid)

    def _collect(self, owner_uid: str, propagation: str, owner_going: str | None = None) -> list[dict]:
        out: list[dict] = []
        for group, resource, dep in self.tx.dependents(owner_uid):
            dmd = dep["metadata"]
            if dmd["uid"] in self.gone:
                continue
            rt = resource_for(group, resource)
            if rt is None:
                continue
            refs = dmd.get("ownerReferences") or []
            alive = [r for r in refs if self._owner_alive(r.get("uid", ""), owner_going)]
            if alive:
                # Another owner still holds it: only the references to gone owners go.
                if len(alive) != len(refs) and not self.dry_run:
                    dmd["ownerReferences"] = alive
                    self.api.store_update(rt, dep)
                continue
            out.extend(self.delete(rt, dep, propagation))
        return out

    def _orphan(self, owner_uid: str) -> None:
        for group, resource, dep in self.tx.dependents(owner_uid):
            rt = resource_for(group, resource)
            if rt is None:
                continue
            refs = [r for r in dep["metadata"].get("ownerReferences") or [] if r.get("uid") != owner_uid]
            if refs:
                dep["metadata"]["ownerReferences"] = refs
            else:
                dep["metadata"].pop("ownerReferences", None)
            if not self.dry_run:
                self.api.store_update(rt, dep)

    def _delete_namespace(self, rt: ResourceType, ns: dict) -> list[dict]:
        name = ns["metadata"]["name"]
        if name in IMMORTAL_NAMESPACES:
            raise new_forbidden(rt, name, "this namespace may not be deleted")
        out: list[dict] = []
        held = False
        for group, resource, obj in self.tx.in_namespace(name):
            if obj["metadata"]["uid"] in self.gone:
                continue
            child = resource_for(group, resource)
            if child is None:
                continue
            if self.tx.get(group, resource, name, obj["metadata"]["name"]) is None and not self.dry_run:
                continue  # already collected with its owner
            removed = self.delete(child, obj, "Background")
            held = held or any(o["metadata"].get("deletionTimestamp") for o in removed)
            out.extend(removed)
        if held:
            # Content held by finalizers: the namespace stays Terminating (namespace controller).
            md = ns["metadata"]
            md.setdefault("deletionTimestamp", self.api.clock.timestamp())
            md.setdefault("deletionGracePeriodSeconds", 0)
            ns.setdefault("status", {})["phase"] = "Terminating"
            if not self.dry_run:
                self.api.store_update(rt, ns)
            return [ns, *out]
        self.gone.add(ns["metadata"]["uid"])
        if not self.dry_run:
            self.api.delete_stored(rt, ns)
        return [ns, *out]
