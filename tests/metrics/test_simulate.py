"""kctl simulate: the timeline's shape, determinism, JSON, the SVG plot, --dry-run, errors."""

from __future__ import annotations

import json

from tests.metrics.conftest import app
from tests.scenarios.conftest import new_cluster

PROFILE = """\
interpolation: linear
workloads:
- target: deployment/web
  points:
  - {at: 0s, cpu: 150m, memory: 300Mi}
  - {at: 1m, cpu: 900m}
"""

HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 6
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
"""


def _cluster(tmp_path, name="c"):
    k = new_cluster(tmp_path / name)
    k.apply(app())
    (tmp_path / name / "profile.yaml").write_text(PROFILE)
    return k, str(tmp_path / name / "profile.yaml")


def test_timeline_table_events_and_chart(tmp_path):
    k, profile = _cluster(tmp_path)
    out = k.ok("simulate", "--for", "1m", "--load", profile)
    table, events, chart = out.split("\n\n")
    lines = table.splitlines()
    assert lines[0].split() == ["TIME", "WORKLOAD", "REPLICAS", "CPU", "CPU(%)", "MEMORY", "TARGETS", "PENDING", "NODES"]
    # linear load 150m -> 900m over 1m, 3 pods requesting 150m each (450m): utilization of requests
    assert [line.split()[:6] for line in lines[1:]] == [
        ["0s", "deployment/web", "3/3", "150m", "33%", "300Mi"],
        ["15s", "deployment/web", "3/3", "338m", "75%", "300Mi"],
        ["30s", "deployment/web", "3/3", "525m", "116%", "300Mi"],
        ["45s", "deployment/web", "3/3", "713m", "158%", "300Mi"],
        ["1m0s", "deployment/web", "3/3", "900m", "200%", "300Mi"],
    ]
    assert all(line.split()[6:] == ["<none>", "0", "3"] for line in lines[1:])
    assert events == "No notable events."
    assert chart.splitlines()[0] == "0s .. 1m0s, every 15s"
    assert chart.splitlines()[2].split() == ["replicas", "█████", "3", "->", "3", "(max", "3)"]
    # the cluster keeps the result: the clock moved, the load is the profile's last value
    assert k.obj("deployment", "web")["metadata"]["annotations"]["kctl.io/load"] == '{"cpu":"900m","memory":"300Mi"}'
    assert k.items("podmetrics.metrics.k8s.io")[0]["timestamp"] == "2025-05-01T12:01:00Z"


def test_with_an_hpa_the_timeline_shows_targets_and_rescales(tmp_path):
    k, profile = _cluster(tmp_path)
    (tmp_path / "hpa.yaml").write_text(HPA)
    k.ok("apply", "-f", str(tmp_path / "hpa.yaml"))
    doc = json.loads(k.ok("simulate", "--for", "2m", "--load", profile, "-o", "json"))
    assert (doc["start"], doc["stepSeconds"], len(doc["samples"])) == ("2025-05-01T12:00:00Z", 15, 9)
    last = doc["samples"][-1]["workloads"][0]
    assert last["workload"] == "deployment/web" and last["hpa"].startswith("cpu: ")
    assert last["replicas"] > 3  # 900m against 3 x 150m requests at a 60% target scales up
    reasons = {e["reason"] for s in doc["samples"] for e in s["events"]}
    assert {"SuccessfulRescale", "ScalingReplicaSet"} <= reasons


def test_deterministic_with_a_deterministic_plot(tmp_path):
    outs = []
    for name in ("a", "b"):
        k, profile = _cluster(tmp_path, name)
        plot = tmp_path / name / "t.svg"
        outs.append((k.ok("simulate", "--for", "2m", "--step", "30s", "--load", profile, "--plot", str(plot)),
                     plot.read_text()))
    assert outs[0] == outs[1]
    svg = outs[0][1]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="350"')
    assert svg.rstrip().endswith("</svg>")
    assert ">deployment/web</text>" in svg and ">cluster</text>" in svg and svg.count("<polyline") == 4
    assert [line.split()[0] for line in outs[0][0].split("\n\n")[0].splitlines()[1:]] == ["0s", "30s", "1m0s", "2m0s"]  # unchanged rows are left out, the last is kept


def test_dry_run_keeps_nothing(tmp_path):
    k, profile = _cluster(tmp_path)
    before = k.obj("deployment", "web")
    k.ok("simulate", "--for", "5m", "--load", profile, "--dry-run")
    assert k.obj("deployment", "web") == before
    assert k.items("podmetrics.metrics.k8s.io") == []


def test_errors(tmp_path):
    k, profile = _cluster(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("workloads:\n- target: deployment/nope\n  points: [{at: 0, cpu: 1}]\n")
    cases = [
        (("simulate",), 'error: required flag(s) "for" not set'),
        (("simulate", "--for", "1m", "-o", "yaml"),
         'error: unable to match a printer suitable for the output format "yaml", allowed formats are: table,json'),
        (("simulate", "--for", "1m", "--step", "0s"), "error: --for and --step must be whole seconds, and --step at least 1s"),
        (("simulate", "--for", "soon"), 'error: time: invalid duration "soon"'),
        (("simulate", "--for", "1m", "--plot", "x.png"), "error: --plot x.png: only SVG plots are supported (name the file *.svg)"),
        (("simulate", "--for", "1m", "--load", str(bad)),
         'error: load profile: deployments.apps "nope" not found in namespace default'),
        (("simulate", "--for", "1m", "--load", str(tmp_path / "missing.yaml")),
         f"error: load profile {tmp_path / 'missing.yaml'}: cannot read {tmp_path / 'missing.yaml'}: No such file or directory"),
    ]
    for args, message in cases:
        r = k(*args)
        assert (r.code, r.err) == (1, message + "\n"), args
