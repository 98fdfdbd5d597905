"""HumanDuration boundaries (apimachinery pkg/util/duration) and timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kctl.printers.duration import (
    format_rfc3339,
    human_duration,
    parse_rfc3339,
    translate_timestamp_since,
)

S = 1
M = 60
H = 3600
D = 86400


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (-2, "<invalid>"),
        (-1.9, "0s"),  # Go truncates toward zero: int(-1.9s) = -1
        (-1, "0s"),
        (0, "0s"),
        (45, "45s"),
        (119.9, "119s"),
        (120, "2m"),
        (5 * M + 12, "5m12s"),
        (9 * M + 59, "9m59s"),
        (10 * M, "10m"),
        (45 * M, "45m"),
        (3 * H - 1, "179m"),
        (3 * H, "3h"),
        (3 * H + 4 * M, "3h4m"),
        (8 * H - 1, "7h59m"),
        (8 * H, "8h"),
        (48 * H - 1, "47h"),
        (48 * H, "2d"),
        (3 * D + 4 * H, "3d4h"),
        (8 * D - 1, "7d23h"),
        (8 * D, "8d"),
        (400 * D, "400d"),
        (730 * D - 1, "729d"),
        (730 * D, "2y"),
        (3 * 365 * D + 45 * D, "3y45d"),
        (8 * 365 * D - 1, "7y364d"),
        (8 * 365 * D, "8y"),
        (9 * 365 * D + 100 * D, "9y"),
    ],
)
def test_human_duration(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected
    assert human_duration(timedelta(seconds=seconds)) == expected


def test_parse_rfc3339_forms() -> None:
    utc = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_rfc3339("2024-05-01T12:00:00Z") == utc
    assert parse_rfc3339("2024-05-01T14:00:00+02:00") == utc
    assert parse_rfc3339("2024-05-01T12:00:00.123456Z") == utc + timedelta(microseconds=123456)
    assert parse_rfc3339("2024-05-01T12:00:00.123456789Z").microsecond == 123456
    assert format_rfc3339(parse_rfc3339("2024-05-01T14:00:00.5+02:00")) == "2024-05-01T12:00:00Z"


def test_translate_timestamp_since() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert translate_timestamp_since(None, now) == "<unknown>"
    assert translate_timestamp_since("", now) == "<unknown>"
    assert translate_timestamp_since("2024-05-01T11:54:48Z", now) == "5m12s"
    assert translate_timestamp_since("2024-05-01T12:00:05Z", now) == "<invalid>"
