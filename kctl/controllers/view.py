"""An in-memory ClusterView: objects indexed by resource, namespace and owner."""

from __future__ import annotations

from collections import defaultdict


def resource_key(obj: dict) -> str:
    """``pods`` / ``deployments.apps``: the resource an object belongs to."""
    from kctl.api import registry

    rt = registry.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
    if rt is None:
        return f"{obj.get('kind', '').lower()}s"
    return rt.group_resource


class MemoryView:
    """Objects keyed by (resource, namespace, name); ``put``/``remove`` keep indexes current."""

    def __init__(self, objects: list[dict] = ()):
        self._objects: dict[str, dict[tuple[str | None, str], dict]] = defaultdict(dict)
        self._owned: dict[str, dict[tuple[str, str | None, str], dict]] = defaultdict(dict)
        #: Per resource, its keys in list order; dropped when a key comes or goes (replacing
        #: an object keeps it), so a pass's many lists sort each resource's keys rarely.
        self._order: dict[str, list[tuple[str | None, str]]] = {}
        for obj in objects:
            self.put(obj)

    @staticmethod
    def _key(obj: dict) -> tuple[str | None, str]:
        meta = obj.get("metadata") or {}
        return meta.get("namespace"), meta.get("name", "")

    def put(self, obj: dict, resource: str | None = None) -> None:
        resource = resource or resource_key(obj)
        key = self._key(obj)
        old = self._objects[resource].get(key)
        if old is not None:
            self._unindex(resource, old)
        else:
            self._order.pop(resource, None)
        self._objects[resource][key] = obj
        for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
            if ref.get("controller"):
                self._owned[ref.get("uid", "")][(resource, *key)] = obj

    def remove(self, obj: dict, resource: str | None = None) -> None:
        resource = resource or resource_key(obj)
        old = self._objects[resource].pop(self._key(obj), None)
        if old is not None:
            self._unindex(resource, old)
            self._order.pop(resource, None)

    def _unindex(self, resource: str, obj: dict) -> None:
        key = (resource, *self._key(obj))
        for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
            owned = self._owned.get(ref.get("uid", ""))
            if owned is not None:
                owned.pop(key, None)

    # -- ClusterView ------------------------------------------------------------------
    def list(self, resource: str, namespace: str | None = None) -> list[dict]:
        objs = self._objects.get(resource)
        if not objs:
            return []
        order = self._order.get(resource)
        if order is None:
            order = self._order[resource] = sorted(objs, key=_sort_key)
        if namespace is None:
            return list(map(objs.__getitem__, order))
        return [objs[k] for k in order if k[0] == namespace]

    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        return self._objects.get(resource, {}).get((namespace, name))

    def owned_by(self, uid: str) -> list[dict]:
        owned = self._owned.get(uid, {})
        return [owned[k] for k in sorted(owned, key=lambda k: (k[0], k[1] or "", k[2]))]

    def resources(self) -> list[str]:
        return sorted(self._objects)


def _sort_key(k: tuple[str | None, str]) -> tuple[str, str]:
    return (k[0] or "", k[1])
