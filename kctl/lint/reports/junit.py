"""The JUnit XML report, for CI dashboards (GitLab, Jenkins, Azure DevOps, ...).

``testsuites`` > one ``testsuite`` per file (in the order files were read) > one
``testcase`` per resource, named ``Kind/name`` with the file as ``classname``.
Every resource is a test case, valid ones included (as kubeconform's JUnit
output does). An invalid resource has one ``failure`` whose ``message`` is the
resource's one-line message and whose text is the report's
``FILE:LINE:COL: Kind/name: field.path: message`` lines; a resource that could not
be checked has an ``error``; a skipped one a ``skipped``. The output is
deterministic: every ``time`` is ``0`` and nothing depends on the clock.

Written by hand rather than through ElementTree so the bytes are fixed: attributes
in a set order, two-space indentation, characters XML 1.0 cannot carry (control
characters from a hostile manifest) replaced by U+FFFD.
"""

from __future__ import annotations

import re

from kctl.lint.reports.common import error_line, finding_line, finding_text, resource_label
from kctl.lint.reports.rules import rule_of_error, rule_of_finding
from kctl.lint.results import ERROR, INVALID, SKIPPED, ResourceResult, Summary

SUITES_NAME = "kctl lint"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


def text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value).translate(_TEXT)


def attr(value: object) -> str:
    return '"' + _NOT_XML.sub("\ufffd", str(value)).translate(_ATTR) + '"'


def render_junit(results: list[ResourceResult], *, summary: bool = False, verbose: bool = False) -> str:
    """``summary`` and ``verbose`` change nothing: JUnit always counts and lists every resource."""
    by_file: dict[str, list[ResourceResult]] = {}
    for r in results:
        by_file.setdefault(r.filename, []).append(r)

    total = Summary.of(results)
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(
        f"<testsuites name={attr(SUITES_NAME)} tests={attr(total.total)} failures={attr(total.invalid)}"
        f' errors={attr(total.errors)} skipped={attr(total.skipped)} time="0">'
    )
    for index, (filename, items) in enumerate(by_file.items(), start=1):
        s = Summary.of(items)
        out.append(
            f"  <testsuite name={attr(filename)} id={attr(index)} tests={attr(s.total)}"
            f' failures={attr(s.invalid)} errors={attr(s.errors)} skipped={attr(s.skipped)} time="0">'
        )
        for r in items:
            out.extend(_testcase(r))
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _testcase(r: ResourceResult) -> list[str]:
    head = f'    <testcase name={attr(_case_name(r))} classname={attr(r.filename)} time="0"'
    if r.status == INVALID:
        if r.findings:
            message = r.msg or "; ".join(finding_text(f) for f in r.findings)
            body = "\n".join(finding_line(r, f) for f in r.findings)
            rules = {rule_of_finding(f) for f in r.findings}
            kind = rules.pop() if len(rules) == 1 else "invalid"
        else:
            message, body, kind = r.msg, error_line(r), "invalid"
        inner = f"      <failure message={attr(message)} type={attr(kind)}>{text(body)}</failure>"
    elif r.status == ERROR:
        inner = (
            f"      <error message={attr(r.msg)} type={attr(rule_of_error(r))}>{text(error_line(r))}</error>"
        )
    elif r.status == SKIPPED:
        inner = '      <skipped message="skipped"/>'
    else:
        return [head + "/>"]
    return [head + ">", inner, "    </testcase>"]


def _case_name(r: ResourceResult) -> str:
    label = resource_label(r)
    if label:
        return label
    return f"document at line {r.line}" if r.line is not None else "document"
