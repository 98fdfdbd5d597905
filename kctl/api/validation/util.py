"""Small helpers shared by the validators: defensive accessors and Go value rendering.

The validators run on plain manifest data that already passed the schema, but
they must never raise on odd shapes: every access goes through these helpers,
which return an empty value of the expected type when the data has another type.
"""

from __future__ import annotations

import json
from typing import Any

from kctl.api import field as fe
from kctl.api.field import Child, Key

__all__ = [
    "Child",
    "GoJSON",
    "Key",
    "as_bool",
    "as_dict",
    "as_int",
    "as_list",
    "as_str",
    "int_or_string_value",
    "is_int",
    "validate_nonnegative_field",
]

IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"
IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero"
IS_NOT_INTEGER_ERROR_MSG = "must be an integer"
FIELD_IMMUTABLE_ERROR_MSG = "field is immutable"

_EMPTY: dict = {}


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else _EMPTY


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def as_int(value: Any, default: int | None = None) -> int | None:
    if is_int(value):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default


def as_bool(value: Any) -> bool:
    return value is True


class GoJSON:
    """A bad value rendered as Go's ``json.Marshal`` would (struct field order kept).

    ``field.render_value`` sorts map keys, which is right for Go maps but not for
    structs (``LabelSelector`` marshals ``matchLabels`` before ``matchExpressions``).
    Wrapping the value keeps the given key order.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        return json.dumps(self.value, separators=(",", ":"), ensure_ascii=False)

    def __repr__(self) -> str:
        return f"GoJSON({self.value!r})"


def label_selector_value(selector: Any) -> GoJSON:
    """A ``metav1.LabelSelector`` as 1.34 renders it in an error: ``{"matchLabels":{...}}``."""
    sel = as_dict(selector)
    out: dict = {}
    labels = sel.get("matchLabels")
    if isinstance(labels, dict) and labels:
        out["matchLabels"] = dict(sorted(labels.items()))
    exprs = sel.get("matchExpressions")
    if isinstance(exprs, list) and exprs:
        rendered = []
        for e in exprs:
            e = as_dict(e)
            r: dict = {"key": e.get("key", ""), "operator": e.get("operator", "")}
            if e.get("values"):
                r["values"] = e.get("values")
            rendered.append(r)
        out["matchExpressions"] = rendered
    return GoJSON(out)


def int_or_string_value(value: Any) -> int:
    """``intstr.IntOrString.IntValue()``: ints as is, strings through ``strconv.Atoi`` (0 on error)."""
    if is_int(value):
        return value
    if isinstance(value, str):
        text = value
        body = text[1:] if text[:1] in "+-" else text
        if body.isascii() and body.isdigit():
            return int(text)
    return 0


def validate_nonnegative_field(value: Any, path: tuple) -> list[fe.FieldError]:
    """``ValidateNonnegativeField``."""
    if is_int(value) and value < 0:
        return [fe.invalid(path, value, IS_NEGATIVE_ERROR_MSG)]
    return []


def validate_immutable_field(new: Any, old: Any, path: tuple, shown: Any = None) -> list[fe.FieldError]:
    """``ValidateImmutableField``: ``<path>: Invalid value: <new>: field is immutable``."""
    if new != old:
        return [fe.invalid(path, new if shown is None else shown, FIELD_IMMUTABLE_ERROR_MSG)]
    return []
