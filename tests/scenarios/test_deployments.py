"""Deployments end to end: ReplicaSets named by the pod-template-hash, pods placed and
addressed, revisions and history cleanup, rolling-update event sequences, scaling."""

from __future__ import annotations

import ipaddress
import re

import pytest

from .conftest import deployment_yaml, names, scaling_events

HASH = r"[4-9bcdf]{1,10}"
SUFFIX = r"[bcdfghjklmnpqrstvwxz2456789]{5}"


def _node_cidrs(k) -> dict[str, ipaddress.IPv4Network]:
    return {n["metadata"]["name"]: ipaddress.ip_network(n["spec"]["podCIDR"]) for n in k.items("nodes")}


def test_deployment_creates_hashed_replica_set_and_running_pods_with_node_ips(k):
    k.apply(deployment_yaml(replicas=4))
    (rs,) = k.items("rs")
    rs_name = rs["metadata"]["name"]
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert re.fullmatch(f"web-{HASH}", rs_name) and rs_name == f"web-{pod_hash}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    owner = rs["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"], owner["blockOwnerDeletion"]) == (
        "Deployment", "web", True, True)
    pods = k.items("pods")
    assert len(pods) == 4
    cidrs = _node_cidrs(k)
    for p in pods:
        assert re.fullmatch(f"{rs_name}-{SUFFIX}", p["metadata"]["name"])
        assert p["metadata"]["generateName"] == f"{rs_name}-"
        assert p["status"]["phase"] == "Running"
        assert ipaddress.ip_address(p["status"]["podIP"]) in cidrs[p["spec"]["nodeName"]]
        assert p["metadata"]["ownerReferences"][0]["name"] == rs_name
    assert len({p["status"]["podIP"] for p in pods}) == 4
    # spread: 4 pods on 3 equal nodes -> 2/1/1
    assert sorted(sum(p["spec"]["nodeName"] == n for p in pods) for n in cidrs) == [1, 1, 2]
    dep = k.obj("deploy", "web")
    assert dep["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert {key: dep["status"][key] for key in ("replicas", "updatedReplicas", "readyReplicas",
                                                "availableReplicas")} == dict.fromkeys(
        ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas"), 4)
    assert k.ok("rollout", "status", "deployment/web") == 'deployment "web" successfully rolled out\n'
    assert scaling_events(k, "web") == [f"Scaled up replica set {rs_name} from 0 to 4"]


def _roll(k, strategy: str, replicas: int = 4) -> tuple[str, str, list[str]]:
    k.apply(deployment_yaml(replicas=replicas, strategy=strategy))
    (old,) = names(k.items("rs"))
    k.apply(deployment_yaml(replicas=replicas, strategy=strategy, image="nginx:1.28"))
    new = k.obj("deploy", "web")
    rs = {r["metadata"]["name"]: r for r in k.items("rs")}
    (new_name,) = [n for n in rs if n != old]
    assert rs[old]["spec"]["replicas"] == 0 and rs[new_name]["spec"]["replicas"] == replicas
    assert new["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    return old, new_name, scaling_events(k, "web")[1:]


def test_rolling_update_25_percent_of_4(k):
    old, new, events = _roll(k, "")  # defaults: maxSurge 25% -> 1, maxUnavailable 25% -> 1
    assert events == [
        f"Scaled up replica set {new} from 0 to 1", f"Scaled down replica set {old} from 4 to 3",
        f"Scaled up replica set {new} from 1 to 2", f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {new} from 2 to 3", f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {new} from 3 to 4", f"Scaled down replica set {old} from 1 to 0",
    ]


def test_rolling_update_25_percent_of_10(k):
    old, new, events = _roll(k, "", replicas=10)  # surge 3, unavailable 2: minAvailable 8, maxTotal 13
    # The controller sees a scaled-up ReplicaSet's new pods as available one sync later
    # (the ReplicaSet's status is written after its pods start), so after 3 -> 5 the old
    # ReplicaSet may drop by 13 - 8 - 2 unavailable = 3, not 5.
    assert events == [
        f"Scaled up replica set {new} from 0 to 3", f"Scaled down replica set {old} from 10 to 8",
        f"Scaled up replica set {new} from 3 to 5", f"Scaled down replica set {old} from 8 to 5",
        f"Scaled up replica set {new} from 5 to 8", f"Scaled down replica set {old} from 5 to 3",
        f"Scaled up replica set {new} from 8 to 10", f"Scaled down replica set {old} from 3 to 0",
    ]


def test_rolling_update_surge_1_unavailable_0(k):
    strategy = "  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n"
    old, new, events = _roll(k, strategy)
    assert events == [
        f"Scaled up replica set {new} from 0 to 1", f"Scaled down replica set {old} from 4 to 3",
        f"Scaled up replica set {new} from 1 to 2", f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {new} from 2 to 3", f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {new} from 3 to 4", f"Scaled down replica set {old} from 1 to 0",
    ]


def test_rolling_update_surge_0_unavailable_1(k):
    strategy = "  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}\n"
    old, new, events = _roll(k, strategy)
    # the new ReplicaSet is created with 0 replicas: no "from 0 to 0" event
    assert events == [
        f"Scaled down replica set {old} from 4 to 3", f"Scaled up replica set {new} from 0 to 1",
        f"Scaled down replica set {old} from 3 to 2", f"Scaled up replica set {new} from 1 to 2",
        f"Scaled down replica set {old} from 2 to 1", f"Scaled up replica set {new} from 2 to 3",
        f"Scaled down replica set {old} from 1 to 0", f"Scaled up replica set {new} from 3 to 4",
    ]


def test_recreate(k):
    old, new, events = _roll(k, "  strategy: {type: Recreate}\n")
    assert events == [f"Scaled down replica set {old} from 4 to 0", f"Scaled up replica set {new} from 0 to 4"]


def test_revision_history_limit_deletes_oldest_replica_sets(k):
    for i in range(5):
        k.apply(deployment_yaml(replicas=1, image=f"nginx:1.2{i}", extra_spec="  revisionHistoryLimit: 2\n"))
    revisions = sorted(int(r["metadata"]["annotations"]["deployment.kubernetes.io/revision"]) for r in k.items("rs"))
    assert revisions == [3, 4, 5]
    assert k.ok("rollout", "history", "deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n3         <none>\n4         <none>\n5         <none>\n\n")


def test_scale_up_and_down_removes_pods_from_the_fullest_node(k):
    k.apply(deployment_yaml(replicas=4))
    before = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in k.items("pods")}
    crowded = max(set(before.values()), key=list(before.values()).count)
    r = k("scale", "deployment/web", "--replicas=3")
    if r.code != 0 and "No such command" in r.err:
        pytest.skip("kctl scale is not registered")
    assert (r.code, r.out) == (0, "deployment.apps/web scaled\n")
    after = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in k.items("pods")}
    (victim,) = set(before) - set(after)
    assert before[victim] == crowded  # rank: more pods of the same owner on its node goes first
    assert sorted(after.values()) == ["node-1", "node-2", "node-3"]
    k.ok("scale", "deployment/web", "--replicas=6")
    pods = k.items("pods")
    assert len(pods) == 6 and all(p["status"]["phase"] == "Running" for p in pods)
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["node-1", "node-1", "node-2", "node-2", "node-3", "node-3"]
    (rs,) = names(k.items("rs"))
    assert scaling_events(k, "web") == [f"Scaled up replica set {rs} from 0 to 4",
                                        f"Scaled down replica set {rs} from 4 to 3",
                                        f"Scaled up replica set {rs} from 3 to 6"]
