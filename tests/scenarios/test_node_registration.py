"""Nodes applied without a status: the simulated kubelet registers them (labels, addresses,
capacity, conditions, nodeInfo, start-up events) and the node IPAM controller gives them a
podCIDR, so their pods run; nodes that state their own conditions are left as they are."""

from __future__ import annotations

from kctl.controllers.nodeipam import next_pod_cidrs

from .conftest import deployment_yaml

BARE_NODES = """\
apiVersion: v1
kind: Node
metadata: {name: worker-a, labels: {pool: extra}}
status:
  capacity: {cpu: "8", memory: 32Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata: {name: worker-b}
"""


def test_bare_nodes_are_registered_and_run_pods(k):
    k.apply(BARE_NODES)
    a = k.obj("node", "worker-a")
    assert a["metadata"]["labels"] == {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": "worker-a", "kubernetes.io/os": "linux", "pool": "extra"}
    # node-1..3 hold 10.244.1-3.0/24 and 10.0.0.1-3: the next block and address, in creation order
    assert (a["spec"]["podCIDR"], a["spec"]["podCIDRs"]) == ("10.244.4.0/24", ["10.244.4.0/24"])
    assert a["status"]["addresses"] == [{"type": "InternalIP", "address": "10.0.0.4"},
                                        {"type": "Hostname", "address": "worker-a"}]
    # the manifest's capacity is the machine's; nothing reserved, so allocatable = capacity
    assert a["status"]["capacity"] == a["status"]["allocatable"] == {"cpu": "8", "memory": "32Gi", "pods": "110"}
    assert [(c["type"], c["status"], c["reason"]) for c in a["status"]["conditions"]] == [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID"),
        ("Ready", "True", "KubeletReady")]
    assert a["status"]["nodeInfo"]["kubeletVersion"] == "v1.34.0"
    b = k.obj("node", "worker-b")
    assert b["spec"]["podCIDR"] == "10.244.5.0/24"
    assert b["status"]["addresses"][0] == {"type": "InternalIP", "address": "10.0.0.5"}
    assert b["status"]["capacity"]["cpu"] == "4"  # kctl's standard worker
    assert k.ok("get", "nodes").splitlines()[4:] == [
        "worker-a   Ready    <none>   0s    v1.34.0",
        "worker-b   Ready    <none>   0s    v1.34.0"]
    assert k.events("node/worker-a") == [
        ("Normal", "Starting", "Starting kubelet."),
        ("Normal", "NodeHasSufficientMemory", "Node worker-a status is now: NodeHasSufficientMemory"),
        ("Normal", "NodeHasNoDiskPressure", "Node worker-a status is now: NodeHasNoDiskPressure"),
        ("Normal", "NodeHasSufficientPID", "Node worker-a status is now: NodeHasSufficientPID"),
        ("Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"),
        ("Normal", "NodeReady", "Node worker-a status is now: NodeReady")]

    # pods pinned to the new node run there, with IPs from its podCIDR
    k.apply(deployment_yaml(replicas=2, extra_spec="") .replace(
        "      containers:", "      nodeSelector: {pool: extra}\n      containers:"))
    pods = k.items("pods")
    assert {p["spec"]["nodeName"] for p in pods} == {"worker-a"}
    assert sorted(p["status"]["podIP"] for p in pods) == ["10.244.4.2", "10.244.4.3"]
    assert {p["status"]["phase"] for p in pods} == {"Running"}


def test_nodes_that_state_their_conditions_are_left_alone(k):
    k.apply("""\
        apiVersion: v1
        kind: Node
        metadata: {name: broken}
        spec: {podCIDR: 10.99.0.0/24}
        status:
          conditions: [{type: Ready, status: "False", reason: KubeletNotReady, message: PLEG is not healthy}]
        """)
    node = k.obj("node", "broken")
    assert node["status"]["conditions"] == [
        {"type": "Ready", "status": "False", "reason": "KubeletNotReady", "message": "PLEG is not healthy"}]
    assert node["spec"]["podCIDR"] == "10.99.0.0/24"
    assert "kubernetes.io/hostname" not in (node["metadata"].get("labels") or {})
    assert k.ok("get", "node", "broken", "--no-headers").split()[1] == "NotReady"


def _node(name: str, cidr: str | None = None) -> dict:
    spec = {"podCIDR": cidr, "podCIDRs": [cidr]} if cidr else {}
    return {"metadata": {"name": name}, "spec": spec}


def test_range_allocator_order_and_exhaustion():
    # after the highest block in use, wrapping to the lowest free one; None once all 256 are taken
    assert next_pod_cidrs([], 2) == ["10.244.0.0/24", "10.244.1.0/24"]
    assert next_pod_cidrs([_node("a", "10.244.7.0/24"), _node("b", "10.244.2.0/24")], 2) == [
        "10.244.8.0/24", "10.244.9.0/24"]
    assert next_pod_cidrs([_node("a", "10.244.255.0/24")], 2) == ["10.244.0.0/24", "10.244.1.0/24"]
    # a CIDR outside the cluster CIDR uses no block; a /23 inside uses two
    assert next_pod_cidrs([_node("a", "10.99.0.0/24"), _node("b", "10.244.0.0/23")], 1) == ["10.244.2.0/24"]
    full = [_node(f"n{i}", f"10.244.{i}.0/24") for i in range(256)]
    assert next_pod_cidrs(full, 1) == [None]
