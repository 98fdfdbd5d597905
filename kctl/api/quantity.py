"""Kubernetes ``resource.Quantity`` (k8s.io/apimachinery/pkg/api/resource).

Mirrors upstream's parser (``ParseQuantity``/``parseQuantityString``), its exact
value semantics and its canonical string form (``CanonicalizeBytes``), so that
``Quantity("1.5").to_string() == "1500m"`` and ``Quantity("1.5Gi")`` prints
``1536Mi`` exactly as kubectl does.

Value model: every quantity upstream is a multiple of 1n (values finer than
10^-9 are rounded *up*, away from zero, when parsed), so the value is kept as an
exact integer count of nano-units (``nanos``). Arithmetic and comparison are
exact; ``milli_value()``/``value()`` round up like ``ScaledValue``.

Formats: ``DecimalSI`` (``k``, ``M``, ``m`` ...), ``BinarySI`` (``Ki``, ``Mi`` ...)
and ``DecimalExponent`` (``1e3``). A quantity keeps the format it was written in
and, like upstream, reuses the original text as its string form when that text
is already canonical (``Quantity.s``).
"""

from __future__ import annotations

from functools import lru_cache, total_ordering

__all__ = [
    "BINARY_SI",
    "DECIMAL_EXPONENT",
    "DECIMAL_SI",
    "ERR_FORMAT_WRONG",
    "ERR_NUMERIC",
    "ERR_SUFFIX",
    "Quantity",
    "QuantityError",
    "parse_quantity",
]

DECIMAL_EXPONENT = "DecimalExponent"
BINARY_SI = "BinarySI"
DECIMAL_SI = "DecimalSI"

SPLIT_RE = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_NANO = 10**9
#: Upstream caps values that go through the big-decimal path at int64 max.
_MAX_ALLOWED_NANOS = (2**63 - 1) * _NANO
_MAX_INT64_FACTORS = 18

_DEC_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {v: k for k, v in _DEC_SUFFIXES.items()}
_BIN_BY_EXP = {v: k for k, v in _BIN_SUFFIXES.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")


class QuantityError(ValueError):
    """A string that ``resource.ParseQuantity`` rejects; ``str()`` is upstream's error text."""


def _parse_string(text: str) -> tuple[bool, str, str, str, str]:
    """Upstream ``parseQuantityString``: (positive, value, num, denom, suffix)."""
    positive = True
    pos = 0
    end = len(text)
    if pos < end and text[0] in "+-":
        positive = text[0] != "-"
        pos += 1
    # strip leading zeros
    while True:
        if pos >= end:
            return positive, "0", "0", "", ""
        if text[pos] != "0":
            break
        pos += 1
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num = text[start:pos] or "0"
    if pos >= end:
        return positive, text, num, "", ""
    denom = ""
    if text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
        if pos >= end:
            return positive, text, num, denom, ""
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise QuantityError(ERR_FORMAT_WRONG)
    return positive, value, num, denom, text[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str] | None:
    """Upstream ``suffixHandler.interpret``: (base, exponent, format)."""
    if suffix in _DEC_SUFFIXES:
        return 10, _DEC_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BIN_SUFFIXES:
        return 2, _BIN_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        rest = suffix[1:]
        body = rest[1:] if rest[:1] in "+-" else rest
        if body and body.isascii() and body.isdigit():
            exp = int(rest)
            if -(2**63) <= exp < 2**63:
                return 10, exp, DECIMAL_EXPONENT
    return None


def _ceil_div_away(n: int, d: int) -> int:
    """n/d rounded away from zero (upstream's inf.RoundUp)."""
    q, r = divmod(abs(n), d)
    if r:
        q += 1
    return q if n >= 0 else -q


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[int, str, str | None]:
    if not text:
        raise QuantityError(ERR_FORMAT_WRONG)
    if text == "0":
        return 0, DECIMAL_SI, text
    positive, value, num, denom, suffix = _parse_string(text)
    interpreted = _interpret(suffix)
    if interpreted is None:
        raise QuantityError(ERR_SUFFIX)
    base, exponent, fmt = interpreted
    digits = int(num + denom) if (num + denom) else 0
    cached: str | None = None

    # Upstream's int64 fast path: exact, no rounding, no cap, maybe cached string.
    fast = False
    if fmt in (DECIMAL_EXPONENT, DECIMAL_SI):
        precision = _MAX_INT64_FACTORS - (len(num) + len(denom))
        scale = exponent - len(denom)
        if precision >= 0 and scale >= -9:
            fast = True
            nanos = digits * 10 ** (scale + 9)
            shifted = num + denom
            if scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                cached = text
    else:  # BinarySI
        if exponent >= 0 and not denom:
            precision = 15 - len(num) - int(exponent * 3 / 10) - 1
            if precision >= 0 and digits * (1 << exponent) <= 2**63 - 1:
                fast = True
                nanos = digits * (1 << exponent) * _NANO
                if exponent % 10 == 0 and (digits & 0x07) != 0:
                    cached = text
    if fast:
        if not positive:
            nanos = -nanos
        return nanos, fmt, cached

    # Big-decimal path: exact value, rounded up to 1n, capped at int64 max.
    try:
        whole = int(num)
        frac_digits = denom
    except ValueError as exc:  # pragma: no cover - num is digits only
        raise QuantityError(ERR_NUMERIC) from exc
    # value = (whole + 0.denom) * base**exponent, kept as a fraction p/q
    p = whole * 10 ** len(frac_digits) + (int(frac_digits) if frac_digits else 0)
    q = 10 ** len(frac_digits)
    if base == 10:
        if exponent >= 0:
            p *= 10**exponent
        else:
            q *= 10 ** (-exponent)
    else:
        p *= 1 << exponent
    nanos = _ceil_div_away(p * _NANO, q) if p else 0
    nanos = min(nanos, _MAX_ALLOWED_NANOS)
    if fmt == BINARY_SI and 0 < nanos < _NANO:
        fmt = DECIMAL_SI
    if not positive:
        nanos = -nanos
    return nanos, fmt, None


def _remove_factors(value: int, base: int) -> tuple[int, int]:
    times = 0
    negative = value < 0
    result = -value if negative else value
    while result >= base and result % base == 0:
        result //= base
        times += 1
    return (-result if negative else result), times


@total_ordering
class Quantity:
    """An exact resource quantity (immutable)."""

    __slots__ = ("nanos", "format", "_s")

    def __init__(self, value: str | int | float | Quantity = 0, fmt: str | None = None) -> None:
        if isinstance(value, Quantity):
            self.nanos, self.format, self._s = value.nanos, value.format, value._s
            return
        if isinstance(value, bool):
            raise QuantityError(ERR_FORMAT_WRONG)
        if isinstance(value, int) and fmt is None:
            value = str(value)
        if isinstance(value, float):
            value = _float_text(value)
        if isinstance(value, str):
            self.nanos, self.format, self._s = _parse(value.strip())
            return
        if isinstance(value, int):  # with an explicit format: a count of units
            self.nanos, self.format, self._s = value * _NANO, fmt or DECIMAL_SI, None
            return
        raise QuantityError(ERR_FORMAT_WRONG)

    @classmethod
    def from_nanos(cls, nanos: int, fmt: str = DECIMAL_SI) -> Quantity:
        q = cls.__new__(cls)
        q.nanos, q.format, q._s = nanos, fmt, None
        return q

    @classmethod
    def from_milli(cls, milli: int, fmt: str = DECIMAL_SI) -> Quantity:
        return cls.from_nanos(milli * 10**6, fmt)

    # -- values ---------------------------------------------------------------
    def is_zero(self) -> bool:
        return self.nanos == 0

    def sign(self) -> int:
        return (self.nanos > 0) - (self.nanos < 0)

    def scaled_value(self, scale: int) -> int:
        """Upstream ``ScaledValue``: the value in units of 10^scale, rounded up."""
        shift = scale + 9
        if shift <= 0:
            return self.nanos * 10 ** (-shift)
        return _ceil_div_away(self.nanos, 10**shift)

    def milli_value(self) -> int:
        return self.scaled_value(-3)

    def value(self) -> int:
        return self.scaled_value(0)

    def as_fraction(self):
        from fractions import Fraction

        return Fraction(self.nanos, _NANO)

    def as_float(self) -> float:
        return self.nanos / _NANO

    # -- arithmetic / comparison ---------------------------------------------
    def __add__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        fmt = other.format if self.nanos == 0 else self.format
        return Quantity.from_nanos(self.nanos + other.nanos, fmt)

    def __sub__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        fmt = other.format if self.nanos == 0 else self.format
        return Quantity.from_nanos(self.nanos - other.nanos, fmt)

    def __neg__(self) -> Quantity:
        return Quantity.from_nanos(-self.nanos, self.format)

    def cmp(self, other: Quantity) -> int:
        return (self.nanos > other.nanos) - (self.nanos < other.nanos)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.nanos == other.nanos

    def __lt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.nanos < other.nanos

    def __hash__(self) -> int:
        return hash(self.nanos)

    # -- string form ----------------------------------------------------------
    def __str__(self) -> str:
        if self._s is not None:
            return self._s
        return _canonical(self.nanos, self.format)

    to_string = __str__

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"


@lru_cache(maxsize=4096)
def _canonical(nanos: int, fmt: str) -> str:
    """Upstream ``CanonicalizeBytes``."""
    if nanos == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 * _NANO < nanos < 1024 * _NANO or nanos % _NANO:
            fmt = DECIMAL_SI
        else:
            number, times = _remove_factors(nanos // _NANO, 1024)
            return f"{number}{_BIN_BY_EXP.get(times * 10, '')}"
    number, times = _remove_factors(nanos, 10)
    exponent = times - 9
    while exponent % 3:
        number *= 10
        exponent -= 1
    if fmt == DECIMAL_EXPONENT:
        return str(number) if exponent == 0 else f"{number}e{exponent}"
    suffix = _DEC_BY_EXP.get(exponent)
    if suffix is None:  # beyond exa: upstream cannot build a suffix either
        return f"{number}e{exponent}"
    return f"{number}{suffix}"


def _float_text(value: float) -> str:
    """A YAML/JSON number as the text Go would have seen (``0.5``, ``100``)."""
    if value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    text = repr(value)
    return text.replace("e+", "e")


def parse_quantity(value: object) -> Quantity:
    """``resource.ParseQuantity`` on a manifest value (string or number)."""
    if isinstance(value, Quantity):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise QuantityError(ERR_FORMAT_WRONG)
    return Quantity(value)
