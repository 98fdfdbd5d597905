"""The JSON report, kubeconform's ``-output json`` shape, so tools that read kubeconform read kctl.

Mirrored from kubeconform: the key order (filename, kind, name, version, status,
msg, validationErrors), the ``statusValid``/``statusInvalid``/``statusError``/
``statusSkipped`` words, two-space indentation and a final newline, valid and
skipped resources listed only with ``--verbose``, ``validationErrors`` left out
when empty, and ``summary`` present only with ``--summary``. Go's encoder escapes
``<``, ``>``, ``&``, U+2028 and U+2029; so does this one.

Each validation error's ``path`` is a JSON pointer into the document
(``/spec/template/spec/containers/0/image``), as kubeconform's; ``msg`` is the
error as kubectl prints it, dotted field path first
(``spec.replicas: Invalid value: -1: must be greater than or equal to 0``).
``line`` and ``column`` (1-based; null when unknown) are kctl's additions.
"""

from __future__ import annotations

import json

from kctl.lint.reports.common import finding_text, json_pointer
from kctl.lint.results import SKIPPED, VALID, ResourceResult, Summary

_GO_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def render_json(results: list[ResourceResult], *, summary: bool = False, verbose: bool = False) -> str:
    doc: dict = {"resources": [_resource(r) for r in results if verbose or r.status not in (VALID, SKIPPED)]}
    if summary:
        s = Summary.of(results)
        doc["summary"] = {"valid": s.valid, "invalid": s.invalid, "errors": s.errors, "skipped": s.skipped}
    return json.dumps(doc, indent=2, ensure_ascii=False).translate(_GO_ESCAPES) + "\n"


def _resource(r: ResourceResult) -> dict:
    out: dict = {
        "filename": r.filename,
        "kind": r.kind,
        "name": r.name,
        "version": r.version,
        "status": r.status,
        "msg": r.msg,
    }
    if r.findings:
        out["validationErrors"] = [
            {"path": json_pointer(f.path), "msg": finding_text(f), "line": f.line, "column": f.column}
            for f in r.findings
        ]
    return out
