"""StatefulSet ordinals, one DaemonSet pod per node, Job completion; garbage collection of
a deleted Deployment and of a deleted namespace; determinism across fresh clusters."""

from __future__ import annotations

from .conftest import deployment_yaml, names, new_cluster
from .test_rollout import STATEFUL

JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "busybox:1.36", command: ["true"]}]
"""


def test_statefulset_ordinals_and_daemonset_per_node(k):
    k.apply(STATEFUL)
    db = sorted(k.items("pods", "-l", "app=db"), key=lambda p: p["metadata"]["name"])
    assert names(db) == ["db-0", "db-1"]
    assert [p["spec"]["hostname"] for p in db] == ["db-0", "db-1"]
    assert all(p["spec"]["subdomain"] == "db" and p["status"]["phase"] == "Running" for p in db)
    agents = k.items("pods", "-l", "app=agent")
    assert sorted(p["spec"]["nodeName"] for p in agents) == ["node-1", "node-2", "node-3"]
    assert all(p["metadata"]["name"].startswith("agent-") for p in agents)


def test_job_runs_to_completion(k):
    k.apply(JOB)
    k.ok("reconcile", "--advance", "30s", "-q")
    job = k.obj("job", "once")
    pods = k.items("pods", "-l", "job-name=once")
    assert job["status"]["succeeded"] == 2 and len(pods) == 2
    assert all(p["status"]["phase"] == "Succeeded" for p in pods)
    assert any(c["type"] == "Complete" and c["status"] == "True" for c in job["status"]["conditions"])


def test_deleting_a_deployment_collects_its_replica_sets_and_pods(k):
    k.apply(deployment_yaml(replicas=3))
    k.apply(deployment_yaml(replicas=3, image="nginx:1.28"))
    assert len(k.items("rs")) == 2 and len(k.items("pods")) == 3
    r = k("delete", "deployment", "web", "-q")
    assert r.code == 0 and r.out.startswith('deployment.apps "web" deleted')
    assert k.ok("get", "rs,pods", "-o", "name") == ""


def test_deleting_a_namespace_removes_its_objects(k):
    k.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
    k.apply(deployment_yaml(replicas=2), "-n", "shop")
    assert len(k.items("pods", "-n", "shop")) == 2
    r = k("delete", "namespace", "shop", "-q")
    assert r.code == 0
    assert k.ok("get", "deploy,rs,pods", "-n", "shop", "-o", "name") == ""
    r = k("get", "ns", "shop")
    assert r.code == 1 and r.err == 'Error from server (NotFound): namespaces "shop" not found\n'


def _placement(k) -> list[tuple]:
    return sorted((p["metadata"]["name"], p["spec"].get("nodeName"), p["status"].get("podIP"))
                  for p in k.items("pods", "-A"))


def test_same_manifests_give_the_same_cluster(tmp_path):
    clusters = [new_cluster(tmp_path / name) for name in ("a", "b")]
    for k in clusters:
        k.apply(deployment_yaml(replicas=5))
        k.apply(STATEFUL)
        k.apply(deployment_yaml(replicas=5, image="nginx:1.28"))
    first, second = (_placement(k) for k in clusters)
    assert first == second and len(first) == 10
    svc = [sorted((s["metadata"]["name"], s["spec"].get("clusterIP")) for s in k.items("svc")) for k in clusters]
    assert svc[0] == svc[1]
