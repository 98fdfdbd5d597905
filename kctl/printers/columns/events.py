"""Event rows (core/v1 and events.k8s.io/v1): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE;
wide adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME. Mirrors printEvent and
formatEventSource upstream (both API versions print through the internal core Event)."""

from __future__ import annotations

from datetime import datetime

from kctl.printers.duration import translate_timestamp_since

from . import Column, register
from .common import name


def as_core_event(ev: dict) -> dict:
    """Map an events.k8s.io/v1 Event onto core/v1 field names (what the server's
    conversion to the internal type does); core events pass through."""
    if not str(ev.get("apiVersion", "")).startswith("events.k8s.io/"):
        return ev
    return {
        "metadata": ev.get("metadata") or {},
        "involvedObject": ev.get("regarding") or {},
        "reason": ev.get("reason", ""),
        "message": ev.get("note", ""),
        "source": ev.get("deprecatedSource") or {},
        "firstTimestamp": ev.get("deprecatedFirstTimestamp"),
        "lastTimestamp": ev.get("deprecatedLastTimestamp"),
        "count": ev.get("deprecatedCount") or 0,
        "type": ev.get("type", ""),
        "eventTime": ev.get("eventTime"),
        "series": ev.get("series"),
        "reportingComponent": ev.get("reportingController", ""),
        "reportingInstance": ev.get("reportingInstance", ""),
    }


def _first_non_empty(*values: str | None) -> str:
    for v in values:
        if v:
            return v
    return ""


def format_event_source(ev: dict) -> str:
    source = ev.get("source") or {}
    component = _first_non_empty(source.get("component"), ev.get("reportingComponent"))
    instance = _first_non_empty(source.get("host"), ev.get("reportingInstance"))
    return component if not instance else f"{component}, {instance}"


def event_row(ev: dict, now: datetime) -> list:
    ev = as_core_event(ev)
    if ev.get("firstTimestamp"):
        first = translate_timestamp_since(ev["firstTimestamp"], now)
    else:
        first = translate_timestamp_since(ev.get("eventTime"), now)
    last = translate_timestamp_since(ev["lastTimestamp"], now) if ev.get("lastTimestamp") else first
    count = int(ev.get("count") or 0)
    series = ev.get("series")
    if series is not None:
        last = translate_timestamp_since(series.get("lastObservedTime"), now)
        count = int(series.get("count") or 0)
    elif count == 0:
        count = 1
    involved = ev.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    return [
        last,
        ev.get("type", ""),
        ev.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        format_event_source(ev),
        str(ev.get("message", "")).strip(),
        first,
        count,
        name(ev),
    ]


_COLUMNS = (
    Column("Last Seen"),
    Column("Type"),
    Column("Reason"),
    Column("Object"),
    Column("Subobject", 1),
    Column("Source", 1),
    Column("Message"),
    Column("First Seen", 1),
    Column("Count", 1),
    Column("Name", 1, format="name"),
)
register("", "Event", _COLUMNS, event_row)
register("events.k8s.io", "Event", _COLUMNS, event_row)
