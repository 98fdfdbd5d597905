"""OpenAPI schemas of the Kubernetes API and their validation.

``SchemaSet().find(api_version, kind)`` -> ``Schema`` whose ``validate(obj, strict=True)``
returns every ``FieldError``; ``explain(...)`` backs ``kctl explain``.
"""

from __future__ import annotations

from .explain import ChildField, Explanation, FieldNotFound, explain
from .external import ExternalSchema
from .locator import SchemasNotFound, schemas_dir
from .schemas import Schema, SchemaSet, builtin_definitions, default_schema_set

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
