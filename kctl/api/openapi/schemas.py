"""``SchemaSet``: which schema validates an (apiVersion, kind), and ``Schema.validate``.

Sources, in order: the built-in Kubernetes v1.34 definitions (plus the kinds kctl
simulates), CustomResourceDefinitions given with ``add_crd``, then each
``--schema-location`` directory (kubeconform layout, see ``external``).
Built-in definitions compile once per process and are shared by every SchemaSet.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from kctl.api import field as fe

from . import crd as crd_mod
from .definitions import Definitions
from .external import ExternalSchema, find_file
from .locator import schemas_dir
from .validator import NOKEY, Compiler


class Schema:
    """An OpenAPI schema compiled on first use; ``validate`` returns every error."""

    __slots__ = ("api_version", "kind", "node", "source", "_compiler", "_check")

    def __init__(self, api_version: str, kind: str, node: dict, compiler: Compiler, source: str):
        self.api_version, self.kind, self.node, self.source = api_version, kind, node, source
        self._compiler = compiler
        self._check = None

    def compile(self):
        if self._check is None:
            self._check = self._compiler.compile(self.node)
        return self._check

    def validate(self, obj: Any, strict: bool = True) -> list[fe.FieldError]:
        errs: list[fe.FieldError] = []
        (self._check or self.compile())(obj, [], NOKEY, errs)
        if not strict and errs:
            errs = [e for e in errs if e.type != fe.UNKNOWN_FIELD]
        return errs


class BuiltinDefinitions:
    """The committed definitions and the one compiler that shares their closures."""

    __slots__ = ("definitions", "compiler", "_schemas")

    def __init__(self, root: Path):
        self.definitions = Definitions(root)
        self.compiler = Compiler(self.definitions.get, builtin=True)
        self._schemas: dict[tuple[str, str], Schema | None] = {}

    def find(self, api_version: str, kind: str) -> Schema | None:
        key = (api_version, kind)
        if key not in self._schemas:
            name = self.definitions.name_for(api_version, kind)
            self._schemas[key] = None if name is None else Schema(
                api_version, kind, {"$ref": name}, self.compiler, f"builtin:{name}")
        return self._schemas[key]


@cache
def builtin_definitions() -> BuiltinDefinitions:
    return BuiltinDefinitions(schemas_dir())


class SchemaSet:
    def __init__(self, locations: list[str | Path] | tuple = (), builtins: bool = True):
        self.locations = [Path(p) for p in locations or ()]
        self._builtin = builtin_definitions() if builtins else None
        self._crds: dict[tuple[str, str], Schema] = {}
        self._crd_compiler: Compiler | None = None
        self._external: dict[tuple[str, str], ExternalSchema | None] = {}

    def _crd_compiler_get(self) -> Compiler:
        if self._crd_compiler is None:
            delegate = (self._builtin or builtin_definitions()).compiler
            self._crd_compiler = Compiler(_no_definitions, builtin=False, delegate=delegate)
        return self._crd_compiler

    def add_crd(self, crd: dict[str, Any]) -> list[tuple[str, str]]:
        """Register every served version of a CustomResourceDefinition object."""
        added = []
        for api_version, kind, root in crd_mod.served_versions(crd):
            node = root if root is not None else {"x-kubernetes-preserve-unknown-fields": True}
            name = (crd.get("metadata") or {}).get("name", "")
            self._crds[(api_version, kind)] = Schema(api_version, kind, node, self._crd_compiler_get(), f"crd:{name}")
            added.append((api_version, kind))
        return added

    def find(self, api_version: str, kind: str) -> Schema | ExternalSchema | None:
        if self._builtin is not None:
            s = self._builtin.find(api_version, kind)
            if s is not None:
                return s
        s = self._crds.get((api_version, kind))
        if s is not None:
            return s
        if not self.locations:
            return None
        key = (api_version, kind)
        if key not in self._external:
            found = None
            for d in self.locations:
                p = find_file(d, api_version, kind)
                if p is not None:
                    found = ExternalSchema(api_version, kind, p)
                    break
            self._external[key] = found
        return self._external[key]

    def resolver(self, schema: Schema):
        """``$ref`` name -> node, for walking a schema's raw nodes (explain)."""
        return (self._builtin or builtin_definitions()).definitions.get


def _no_definitions(name: str) -> dict:
    raise KeyError(name)


@cache
def default_schema_set() -> SchemaSet:
    """The built-in schemas only (shared; add no CRDs to it)."""
    return SchemaSet()
