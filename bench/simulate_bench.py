"""``kctl simulate`` at scale: N autoscaled workloads over a simulated hour, through the CLI.

    .venv/bin/python bench/simulate_bench.py [--workloads 100] [--for 1h] [--step 15s]

Builds a cluster of 10 nodes plus a NodeGroup the Cluster Autoscaler may grow (to 40
nodes), N Deployments (2 replicas, 100m cpu / 128Mi requests) each with an autoscaling/v2
HPA at 60 % cpu (2-10 replicas), and a load profile in which every workload ramps up,
peaks and falls back at its own times. Then times ``kctl simulate --for 1h --load ...``
(240 sync periods of 15 s, each a control-plane pass to a fixed point) and reports the
wall time, the CPU time of the kctl process, and the cost per simulated sync period.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KCTL = str(Path(sys.executable).parent / "kctl")


def manifests(workloads: int) -> str:
    docs = []
    for i in range(10):
        name = f"worker-{i:02d}"
        docs.append(f"""apiVersion: v1
kind: Node
metadata:
  name: {name}
  labels: {{kubernetes.io/hostname: {name}, kubernetes.io/os: linux, topology.kubernetes.io/zone: zone-{'abc'[i % 3]}}}
status:
  capacity: {{cpu: "8", memory: 32Gi, pods: "110"}}
  allocatable: {{cpu: 7800m, memory: 30Gi, pods: "110"}}
""")
    docs.append("""apiVersion: kctl.io/v1alpha1
kind: NodeGroup
metadata:
  name: pool
spec:
  minSize: 0
  maxSize: 40
  template:
    metadata:
      labels: {pool: burst}
    status:
      capacity: {cpu: "8", memory: 32Gi, pods: "110"}
      allocatable: {cpu: 7800m, memory: 30Gi, pods: "110"}
""")
    for i in range(workloads):
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i:03d}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: app-{i:03d}}}
  template:
    metadata:
      labels: {{app: app-{i:03d}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app:{i}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: app-{i:03d}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: app-{i:03d}}}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 60}}}}
""")
    return "---\n".join(docs)


def profile(workloads: int, seconds: int) -> str:
    lines = ["kind: LoadProfile", "interpolation: linear", "workloads:"]
    for i in range(workloads):
        start = (i * 37) % max(seconds // 2, 1)
        peak = 200 + (i * 53) % 600
        lines += [f"  - target: deployment/app-{i:03d}", "    points:",
                  "      - {at: 0s, cpu: 80m, memory: 200Mi}",
                  f"      - {{at: {start}s, cpu: 80m}}",
                  f"      - {{at: {start + 300}s, cpu: {peak}m}}",
                  f"      - {{at: {start + 900}s, cpu: {peak}m}}",
                  f"      - {{at: {start + 1200}s, cpu: 60m}}"]
    return "\n".join(lines) + "\n"


def parse_seconds(text: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    total, number = 0, ""
    for ch in text:
        if ch.isdigit():
            number += ch
        else:
            total, number = total + int(number) * units[ch], ""
    return total + (int(number) if number else 0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workloads", type=int, default=100)
    ap.add_argument("--for", dest="for_", default="1h")
    ap.add_argument("--step", default="15s")
    args = ap.parse_args()
    seconds = parse_seconds(args.for_)
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "KCTL_DB": str(Path(d) / "sim.db"), "KCTL_FROZEN_CLOCK": "1"}
        (Path(d) / "cluster.yaml").write_text(manifests(args.workloads))
        (Path(d) / "profile.yaml").write_text(profile(args.workloads, seconds))
        subprocess.run([KCTL, "apply", "-q", "-f", str(Path(d) / "cluster.yaml")], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([KCTL, "simulate", "--for", args.for_, "--step", args.step, "--load",
                               str(Path(d) / "profile.yaml"), "--plot", str(Path(d) / "plot.svg")],
                              env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        periods = seconds // 15
        pods = subprocess.run([KCTL, "get", "pods", "-A", "--no-headers"], env=env, capture_output=True,
                              text=True, check=True).stdout.count("\n")
        nodes = subprocess.run([KCTL, "get", "nodes", "--no-headers"], env=env, capture_output=True,
                               text=True, check=True).stdout.count("\n")
        print("\n".join(proc.stdout.splitlines()[:12]))
        print("...")
        print(f"{args.workloads} workloads, {args.for_} in {args.step} steps ({periods} sync periods of 15 s); "
              f"at the end {pods} pods on {nodes} nodes")
        print(f"  kctl simulate: wall {elapsed:.1f} s, CPU {cpu:.1f} s, {1000 * cpu / max(periods, 1):.0f} ms CPU per sync period")


if __name__ == "__main__":
    main()
