"""The cluster clock.

kctl's cluster time is stored in the database (``meta.clock``), not read from the wall clock,
so a simulated cluster is reproducible: two runs of the same commands against two new
clusters created at the same instant produce the same timestamps.

Choice (documented for the CLI and the simulation):

- ``init`` sets the clock to the wall clock at cluster creation (UTC, whole seconds), or to
  the ``now`` it is given;
- ``Clock.now()`` returns the stored time; it never moves by itself;
- commands move it forward: ``advance(seconds)`` (the simulation's time steps) or
  ``sync(wall_now)`` (catch up with the wall clock; never moves backwards), ``set`` for tests.

Timestamps are RFC 3339 UTC with second precision (``2025-05-01T12:34:56Z``), as metav1.Time
serializes them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

META_CLOCK = "clock"


def format_time(when: datetime) -> str:
    """metav1.Time's JSON form: RFC 3339, UTC, whole seconds."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def wall_now() -> datetime:
    """The wall clock, truncated to seconds (only called at cluster creation and by ``sync``)."""
    return datetime.now(UTC).replace(microsecond=0)


class Clock:
    """The stored cluster time of one store transaction."""

    def __init__(self, tx):
        self._tx = tx

    def now(self) -> datetime:
        value = self._tx.meta_get(META_CLOCK)
        return parse_time(value) if value else wall_now()

    def timestamp(self) -> str:
        """``now()`` as it is written in object metadata."""
        return self._tx.meta_get(META_CLOCK) or format_time(wall_now())

    def set(self, when: datetime) -> None:
        self._tx.meta_set(META_CLOCK, format_time(when))

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the cluster clock cannot go backwards")
        when = self.now() + timedelta(seconds=seconds)
        self.set(when)
        return when

    def sync(self, wall: datetime | None = None) -> datetime:
        """Move the clock forward to ``wall`` (default: the wall clock); never backwards."""
        wall = (wall or wall_now()).replace(microsecond=0)
        current = self.now()
        if wall > current:
            self.set(wall)
            return wall
        return current


class FixedClock:
    """A clock that always says ``when`` (tests, dry runs without a store)."""

    def __init__(self, when: datetime):
        self._when = when

    def now(self) -> datetime:
        return self._when

    def timestamp(self) -> str:
        return format_time(self._when)
