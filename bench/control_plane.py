"""The control-plane pass at scale, against the bare SQLite write of the same pods.

    .venv/bin/python bench/control_plane.py [--nodes 1000] [--deployments 100] [--replicas 100]

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
        t = time.perf_counter()
        out = list(self.inner.sync(cluster, now))
        self.totals[self.name] += time.perf_counter() - t
        return out


def floor(pods: list[dict]) -> float:
    with tempfile.TemporaryDirectory() as d:
        con = sqlite3.connect(Path(d) / "floor.db")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE objects (grp TEXT, resource TEXT, namespace TEXT, name TEXT, uid TEXT, "
                    "resource_version INTEGER, data TEXT, PRIMARY KEY (grp, resource, namespace, name))")
        start = time.perf_counter()
        con.executemany("INSERT INTO objects VALUES (?,?,?,?,?,?,?)",
                        [("", "pods", p["metadata"]["namespace"], p["metadata"]["name"], p["metadata"]["uid"], i,
                          json.dumps(p, separators=(",", ":"))) for i, p in enumerate(pods)])
        con.commit()
        return time.perf_counter() - start


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
        start = time.perf_counter()
        with store.transaction() as tx:
            api = APIServer(tx)
            manager = ControllerManager(api, [Timed(c, totals) for c in default_controllers()], api.clock.now())
            result = manager.run()
            pods = manager.view.list("pods")
        elapsed = time.perf_counter() - start
        running = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Running")
        base = floor(pods)
        print(f"{nodes} nodes, {deployments}x{replicas} = {len(pods)} pods ({running} Running), {result.rounds} rounds, "
              f"{len(result.events)} events")
        print(f"  pass + commit: {elapsed:.2f} s; floor (sqlite3 insert of the pod rows): {base:.3f} s; "
              f"ratio {elapsed / base:.1f}x")
        controllers = sum(totals.values())
        print(f"  controllers {controllers:.2f} s, API server + store + events {elapsed - controllers:.2f} s")
        for name, t in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"    {name:28s} {t:7.2f} s")
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--deployments", type=int, default=100)
    ap.add_argument("--replicas", type=int, default=100)
    args = ap.parse_args()
    run(args.nodes, args.deployments, args.replicas)


if __name__ == "__main__":
    main()
