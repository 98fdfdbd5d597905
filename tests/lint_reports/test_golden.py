"""Every report format, byte for byte, against golden files.

To regenerate after an intended change, run

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/lint_reports/test_golden.py

then review the diff of tests/lint_reports/golden/ before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kctl.lint.report import render, render_sarif
from tests.lint_reports.fixtures import sample_results

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"missing golden file {path}: run with UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_bytes().decode("utf-8")


CASES = [
    ("text.txt", "text", {}),
    ("text-verbose-summary.txt", "text", {"verbose": True, "summary": True}),
    ("text-color.txt", "text", {"verbose": True, "color": True}),
    ("json.json", "json", {}),
    ("json-verbose-summary.json", "json", {"verbose": True, "summary": True}),
    ("junit.xml", "junit", {}),
]


@pytest.mark.parametrize(("name", "fmt", "flags"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, fmt: str, flags: dict) -> None:
    flags = {"summary": False, **flags}
    check_golden(name, render(sample_results(), fmt, **flags))


def test_golden_sarif() -> None:
    check_golden("sarif.json", render_sarif(sample_results(), tool_version="0.0.0-test"))


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif"])
def test_every_format_ends_with_exactly_one_newline(fmt: str) -> None:
    out = render(sample_results(), fmt, summary=True)
    assert out.endswith("\n") and not out.endswith("\n\n")
