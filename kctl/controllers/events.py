"""The event recorder: controllers' Events become core/v1 Event objects, aggregated
like client-go's EventCorrelator (same object, type, reason, message and source ->
``count + 1`` and a new ``lastTimestamp`` instead of a new object).

Names are client-go's ``makeEvent``'s: ``<object name>.<UnixNano in hex>``, so an object's
events list in the order they happened. The cluster clock has second precision; the
nanoseconds are the store revision the event is written at (unique and increasing), which
keeps names deterministic and distinct when the clock stands still."""

from __future__ import annotations

from kctl.controllers.base import Event, rfc3339


def _key(e: Event) -> tuple:
    ref = e.involved
    return (ref.kind, ref.namespace, ref.name, ref.uid, ref.field_path, e.type, e.reason, e.message, e.component, e.host)


def _key_of(obj: dict) -> tuple:
    ref = obj.get("involvedObject") or {}
    src = obj.get("source") or {}
    return (ref.get("kind"), ref.get("namespace"), ref.get("name"), ref.get("uid", ""), ref.get("fieldPath", ""),
            obj.get("type"), obj.get("reason"), obj.get("message"), src.get("component", ""), src.get("host", ""))


class EventRecorder:
    """Writes events through the API server; ``recorded`` lists what this pass emitted."""

    def __init__(self, api, now):
        self.api = api
        self.now = now
        self.recorded: list[dict] = []
        self._index: dict[tuple, dict] | None = None
        self._ts, self._ts_now = rfc3339(now), now
        self._unix_seconds = int(now.timestamp())

    def _existing(self) -> dict[tuple, dict]:
        if self._index is None:
            self._index = {_key_of(e): e for e in self.api.list("events")}
        return self._index

    def record(self, e: Event) -> dict:
        if self._ts_now is not self.now:
            self._ts, self._ts_now = rfc3339(self.now), self.now
            self._unix_seconds = int(self.now.timestamp())
        ts = self._ts
        index = self._existing()
        key = _key(e)
        old = index.get(key)
        if old is not None:
            obj = dict(old)
            obj["count"] = int(old.get("count") or 1) + 1
            obj["lastTimestamp"] = ts
            obj["metadata"] = {k: v for k, v in old["metadata"].items() if k != "resourceVersion"}
            stored = self.api.update(obj, shared=True)
        else:
            # A new dict nothing else holds: the API server may keep it instead of a copy.
            # Recorded events are read-only from here on (shared with the store).
            stored = self.api.create(self._new_event(e, ts), copy=False, shared=True)
        index[key] = stored
        self.recorded.append(stored)
        return stored

    def _new_event(self, e: Event, ts: str) -> dict:
        ref = e.involved
        namespace = ref.namespace or "default"
        nanos = self._unix_seconds * 1_000_000_000 + (self.api.tx.resource_version + 1) % 1_000_000_000
        involved = {"apiVersion": ref.api_version, "kind": ref.kind, "name": ref.name}
        if ref.namespace:
            involved["namespace"] = ref.namespace
        if ref.uid:
            involved["uid"] = ref.uid
        if ref.field_path:
            involved["fieldPath"] = ref.field_path
        source = {"component": e.component}
        if e.host:
            source["host"] = e.host
        return {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{ref.name}.{nanos:x}", "namespace": namespace},
            "involvedObject": involved,
            "reason": e.reason,
            "message": e.message,
            "source": source,
            "firstTimestamp": ts,
            "lastTimestamp": ts,
            "count": 1,
            "type": e.type,
            "eventTime": None,
            "reportingComponent": e.component,
            "reportingInstance": e.host,
        }
