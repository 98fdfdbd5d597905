"""Go's ``time.ParseDuration``, as metav1.Duration fields and kubectl's duration flags read it.

``parse_duration("1h30m")`` -> 5400.0 seconds. A sequence of decimal numbers, each with a
unit (``ns``, ``us``/``µs``, ``ms``, ``s``, ``m``, ``h``), optionally signed; ``0`` alone
needs no unit. Anything else raises ``DurationError`` with Go's message
``time: invalid duration "<text>"``.
"""

from __future__ import annotations

import re
from functools import lru_cache

UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}

_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


class DurationError(ValueError):
    def __init__(self, text: str):
        super().__init__(f'time: invalid duration "{text}"')
        self.message = str(self)


@lru_cache(maxsize=1024)
def parse_duration(text: str) -> float:
    """Seconds (may be negative) of a Go duration string."""
    sign = -1.0 if text[:1] == "-" else 1.0
    body = text[1:] if text[:1] in "+-" and text else text
    if body == "0":
        return 0.0
    total, pos = 0.0, 0
    while pos < len(body):
        m = _PART.match(body, pos)
        if m is None:
            raise DurationError(text)
        total += float(m.group(1)) * UNITS[m.group(2)]
        pos = m.end()
    if not body:
        raise DurationError(text)
    return sign * total
