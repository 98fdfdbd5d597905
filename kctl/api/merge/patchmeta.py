"""Patch metadata: which lists merge, by which key, and which maps retain keys.

Mirrors ``strategicpatch.LookupPatchMeta`` as kubectl builds it from the OpenAPI document
(``NewPatchMetaFromOpenAPIV3``): for a field of the current type it answers the field's
own type, its ``x-kubernetes-patch-strategy`` (``merge``, ``replace``, ``retainKeys``, or
``merge,retainKeys``) and its ``x-kubernetes-patch-merge-key``.

``PatchMeta`` reads any OpenAPI/JSON-Schema-shaped definitions: nodes with ``properties``,
``items``, ``additionalProperties``, ``$ref`` (a bare definition name as in kctl's
``schemas/defs``, or ``#/definitions/X``, ``#/components/schemas/X``,
``_definitions.json#/$defs/X``: the last path segment names the definition) and ``allOf``
wrappers. The definitions may be a mapping or kctl's lazy ``openapi.Definitions``. kctl's static table (``builtin_types``) is written in the same shape, so the
generated schemas under ``schemas/`` can replace it without touching the merge code.

A field the schema does not know gets no strategy: maps under it still merge key by key
and lists are replaced whole (upstream errors on unknown fields of built-in types; kctl's
validation reports those separately, so the merge stays lenient).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MERGE = "merge"
REPLACE = "replace"
RETAIN_KEYS = "retainKeys"


@dataclass(frozen=True)
class FieldMeta:
    """What ``LookupPatchMetadata`` returns for one field."""

    meta: PatchMeta  # the field's value type (for a list: its element type)
    strategy: str = ""  # "", "merge" or "replace"
    retain_keys: bool = False
    merge_key: str = ""


class PatchMeta:
    """One schema node (a struct, map or element type) inside a set of definitions."""

    __slots__ = ("_defs", "_node", "_cache")

    def __init__(self, definitions: Any, node: Mapping[str, Any] | None):
        self._defs = definitions
        self._node = _resolve(definitions, node or {})
        self._cache: dict[str, FieldMeta] = {}

    @classmethod
    def for_definition(cls, definitions: Any, name: str) -> PatchMeta:
        return cls(definitions, definition(definitions, name) or {})

    def lookup(self, key: str) -> FieldMeta:
        """The patch metadata of field ``key`` of this type."""
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._lookup(key)
        return found

    def _lookup(self, key: str) -> FieldMeta:
        node = self._node
        prop = (node.get("properties") or {}).get(key)
        if prop is None:
            extra = node.get("additionalProperties")
            if isinstance(extra, Mapping):
                # map[string]T: the value type, with no strategy of its own.
                return FieldMeta(PatchMeta(self._defs, _element(self._defs, extra)))
            return FieldMeta(UNKNOWN)
        strategy, retain_keys = parse_strategy(_extension(self._defs, prop, "x-kubernetes-patch-strategy"))
        merge_key = _extension(self._defs, prop, "x-kubernetes-patch-merge-key")
        return FieldMeta(PatchMeta(self._defs, _element(self._defs, prop)), strategy, retain_keys, merge_key)

    def __repr__(self) -> str:
        return f"PatchMeta({sorted(self._node.get('properties') or {})!r})"


def parse_strategy(text: str) -> tuple[str, bool]:
    """``extractRetainKeysPatchStrategy``: ``"merge,retainKeys"`` -> (``"merge"``, True)."""
    parts = [p for p in (text or "").split(",") if p]
    retain = RETAIN_KEYS in parts
    others = [p for p in parts if p != RETAIN_KEYS]
    if len(others) > 1:
        raise ValueError(f"unexpected patch strategy: {parts}")
    return (others[0] if others else ""), retain


def definition(defs: Any, name: str) -> Mapping[str, Any] | None:
    """``defs.get(name)`` for a plain mapping or kctl's lazy ``openapi.Definitions``
    (whose ``get`` raises KeyError)."""
    try:
        found = defs.get(name)
    except KeyError:
        return None
    return found if isinstance(found, Mapping) else None


def _resolve(defs: Any, node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref`` / single ``allOf`` wrappers to the node that has the content."""
    seen = 0
    while seen < 64:
        seen += 1
        ref = node.get("$ref")
        if isinstance(ref, str):
            node = definition(defs, ref.rsplit("/", 1)[-1]) or {}
            continue
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
            node = all_of[0]
            continue
        break
    return node


def _extension(defs: Any, prop: Mapping[str, Any], name: str) -> str:
    value = prop.get(name)
    if value is None:
        value = _resolve(defs, prop).get(name)
    return value if isinstance(value, str) else ""


def _element(defs: Any, prop: Mapping[str, Any]) -> Mapping[str, Any]:
    node = _resolve(defs, prop)
    items = node.get("items")
    if isinstance(items, Mapping):
        return _resolve(defs, items)
    return node


UNKNOWN = PatchMeta({}, {})
