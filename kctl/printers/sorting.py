"""``--sort-by`` (kubectl/pkg/cmd/get/sorter.go), over decoded-JSON objects.

Mirrors upstream:

- the path goes through ``RelaxedJSONPathExpression`` (``.metadata.name`` and
  ``{.metadata.name}`` both work) and is evaluated with missing keys allowed;
- if no object has the field: ``couldn't find any field with path "{.x}" in the list of
  objects`` (an empty list is never an error);
- only each object's first result counts; objects without a result sort first;
- comparison (``isLess`` on ``interface{}`` values): two int64s or two float64s numerically;
  two strings as quantities when both parse as ``resource.Quantity`` (``500m`` < ``1`` <
  ``2Ki``), otherwise in natural order (``sortorder.NaturalLess``: digit runs compare as
  numbers, so ``pod-2`` < ``pod-10``; RFC 3339 timestamps therefore sort chronologically);
  anything else (mixed types, maps, lists, booleans) is unsortable and fails with kubectl's
  message;
- ascending only. Upstream uses ``sort.Sort`` (not stable); kctl sorts stably so equal
  keys keep the server's order (namespace, name), which is deterministic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Context, Decimal, localcontext
from typing import Any

from kctl.printers.jsonpath import JSONPath, JSONPathError, go_type_name, relaxed_jsonpath_expression


class SortError(ValueError):
    """``str()`` is the message kubectl prints."""


# --- resource.ParseQuantity, as far as ordering needs it -------------------------------

_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_EXPONENT_RE = re.compile(r"^[eE][+-]?[0-9]+\Z")
_QUANTITY_CONTEXT = Context(prec=200, Emax=10**9, Emin=-(10**9))


def parse_quantity_value(text: str) -> Decimal | None:
    """The exact value of ``resource.ParseQuantity(text)``, or ``None`` where Go errors.

    Follows ``parseQuantityString`` (sign, digits, optional fraction, suffix) and the
    suffixer (binary ``Ki``..``Ei``, decimal ``n``..``E``, exponent ``e3``/``E-2``).
    """
    if not text:
        return None
    if text == "0":
        return Decimal(0)
    pos, end = 0, len(text)
    negative = False
    if text[0] in "+-":
        negative = text[0] == "-"
        pos = 1
    num_start = pos
    while pos < end and text[pos].isascii() and text[pos].isdigit():
        pos += 1
    number = text[num_start:pos] or "0"
    fraction = ""
    if pos < end and text[pos] == ".":
        pos += 1
        frac_start = pos
        while pos < end and text[pos].isascii() and text[pos].isdigit():
            pos += 1
        fraction = text[frac_start:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end:
        if text[pos] in "+-":
            pos += 1
        while pos < end and text[pos].isascii() and text[pos].isdigit():
            pos += 1
        if pos < end:
            return None
    suffix = text[suffix_start:]
    with localcontext(_QUANTITY_CONTEXT):
        value = Decimal(f"{number}.{fraction or '0'}")
        if suffix in _BINARY_SUFFIXES:
            value *= Decimal(2) ** _BINARY_SUFFIXES[suffix]
        elif suffix in _DECIMAL_SUFFIXES:
            value = value.scaleb(_DECIMAL_SUFFIXES[suffix])
        elif len(suffix) > 1 and _EXPONENT_RE.match(suffix):
            exponent = int(suffix[1:])
            if abs(exponent) > 10**8:
                return None
            value = value.scaleb(exponent)
        else:
            return None
        return -value if negative else value


# --- sortorder.NaturalLess -------------------------------------------------------------


def _isdigit(b: int) -> bool:
    return 0x30 <= b <= 0x39


def natural_less(a: str, b: str) -> bool:
    """``github.com/fvbommel/sortorder.NaturalLess`` (bytewise, digit runs numerically)."""
    s1, s2 = a.encode("utf-8"), b.encode("utf-8")
    i1 = i2 = 0
    n1, n2 = len(s1), len(s2)
    while i1 < n1 and i2 < n2:
        c1, c2 = s1[i1], s2[i2]
        d1, d2 = _isdigit(c1), _isdigit(c2)
        if d1 != d2:
            return d1
        if not d1:
            if c1 != c2:
                return c1 < c2
            i1 += 1
            i2 += 1
            continue
        while i1 < n1 and s1[i1] == 0x30:
            i1 += 1
        while i2 < n2 and s2[i2] == 0x30:
            i2 += 1
        nz1, nz2 = i1, i2
        while i1 < n1 and _isdigit(s1[i1]):
            i1 += 1
        while i2 < n2 and _isdigit(s2[i2]):
            i2 += 1
        len1, len2 = i1 - nz1, i2 - nz2
        if len1 != len2:
            return len1 < len2
        r1, r2 = s1[nz1:i1], s2[nz2:i2]
        if r1 != r2:
            return r1 < r2
        if nz1 != nz2:
            return nz1 < nz2
    return n1 < n2


# --- isLess ----------------------------------------------------------------------------


class _Unsortable(Exception):
    pass


def is_less(a: Any, b: Any) -> bool:
    """``isLess`` for two ``interface{}`` values from decoded JSON; raises on unsortable types."""
    if a is None and b is None:
        return False
    if a is None:
        return True
    if b is None:
        return False
    if isinstance(a, bool | dict | list):
        raise _Unsortable(f"unsortable type: {go_type_name(a)}")
    if isinstance(a, int):
        if isinstance(b, int) and not isinstance(b, bool):
            return a < b
    elif isinstance(a, float):
        if isinstance(b, float):
            return a < b
    elif isinstance(a, str):
        if isinstance(b, str):
            qa = parse_quantity_value(a)
            qb = parse_quantity_value(b) if qa is not None else None
            if qa is None or qb is None:
                return natural_less(a, b)
            return qa < qb
    else:
        raise _Unsortable(f"unsortable type: {go_type_name(a)}")
    raise _Unsortable("unsortable interface: interface")


def sort_objects(objects: Sequence[Any], field_input: str) -> list[Any]:
    """Objects ordered by ``--sort-by=field_input``; raises ``SortError`` like kubectl."""
    objs = list(objects)
    if not objs:
        return objs
    try:
        field = relaxed_jsonpath_expression(field_input)
        parser = JSONPath("sorting", allow_missing_keys=True).parse(field)
        keyed = []
        found_once = False
        for obj in objs:
            results = parser.find_results(obj)
            has = bool(results) and bool(results[0])
            found_once = found_once or has
            keyed.append((has, results[0][0] if has else None, obj))
    except JSONPathError as err:
        raise SortError(str(err)) from None
    if not found_once:
        raise SortError(f'couldn\'t find any field with path "{field}" in the list of objects')

    def compare(x: tuple[bool, Any, Any], y: tuple[bool, Any, Any]) -> int:
        if not x[0] or not y[0]:
            return (1 if x[0] else 0) - (1 if y[0] else 0)  # missing first, else equal
        try:
            if is_less(x[1], y[1]):
                return -1
            if is_less(y[1], x[1]):
                return 1
        except _Unsortable as err:
            raise SortError(
                f"Field {field} in *unstructured.Unstructured is an unsortable type: interface, err: {err}"
            ) from None
        return 0

    keyed.sort(key=functools.cmp_to_key(compare))
    return [obj for _, _, obj in keyed]
