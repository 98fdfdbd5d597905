"""Ages and timestamps as kubectl prints them.

``human_duration`` mirrors apimachinery ``pkg/util/duration.HumanDuration``;
``translate_timestamp_since`` mirrors the printers' helper of the same name
(zero/absent timestamp -> ``<unknown>``). ``now`` is always passed in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_SECOND = 1_000_000  # durations are handled in integer microseconds


def parse_rfc3339(value: str) -> datetime:
    """Parse an RFC 3339 timestamp (``2024-01-02T03:04:05Z``, fractional seconds and
    numeric offsets allowed) into an aware datetime."""
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def format_rfc3339(dt: datetime) -> str:
    """``2006-01-02T15:04:05Z`` (UTC, second precision), as metav1.Time serializes."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_duration(d: timedelta | float) -> str:
    """HumanDuration: ``<invalid>`` below -1s, ``0s``, ``45s``, ``5m12s``, ``45m``, ``3h4m``,
    ``8h``, ``3d4h``, ``400d``, ``3y45d``, ``9y``. Go truncates toward zero."""
    if isinstance(d, timedelta):
        us = (d.days * 86400 + d.seconds) * _SECOND + d.microseconds
    else:
        us = int(d * _SECOND)
    seconds = int(us / _SECOND) if us < 0 else us // _SECOND
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        s = seconds % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = seconds // 3600
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def translate_timestamp_since(timestamp: str | None, now: datetime) -> str:
    """Age of an RFC 3339 timestamp relative to ``now``; ``<unknown>`` when unset."""
    if not timestamp:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(timestamp))


def translate_timestamp_until(timestamp: str | None, now: datetime) -> str:
    if not timestamp:
        return "<unknown>"
    return human_duration(parse_rfc3339(timestamp) - now)
