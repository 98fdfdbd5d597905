"""Cron schedules as the CronJob controller parses them (github.com/robfig/cron/v3
``ParseStandard``: 5 fields, names, ranges, steps, ``@hourly``-style descriptors and
``@every <duration>``) and ``Schedule.Next``.

Day matching follows robfig: when day-of-month or day-of-week starts with ``*``/``?`` both
must match, otherwise either. ``next`` works on wall-clock minutes in the schedule's time
zone and skips wall times that do not exist (DST gaps); ambiguous ones take the first
occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

_BOUNDS = {
    "minute": (0, 59, {}),
    "hour": (0, 23, {}),
    "dom": (1, 31, {}),
    "month": (1, 12, {n: i + 1 for i, n in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}),
    "dow": (0, 6, {n: i for i, n in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}),
}
_FIELDS = ("minute", "hour", "dom", "month", "dow")
_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


class CronError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    values: frozenset[int]
    star: bool


@dataclass(frozen=True)
class SpecSchedule:
    minute: Field
    hour: Field
    dom: Field
    month: Field
    dow: Field

    def day_matches(self, t: datetime) -> bool:
        dom_match = t.day in self.dom.values
        dow_match = (t.isoweekday() % 7) in self.dow.values
        if self.dom.star or self.dow.star:
            return dom_match and dow_match
        return dom_match or dow_match

    def next(self, t: datetime, tz: tzinfo) -> datetime | None:
        """The first activation strictly after ``t`` (UTC result), None within 5 years."""
        local = t.astimezone(tz).replace(tzinfo=None)
        cand = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
        year_limit = cand.year + 5
        while cand.year <= year_limit:
            if cand.month not in self.month.values:
                cand = (cand.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
                continue
            if not self.day_matches(cand):
                cand = cand.replace(hour=0, minute=0) + timedelta(days=1)
                continue
            if cand.hour not in self.hour.values:
                cand = cand.replace(minute=0) + timedelta(hours=1)
                continue
            if cand.minute not in self.minute.values:
                cand += timedelta(minutes=1)
                continue
            aware = cand.replace(tzinfo=tz, fold=0)
            if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != cand:
                cand += timedelta(minutes=1)  # a wall time skipped by DST
                continue
            return aware.astimezone(UTC)
        return None


@dataclass(frozen=True)
class ConstantDelaySchedule:
    """``@every <duration>``: t + delay (whole seconds)."""

    delay: timedelta

    def next(self, t: datetime, tz: tzinfo) -> datetime | None:
        return t.replace(microsecond=0) + self.delay


def _parse_duration(text: str) -> timedelta:
    """Go ``time.ParseDuration`` of an ``@every`` schedule; robfig rounds it down to the
    second (at least 1s)."""
    from kctl.api.duration import DurationError, parse_duration

    try:
        total = parse_duration(text)
    except DurationError as e:
        raise CronError(e.message) from None
    return timedelta(seconds=max(int(total), 1))


def _parse_int(text: str, names: dict) -> int:
    if text.lower() in names:
        return names[text.lower()]
    if not text.isdigit():
        raise CronError(f"failed to parse int from {text}: strconv.Atoi: parsing {text!r}: invalid syntax".replace(
            "'", '"'))
    return int(text)


def _parse_field(expr: str, name: str) -> Field:
    lo, hi, names = _BOUNDS[name]
    values: set[int] = set()
    star = False
    for part in expr.split(","):
        range_and_step = part.split("/")
        low_and_high = range_and_step[0].split("-")
        single = len(low_and_high) == 1
        extra_star = False
        if low_and_high[0] in ("*", "?"):
            start, end, extra_star = lo, hi, True
        else:
            start = _parse_int(low_and_high[0], names)
            if len(low_and_high) == 1:
                end = start
            elif len(low_and_high) == 2:
                end = _parse_int(low_and_high[1], names)
            else:
                raise CronError(f"too many hyphens: {part}")
        if len(range_and_step) == 1:
            step = 1
        elif len(range_and_step) == 2:
            step = _parse_int(range_and_step[1], {})
            if single:
                end = hi
            if step > 1:
                extra_star = False
        else:
            raise CronError(f"too many slashes: {part}")
        if start < lo:
            raise CronError(f"beginning of range ({start}) below minimum ({lo}): {part}")
        if end > hi:
            raise CronError(f"end of range ({end}) above maximum ({hi}): {part}")
        if start > end:
            raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {part}")
        if step == 0:
            raise CronError(f"step of range should be a positive number: {part}")
        values.update(range(start, end + 1, step))
        star = star or extra_star
    return Field(frozenset(values), star)


def parse_standard(spec: str):
    """``cron.ParseStandard``: a SpecSchedule or ConstantDelaySchedule; CronError otherwise."""
    spec = spec.strip()
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        spec = spec.split(None, 1)[1] if " " in spec else ""
    if spec.startswith("@"):
        if spec.startswith("@every "):
            return ConstantDelaySchedule(_parse_duration(spec[len("@every "):].strip()))
        if spec not in _DESCRIPTORS:
            raise CronError(f"unrecognized descriptor: {spec}")
        spec = _DESCRIPTORS[spec]
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: {fields}".replace("'", ""))
    parsed = [_parse_field(f, n) for f, n in zip(fields, _FIELDS, strict=True)]
    return SpecSchedule(*parsed)
