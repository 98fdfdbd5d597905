"""kctl autoscale: kubectl 1.34's flags, messages and exit codes."""

from __future__ import annotations

import json

from tests.hpa.conftest import deployment

DEPRECATION = ("Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format "
               "(e.g., '70%' for utilization or '500m' for milliCPU).")


def test_autoscale_deployment_with_cpu_percent(cluster):
    cluster.start()
    r = cluster.k("autoscale", "deployment", "web", "--min=2", "--max=10", "--cpu-percent=80", "-q")
    assert (r.code, r.out) == (0, "horizontalpodautoscaler.autoscaling/web autoscaled\n")
    assert r.err.splitlines()[0] == DEPRECATION
    spec = cluster.hpa()["spec"]
    assert spec == {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "minReplicas": 2, "maxReplicas": 10,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                        "type": "Utilization", "averageUtilization": 80}}}]}


def test_cpu_and_memory_targets(cluster):
    cluster.start()
    cluster.k.ok("autoscale", "deploy/web", "--max=5", "--cpu=500", "--memory=70%", "--name=web-hpa", "-q")
    spec = cluster.hpa("web-hpa")["spec"]
    assert spec["minReplicas"] == 1  # the server's default
    assert spec["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "500m"}}},
        {"type": "Resource", "resource": {"name": "memory", "target": {
            "type": "Utilization", "averageUtilization": 70}}},
    ]


def test_default_metric_is_80_percent_cpu(cluster):
    cluster.start()
    cluster.k.ok("autoscale", "deployment", "web", "--max=3", "-q")
    assert cluster.hpa()["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 80


def test_autoscaled_hpa_scales_the_deployment(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "180m", b: "180m"})
    r = cluster.k("autoscale", "deployment", "web", "--max=10", "--cpu=60%")
    assert r.code == 0
    assert "New size: 3; reason: cpu resource utilization (percentage of request) above target" in r.err
    assert cluster.replicas() == 3


def test_dry_run_client_prints_the_local_object(cluster):
    cluster.start()
    r = cluster.k("autoscale", "deployment", "web", "--max=4", "--cpu=50%", "--dry-run=client", "-o", "json")
    assert r.code == 0
    assert json.loads(r.out) == {
        "kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
        "metadata": {"name": "web", "creationTimestamp": None},
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"}, "maxReplicas": 4,
                 "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                     "type": "Utilization", "averageUtilization": 50}}}]},
        "status": {"desiredReplicas": 0}}
    assert list(json.loads(r.out)) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert cluster.k("get", "hpa", "web").code == 1
    r = cluster.k("autoscale", "deployment", "web", "--max=4", "--dry-run=client")
    assert r.out == "horizontalpodautoscaler.autoscaling/web created (dry run)\n"
    r = cluster.k("autoscale", "deployment", "web", "--max=4", "--dry-run=server")
    assert r.out == "horizontalpodautoscaler.autoscaling/web autoscaled (server dry run)\n"


def test_flag_errors(cluster):
    cluster.start()
    cases = [
        (["--min=2"], 'error: required flag(s) "max" not set'),
        (["--max=0"], "error: --max=MAXPODS is required and must be at least 1, max: 0"),
        (["--min=5", "--max=3"], "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5"),
        (["--max=3", "--cpu=abc"], "error: invalid resource cpu value: abc"),
        (["--max=3", "--memory=x%"], "error: invalid percentage value: x"),
        (["--max=3", "--cpu-percent=50", "--cpu=50%"], "error: --cpu-percent and --cpu are mutually exclusive"),
    ]
    for flags, message in cases:
        r = cluster.k("autoscale", "deployment", "web", *flags)
        assert r.code == 1, flags
        assert r.err.splitlines()[-1] == message


def test_target_errors(cluster):
    cluster.start()
    r = cluster.k("autoscale", "deployment", "nope", "--max=3")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "nope" not found\n')
    pod = cluster.pods()[0]
    r = cluster.k("autoscale", "pod", pod, "--max=3")
    assert r.code == 1
    assert r.err == ("error: cannot autoscale a Pod: could not find scale subresource for /v1, Resource=pods "
                     "in discovery information\n")


def test_existing_hpa_falls_back_to_v1_as_kubectl_does(cluster):
    cluster.start()
    cluster.k.ok("autoscale", "deployment", "web", "--max=3", "-q")
    r = cluster.k("autoscale", "deployment", "web", "--max=3", "--cpu=70%")
    assert (r.code, r.err) == (
        1, 'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n')
    # kubectl's fallback check parses the (empty) --cpu first, so --cpu-percent cannot fall back
    r = cluster.k("autoscale", "deployment", "web", "--max=3", "--cpu-percent=70")
    assert r.err.splitlines()[-1] == ("error: failed to create autoscaling/v2 HPA and the configuration is "
                                      "incompatible with autoscaling/v1: empty input")


def test_statefulset_reference(cluster):
    cluster.start(deployment())
    cluster.k.apply("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 1
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
        """)
    r = cluster.k("autoscale", "statefulset", "db", "--max=3", "-o", "name", "-q")
    assert r.out == "horizontalpodautoscaler.autoscaling/db\n"
    assert cluster.hpa("db")["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db"}
