"""The control-plane pass at scale, against the bare SQLite write of the same pods.

    .venv/bin/python bench/control_plane.py [--nodes 1000] [--deployments 100] [--replicas 100]
    .venv/bin/python bench/control_plane.py --series    # 1k/10k/100k pods; 100 vs 1,000 nodes

Creates N nodes and D Deployments x R replicas in a fresh cluster, then times one
reconcile pass (Deployment and ReplicaSet controllers, scheduler, kubelet, endpoints)
that brings every pod to Running, and the commit. The floor is sqlite3 inserting the
resulting pod rows (their final JSON) in one transaction. Also prints the time per
controller, so growth with pods and nodes can be read off several runs.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def node(i: int) -> dict:
    name = f"node-{i:04d}"
    zone = f"zone-{'abc'[i % 3]}"
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                                              "topology.kubernetes.io/zone": zone}},
        "spec": {"podCIDR": f"10.{64 + i // 256}.{i % 256}.0/24"},
        "status": {"capacity": {"cpu": "16", "memory": "64Gi", "pods": "110"},
                   "allocatable": {"cpu": "15800m", "memory": "62Gi", "pods": "110"},
                   "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                   "message": "kubelet is posting ready status"}],
                   "addresses": [{"type": "InternalIP", "address": f"10.1.{i // 256}.{i % 256}"}]},
    }


def deployment(i: int, replicas: int) -> dict:
    labels = {"app": f"svc-{i}"}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": f"svc-{i}", "namespace": "default", "labels": labels},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "app", "image": f"registry.example.com/svc-{i}:1.0",
                                                       "ports": [{"containerPort": 8080}],
                                                       "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}}},
    }


def service(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{i}", "namespace": "default"},
            "spec": {"selector": {"app": f"svc-{i}"}, "ports": [{"port": 80, "targetPort": 8080}]}}


class Timed:
    """Wraps a controller to add up the time its syncs take."""

    def __init__(self, inner, totals):
        self.inner, self.name, self.totals = inner, inner.name, totals

    def sync(self, cluster, now):
        t = time.process_time()
        out = list(self.inner.sync(cluster, now))
        self.totals[self.name] += time.process_time() - t
        return out


def floor(pods: list[dict]) -> float:
    with tempfile.TemporaryDirectory() as d:
        con = sqlite3.connect(Path(d) / "floor.db")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE objects (grp TEXT, resource TEXT, namespace TEXT, name TEXT, uid TEXT, "
                    "resource_version INTEGER, data TEXT, PRIMARY KEY (grp, resource, namespace, name))")
        start, cpu = time.perf_counter(), time.process_time()
        con.executemany("INSERT INTO objects VALUES (?,?,?,?,?,?,?)",
                        [("", "pods", p["metadata"]["namespace"], p["metadata"]["name"], p["metadata"]["uid"], i,
                          json.dumps(p, separators=(",", ":"))) for i, p in enumerate(pods)])
        con.commit()
        return time.perf_counter() - start, time.process_time() - cpu


def run(nodes: int, deployments: int, replicas: int) -> None:
    from kctl.api.cluster import ensure_initialized
    from kctl.api.server import APIServer
    from kctl.controllers.manager import ControllerManager
    from kctl.controllers.runner import default_controllers
    from kctl.store.store import Store

    with tempfile.TemporaryDirectory() as d:
        store = Store.open(str(Path(d) / "bench.db"))
        ensure_initialized(store)
        with store.transaction() as tx:
            api = APIServer(tx)
            for n in api.list("nodes"):
                api.delete("nodes", None, n["metadata"]["name"])
            for i in range(nodes):
                api.create(node(i))
            for i in range(deployments):
                api.create(deployment(i, replicas))
                api.create(service(i))
        totals: dict[str, float] = defaultdict(float)
        start, cpu = time.perf_counter(), time.process_time()
        with store.transaction() as tx:
            api = APIServer(tx)
            manager = ControllerManager(api, [Timed(c, totals) for c in default_controllers()], api.clock.now())
            result = manager.run()
            pods = manager.view.list("pods")
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - cpu
        running = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Running")
        base, base_cpu = floor(pods)
        print(f"{nodes} nodes, {deployments}x{replicas} = {len(pods)} pods ({running} Running), {result.rounds} rounds, "
              f"{len(result.events)} events")
        print(f"  pass + commit: {elapsed:.2f} s; floor (sqlite3 insert of the pod rows): {base:.3f} s; "
              f"ratio {elapsed / base:.1f}x")
        print(f"  CPU time: pass + commit {elapsed_cpu:.2f} s; floor {base_cpu:.3f} s; ratio {elapsed_cpu / base_cpu:.1f}x"
              " (the figure to read on a busy machine)")
        controllers = sum(totals.values())
        print(f"  controllers {controllers:.2f} s CPU, API server + store + events {elapsed_cpu - controllers:.2f} s CPU")
        for name, t in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"    {name:28s} {t:7.2f} s")
        store.close()


#: (nodes, deployments, replicas) of ``--series``: pods x10 at 1,000 nodes, and nodes x10 at
#: 10,000 pods, to read off how the pass grows with each.
SERIES = ((1000, 10, 100), (1000, 100, 100), (1000, 1000, 100), (100, 100, 100))


def series(rows) -> None:
    """Each size in a fresh process (no warm caches carried over), then one table."""
    import re
    import subprocess

    table = []
    for nodes, deployments, replicas in rows:
        out = subprocess.run([sys.executable, __file__, "--nodes", str(nodes), "--deployments", str(deployments),
                              "--replicas", str(replicas)], capture_output=True, text=True, check=True).stdout
        print(out, end="", flush=True)
        wall, floor_wall = map(float, re.search(r"pass \+ commit: ([\d.]+) s; floor [^:]*: ([\d.]+) s", out).groups())
        cpu, floor_cpu = map(float, re.search(r"CPU time: pass \+ commit ([\d.]+) s; floor ([\d.]+) s", out).groups())
        table.append((nodes, deployments * replicas, wall, cpu, floor_cpu))
    print(f"\n{'nodes':>6} {'pods':>8} {'wall s':>8} {'CPU s':>8} {'ms/pod':>7} {'floor CPU s':>11} {'ratio':>6}")
    for nodes, pods, wall, cpu, floor_cpu in table:
        print(f"{nodes:>6} {pods:>8} {wall:>8.2f} {cpu:>8.2f} {1000 * cpu / pods:>7.3f} {floor_cpu:>11.3f} "
              f"{cpu / floor_cpu:>5.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--deployments", type=int, default=100)
    ap.add_argument("--replicas", type=int, default=100)
    ap.add_argument("--series", action="store_true",
                    help="1k, 10k and 100k pods on 1,000 nodes, and 10k pods on 100 nodes, as one table")
    args = ap.parse_args()
    if args.series:
        series(SERIES)
        return
    run(args.nodes, args.deployments, args.replicas)


if __name__ == "__main__":
    main()
