"""Separate kctl processes writing to one cluster database at the same time."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.cli_write.conftest import new_cluster

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, labels: {{app: app-{i}}}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers: [{{name: c, image: "app:{i}"}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: cfg-{i}}}
data: {{index: "{i}"}}
"""


def test_eight_parallel_applies(tmp_path):
    k = new_cluster(tmp_path / "shared.db")
    env = {**os.environ, "KCTL_FROZEN_CLOCK": "1"}
    procs = []
    for i in range(8):
        path = k.file(f"app-{i}.yaml", DEPLOYMENT.format(i=i))
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "kctl", "--db", str(k.db), "apply", "-q", "-f", path],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        ))
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    for i, (code, out, err) in enumerate(results):
        assert (code, err) == (0, ""), f"apply {i}: {err}"
        assert out == f"deployment.apps/app-{i} created\nconfigmap/cfg-{i} created\n"
    assert sorted(k.names("deployments")) == [f"app-{i}" for i in range(8)]
    assert sorted(n for n in k.names("configmaps") if n.startswith("cfg-")) == [f"cfg-{i}" for i in range(8)]
    # every apply's control-plane pass ran: one pod per deployment, all scheduled
    pods = k.objects("pods")
    assert len(pods) == 8
    assert all(p["spec"].get("nodeName") for p in pods)
    # uids and resourceVersions were never handed out twice
    objects = k.objects("deployments") + k.objects("configmaps") + pods
    assert len({o["metadata"]["uid"] for o in objects}) == len(objects)
    assert len({o["metadata"]["resourceVersion"] for o in objects}) == len(objects)
