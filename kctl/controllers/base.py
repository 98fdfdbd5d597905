"""What controllers return: actions and events, and the Controller protocol."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol


@dataclass(frozen=True)
class ObjectRef:
    """Enough to name an object (an Event's involvedObject, a Delete's target)."""

    api_version: str
    kind: str
    namespace: str | None
    name: str
    uid: str = ""
    field_path: str = ""

    @classmethod
    def of(cls, obj: dict, field_path: str = "") -> ObjectRef:
        meta = obj.get("metadata") or {}
        return cls(obj.get("apiVersion", ""), obj.get("kind", ""), meta.get("namespace"), meta.get("name", ""),
                   meta.get("uid", ""), field_path)


@dataclass(frozen=True)
class Event:
    """A core/v1 Event to record (aggregated by the recorder: same object, reason,
    message and source -> count + 1)."""

    involved: ObjectRef
    type: str  # Normal | Warning
    reason: str
    message: str
    component: str  # source.component, e.g. "deployment-controller"
    host: str = ""  # source.host (the node, for kubelet events)


@dataclass(frozen=True)
class Create:
    """Create an object. ``handover``: the controller built ``obj`` fresh and keeps no
    reference to it, so the API server may default and store that very dict (as it does
    a decoded request body) instead of a copy."""

    obj: dict
    handover: bool = False


@dataclass(frozen=True)
class Update:
    """Replace an object's metadata and spec (the API server bumps generation)."""

    obj: dict


@dataclass(frozen=True)
class UpdateStatus:
    """Write an object's status subresource (metadata/spec changes are ignored).
    ``handover``: ``obj["status"]`` is the controller's to give away (it is never changed
    afterwards), so the API server stores it without copying."""

    obj: dict
    handover: bool = False


@dataclass(frozen=True)
class Delete:
    ref: ObjectRef
    propagation: str = "Background"
    #: Grace period override; None = the object's own (pods: terminationGracePeriodSeconds).
    grace_period_seconds: int | None = None


@dataclass(frozen=True)
class Bind:
    """The scheduler's Binding (pods/binding): sets spec.nodeName and PodScheduled=True."""

    ref: ObjectRef
    node_name: str


@dataclass(frozen=True)
class Emit:
    event: Event


Action = Create | Update | UpdateStatus | Delete | Bind | Emit


class ClusterView(Protocol):
    """A read-only snapshot of the cluster that controllers read (the informer cache)."""

    def list(self, resource: str, namespace: str | None = None) -> list[dict]:
        """Objects of a resource (``pods``, ``deployments.apps``...), optionally in one namespace."""

    def get(self, resource: str, namespace: str | None, name: str) -> dict | None: ...

    def owned_by(self, uid: str) -> list[dict]:
        """Objects whose controller ownerReference points at ``uid``."""


class Controller(Protocol):
    name: str

    def sync(self, cluster: ClusterView, now: datetime) -> Iterable[Action]: ...


@dataclass
class Plan:
    """A convenience builder controllers may use to collect actions."""

    actions: list = field(default_factory=list)

    def create(self, obj: dict, *, handover: bool = False) -> None:
        self.actions.append(Create(obj, handover))

    def update(self, obj: dict) -> None:
        self.actions.append(Update(obj))

    def update_status(self, obj: dict, *, handover: bool = False) -> None:
        self.actions.append(UpdateStatus(obj, handover))

    def delete(self, obj: dict, propagation: str = "Background", grace_period_seconds: int | None = None) -> None:
        self.actions.append(Delete(ObjectRef.of(obj), propagation, grace_period_seconds))

    def event(self, obj: dict, type_: str, reason: str, message: str, component: str, host: str = "",
              field_path: str = "") -> None:
        self.actions.append(Emit(Event(ObjectRef.of(obj, field_path), type_, reason, message, component, host)))


def clone(obj: dict) -> dict:
    """A deep copy of a JSON-shaped object (faster than copy.deepcopy)."""
    return json.loads(json.dumps(obj))


def controller_ref(obj: dict) -> dict | None:
    """The ownerReference with ``controller: true``, if any."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def owner_reference(owner: dict, block_owner_deletion: bool = True) -> dict:
    meta = owner.get("metadata") or {}
    return {
        "apiVersion": owner.get("apiVersion", ""),
        "kind": owner.get("kind", ""),
        "name": meta.get("name", ""),
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": block_owner_deletion,
    }


def parse_time(value: str | None) -> datetime | None:
    """A metav1.Time (RFC 3339) as an aware datetime; None for a missing/zero/unparsable time."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError, AttributeError):
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@lru_cache(maxsize=256)
def rfc3339(t: datetime) -> str:
    """Kubernetes' metav1.Time: RFC 3339, UTC, second precision. (A pass formats the same
    few instants for thousands of objects: the answers are cached.)"""
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")
