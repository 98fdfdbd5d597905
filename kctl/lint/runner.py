"""The lint pipeline: decode -> strict decoding -> schema -> server-side rules.

The same checks the API server makes on create, in the same order, without a
cluster. Results stream per resource; positions are resolved only for findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kctl.api import field as fe
from kctl.lint.results import ERROR, INVALID, SKIPPED, VALID, Finding, ResourceResult
from kctl.manifests import Manifest, ManifestError


@dataclass
class LintOptions:
    strict: bool = True
    skip: frozenset[str] = frozenset()  # "Kind" or "group/version/Kind" (as kubeconform's -skip)
    ignore_missing_schemas: bool = False
    schema_locations: tuple[str, ...] = ()
    server_side: bool = True


_STRICT = (fe.UNKNOWN_FIELD, fe.DUPLICATE_FIELD)


@dataclass
class Linter:
    """Validates manifests one at a time; custom resources whose CRD has not been seen
    yet are held back and validated at the end, once every CRD of the run is known."""

    options: LintOptions = field(default_factory=LintOptions)

    def __post_init__(self) -> None:
        from kctl.api.openapi import SchemaSet

        self.schemas = SchemaSet(locations=list(self.options.schema_locations))
        self._deferred: list[Manifest] = []
        self.crds: list[dict] = []  # CustomResourceDefinitions seen (shared across workers)
        self._server_rules = None
        if self.options.server_side:
            from kctl.api.validation import validate

            self._server_rules = validate

    def run(self, items: Iterable[Manifest | ManifestError], *, finalize: bool = True) -> Iterator[ResourceResult]:
        """Results in input order; custom resources waiting for their CRD come last
        (``finalize=False`` leaves them in ``deferred`` for the caller)."""
        for item in items:
            if isinstance(item, ManifestError):
                yield error_result(item)
                continue
            result = self.check(item, final=False)
            if result is not None:
                yield result
        if finalize:
            for manifest in self._deferred:
                yield self.check(manifest, final=True)
            self._deferred = []

    @property
    def deferred(self) -> list[Manifest]:
        return self._deferred

    def check(self, m: Manifest, *, final: bool = True) -> ResourceResult | None:
        result = ResourceResult(filename=m.filename, kind=m.kind, name=m.name, version=m.api_version)
        result.line, result.column = m.position()
        missing = [f"{key} not set" for key in ("apiVersion", "kind") if not isinstance(m.obj.get(key), str) or not m.obj.get(key)]
        if missing:
            result.status, result.msg = ERROR, ", ".join(missing)
            return result
        if self._skipped(m):
            result.status = SKIPPED
            return result
        if m.kind == "CustomResourceDefinition":
            self.schemas.add_crd(m.obj)
            self.crds.append(m.obj)
        schema = self.schemas.find(m.api_version, m.kind)
        if schema is None:
            if not final:
                self._deferred.append(m)
                return None
            if self.options.ignore_missing_schemas:
                result.status = SKIPPED
                return result
            result.status, result.msg = ERROR, f"could not find schema for {m.kind}"
            return result
        checked = self.validate(m, schema)
        if checked:
            result.status = INVALID
            findings = [to_finding(m, e, rule) for rule, e in checked]
            # In file order, as a reader goes through the manifest (stable for equal positions).
            result.findings = sorted(findings, key=lambda f: (f.line or 0, f.column or 0))
            result.msg = "; ".join(str(e) for _, e in checked)
        else:
            result.status = VALID
        return result

    def validate(self, m: Manifest, schema) -> list[tuple[str, fe.FieldError]]:
        """Every problem, with the check that found it: strict decoding, the schema, then
        (for objects of the right shape) the server-side rules."""
        errors: list[fe.FieldError] = list(m.decode_errors) if self.options.strict else []
        try:
            errors.extend(schema.validate(m.obj, strict=self.options.strict))
        except RecursionError:
            return [("schema", fe.invalid((), "<object>", "exceeded max depth"))]
        checked = [("strict" if e.type in _STRICT else "schema", e) for e in errors]
        if self._server_rules is not None and all(e.type in _STRICT for e in errors):
            checked.extend(("server-side", e) for e in self._server_rules(m.obj))
        return checked

    def _skipped(self, m: Manifest) -> bool:
        skip = self.options.skip
        return bool(skip) and (m.kind in skip or f"{m.api_version}/{m.kind}" in skip)


def to_finding(m: Manifest, e: fe.FieldError, rule: str = "") -> Finding:
    line, column = m.position(e.path, e.at_key)
    return Finding(path=e.field, message=e.body(), line=line, column=column, rule=rule)


def error_result(err: ManifestError) -> ResourceResult:
    return ResourceResult(
        filename=err.filename,
        status=ERROR,
        msg=err.message,
        line=err.line,
        column=err.column,
    )
