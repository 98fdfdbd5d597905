"""The API server and store through the CLI, against bare SQLite (the floor).

    .venv/bin/python bench/api_bench.py [--objects 10000] [--pods 10000]

- apply: `kctl apply -f` of N ConfigMaps in one multi-document file (one transaction,
  then the control-plane pass) vs sqlite3 inserting the same rows in one transaction;
- list: `kctl get pods -A -o json` over N pods vs sqlite3 selecting the rows and
  decoding their JSON;
- start-up: `kctl get pods` on a new cluster vs `python -c "import typer"`, for a SQLite
  file named by its path (the stdlib sqlite3 backend, kctl's default) and as
  `sqlite+pysqlite:///PATH` (the same file through SQLAlchemy, the path other databases take).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KCTL = str(BIN / "kctl")


def wall(cmd: list[str], env: dict, stdout=subprocess.DEVNULL) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed: {proc.stderr[-800:]}")
    return elapsed


def sqlite_floor_write(rows: list[tuple]) -> float:
    with tempfile.TemporaryDirectory() as d:
        con = sqlite3.connect(Path(d) / "floor.db")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE objects (grp TEXT, resource TEXT, namespace TEXT, name TEXT, uid TEXT, "
                    "resource_version INTEGER, data TEXT, PRIMARY KEY (grp, resource, namespace, name))")
        start = time.perf_counter()
        con.executemany("INSERT INTO objects VALUES (?,?,?,?,?,?,?)", rows)
        con.commit()
        return time.perf_counter() - start


def sqlite_floor_read(db: str) -> float:
    con = sqlite3.connect(db)
    start = time.perf_counter()
    rows = con.execute("SELECT data FROM objects WHERE resource = 'pods'").fetchall()
    decoded = [json.loads(r[0]) for r in rows]
    elapsed = time.perf_counter() - start
    assert decoded
    return elapsed


def configmap(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"cm-{i:05d}", "namespace": "default", "labels": {"app": f"app-{i % 50}"}},
            "data": {"LOG_LEVEL": "info", "FEATURE_FLAGS": "a,b,c", "config.yaml": "key: value\n" * 5}}


def bench_apply(n: int, env: dict, tmp: Path) -> None:
    objs = [configmap(i) for i in range(n)]
    path = tmp / "configmaps.yaml"
    path.write_text("\n---\n".join(json.dumps(o) for o in objs))
    env = {**env, "KCTL_DB": str(tmp / "apply.db")}
    wall([KCTL, "get", "ns"], env)  # bootstrap the cluster outside the timing
    t = wall([KCTL, "apply", "-q", "-f", str(path)], env)
    floor = sqlite_floor_write([("", "configmaps", "default", o["metadata"]["name"], f"uid-{i}", i,
                                 json.dumps(o, separators=(",", ":"))) for i, o in enumerate(objs)])
    print(f"apply {n} ConfigMaps: {t:.2f} s; floor {floor:.3f} s; ratio {t / floor:.1f}x")


def bench_list(n: int, env: dict, tmp: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kctl.api.cluster import ensure_initialized
    from kctl.api.server import APIServer
    from kctl.store.store import Store

    db = tmp / "list.db"
    store = Store.open(str(db))
    ensure_initialized(store)
    with store.transaction() as tx:
        api = APIServer(tx)
        for i in range(n):
            api.create({"apiVersion": "v1", "kind": "Pod",
                        "metadata": {"name": f"web-{i:05d}", "namespace": "default",
                                     "labels": {"app": "web"}},
                        "spec": {"nodeName": f"node-{1 + i % 3}",
                                 "containers": [{"name": "web", "image": "nginx:1.27",
                                                 "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}})
    store.close()
    env = {**env, "KCTL_DB": str(db)}
    t = statistics.median(wall([KCTL, "get", "pods", "-A", "-o", "json"], env) for _ in range(3))
    floor = statistics.median(sqlite_floor_read(str(db)) for _ in range(3))
    print(f"get pods -A -o json over {n} pods: {t:.2f} s; floor (select + json.loads) {floor:.3f} s; ratio {t / floor:.1f}x")


def bench_startup(env: dict, tmp: Path, runs: int = 15) -> None:
    path = tmp / "startup.db"
    forms = {"sqlite3": str(path), "sqlalchemy": f"sqlite+pysqlite:///{path}"}
    wall([KCTL, "get", "pods"], {**env, "KCTL_DB": forms["sqlite3"]})
    times: dict[str, list[float]] = {name: [] for name in (*forms, "typer")}
    for _ in range(runs):  # interleaved, so that every command sees the same machine load
        for name, db in forms.items():
            times[name].append(wall([KCTL, "get", "pods"], {**env, "KCTL_DB": db}))
        times["typer"].append(wall([sys.executable, "-c", "import typer"], env))
    typer = statistics.median(times["typer"])
    for name in forms:
        kctl = statistics.median(times[name])
        print(f"start-up ({name}): kctl get pods {kctl * 1000:.0f} ms, python -c 'import typer' "
              f"{typer * 1000:.0f} ms, ratio {kctl / typer:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=10000)
    ap.add_argument("--pods", type=int, default=10000)
    args = ap.parse_args()
    env = {**os.environ, "KCTL_FROZEN_CLOCK": "1"}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_startup(env, tmp)
        bench_list(args.pods, env, tmp)
        bench_apply(args.objects, env, tmp)


if __name__ == "__main__":
    main()
