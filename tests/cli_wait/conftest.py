"""``kctl wait`` through kctl's CLI entry point on a fresh cluster database (bootstrapped at
``tests.harness.BOOT``, clock frozen: only kctl wait / reconcile move it)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.harness import BOOT, Result, bootstrap_cluster, run_kctl


class Kctl:
    def __init__(self, db: Path, workdir: Path):
        self.db = db
        self.workdir = workdir
        self._files = 0

    def __call__(self, *args: str) -> Result:
        return run_kctl(self.db, args)

    def write(self, manifest: str) -> Path:
        self._files += 1
        path = self.workdir / f"m{self._files}.yaml"
        path.write_text(textwrap.dedent(manifest), encoding="utf-8")
        return path

    def apply(self, manifest: str) -> None:
        r = self("apply", "-f", str(self.write(manifest)), "-q")
        assert r.code == 0, r.err

    def clock(self) -> str:
        r = self("cluster", "info")
        line = next(x for x in r.out.splitlines() if x.startswith("Cluster clock:"))
        return line.split(": ", 1)[1]


@pytest.fixture
def k(tmp_path) -> Kctl:
    db = tmp_path / "cluster.db"
    bootstrap_cluster(db, BOOT)
    return Kctl(db, tmp_path)
