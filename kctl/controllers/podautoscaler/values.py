"""The strings the HPA controller reads at every sync, read once each: metav1.Time
timestamps (its recommendation history, pods' start and transition times, PodMetrics'
sample times) and resource.Quantity milli-values (usages, requests, targets).

Each reading is a pure function of the text and its result is immutable (a datetime, an
int), so a memo gives the very same answers as reading again; errors are not memoized (they
are raised again each time)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

_SIZE = 16384


@lru_cache(maxsize=_SIZE)
def _parse_time(text: str) -> datetime:
    from kctl.api.server.clock import parse_time

    return parse_time(text)


def parse_time(text: object) -> datetime:
    """``kctl.api.server.clock.parse_time``, memoized for strings."""
    if type(text) is str:
        return _parse_time(text)
    from kctl.api.server.clock import parse_time as parse

    return parse(text)  # type: ignore[arg-type]


@lru_cache(maxsize=_SIZE)
def format_time(when: datetime) -> str:
    """``kctl.api.server.clock.format_time``, memoized."""
    from kctl.api.server.clock import format_time as fmt

    return fmt(when)


@lru_cache(maxsize=_SIZE)
def _milli_value(text: str) -> int:
    from kctl.api.quantity import parse_quantity

    return parse_quantity(text).milli_value()


def milli_value(value: object) -> int:
    """``parse_quantity(value).milli_value()``, memoized for strings."""
    if type(value) is str:
        return _milli_value(value)
    from kctl.api.quantity import parse_quantity

    return parse_quantity(value).milli_value()
