"""The metrics-server loop: PodMetrics from the load model, NodeMetrics as sums, user-applied
objects left alone, cleanup, fixed points and determinism (through the CLI)."""

from __future__ import annotations

import json

from tests.metrics.conftest import app
from tests.scenarios.conftest import new_cluster

MI = 2**20


def _usage(pm: dict) -> list[tuple[str, str, str]]:
    return [(c["name"], c["usage"]["cpu"], c["usage"]["memory"]) for c in pm["containers"]]


def test_pod_metrics_for_every_running_pod_idle_without_load(k):
    k.apply(app())
    # nothing uses metrics yet: none are stored (kctl top computes them on the fly)
    assert k.items("podmetrics.metrics.k8s.io") == [] and k.items("nodemetrics.metrics.k8s.io") == []
    k.apply(app("api", 1, "back"))
    k.ok("load", "deployment/api", "--cpu", "10m")  # a load anywhere: the metrics-server stores
    pods = [p for p in k.items("pods") if p["metadata"]["name"].startswith("web-")]
    metrics = [m for m in k.items("podmetrics.metrics.k8s.io") if m["metadata"]["name"].startswith("web-")]
    assert [m["metadata"]["name"] for m in metrics] == [p["metadata"]["name"] for p in pods]
    m = metrics[0]
    assert m["apiVersion"] == "metrics.k8s.io/v1beta1" and m["kind"] == "PodMetrics"
    assert m["metadata"]["labels"] == {**pods[0]["metadata"]["labels"], "kctl.io/managed-by": "metrics-server"}
    assert (m["timestamp"], m["window"]) == ("2025-05-01T12:00:00Z", "30s")
    assert _usage(m) == [("app", "1m", "8Mi"), ("side", "1m", "8Mi")]


def test_total_load_with_spread_and_node_sums(k):
    k.apply(app())
    r = k("load", "deployment/web", "--cpu", "450m", "--memory", "600Mi", "--spread", "1,1,2")
    assert (r.code, r.out) == (0, "deployment.apps/web load set: cpu 450m, memory 600Mi (total, spread 1,1,2)\n")
    assert "podmetrics" not in r.err  # metrics are observations, not changes the pass reports
    metrics = k.items("podmetrics.metrics.k8s.io")
    assert [_usage(m) for m in metrics] == [
        [("app", "75m", "100Mi"), ("side", "38m", "50Mi")],
        [("app", "75m", "100Mi"), ("side", "37m", "50Mi")],
        [("app", "150m", "200Mi"), ("side", "75m", "100Mi")],
    ]
    pods = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in k.items("pods")}
    for node in k.items("nodes.metrics.k8s.io"):
        name = node["metadata"]["name"]
        on_node = [m for m in metrics if pods[m["metadata"]["name"]] == name]
        cpu = sum(int(c["usage"]["cpu"].rstrip("m")) for m in on_node for c in m["containers"])
        mem = sum(int(c["usage"]["memory"].rstrip("Mi")) for m in on_node for c in m["containers"])
        assert node["usage"] == {"cpu": f"{cpu}m", "memory": f"{mem}Mi"}
        assert node["metadata"]["labels"]["kubernetes.io/hostname"] == name


def test_a_scale_up_spreads_the_total_and_new_pods_inherit_it(k):
    k.apply(app())
    k.ok("load", "deployment/web", "--cpu", "600m")
    k.ok("scale", "deployment/web", "--replicas=4")
    cpu = [sum(int(c["usage"]["cpu"].rstrip("m")) for c in m["containers"]) for m in k.items("podmetrics.metrics.k8s.io")]
    assert cpu == [150, 150, 150, 150]
    k.ok("scale", "deployment/web", "--replicas=2")
    metrics = k.items("podmetrics.metrics.k8s.io")
    assert len(metrics) == 2  # the PodMetrics of deleted pods are gone
    assert [sum(int(c["usage"]["cpu"].rstrip("m")) for c in m["containers"]) for m in metrics] == [300, 300]


def test_per_pod_load_merge_and_clear(k):
    k.apply(app())
    k.ok("load", "deploy", "web", "--cpu", "100m", "--per-pod")
    assert k.ok("load", "deployment/web", "--memory", "96Mi") == \
        "deployment.apps/web load set: cpu 100m, memory 96Mi (per pod)\n"
    assert [_usage(m) for m in k.items("podmetrics.metrics.k8s.io")] == [
        [("app", "67m", "64Mi"), ("side", "33m", "32Mi")]] * 3
    assert k.ok("load", "deployment/web") == "deployment.apps/web: cpu 100m, memory 96Mi (per pod)\n"
    assert k.ok("load", "deployment/web", "--clear") == "deployment.apps/web load cleared\n"
    assert [_usage(m) for m in k.items("podmetrics.metrics.k8s.io")] == [[("app", "1m", "8Mi"), ("side", "1m", "8Mi")]] * 3
    assert k.ok("load", "deployment/web") == \
        "deployment.apps/web: no load (idle: 1m cpu, 8Mi memory per container)\n"


def test_load_on_one_pod(k):
    k.apply(app(replicas=2))
    pod = k.items("pods")[1]["metadata"]["name"]
    k.ok("load", f"pod/{pod}", "--cpu", "30m")
    cpu = {m["metadata"]["name"]: _usage(m)[0][1] for m in k.items("podmetrics.metrics.k8s.io")}
    assert cpu[pod] == "20m" and sorted(cpu.values()) == ["1m", "20m"]


def test_load_errors(k):
    k.apply(app())
    for args, message in [
        (("load", "deployment/nope", "--cpu", "1"), 'Error from server (NotFound): deployments.apps "nope" not found'),
        (("load", "service/kubernetes", "--cpu", "1"), "error: service/kubernetes cannot carry a load (only pods and workloads do)"),
        (("load", "deployment/web", "--cpu", "fast"),
         "error: invalid cpu quantity \"fast\": quantities must match the regular expression "
         "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        (("load", "deployment/web", "--memory", "-1Gi"), 'error: invalid memory quantity "-1Gi": must not be negative'),
        (("load", "deployment/web", "--spread", "1,x"), 'error: invalid spread "1,x": "x" is not a number'),
        (("load", "deployment/web", "--clear", "--cpu", "1"),
         "error: --clear cannot be combined with --cpu, --memory, --per-pod/--total or --spread"),
    ]:
        r = k(*args)
        assert (r.code, r.err) == (1, message + "\n"), args


def test_user_applied_metrics_win(k):
    k.apply(app(replicas=1))
    pod = k.items("pods")[0]
    name, node = pod["metadata"]["name"], pod["spec"]["nodeName"]
    k.apply(f"""
        apiVersion: metrics.k8s.io/v1beta1
        kind: PodMetrics
        metadata: {{name: {name}, namespace: default}}
        timestamp: "2025-05-01T11:59:00Z"
        window: 1m
        containers:
        - {{name: app, usage: {{cpu: 700m, memory: 1Gi}}}}
        """)
    k.ok("load", "deployment/web", "--cpu", "5")
    k.ok("reconcile", "--advance", "1m")
    mine = k.obj("podmetrics.metrics.k8s.io", name)
    # applied over the metrics-server's object: the user's now (last-applied-configuration)
    assert "kubectl.kubernetes.io/last-applied-configuration" in mine["metadata"]["annotations"]
    assert (mine["timestamp"], _usage(mine)) == ("2025-05-01T11:59:00Z", [("app", "700m", "1Gi")])
    # the node's usage counts the user's numbers
    assert k.obj("nodes.metrics.k8s.io", node)["usage"] == {"cpu": "700m", "memory": "1Gi"}
    # a user's NodeMetrics wins as well
    k.apply("""
        apiVersion: metrics.k8s.io/v1beta1
        kind: NodeMetrics
        metadata: {name: node-9}
        timestamp: "2025-05-01T11:59:00Z"
        window: 1m
        usage: {cpu: "3", memory: 2Gi}
        """)
    k.ok("reconcile", "--advance", "15s")
    assert k.obj("nodes.metrics.k8s.io", "node-9")["usage"] == {"cpu": "3", "memory": "2Gi"}


def test_timestamps_follow_the_clock_and_a_pass_reaches_a_fixed_point(k):
    k.apply(app(replicas=1))
    k.ok("load", "deployment/web", "--cpu", "10m")
    r = k("reconcile", "-o", "json")
    assert json.loads(r.out)["changes"] == []
    k.ok("reconcile", "--advance", "45s")
    assert k.items("podmetrics.metrics.k8s.io")[0]["timestamp"] == "2025-05-01T12:00:45Z"
    assert k.items("nodes.metrics.k8s.io")[0]["timestamp"] == "2025-05-01T12:00:45Z"


def test_deterministic_across_clusters(tmp_path):
    outs = []
    for name in ("a", "b"):
        k = new_cluster(tmp_path / name)
        k.apply(app())
        k.ok("load", "deployment/web", "--cpu", "1234m", "--memory", "777Mi", "--spread", "0.3,0.9")
        outs.append(k.ok("get", "podmetrics,nodemetrics", "-o", "json"))
    assert outs[0] == outs[1]
