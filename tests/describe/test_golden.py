"""``describe()`` for every kind, byte for byte, against golden files.

Each fixture in fixtures/*.yaml holds ``object`` (the object as stored), ``now``, and
optionally ``events`` and ``related``. To regenerate after an intended change, run

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/describe/test_golden.py

then review the diff of tests/describe/golden/ by eye against kubectl's real layout
before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from kctl.printers.describe import describe
from kctl.printers.describe.common import parse_time

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "fixtures").glob("*.yaml"))
GOLDEN = HERE / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def render_fixture(path: Path) -> str:
    case = yaml.safe_load(path.read_text())
    return describe(
        case["object"],
        now=parse_time(case["now"]),
        events=case.get("events", []),
        related=case.get("related") or {},
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_golden(fixture: Path) -> None:
    actual = render_fixture(fixture)
    golden = GOLDEN / f"{fixture.stem}.txt"
    if UPDATE:
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.exists(), f"missing golden file {golden}: run with UPDATE_GOLDEN=1 to create it"
    assert actual == golden.read_bytes().decode("utf-8")


def test_every_fixture_has_a_golden_file_and_back() -> None:
    assert {p.stem for p in FIXTURES} == {p.stem for p in GOLDEN.glob("*.txt")}
