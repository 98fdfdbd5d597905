"""kctl cordon / uncordon / drain / taint, and the control plane's reaction."""

from __future__ import annotations

DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: agent:1}]
"""

BARE_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  nodeName: NODE
  containers: [{name: c, image: nginx}]
"""

SCRATCH_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  nodeName: NODE
  containers: [{name: c, image: nginx}]
  volumes: [{name: tmp, emptyDir: {}}]
"""


def node_of(k, pod: str, namespace: str = "default") -> str:
    return k.get("pods", pod, namespace)["spec"]["nodeName"]


def test_cordon_and_uncordon(k):
    assert k.ok("cordon", "node-1", "-q") == "node/node-1 cordoned\n"
    assert k.get("nodes", "node-1", None)["spec"]["unschedulable"] is True
    assert k.ok("cordon", "node-1", "-q") == "node/node-1 already cordoned\n"
    assert k.ok("uncordon", "node-1", "-q") == "node/node-1 uncordoned\n"
    assert "unschedulable" not in k.get("nodes", "node-1", None)["spec"]
    assert k.ok("uncordon", "node-1", "-q") == "node/node-1 already uncordoned\n"
    r = k("cordon", "node-9", "-q")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): nodes "node-9" not found\n')
    assert k.ok("cordon", "node-2", "--dry-run=client") == "node/node-2 cordoned (dry run)\n"
    assert "unschedulable" not in k.get("nodes", "node-2", None)["spec"]


def test_cordoned_node_gets_no_new_pods(web):
    web.ok("cordon", "node-1", "node-2", "-q")
    web.ok("scale", "deployment", "web", "--replicas=5", "-q")
    new = [p for p in web.objects("pods") if p["spec"]["nodeName"] in ("node-1", "node-2")]
    assert len(new) <= 2  # only the pods that ran there before the cordon


def test_drain_evicts_and_the_pods_come_back_elsewhere(web):
    pods = web.names("pods")
    node = node_of(web, pods[0])
    on_node = sorted(p for p in pods if node_of(web, p) == node)
    r = web("drain", node, "-q")
    assert r.code == 0, r.err
    assert r.out == (
        f"node/{node} cordoned\n"
        + "".join(f"evicting pod default/{p}\n" for p in on_node)
        + "".join(f"pod/{p} evicted\n" for p in on_node)
        + f"node/{node} drained\n"
    )
    assert r.err == ""
    after = web.objects("pods")
    assert len(after) == 2
    assert all(p["spec"]["nodeName"] != node for p in after)
    assert web.ok("uncordon", node, "-q") == f"node/{node} uncordoned\n"


def test_drain_refuses_unmanaged_and_local_storage_pods(k):
    k.apply(BARE_POD.replace("NODE", "node-1") + "---\n" + SCRATCH_POD.replace("NODE", "node-1"))
    r = k("drain", "node-1", "-q")
    assert r.code == 1
    assert r.out == "node/node-1 cordoned\n"
    assert r.err == (
        'error: unable to drain node "node-1", aborting command...\n'
        "\n"
        "There are pending nodes to be drained:\n"
        " node-1\n"
        "cannot delete Pods that declare no controller (use --force to override): default/bare\n"
        "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch\n"
    )
    # the cordon stays, the pods too
    assert k.get("nodes", "node-1", None)["spec"]["unschedulable"] is True
    assert sorted(k.names("pods")) == ["bare", "scratch"]


def test_drain_force_with_warnings(k):
    k.apply(BARE_POD.replace("NODE", "node-1") + "---\n" + SCRATCH_POD.replace("NODE", "node-1"))
    r = k("drain", "node-1", "--force", "--delete-emptydir-data", "-q")
    assert r.code == 0, r.err
    assert r.err == "WARNING: deleting Pods that declare no controller: default/bare, default/scratch\n"
    assert r.out == ("node/node-1 cordoned\nevicting pod default/bare\nevicting pod default/scratch\n"
                     "pod/bare evicted\npod/scratch evicted\nnode/node-1 drained\n")
    assert k.names("pods") == []


def test_drain_and_daemonsets(k):
    k.apply(DAEMONSET)
    agents = [p for p in k.objects("pods", "kube-system") if p["metadata"]["name"].startswith("agent-")]
    assert len(agents) == 3, "DaemonSet controller: one pod per node"
    agent = next(p["metadata"]["name"] for p in agents if p["spec"]["nodeName"] == "node-3")
    r = k("drain", "node-3", "-q")
    assert r.code == 1
    assert r.err.endswith(
        f"error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/{agent}\n")
    r = k("drain", "node-3", "--ignore-daemonsets", "-q")
    assert r.code == 0, r.err
    assert r.out == "node/node-3 already cordoned\nnode/node-3 drained\n"
    assert r.err == f"WARNING: ignoring DaemonSet-managed Pods: kube-system/{agent}\n"
    assert k.get("pods", agent, "kube-system") is not None


def test_drain_dry_run(web):
    pod = web.names("pods")[0]
    node = node_of(web, pod)
    r = web("drain", node, "--dry-run=client")
    assert r.code == 0
    assert r.out.startswith(f"node/{node} cordoned (dry run)\nevicting pod default/{pod} (dry run)\n")
    assert r.out.endswith(f"node/{node} drained (dry run)\n")
    assert "unschedulable" not in web.get("nodes", node, None)["spec"]
    assert web.get("pods", pod) is not None


def test_taint_add_overwrite_remove(k):
    r = k("taint", "nodes", "node-1", "dedicated=gpu:NoSchedule", "-q")
    assert (r.code, r.out) == (0, "node/node-1 tainted\n")
    assert k.get("nodes", "node-1", None)["spec"]["taints"] == [
        {"effect": "NoSchedule", "key": "dedicated", "value": "gpu"}]
    r = k("taint", "nodes", "node-1", "dedicated=cpu:NoSchedule")
    assert (r.code, r.err) == (
        1, "error: node node-1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n")
    r = k("taint", "nodes", "node-1", "dedicated=cpu:NoSchedule", "--overwrite", "-q")
    assert r.out == "node/node-1 modified\n"
    assert k.ok("taint", "node", "node-1", "dedicated:NoSchedule-", "-q") == "node/node-1 untainted\n"
    assert "taints" not in k.get("nodes", "node-1", None)["spec"]
    r = k("taint", "nodes", "node-1", "dedicated-")
    assert (r.code, r.err) == (1, 'error: taint "dedicated" not found\n')


def test_taint_argument_errors(k):
    assert k("taint", "nodes", "node-1").err == "error: at least one taint update is required\n"
    assert k("taint", "nodes", "node-1", "a=b:Sometimes").err == (
        "error: invalid taint effect: Sometimes, unsupported taint effect\n")
    # upstream parseTaint: without ':' the whole spec is the key, and it is not a qualified name
    assert k("taint", "nodes", "node-1", "a=b").err.startswith(
        "error: invalid taint spec: a=b, name part must consist of alphanumeric characters")
    assert k("taint", "nodes", "node-1", "a:NoSchedule", "b:").err == "error: invalid taint effect: , unsupported taint effect\n"
    assert k("taint", "pods", "x", "a=b:NoSchedule").err == 'error: invalid resource type pods, only "nodes" is supported\n'


def test_no_execute_taint_moves_pods(web):
    pod = web.names("pods")[0]
    node = node_of(web, pod)
    r = web("taint", "nodes", node, "maintenance=now:NoExecute", "-q")
    assert r.out == f"node/{node} tainted\n"
    after = web.objects("pods")
    assert len(after) == 2
    assert all(p["spec"]["nodeName"] != node for p in after)
