"""Lint throughput and start-up, against the Python peer kubernetes-validate.

    .venv/bin/python bench/lint_bench.py [--files 2000] [--skip-peer]

Throughput: wall time of one `kctl lint DIR` over N realistic Deployment files vs
`kubernetes-validate --strict -k 1.34.0 FILES...` on the same files (the peer is a
bench-only dependency: `pip install -e '.[bench]'`). Start-up: median wall time of
`kctl lint one.yaml` vs `python -c "import typer"` over repeated runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from manifests import write_deployments  # noqa: E402

BIN = Path(sys.executable).parent


def wall(cmd: list[str], expect_ok: bool = True) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if expect_ok and proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stdout[-500:]}{proc.stderr[-500:]}")
    return elapsed


def median_wall(cmd: list[str], runs: int) -> float:
    wall(cmd)  # warm the OS caches
    return statistics.median(wall(cmd) for _ in range(runs))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--skip-peer", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kctl-bench-"))
    try:
        paths = write_deployments(tmp / "deployments", args.files)
        kctl = str(BIN / "kctl")
        kctl_s = median_wall([kctl, "lint", str(tmp / "deployments")], 3)
        print(f"kctl lint, {args.files} Deployments: {kctl_s:.2f} s ({args.files / kctl_s:,.0f} files/s)")
        peer = shutil.which("kubernetes-validate", path=str(BIN))
        if peer and not args.skip_peer:
            peer_s = wall([peer, "--strict", "--quiet", "-k", "1.34.0", *map(str, paths)])
            print(f"kubernetes-validate --strict, same files: {peer_s:.2f} s")
            print(f"speed-up: {peer_s / kctl_s:.1f}x (target >= 20x)")
        elif not args.skip_peer:
            print("kubernetes-validate not installed: pip install -e '.[bench]' to compare")
        one = paths[0]
        typer_s = median_wall([sys.executable, "-c", "import typer"], args.runs)
        start_s = median_wall([kctl, "lint", str(one)], args.runs)
        print(f"start-up: kctl lint one.yaml {start_s * 1000:.0f} ms, python -c 'import typer' {typer_s * 1000:.0f} ms, "
              f"ratio {start_s / typer_s:.2f}x (target <= 2.5x)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
