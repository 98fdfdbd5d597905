"""Field errors, as k8s.io/apimachinery/pkg/util/validation/field renders them.

A path is a tuple of keys and list indices: ``("spec", "containers", 0, "name")``
renders as ``spec.containers[0].name``. Every validator in kctl (schemas and the
server-side rules) reports ``FieldError`` values, so lint, apply and the API server
print the same words with the same paths, and the manifest reader can turn a path
back into a FILE:LINE:COLUMN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

Path = tuple  # tuple[str | int, ...]

_OMIT = object()

REQUIRED = "Required value"
NOT_FOUND = "Not found"
DUPLICATE = "Duplicate value"
INVALID = "Invalid value"
NOT_SUPPORTED = "Unsupported value"
FORBIDDEN = "Forbidden"
TOO_LONG = "Too long"
TOO_MANY = "Too many"
INTERNAL = "Internal error"
# Strict decoding (unknown / duplicate fields) is reported by the decoder, not by the
# validators; kctl keeps it as a field error so it carries a position like the others.
UNKNOWN_FIELD = "unknown field"
DUPLICATE_FIELD = "duplicate field"

# Types whose rendering never shows the bad value.
_NO_VALUE = {REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL}


class Key(str):
    """A path element Go built with ``Path.Key``: always rendered ``[key]`` (``data[app]``)."""

    __slots__ = ()


class Child(str):
    """A path element Go built with ``Path.Child``: always rendered ``.name``, whatever its characters."""

    __slots__ = ()


def render_path(path: Path) -> str:
    """``("spec", "ports", 0, "port")`` -> ``spec.ports[0].port``."""
    out = []
    for part in path:
        if isinstance(part, int | Key):
            out.append(f"[{part}]")
        elif out:
            out.append("." + part if isinstance(part, Child) or _plain_key(part) else f"[{part}]")
        else:
            out.append(part)
    return "".join(out)


def _plain_key(key: str) -> bool:
    # apimachinery prints map keys in brackets: metadata.labels[app.kubernetes.io/name]
    return key.replace("_", "").replace("$", "").isalnum() or key == ""


def render_value(value: Any) -> str:
    """A bad value as Go's field.Error prints it (1.34+: JSON for maps and lists)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value) if isinstance(value, float) else value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True)
class FieldError:
    type: str
    path: Path
    value: Any = field(default=_OMIT, compare=False)
    detail: str = ""
    #: Map-key errors point at the key itself, not at its value.
    at_key: bool = False

    @property
    def field(self) -> str:
        return render_path(self.path)

    def body(self) -> str:
        """The message after ``<field>: ``, e.g. ``Invalid value: "Foo": must be ...``."""
        if self.type in (UNKNOWN_FIELD, DUPLICATE_FIELD):
            # After the path prefix the key alone reads best: `spec.foo: unknown field "foo"`.
            return self.detail or f'{self.type} "{self.path[-1] if self.path else ""}"'

        if self.type in _NO_VALUE or self.value is _OMIT:
            text = self.type
        else:
            text = f"{self.type}: {render_value(self.value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def strict_message(self) -> str:
        """The API server's strict-decoding wording: ``unknown field "spec.foo"``."""
        return f'{self.type} "{self.field}"'

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}" if self.path else self.body()


def required(path: Path, detail: str = "") -> FieldError:
    return FieldError(REQUIRED, tuple(path), detail=detail)


def invalid(path: Path, value: Any, detail: str = "") -> FieldError:
    return FieldError(INVALID, tuple(path), value, detail)


def not_supported(path: Path, value: Any, valid: list[str] | tuple[str, ...] = ()) -> FieldError:
    detail = ("supported values: " + ", ".join(json.dumps(v) for v in valid)) if valid else ""
    return FieldError(NOT_SUPPORTED, tuple(path), value, detail)


def duplicate(path: Path, value: Any) -> FieldError:
    return FieldError(DUPLICATE, tuple(path), value)


def not_found(path: Path, value: Any) -> FieldError:
    return FieldError(NOT_FOUND, tuple(path), value)


def forbidden(path: Path, detail: str) -> FieldError:
    return FieldError(FORBIDDEN, tuple(path), detail=detail)


def too_long(path: Path, value: Any, max_length: int) -> FieldError:
    return FieldError(TOO_LONG, tuple(path), value, f"may not be more than {max_length} bytes")


def too_long_total(path: Path, max_bytes: int) -> FieldError:
    return FieldError(TOO_LONG, tuple(path), detail=f"must have at most {max_bytes} bytes")


def too_many(path: Path, actual: int, max_items: int) -> FieldError:
    return FieldError(TOO_MANY, tuple(path), actual, f"must have at most {max_items} items")


def internal(path: Path, detail: str) -> FieldError:
    return FieldError(INTERNAL, tuple(path), detail=detail)


def unknown_field(path: Path) -> FieldError:
    return FieldError(UNKNOWN_FIELD, tuple(path), at_key=True)


def duplicate_field(path: Path) -> FieldError:
    return FieldError(DUPLICATE_FIELD, tuple(path), at_key=True)
