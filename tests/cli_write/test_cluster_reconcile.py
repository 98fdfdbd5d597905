"""kctl cluster init|reset|info and kctl reconcile."""

from __future__ import annotations

import json
import re

import pytest

from kctl.cli.errors import CommandError
from kctl.cli.reconcile import parse_duration
from tests.cli_write.conftest import Kctl

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox}]
"""

SUMMARY = """\
Kubernetes version: v1.34.0
Cluster clock: 2025-01-01T00:00:00Z
Resource version: RV
Namespaces: 4, pods: 0
Nodes: 3
  node-1  Ready
  node-2  Ready
  node-3  Ready
"""


def rv(text: str) -> str:
    return re.sub(r"Resource version: \d+", "Resource version: RV", text)


def test_init_info_reset(tmp_path):
    db = tmp_path / "new.db"
    k = Kctl(db, tmp_path)
    r = k("cluster", "init", "--now", "2025-01-01T00:00:00Z")
    assert (r.code, rv(r.out), r.err) == (0, f"Cluster initialized at {db}\n" + SUMMARY, "")
    r = k("cluster", "init")
    assert r.code == 1
    assert r.err == f"error: the cluster is already initialized ({db}); use 'kctl cluster reset' to start again\n"
    k.ok("create", "namespace", "dev", "-q")
    k.ok("cordon", "node-2", "-q")
    info = k.ok("cluster", "info")
    assert info.startswith(f"Kubernetes control plane (simulated) is running at {db}\n")
    assert "Namespaces: 5, pods: 0\n" in info
    assert "  node-2  Ready,SchedulingDisabled\n" in info
    r = k("cluster", "reset", "-f", "--now", "2025-01-01T00:00:00Z")
    assert (r.code, rv(r.out)) == (0, f"Cluster reset at {db}\n" + SUMMARY)
    assert "dev" not in k.names("namespaces", None)


def test_bad_now(tmp_path):
    r = Kctl(tmp_path / "x.db", tmp_path)("cluster", "init", "--now", "yesterday")
    assert (r.code, r.err) == (1, 'error: invalid --now "yesterday": want an RFC 3339 UTC time like 2025-01-01T00:00:00Z\n')


@pytest.mark.parametrize(("text", "seconds"), [("0", 0), ("30s", 30), ("5m", 300), ("1h30m", 5400), ("1.5h", 5400),
                                               ("250ms", 0.25), ("2h3m4s", 7384)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "m", "5d", "-5m", "1h 2m"])
def test_parse_duration_errors(text):
    with pytest.raises(CommandError) as e:
        parse_duration(text)
    assert e.value.message == f'time: invalid duration "{text}"'


def test_reconcile_advance_runs_time_driven_loops(k):
    k.apply(CRONJOB)
    assert k.names("jobs") == []
    r = k("reconcile", "--advance", "5m")
    assert r.code == 0
    assert r.out == ""
    assert "  + job.batch/tick-" in r.err
    assert len(k.names("jobs")) == 1
    clock = k.get("jobs", k.names("jobs")[0])["metadata"]["creationTimestamp"]
    assert clock == "2025-05-01T12:05:00Z"


def test_reconcile_json(k):
    k.apply(CRONJOB)
    r = k("reconcile", "--advance", "5m", "-o", "json")
    assert (r.code, r.err) == (0, "")
    data = json.loads(r.out)
    assert set(data) == {"changes", "errors", "events", "rounds"}
    created = [c for c in data["changes"] if c["action"] == "created"]
    assert any(c["resource"] == "jobs.batch" for c in created)
    assert any(e["reason"] == "SuccessfulCreate" for e in data["events"])
    r = k("reconcile", "-o", "json")
    assert json.loads(r.out)["changes"] == []


def test_reconcile_errors(k):
    assert k("reconcile", "--advance", "soon").err == 'error: time: invalid duration "soon"\n'
    assert k("reconcile", "-o", "yaml").err == (
        'error: unable to match a printer suitable for the output format "yaml", allowed formats are: json\n')
