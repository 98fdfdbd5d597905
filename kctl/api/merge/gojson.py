"""JSON as Go's ``encoding/json`` writes it, and values as ``k8s.io/apimachinery/pkg/util/json`` reads them.

kubectl stores the last-applied configuration with ``json.NewEncoder(w).Encode`` (via the
unstructured JSON scheme), so the exact bytes follow Go's rules, not Python's:

- object keys sorted (byte order of UTF-8, which is code point order);
- compact separators, non-ASCII kept as UTF-8;
- HTML-safe escaping: ``<`` ``>`` ``&`` become ``\\u003c`` ``\\u003e`` ``\\u0026``, and U+2028 /
  U+2029 become ``\\u2028`` / ``\\u2029``;
- floats in the shortest round-trip form, ``'f'`` notation unless ``|x| < 1e-6`` or
  ``|x| >= 1e21`` (then ``'e'`` with ``e-07`` cleaned to ``e-7``); an integral float prints
  without a fraction (``1.0`` -> ``1``);
- ``Encode`` appends a newline.

When apimachinery decodes JSON it keeps integers as int64 and everything else as float64,
so ``normalize`` turns integral floats that fit in an int64 into ``int``: the merge code
compares types as Go's ``reflect.DeepEqual`` does, and ``1`` vs ``1.0`` must agree with it.
"""

from __future__ import annotations

import json
import math
from typing import Any

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def format_float(value: float) -> str:
    """A float64 as ``encoding/json`` formats it (``floatEncoder.encode``)."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {value!r}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    from decimal import Decimal  # only floats need it; keeps start-up lean

    shortest = Decimal(repr(value))
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        sign, digit_tuple, _ = shortest.as_tuple()
        digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
        mantissa = ("-" if sign else "") + digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp = shortest.adjusted()
        # strconv writes at least two exponent digits; encoding/json then trims "e-07" to "e-7".
        exponent = f"-{-exp}" if exp < 0 else f"+{exp:02d}"
        return f"{mantissa}e{exponent}"
    text = format(shortest, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return format_float(key)
    return str(key)


def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(format_float(value))
    elif isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, dict):
        out.append("{")
        items = sorted((_key(k), v) for k, v in value.items())
        for i, (k, v) in enumerate(items):
            if i:
                out.append(",")
            out.append(_encode_string(k))
            out.append(":")
            _encode(v, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            _encode(v, out)
        out.append("]")
    else:
        raise TypeError(f"json: unsupported type: {type(value).__name__}")


def _encode_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    if any(ch in encoded for ch in _HTML_ESCAPES):
        encoded = "".join(_HTML_ESCAPES.get(ch, ch) for ch in encoded)
    return encoded


def marshal(value: Any) -> str:
    """``json.Marshal(value)``: compact, sorted keys, HTML-safe, Go number formatting."""
    if _plain(value):
        # No floats and only string keys: the C encoder writes the same bytes as Go once
        # the HTML-unsafe characters (which only occur inside strings) are escaped.
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for ch, escaped in _HTML_ESCAPES.items():
            if ch in text:
                text = text.replace(ch, escaped)
        return text
    out: list[str] = []
    _encode(value, out)
    return "".join(out)


def _plain(value: Any) -> bool:
    """True when ``value`` has no float and no non-string key anywhere."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            for k, item in v.items():
                if not isinstance(k, str):
                    return False
                if isinstance(item, dict | list):
                    stack.append(item)
                elif isinstance(item, float | tuple):
                    return False
        elif isinstance(v, list):
            for item in v:
                if isinstance(item, dict | list):
                    stack.append(item)
                elif isinstance(item, float | tuple):
                    return False
        elif isinstance(v, float):
            return False
    return True


def encode(value: Any) -> str:
    """``json.NewEncoder(w).Encode(value)``: ``marshal`` plus the trailing newline."""
    return marshal(value) + "\n"


def normalize(value: Any) -> Any:
    """A deep copy of ``value`` as apimachinery's JSON decoding would hold it.

    Integral floats within int64 become ``int``; tuples become lists; map keys become
    strings. Everything else is copied as is.
    """
    if isinstance(value, dict):
        return {_key(k): normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    if isinstance(value, float) and value.is_integer() and _INT64_MIN <= value <= _INT64_MAX:
        return int(value)
    return value


def go_v(value: Any) -> str:
    """``fmt.Sprintf("%v", value)`` for the scalars merge keys and primitive lists hold.

    (Floats use the JSON spelling; Go's ``%v`` switches to exponent form earlier, which only
    matters for float merge keys, which Kubernetes types never have.)
    """
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, dict):
        inner = " ".join(f"{k}:{go_v(v)}" for k, v in sorted(value.items()))
        return f"map[{inner}]"
    if isinstance(value, list):
        return "[" + " ".join(go_v(v) for v in value) + "]"
    return str(value)


def deep_equal(a: Any, b: Any) -> bool:
    """``reflect.DeepEqual`` over decoded JSON: types must match (``1 != 1.0``, ``True != 1``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return False
        return all(deep_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def same_scalar(a: Any, b: Any) -> bool:
    """Go's ``==`` on two ``interface{}`` scalars: same dynamic type and value."""
    return type(a) is type(b) and a == b
