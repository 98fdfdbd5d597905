"""metav1.Time helpers for the kubelet simulation (second precision, UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from kctl.controllers.base import rfc3339

__all__ = ["as_utc", "parse_time", "rfc3339", "plus_seconds"]


def as_utc(t: datetime) -> datetime:
    """``now`` as an aware UTC datetime truncated to seconds (what metav1.Time keeps)."""
    t = t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    return t.replace(microsecond=0)


def parse_time(value: str | None) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    return _parse(value)


@lru_cache(maxsize=256)
def _parse(value: str) -> datetime | None:
    try:
        return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except (TypeError, ValueError):
        return None


def plus_seconds(t: datetime, seconds: float) -> datetime:
    return t + timedelta(seconds=seconds)
