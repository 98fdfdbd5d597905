"""kube-scheduler's filters, scores and FailedScheduling messages."""

from __future__ import annotations

import pytest

from kctl.scheduler.framework import Framework, num_feasible_nodes_to_find
from kctl.scheduler.nodeinfo import Snapshot
from kctl.scheduler.profile import DEFAULT_PROFILE


def node(name, cpu="4", memory="8Gi", pods="110", labels=None, taints=None, unschedulable=False):
    return {
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
        "spec": {"taints": taints or [], **({"unschedulable": True} if unschedulable else {})},
        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods}},
    }


def pod(name, cpu=None, memory=None, ns="default", labels=None, node_name=None, **spec):
    resources = {}
    if cpu or memory:
        resources["requests"] = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    container = {"name": "app", "image": "nginx", "resources": resources}
    if "ports" in spec:
        container["ports"] = spec.pop("ports")
    p = {"metadata": {"name": name, "namespace": ns, "labels": labels or {}},
         "spec": {"containers": [container], **spec}, "status": {"phase": "Running" if node_name else "Pending"}}
    if node_name:
        p["spec"]["nodeName"] = node_name
    return p


def schedule(nodes, new_pod, existing=()):
    return Framework(DEFAULT_PROFILE, Snapshot(nodes, list(existing))).schedule_one(new_pod)


CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def test_failed_scheduling_message_counts_first_failing_plugin_per_node():
    nodes = [node("cp", taints=[CONTROL_PLANE_TAINT]), node("w1", cpu="1"), node("w2", cpu="1")]
    result = schedule(nodes, pod("big", cpu="2"))
    assert result.node is None
    assert result.message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod."
    )


def test_a_node_both_tainted_and_full_reports_only_the_taint():
    nodes = [node("cp", cpu="1", taints=[CONTROL_PLANE_TAINT])]
    assert schedule(nodes, pod("big", cpu="2")).message.startswith(
        "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }."
    )


def test_several_insufficient_resources_and_string_sorted_histogram():
    nodes = [node(f"n{i}", cpu="1", memory="1Gi") for i in range(12)]
    msg = schedule(nodes, pod("big", cpu="2", memory="2Gi")).message
    # "12 Insufficient cpu" sorts before "12 Insufficient memory"
    assert msg.startswith("0/12 nodes are available: 12 Insufficient cpu, 12 Insufficient memory.")


def test_too_many_pods_and_no_nodes():
    nodes = [node("n1", pods="1")]
    existing = [pod("a", node_name="n1")]
    assert "1 Too many pods" in schedule(nodes, pod("b"), existing).message
    assert schedule([], pod("b")).message == "no nodes available to schedule pods"


def test_node_selector_affinity_and_unschedulable():
    nodes = [node("a", labels={"disk": "hdd"}), node("b", unschedulable=True, labels={"disk": "ssd"})]
    result = schedule(nodes, pod("p", nodeSelector={"disk": "ssd"}))
    assert result.message.startswith(
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable."
    )
    tolerating = pod("q", nodeSelector={"disk": "ssd"},
                     tolerations=[{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}])
    assert schedule(nodes, tolerating).node == "b"


def test_least_allocated_prefers_the_emptier_node():
    nodes = [node("busy"), node("idle")]
    existing = [pod("x", cpu="3", memory="6Gi", node_name="busy")]
    assert schedule(nodes, pod("new", cpu="500m", memory="512Mi"), existing).node == "idle"


def test_host_port_conflict():
    nodes = [node("a"), node("b")]
    port = [{"containerPort": 80, "hostPort": 8080}]
    existing = [pod("x", node_name="a", ports=port)]
    assert schedule(nodes, pod("y", ports=port), existing).node == "b"
    only_a = [node("a")]
    assert "1 node(s) didn't have free ports for the requested pod ports" in schedule(only_a, pod("y", ports=port), existing).message


def test_hard_topology_spread_constraint():
    nodes = [node("a", labels={"zone": "z1"}), node("b", labels={"zone": "z2"})]
    labels = {"app": "web"}
    existing = [pod("w1", labels=labels, node_name="a")]
    constraint = [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": labels}}]
    assert schedule(nodes, pod("w2", labels=labels, topologySpreadConstraints=constraint), existing).node == "b"
    full_b = [*existing, pod("w3", labels=labels, node_name="a")]
    result = schedule([nodes[0]], pod("w4", labels=labels, topologySpreadConstraints=constraint), full_b)
    assert result.node == "a"  # a single domain: skew is always 0+1-... of itself


def test_required_pod_anti_affinity():
    nodes = [node("a"), node("b")]
    labels = {"app": "db"}
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": labels}}]}}
    existing = [pod("db-0", labels=labels, node_name="a", affinity=anti)]
    assert schedule(nodes, pod("db-1", labels=labels, affinity=anti), existing).node == "b"
    result = schedule([nodes[0]], pod("db-1", labels=labels, affinity=anti), existing)
    assert result.message.startswith("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.")


def test_ties_break_deterministically():
    nodes = [node(f"n{i}") for i in range(5)]
    first = [schedule(nodes, pod(f"p{i}")).node for i in range(10)]
    again = [schedule(nodes, pod(f"p{i}")).node for i in range(10)]
    assert first == again
    assert len(set(first)) > 1  # spread like upstream's random choice, not always the first node


@pytest.mark.parametrize(("nodes", "expected"), [(50, 50), (100, 100), (500, 230), (1000, 420), (5000, 500)])
def test_adaptive_number_of_feasible_nodes(nodes, expected):
    assert num_feasible_nodes_to_find(nodes) == expected
