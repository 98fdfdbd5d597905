"""Cluster Autoscaler scenarios through the CLI: scale-up to the group max with the expander's
choice, scale-down after the unneeded time, blocked scale-downs, idempotence."""

from __future__ import annotations

import json

from tests.scenarios.conftest import Kctl


def node_group(name: str, min_size: int, max_size: int, cpu: str = "3800m", memory: str = "15Gi",
               labels: str = "{pool: a}", taints: str = "") -> str:
    return f"""\
apiVersion: kctl.io/v1alpha1
kind: NodeGroup
metadata: {{name: {name}}}
spec:
  minSize: {min_size}
  maxSize: {max_size}
  template:
    metadata:
      labels: {labels}
    spec:
      taints: [{taints}]
    status:
      capacity: {{cpu: "4", memory: 16Gi, pods: "110"}}
      allocatable: {{cpu: {cpu}, memory: {memory}, pods: "110"}}
"""


def workload(name: str, replicas: int, cpu: str, selector: str = "", extra_pod_meta: str = "") -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}{extra_pod_meta}}}
    spec:
{selector}      containers:
      - name: main
        image: nginx
        resources: {{requests: {{cpu: "{cpu}"}}}}
"""


def group_nodes(k: Kctl, group: str) -> list[str]:
    return [n["metadata"]["name"] for n in k.items("nodes", "-l", f"kctl.io/node-group={group}")]


def pod_events(k: Kctl, reason: str) -> list[str]:
    doc = json.loads(k.ok("get", "events", "-o", "json"))
    return sorted({e["message"] for e in doc["items"] if e["reason"] == reason})


def status_text(k: Kctl) -> str:
    return k.obj("configmap", "-n", "kube-system", "cluster-autoscaler-status")["data"]["status"]


# -- scale-up ------------------------------------------------------------------------------------------


def test_scale_up_to_group_max_then_max_size_reached(k: Kctl):
    # Each 3-CPU pod takes a whole node (3800m allocatable): 3 fit node-1..3, 3 are pending.
    k.apply(node_group("pool-a", 0, 2))
    k.apply(workload("web", 6, "3"))
    new = group_nodes(k, "pool-a")
    assert new == ["pool-a-2k8td", "pool-a-tmgcp"]
    assert pod_events(k, "TriggeredScaleUp") == ["pod triggered scale-up: [{pool-a 0->2 (max: 2)}]"]
    assert pod_events(k, "NotTriggerScaleUp") == ["pod didn't trigger scale-up: 1 max node group size reached"]
    ng = k.obj("nodegroup", "pool-a")
    assert ng["status"]["currentSize"] == 2
    up = next(c for c in ng["status"]["conditions"] if c["type"] == "ScaleUp")
    assert (up["status"], up["reason"], up["message"]) == (
        "True", "ScaledUp", "Scale-up: setting group pool-a size to 2 instead of 0 (max: 2)")
    node = k.obj("node", new[0])
    assert node["metadata"]["labels"]["pool"] == "a"
    assert node["spec"]["podCIDR"] == "10.244.4.0/24"
    assert k.obj("node", new[1])["spec"]["podCIDR"] == "10.244.5.0/24"
    assert node["status"]["allocatable"]["cpu"] == "3800m"
    pods = k.items("pods")
    assert sum(1 for p in pods if p["spec"].get("nodeName") in new) == 2
    assert sum(1 for p in pods if not p["spec"].get("nodeName")) == 1
    # Nothing left to do: a second pass changes nothing (the pending pod is told again).
    assert k("reconcile").err.startswith("control plane: 0 created, 0 changed, 0 deleted;")


def test_bin_packing_estimate(k: Kctl):
    # 5 pods of 1 CPU only fit pool nodes (nodeSelector): 3 per 3800m node -> 2 nodes.
    k.apply(node_group("pool-a", 0, 5))
    k.apply(workload("batch", 5, "1", selector="      nodeSelector: {pool: a}\n"))
    assert len(group_nodes(k, "pool-a")) == 2
    assert pod_events(k, "TriggeredScaleUp") == ["pod triggered scale-up: [{pool-a 0->2 (max: 5)}]"]
    assert all(p["spec"].get("nodeName") for p in k.items("pods"))


def test_expanders_least_waste_default_and_most_pods(k: Kctl):
    # Pods of 3 CPU: a 3800m node wastes less than an 8-CPU node.
    k.apply(node_group("small", 0, 5, cpu="3800m", labels="{pool: w}"))
    k.apply(node_group("large", 0, 5, cpu="7800m", memory="31Gi", labels="{pool: w}"))
    k.apply(workload("w", 2, "3", selector="      nodeSelector: {pool: w}\n"))
    assert len(group_nodes(k, "small")) == 2 and group_nodes(k, "large") == []


def test_expander_setting_least_nodes(k: Kctl):
    k.apply("""\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cluster-autoscaler-config, namespace: kube-system}
        data: {expander: least-nodes}
    """)
    k.apply(node_group("small", 0, 5, cpu="3800m", labels="{pool: w}"))
    k.apply(node_group("large", 0, 5, cpu="7800m", memory="31Gi", labels="{pool: w}"))
    k.apply(workload("w", 2, "3", selector="      nodeSelector: {pool: w}\n"))
    assert len(group_nodes(k, "large")) == 1 and group_nodes(k, "small") == []
    assert pod_events(k, "TriggeredScaleUp") == ["pod triggered scale-up: [{large 0->1 (max: 5)}]"]


def test_priority_expander(k: Kctl):
    k.apply("""\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cluster-autoscaler-config, namespace: kube-system}
        data: {expander: priority}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cluster-autoscaler-priority-expander, namespace: kube-system}
        data:
          priorities: |
            10: [".*"]
            50: ["^lar"]
    """)
    k.apply(node_group("small", 0, 5, labels="{pool: w}"))
    k.apply(node_group("large", 0, 5, cpu="7800m", memory="31Gi", labels="{pool: w}"))
    k.apply(workload("w", 1, "3", selector="      nodeSelector: {pool: w}\n"))
    assert len(group_nodes(k, "large")) == 1 and group_nodes(k, "small") == []


def test_not_trigger_scale_up_reasons(k: Kctl):
    k.apply(node_group("tainted", 0, 3, taints="{key: dedicated, value: gpu, effect: NoSchedule}"))
    k.apply(workload("huge", 1, "16"))
    assert group_nodes(k, "tainted") == []
    assert pod_events(k, "NotTriggerScaleUp") == [
        "pod didn't trigger scale-up: 1 node(s) had untolerated taint {dedicated: gpu}"]


# -- scale-down ----------------------------------------------------------------------------------------


def _two_pool_nodes(k: Kctl, min_size: int = 0) -> list[str]:
    k.apply(node_group("pool-a", min_size, 5))
    k.apply(workload("batch", 6, "1", selector="      nodeSelector: {pool: a}\n"))
    nodes = group_nodes(k, "pool-a")
    assert len(nodes) == 2
    return nodes


def test_scale_down_after_unneeded_time(k: Kctl):
    nodes = _two_pool_nodes(k)
    # 6 -> 2: the ReplicaSet removes doubled-up pods first, one pod is left on each node.
    k.ok("scale", "deployment/batch", "--replicas", "2")
    assert sorted(p["spec"]["nodeName"] for p in k.items("pods")) == nodes
    marked = [n for n in nodes if "kctl.io/unneeded-since" in k.obj("node", n)["metadata"].get("annotations", {})]
    assert len(marked) == 1
    taints = k.obj("node", marked[0])["spec"]["taints"]
    assert [(t["key"], t["effect"]) for t in taints] == [("DeletionCandidateOfClusterAutoscaler", "PreferNoSchedule")]
    k.ok("reconcile", "--advance", "9m")
    assert group_nodes(k, "pool-a") == nodes  # unneeded for 9 min only (and inside the delay after add)
    k.ok("reconcile", "--advance", "2m")
    remaining = group_nodes(k, "pool-a")
    assert len(remaining) == 1
    gone = (set(nodes) - set(remaining)).pop()
    cm_events = pod_events(k, "ScaleDown")
    assert "marked the node as toBeDeleted/unschedulable" in cm_events
    assert "node removed by cluster autoscaler" in cm_events
    doc = json.loads(k.ok("get", "events", "-n", "kube-system", "-o", "json"))
    msgs = [e["message"] for e in doc["items"] if e["reason"] in ("ScaleDown", "ScaleDownEmpty")]
    assert len(msgs) == 1 and msgs[0].startswith(f"Scale-down: removing node {gone}, utilization: {{0.2631578947368421 0 0 cpu 0.2631578947368421}}, pods to reschedule: default/batch-")
    # The evicted pod is re-created on the remaining node; the group status follows.
    assert [p["spec"].get("nodeName") for p in k.items("pods")] == [remaining[0]] * 2
    assert k.obj("nodegroup", "pool-a")["status"]["currentSize"] == 1
    # Idempotence: nothing more happens.
    k.ok("reconcile", "--advance", "11m")
    assert group_nodes(k, "pool-a") == remaining


def test_scale_down_never_below_min(k: Kctl):
    nodes = _two_pool_nodes(k, min_size=2)
    k.ok("scale", "deployment/batch", "--replicas", "1")
    k.ok("reconcile", "--advance", "21m")
    assert group_nodes(k, "pool-a") == nodes


def test_scale_down_blocked_by_kube_system_pod_without_pdb(k: Kctl):
    _two_pool_nodes(k)
    k.ok("delete", "deployment/batch")
    k.apply(workload("dns", 1, "100m", selector="      nodeSelector: {pool: a}\n").replace(
        "metadata: {name: dns}", "metadata: {name: dns, namespace: kube-system}"))
    (dns,) = k.items("pods", "-n", "kube-system", "-l", "app=dns")
    k.ok("reconcile", "--advance", "11m")
    assert group_nodes(k, "pool-a") == [dns["spec"]["nodeName"]]
    assert f"BlockedByPod (kube-system/{dns['metadata']['name']}: UnmovableKubeSystemPod)" in status_text(k)
    # A PodDisruptionBudget that allows the disruption lifts that block; now the pod has
    # nowhere to go (it only runs on pool nodes).
    k.apply("""\
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: dns, namespace: kube-system}
        spec:
          maxUnavailable: 1
          selector: {matchLabels: {app: dns}}
    """)
    k.ok("reconcile", "--advance", "11m")
    assert group_nodes(k, "pool-a") == [dns["spec"]["nodeName"]]
    assert "reason: NoPlaceToMovePods" in status_text(k)


def test_scale_down_blocked_by_pod_without_controller(k: Kctl):
    nodes = _two_pool_nodes(k)
    k.ok("delete", "deployment/batch")
    k.apply(f"""\
        apiVersion: v1
        kind: Pod
        metadata: {{name: lonely}}
        spec:
          nodeName: {nodes[0]}
          containers: [{{name: c, image: nginx, resources: {{requests: {{cpu: 100m}}}}}}]
    """)
    k.ok("reconcile", "--advance", "11m")
    assert group_nodes(k, "pool-a") == [nodes[0]]  # the empty one went
    assert "reason: \"BlockedByPod (default/lonely: NotReplicated)\"" in status_text(k)


def test_scale_down_blocked_by_safe_to_evict_false_and_disabled_node(k: Kctl):
    nodes = _two_pool_nodes(k)
    k.ok("annotate", "node", nodes[1], "cluster-autoscaler.kubernetes.io/scale-down-disabled=true")
    k.ok("delete", "deployment/batch")
    k.apply(workload("keep", 1, "100m", selector=f"      nodeName: {nodes[0]}\n",
                     extra_pod_meta=", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"}"))
    k.ok("reconcile", "--advance", "11m")
    assert group_nodes(k, "pool-a") == nodes
    text = status_text(k)
    assert "NotSafeToEvictAnnotation" in text and "ScaleDownDisabledAnnotation" in text


def test_safe_to_evict_true_overrides(k: Kctl):
    nodes = _two_pool_nodes(k)
    k.ok("delete", "deployment/batch")
    k.apply(f"""\
        apiVersion: v1
        kind: Pod
        metadata:
          name: lonely
          annotations: {{cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}}
        spec:
          nodeName: {nodes[0]}
          containers: [{{name: c, image: nginx, resources: {{requests: {{cpu: 100m}}}}}}]
    """)
    k.ok("reconcile", "--advance", "11m")
    # Both go in the same loop: the empty node and the one whose pod may be evicted.
    assert group_nodes(k, "pool-a") == []
    assert "lonely" not in k.ok("get", "pods")
