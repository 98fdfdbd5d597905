"""Run every benchmark in bench/ with its default (issue-sized) parameters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

for script, args in (
    ("lint_bench.py", []),
    ("store_floor.py", ["--api"]),
    ("api_bench.py", []),
    ("control_plane.py", ["--nodes", "100", "--deployments", "10", "--replicas", "100"]),
    ("control_plane.py", []),
):
    print(f"== {script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=False)
