"""Golden-file helper: ``assert_golden(name, text)`` compares with ``golden/<name>``;
``UPDATE_GOLDEN=1 pytest tests/printers`` rewrites the files instead."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
FIXTURES = HERE / "fixtures"
#: The fixed "now" every fixture's ages are written against.
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


def load_fixture(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d]


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"output differs from {path} (UPDATE_GOLDEN=1 rewrites it)"
