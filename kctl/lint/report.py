"""Render a lint run's results in the format ``kctl lint -o FORMAT`` asks for.

Pure functions of the results: no I/O, no clock. Each format lives in its own
module under ``kctl.lint.reports`` and is imported only when used.
"""

from __future__ import annotations

from kctl.lint.results import ResourceResult

FORMATS = ("text", "json", "junit", "sarif")


def render(
    results: list[ResourceResult], fmt: str, *, summary: bool, verbose: bool = False, color: bool = False
) -> str:
    """The whole report as one string ending in a newline ("" when there is nothing to say)."""
    if fmt == "text":
        return render_text(results, summary=summary, verbose=verbose, color=color)
    if fmt == "json":
        return render_json(results, summary=summary, verbose=verbose)
    if fmt == "junit":
        return render_junit(results, summary=summary, verbose=verbose)
    if fmt == "sarif":
        return render_sarif(results, summary=summary, verbose=verbose)
    raise ValueError(f'unknown output format "{fmt}": expected one of {", ".join(FORMATS)}')


def render_text(
    results: list[ResourceResult], *, summary: bool = False, verbose: bool = False, color: bool = False
) -> str:
    from kctl.lint.reports.text import render_text

    return render_text(results, summary=summary, verbose=verbose, color=color)


def render_json(results: list[ResourceResult], *, summary: bool = False, verbose: bool = False) -> str:
    from kctl.lint.reports.json_report import render_json

    return render_json(results, summary=summary, verbose=verbose)


def render_junit(results: list[ResourceResult], *, summary: bool = False, verbose: bool = False) -> str:
    from kctl.lint.reports.junit import render_junit

    return render_junit(results, summary=summary, verbose=verbose)


def render_sarif(
    results: list[ResourceResult],
    *,
    summary: bool = False,
    verbose: bool = False,
    tool_version: str | None = None,
) -> str:
    from kctl.lint.reports.sarif import render_sarif

    return render_sarif(results, summary=summary, verbose=verbose, tool_version=tool_version)
