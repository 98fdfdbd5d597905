"""The text report: one ``FILE:LINE:COL: Kind/name: field.path: message`` line per finding.

The position-first shape is the one editors, ``grep -n`` and pre-commit output
understand; ``--summary`` adds kubeconform's summary line, word for word
(pluralised only above one, as kubeconform does, and ``found parsing stdin`` when
every resource came from standard input).
"""

from __future__ import annotations

import re

from kctl.lint.reports.common import STDIN, error_line, finding_line, resource_label
from kctl.lint.results import ERROR, INVALID, SKIPPED, VALID, ResourceResult, Summary

RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
RESET = "\x1b[0m"

#: C0/C1 control characters (newlines, escape sequences from a hostile manifest) are
#: shown as ``\u001b`` so each report line stays one line and cannot drive the terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_text(
    results: list[ResourceResult], *, summary: bool = False, verbose: bool = False, color: bool = False
) -> str:
    lines: list[str] = []

    def add(text: str, tint: str) -> None:
        text = _visible(text)
        lines.append(f"{tint}{text}{RESET}" if color else text)

    for r in results:
        if r.status == INVALID:
            if r.findings:
                for f in r.findings:
                    add(finding_line(r, f), RED)
            else:  # an invalid resource the runner gave no field errors for
                add(error_line(r), RED)
        elif r.status == ERROR:
            add(error_line(r), RED)
        elif verbose and r.status == VALID:
            add(f"{_subject(r)} is valid", GREEN)
        elif verbose and r.status == SKIPPED:
            add(f"{_subject(r)} skipped", YELLOW)
    if summary:
        lines.append(summary_line(results))
    return "".join(line + "\n" for line in lines)


def _subject(r: ResourceResult) -> str:
    label = resource_label(r)
    return f"{r.filename}: {label}" if label else r.filename


def summary_line(results: list[ResourceResult]) -> str:
    """``Summary: 3 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 1, Skipped: 0``."""
    s = Summary.of(results)
    files = {r.filename for r in results}
    n = s.total
    resources = f"{n} resource{'s' if n > 1 else ''}"
    if files == {STDIN}:
        where = "parsing stdin"
    else:
        where = f"in {len(files)} file{'s' if len(files) > 1 else ''}"
    return (
        f"Summary: {resources} found {where} - "
        f"Valid: {s.valid}, Invalid: {s.invalid}, Errors: {s.errors}, Skipped: {s.skipped}"
    )
