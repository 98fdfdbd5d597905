"""Just enough of ``resource.Quantity`` for describe: parse, add, compare, canonical text.

A private fallback until kctl/api/quantity.py is shared (the lead may swap it in): values
are exact fractions; ``str()`` is upstream's ``Quantity.String()`` canonical form (``1000m``
prints ``1``, ``1000`` prints ``1k``, ``1536Mi`` stays binary, ``0.5`` prints ``500m``), and
``add`` keeps the left operand's format unless it is zero, as ``Quantity.Add`` does.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Quantity", "parse_quantity", "ZERO"]

BINARY_SI = "BinarySI"
DECIMAL_SI = "DecimalSI"
DECIMAL_EXPONENT = "DecimalExponent"

_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {v: k for k, v in _DECIMAL.items()}
_BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
_RE = re.compile(r"^([+-]?)(\d*)(?:\.(\d*))?(.*)$")
_NANO = Fraction(1, 10**9)


@dataclass(frozen=True)
class Quantity:
    value: Fraction
    format: str = DECIMAL_SI

    def is_zero(self) -> bool:
        return self.value == 0

    def milli_value(self) -> int:
        return math.ceil(self.value * 1000)

    def int_value(self) -> int:
        """``Quantity.Value()``: rounded up to an integer."""
        return math.ceil(self.value)

    def add(self, other: Quantity) -> Quantity:
        fmt = other.format if self.value == 0 else self.format
        return Quantity(self.value + other.value, fmt)

    def __str__(self) -> str:
        return canonical(self)


ZERO = Quantity(Fraction(0), DECIMAL_SI)


def parse_quantity(raw: object) -> Quantity:
    """Parse a quantity string (or a YAML number); raises ValueError when malformed."""
    if isinstance(raw, Quantity):
        return raw
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"quantities must match the regular expression: {raw!r}")
    s = str(raw).strip() if not isinstance(raw, float) else repr(raw)
    m = _RE.match(s)
    if not m or (not m.group(2) and not m.group(3)):
        raise ValueError(f"quantities must match the regular expression: {raw!r}")
    sign, whole, frac, suffix = m.group(1), m.group(2) or "0", m.group(3) or "", m.group(4)
    number = Fraction(int(whole + frac), 10 ** len(frac))
    if sign == "-":
        number = -number
    if suffix in _BINARY:
        value, fmt = number * (1 << _BINARY[suffix]), BINARY_SI
    elif suffix in _DECIMAL:
        value, fmt = number * Fraction(10) ** _DECIMAL[suffix], DECIMAL_SI
    elif suffix[:1] in ("e", "E") and re.fullmatch(r"[+-]?\d+", suffix[1:]):
        value, fmt = number * Fraction(10) ** int(suffix[1:]), DECIMAL_EXPONENT
    else:
        raise ValueError(f"unable to parse quantity's suffix: {raw!r}")
    # Precision finer than 1n is rounded up, as upstream does.
    if (value / _NANO).denominator != 1:
        value = Fraction(math.ceil(value / _NANO)) * _NANO
    return Quantity(value, fmt)


def canonical(q: Quantity) -> str:
    """``Quantity.String()`` / ``CanonicalizeBytes``."""
    v = q.value
    if v == 0:
        return "0"
    fmt = q.format
    if fmt == BINARY_SI and (-1024 < v < 1024 or v.denominator != 1):
        fmt = DECIMAL_SI
    if fmt == BINARY_SI:
        n, exp = int(v), 0
        while n % 1024 == 0 and exp < len(_BINARY_SUFFIX) - 1:
            n //= 1024
            exp += 1
        return f"{n}{_BINARY_SUFFIX[exp]}"
    n, exp = int(v / _NANO), -9
    while n % 10 == 0:
        n //= 10
        exp += 1
    r = exp % 3
    n, exp = n * 10**r, exp - r
    if fmt == DECIMAL_EXPONENT:
        return f"{n}e{exp}" if exp else str(n)
    return f"{n}{_DECIMAL_SUFFIX[exp]}" if exp in _DECIMAL_SUFFIX else f"{n}e{exp}"


def quantity_string(raw: object) -> str:
    """Canonical text of a stored quantity; malformed input is shown as given."""
    try:
        return canonical(parse_quantity(raw))
    except ValueError:
        return str(raw)
