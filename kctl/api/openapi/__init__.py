"""OpenAPI schemas of the Kubernetes API and their validation.

``SchemaSet().find(api_version, kind)`` -> ``Schema`` whose ``validate(obj, strict=True)``
returns every ``FieldError``; ``explain(...)`` backs ``kctl explain``.
"""

from __future__ import annotations

from .explain import ChildField, Explanation, FieldNotFound, explain
from .locator import SchemasNotFound, schemas_dir
from .schemas import Schema, SchemaSet, builtin_definitions, default_schema_set

_LAZY = {"ExternalSchema": ".external"}


def __getattr__(name: str):
    """External (jsonschema) schemas load on first use: lint start-up stays small."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # importing the submodule bound its name to the module: rebind
        return value
    raise AttributeError(name)


__all__ = [
    "ChildField",
    "Explanation",
    "ExternalSchema",
    "FieldNotFound",
    "Schema",
    "SchemaSet",
    "SchemasNotFound",
    "builtin_definitions",
    "default_schema_set",
    "explain",
    "schemas_dir",
]
