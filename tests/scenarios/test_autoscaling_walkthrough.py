"""samples/autoscaling/README.md, run as written: every ``$ kctl ...`` line of its console
blocks is run in order through the CLI (in-process, from a scratch directory where
``samples/`` is the repository's), and its stdout must be the lines the README shows
under it (trailing blanks ignored; a ``...`` line stands for any number of lines). So the
walkthrough cannot go stale: change kctl's output or the sample manifests and this fails
until the README says what kctl prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.scenarios.conftest import Kctl

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "samples" / "autoscaling" / "README.md"
DB = "./autoscaling.db"


def console_steps(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected stdout lines) for every ``$ `` line of the ```console blocks."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                assert steps, f"output before any command: {line!r}"
                steps[-1][1].append(line)
    return steps


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality (right-stripped), ``...`` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0].rstrip() == expected[0].rstrip() and matches(expected[1:], actual[1:])


def test_the_steps_are_there():
    commands = [c for c, _ in console_steps(README.read_text(encoding="utf-8"))]
    assert commands[:3] == ["kctl lint samples/autoscaling/manifests/",
                            f"export KCTL_DB={DB} KCTL_FROZEN_CLOCK=1",
                            "kctl cluster init --now 2025-05-01T12:00:00Z"]
    for verb in ("apply", "load", "top", "reconcile", "get hpa", "describe hpa", "simulate"):
        assert any(c.startswith(f"kctl {verb}") for c in commands), verb
    assert "kctl simulate --for 30m --load samples/autoscaling/profiles/web-day.yaml --plot web-day.svg" in commands


def test_the_walkthrough_prints_what_the_readme_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "samples").symlink_to(ROOT / "samples", target_is_directory=True)
    k = Kctl(DB, tmp_path)  # a str on purpose: `cluster init` prints it as given
    for command, expected in console_steps(README.read_text(encoding="utf-8")):
        words = shlex.split(command)
        if words[0] == "export":
            assert words[1:] == [f"KCTL_DB={DB}", "KCTL_FROZEN_CLOCK=1"]  # what Kctl does for every call
            continue
        assert words[0] == "kctl", command
        result = k(*words[1:])
        assert result.code == 0, f"{command}: exit {result.code}: {result.err}"
        actual = result.out.splitlines()
        if not matches(expected, actual):
            pytest.fail(f"$ {command}\n--- README:\n" + "\n".join(expected) + "\n--- kctl:\n" + "\n".join(actual))
    plot = (tmp_path / "web-day.svg").read_text(encoding="utf-8")
    assert "<svg" in plot and plot.rstrip().endswith("</svg>")


@pytest.mark.parametrize(("expected", "actual", "ok"), [
    (["a", "...", "d"], ["a", "b", "c", "d"], True),
    (["a", "...", "d"], ["a", "d"], True),
    (["a", "..."], ["a"], True),
    (["a", "b"], ["a", "b", "c"], False),
    (["...", "x"], ["a", "b"], False),
    (["a  "], ["a"], True),
])
def test_matcher(expected, actual, ok):
    assert matches(expected, actual) is ok
