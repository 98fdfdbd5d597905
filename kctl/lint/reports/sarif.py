"""The SARIF 2.1.0 report, for code-scanning UIs (GitHub code scanning, GitLab, IDE viewers).

One ``run`` whose driver is kctl with every rule of ``rules.RULES`` (so rule
indices never change between runs), and one ``error``-level result per finding,
plus one per resource that could not be checked. A result's location is the file
as it was given (a relative URI reference, percent-encoded; absolute paths become
``file://`` URIs; standard input has no URI) and, when known, the 1-based line and
column, counted in Unicode code points (``columnKind``). Valid and skipped
resources produce no result: SARIF lists problems, not passes.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from kctl.lint.reports.common import STDIN, finding_text, resource_label
from kctl.lint.reports.rules import RULE_IDS, RULES, rule_of_error, rule_of_finding
from kctl.lint.results import ERROR, INVALID, ResourceResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: kctl has no home page of its own yet; it follows kubectl, whose reference this is.
INFORMATION_URI = "https://kubernetes.io/docs/reference/kubectl/"


def render_sarif(
    results: list[ResourceResult],
    *,
    summary: bool = False,
    verbose: bool = False,
    tool_version: str | None = None,
) -> str:
    """``summary`` and ``verbose`` change nothing; ``tool_version`` defaults to kctl's."""
    if tool_version is None:
        from kctl import __version__ as tool_version
    driver = {
        "name": "kctl",
        "informationUri": INFORMATION_URI,
        "version": tool_version,
        "rules": [
            {
                "id": rule_id,
                "name": RULES[rule_id][0],
                "shortDescription": {"text": RULES[rule_id][1]},
                "defaultConfiguration": {"level": "error"},
            }
            for rule_id in RULE_IDS
        ],
    }
    doc = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": _results(results)}
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _results(results: list[ResourceResult]) -> list[dict]:
    return [result for r in results for result in _resource_results(r)]


def _resource_results(r: ResourceResult) -> list[dict]:
    label = resource_label(r)

    def result(rule_id: str, text: str, line: int | None, column: int | None) -> dict:
        return _result(rule_id, f"{label}: {text}" if label else text, r.filename, line, column)

    if r.status == INVALID and r.findings:
        return [result(rule_of_finding(f), finding_text(f), f.line, f.column) for f in r.findings]
    if r.status == INVALID:
        return [result("invalid", r.msg, r.line, r.column)]
    if r.status == ERROR:
        return [result(rule_of_error(r), r.msg, r.line, r.column)]
    return []


def _result(rule_id: str, message: str, filename: str, line: int | None, column: int | None) -> dict:
    physical: dict = {"artifactLocation": artifact_location(filename)}
    if line is not None and line >= 1:
        region: dict = {"startLine": line}
        if column is not None and column >= 1:
            region["startColumn"] = column
        physical["region"] = region
    return {
        "ruleId": rule_id,
        "ruleIndex": RULE_IDS.index(rule_id),
        "level": "error",
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
    }


def artifact_location(filename: str) -> dict:
    """The file as a URI reference: ``k8s/app deploy.yaml`` -> ``k8s/app%20deploy.yaml``."""
    if filename == STDIN:
        return {"description": {"text": "standard input"}}
    if os.path.isabs(filename):
        from pathlib import Path

        return {"uri": Path(filename).as_uri()}
    return {"uri": quote(filename.replace(os.sep, "/"), safe="/")}
