"""What ``kubectl explain`` shows of a field: its type, required-ness, enum and children.

Types are rendered as kubectl 1.34 (OpenAPI v3 template) prints them: ``<string>``,
``<integer>``, ``<boolean>``, ``<number>``, ``<Object>`` (an inline object),
``<DeploymentSpec>`` (a named definition), ``<[]Container>``, ``<map[string]string>``,
``<IntOrString>``, ``<Quantity>``, and Time fields as ``<string>``. Paths walk through
lists and maps the way kubectl does: ``spec.template.spec.containers.ports``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .schemas import Schema, SchemaSet

_AS_STRING = {"Time", "MicroTime"}
_NAMED_SCALARS = {"IntOrString", "Quantity"}


class FieldNotFound(LookupError):
    """``error: field "foo" does not exist``."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f'field "{self.name}" does not exist'


@dataclass(frozen=True)
class ChildField:
    name: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class Explanation:
    api_version: str
    kind: str
    path: str  # dotted, "" for the kind itself
    type: str  # without the angle brackets
    required: bool = False
    enum: tuple = ()
    fields: tuple[ChildField, ...] = field(default=())

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]


def type_string(node: dict, resolve: Callable[[str], dict]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        short = name.rsplit(".", 1)[-1]
        if short in _AS_STRING:
            return "string"
        if short in _NAMED_SCALARS:
            return short
        target = resolve(name)
        if _is_object(target) or "x-kubernetes-preserve-unknown-fields" in target:
            return short
        return type_string(target, resolve)
    if node.get("x-kubernetes-int-or-string"):
        return "IntOrString"
    t = node.get("type")
    if isinstance(t, list):
        return "|".join(x for x in t if x != "null")
    if t == "array":
        return "[]" + type_string(node.get("items") or {}, resolve)
    if t == "object" or _is_object(node):
        ap = node.get("additionalProperties")
        if isinstance(ap, dict) and "properties" not in node:
            return "map[string]" + type_string(ap, resolve)
        return "Object"
    return t or "Object"


def _is_object(node: dict) -> bool:
    return node.get("type") == "object" or "properties" in node


def _deref(node: dict, resolve) -> dict:
    while "$ref" in node:
        node = resolve(node["$ref"].rsplit("/", 1)[-1])
    return node


def _container(node: dict, resolve) -> dict:
    """Step through arrays and maps to the node whose fields are listed."""
    node = _deref(node, resolve)
    for _ in range(8):
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            node = _deref(node["items"], resolve)
        elif "properties" not in node and isinstance(node.get("additionalProperties"), dict):
            node = _deref(node["additionalProperties"], resolve)
        else:
            break
    return node


def explain(schemas: SchemaSet, api_version: str, kind: str, path: str = "") -> Explanation:
    """Raise ``LookupError`` for an unknown kind, ``FieldNotFound`` for a bad path."""
    schema = schemas.find(api_version, kind)
    if not isinstance(schema, Schema):
        raise LookupError(f"no schema for {kind} in {api_version}")
    resolve = schemas.resolver(schema)
    node: dict = schema.node
    type_ = kind
    required = False
    parts = [p for p in path.split(".") if p] if path else []
    for part in parts:
        parent = _container(node, resolve)
        props = parent.get("properties") or {}
        if part not in props:
            raise FieldNotFound(part)
        node = props[part]
        required = part in (parent.get("required") or ())
        type_ = type_string(node, resolve)
    target = _deref(node, resolve)
    enum = tuple(target.get("enum") or ())
    children = _container(node, resolve)
    req = set(children.get("required") or ())
    fields = tuple(
        ChildField(name, type_string(sub, resolve), name in req)
        for name, sub in sorted((children.get("properties") or {}).items())
    )
    return Explanation(api_version, kind, ".".join(parts), type_, required, enum, fields)
