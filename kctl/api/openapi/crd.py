"""CustomResourceDefinition -> the schemas of its served versions.

Mirrors apiextensions-apiserver: each served version's ``schema.openAPIV3Schema``
validates objects of ``<group>/<version>`` ``<names.kind>``; at the root, ``apiVersion``
and ``kind`` are strings and ``metadata`` is validated as ObjectMeta (a CRD schema may
only restrict ``metadata.name``/``generateName``, which the server-side rules check).
"""

from __future__ import annotations

from typing import Any

OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def served_versions(crd: dict[str, Any]) -> list[tuple[str, str, dict | None]]:
    """``[(api_version, kind, root_schema_or_None), ...]`` for every served version."""
    spec = crd.get("spec") or {}
    group = spec.get("group") or ""
    kind = (spec.get("names") or {}).get("kind") or ""
    if not group or not kind:
        return []
    out = []
    for version in spec.get("versions") or ():
        if not isinstance(version, dict) or not version.get("name") or version.get("served") is False:
            continue
        schema = ((version.get("schema") or {}).get("openAPIV3Schema")) or (
            (spec.get("validation") or {}).get("openAPIV3Schema"))
        out.append((f"{group}/{version['name']}", kind, root_schema(schema) if isinstance(schema, dict) else None))
    return out


def root_schema(schema: dict) -> dict:
    """The schema as the server applies it at the root of a custom resource."""
    root = dict(schema)
    props = dict(root.get("properties") or {})
    props.setdefault("apiVersion", {"type": "string"})
    props.setdefault("kind", {"type": "string"})
    props["metadata"] = {"$ref": OBJECT_META}
    root["properties"] = props
    root.setdefault("type", "object")
    return root
