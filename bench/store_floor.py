"""The store against its floor: bare ``sqlite3`` on the same rows.

    .venv/bin/python bench/store_floor.py [--count 10000] [--runs 3] [--api] [--backend sqlite3|sqlalchemy]

Floor: ``json.dumps`` + one ``executemany`` INSERT of N pod-sized rows in one transaction
(kctl's own ``objects`` table and indexes), and ``SELECT data`` + ``json.loads`` of all N.
``--backend``: the store's stdlib ``sqlite3`` backend (a bare path, the default) or the same
file through SQLAlchemy (``sqlite+pysqlite:///PATH``).
kctl: ``Store.transaction()`` with N ``tx.create(...)`` calls, and ``tx.list(...)`` (which
decodes). ``--api`` also times ``APIServer.create`` (defaulting, metadata, validation) and
``APIServer.list`` for information. Prints best-of-runs seconds and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kctl.store.sqlite_sql import DDL  # noqa: E402
from kctl.store.store import Store, create_private_file, dumps  # noqa: E402


def pod(i: int) -> dict:
    """A pod as a Deployment's ReplicaSet makes it, defaulted (about 1.5 KB of JSON)."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"web-7d4b9c8f5-{i:05d}",
            "generateName": "web-7d4b9c8f5-",
            "namespace": "default",
            "uid": f"00000000-0000-4000-8000-{i:012d}",
            "creationTimestamp": "2025-01-01T00:00:00Z",
            "labels": {"app": "web", "pod-template-hash": "7d4b9c8f5"},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "web-7d4b9c8f5",
                    "uid": "00000000-0000-4000-8000-ffffffffffff",
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.27",
                    "imagePullPolicy": "IfNotPresent",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }
            ],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
            ],
        },
        "status": {"phase": "Pending", "qosClass": "Burstable"},
    }


#: kctl's own objects table (the DDL SQLAlchemy emits for SQLite).
FLOOR_DDL = DDL["objects"]

#: How the store names the file for each backend (``--backend``).
BACKENDS = {"sqlite3": str, "sqlalchemy": lambda path: f"sqlite+pysqlite:///{path}"}
db_name = BACKENDS["sqlite3"]


def floor_write(path: Path, pods: list[dict]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    for ddl in FLOOR_DDL:
        conn.execute(ddl)
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    rows = [
        ("", "pods", p["metadata"]["namespace"], p["metadata"]["name"], p["metadata"]["uid"], i + 1, dumps(p))
        for i, p in enumerate(pods)
    ]
    conn.executemany(
        "INSERT INTO objects (api_group, resource, namespace, name, uid, resource_version, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def floor_read(path: Path) -> tuple[float, int]:
    conn = sqlite3.connect(path, isolation_level=None)
    start = time.perf_counter()
    rows = conn.execute(
        "SELECT data FROM objects WHERE api_group = ? AND resource = ? AND namespace = ?", ("", "pods", "default")
    ).fetchall()
    out = [json.loads(r[0]) for r in rows]
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, len(out)


def store_write(path: Path, pods: list[dict]) -> float:
    store = Store.open(db_name(path))
    start = time.perf_counter()
    with store.transaction() as tx:
        for p in pods:
            tx.create("", "pods", p)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def store_read(path: Path) -> tuple[float, int]:
    store = Store.open(db_name(path))
    start = time.perf_counter()
    with store.snapshot() as tx:
        out = tx.list("", "pods", "default")
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, len(out)


def api_write(path: Path, pods: list[dict]) -> float:
    from kctl.api.cluster import open_cluster
    from kctl.api.server import APIServer

    store = open_cluster(db_name(path))
    bare = []
    for p in pods:
        q = {"apiVersion": "v1", "kind": "Pod", "metadata": {k: v for k, v in p["metadata"].items() if k in ("name", "labels")}}
        q["spec"] = {"containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}}}]}
        bare.append(q)
    start = time.perf_counter()
    with store.transaction() as tx:
        api = APIServer(tx)
        for q in bare:
            api.create(q)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def api_read(path: Path) -> tuple[float, int]:
    from kctl.api.cluster import open_cluster
    from kctl.api.registry import resolve
    from kctl.api.server import APIServer

    store = open_cluster(db_name(path))
    start = time.perf_counter()
    with store.snapshot() as tx:
        out = APIServer(tx).list(resolve("pods"), "default")
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, len(out)


def best(fn, runs: int, count: int):
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "bench.db"
            create_private_file(path)
            pods = [pod(i) for i in range(count)]
            times.append(fn(path, pods))
    return min(times)


def best_read(write, read, runs: int, count: int):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.db"
        create_private_file(path)
        write(path, [pod(i) for i in range(count)])
        results = [read(path) for _ in range(runs)]
    assert all(n >= count for _, n in results), results
    return min(t for t, _ in results)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--api", action="store_true", help="also time the API server on top of the store")
    ap.add_argument("--backend", choices=sorted(BACKENDS), default="sqlite3", help="the store's backend")
    args = ap.parse_args(argv)
    global db_name
    db_name = BACKENDS[args.backend]
    n, runs = args.count, args.runs

    fw = best(lambda p, pods: floor_write(p, copy.deepcopy(pods)), runs, n)
    sw = best(store_write, runs, n)
    fr = best_read(floor_write, floor_read, runs, n)
    sr = best_read(store_write, store_read, runs, n)
    size = len(dumps(pod(0)))
    print(f"{n} pods of {size} bytes of JSON, best of {runs}, sqlite {sqlite3.sqlite_version}, "
          f"backend {args.backend}, pid {os.getpid()}")
    print(f"{'':28}{'floor':>10}{'kctl':>10}{'ratio':>8}")
    print(f"{'create in one transaction':28}{fw:10.3f}{sw:10.3f}{sw / fw:8.2f}")
    print(f"{'list + JSON decode':28}{fr:10.3f}{sr:10.3f}{sr / fr:8.2f}")
    if args.api:
        # The API server stores what defaulting and admission add (bigger pods), so its list is
        # compared with the bare read of the very same rows.
        aw = best(api_write, runs, n)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "bench.db"
            api_write(path, [pod(i) for i in range(n)])
            afr = min(floor_read(path)[0] for _ in range(runs))
            ar = min(api_read(path)[0] for _ in range(runs))
        print(f"{'APIServer.create x N':28}{fw:10.3f}{aw:10.3f}{aw / fw:8.2f}")
        print(f"{'APIServer.list (same rows)':28}{afr:10.3f}{ar:10.3f}{ar / afr:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
