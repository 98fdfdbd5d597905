"""``--schema-location DIR``: kubeconform-style JSON Schema files.

A directory holds ``{kind}-{group}-{version}.json`` (lower-case kind; kubeconform names
the group by its first DNS label, ``ingress-networking-v1.json``; the full group is
accepted too; core kinds have no group part, ``pod-v1.json``). Files are arbitrary JSON
Schema (draft-04/07, ``$ref`` to sibling files such as ``_definitions.json``), checked
with the ``jsonschema`` library (imported on first use) and its errors mapped to field
errors with the same words as the built-in validator.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kctl.api import field as fe

from .validator import json_type


def candidate_files(api_version: str, kind: str) -> list[str]:
    group, _, version = api_version.rpartition("/")
    k = kind.lower()
    if not group:
        return [f"{k}-{version}.json"]
    first = group.split(".", 1)[0]
    names = [f"{k}-{first}-{version}.json"]
    if first != group:
        names.append(f"{k}-{group}-{version}.json")
    return names


def find_file(directory: Path, api_version: str, kind: str) -> Path | None:
    for name in candidate_files(api_version, kind):
        p = directory / name
        if p.is_file():
            return p
    return None


class ExternalSchema:
    __slots__ = ("api_version", "kind", "path", "_validator")

    def __init__(self, api_version: str, kind: str, path: Path):
        self.api_version, self.kind, self.path = api_version, kind, path
        self._validator = None

    @property
    def source(self) -> str:
        return str(self.path)

    def _compile(self):
        import jsonschema
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        schema = json.loads(self.path.read_text())
        if isinstance(schema, dict) and "$id" not in schema and "id" not in schema:
            schema = {**schema, "$id": self.path.resolve().as_uri()}

        def retrieve(uri: str):
            from urllib.parse import unquote, urlparse

            target = Path(unquote(urlparse(uri).path))
            return Resource.from_contents(json.loads(target.read_text()), default_specification=DRAFT4)

        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        return cls(schema, registry=Registry(retrieve=retrieve))

    def validate(self, obj: Any, strict: bool = True) -> list[fe.FieldError]:
        if self._validator is None:
            self._validator = self._compile()
        out: list[fe.FieldError] = []
        seen: set = set()
        for err in self._validator.iter_errors(obj):
            for fe_err in _to_field_errors(err, strict):
                key = (fe_err.type, fe_err.path, fe_err.detail)
                if key not in seen:
                    seen.add(key)
                    out.append(fe_err)
        return out


_REQUIRED = re.compile(r"^'(.*)' is a required property$")


def _to_field_errors(err, strict: bool) -> list[fe.FieldError]:
    path = tuple(err.absolute_path)
    shown = fe.render_path(path)
    v, inst = err.validator, err.instance
    if v == "type":
        want = err.validator_value
        names = [t for t in want if t != "null"] if isinstance(want, list) else [want]
        detail = f'{shown} in body must be of type {",".join(names)}: "{json_type(inst)}"'
        return [fe.FieldError(fe.INVALID, path, inst, detail)]
    if v == "required":
        m = _REQUIRED.match(err.message)
        names = [m.group(1)] if m else [r for r in err.validator_value if r not in (inst or {})]
        return [fe.required((*path, n)) for n in names]
    if v == "additionalProperties" and err.validator_value is False:
        if not strict:
            return []
        known = set(err.schema.get("properties") or {})
        patterns = [re.compile(p) for p in (err.schema.get("patternProperties") or {})]
        extras = [k for k in inst if k not in known and not any(p.search(k) for p in patterns)]
        return [fe.unknown_field((*path, k)) for k in extras]
    if v == "enum":
        return [fe.not_supported(path, inst, [x if isinstance(x, str) else json.dumps(x) for x in err.validator_value])]
    if v == "maxLength":
        return [fe.too_long(path, inst, err.validator_value)]
    if v == "maxItems":
        return [fe.too_many(path, len(inst), err.validator_value)]
    if v in ("oneOf", "anyOf") and err.context and all(c.validator == "type" for c in err.context):
        names = []
        for c in err.context:
            want = c.validator_value
            names.extend(t for t in (want if isinstance(want, list) else [want]) if t != "null" and t not in names)
        detail = f'{shown} in body must be of type {",".join(names)}: "{json_type(inst)}"'
        return [fe.FieldError(fe.INVALID, path, inst, detail)]
    return [fe.FieldError(fe.INVALID, path, inst, f"{shown} in body {err.message}" if shown else err.message)]
