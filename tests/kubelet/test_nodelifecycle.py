"""NodeLifecycleController: condition taints, NotReady pods, NoExecute eviction, orphaned pods."""

from __future__ import annotations

from kctl.controllers.base import Delete, Emit, Update, UpdateStatus
from kctl.controllers.nodelifecycle import (
    NodeLifecycleController,
    eviction_time,
    min_toleration_seconds,
    reconcile_node_taints,
)
from kctl.controllers.view import MemoryView
from kctl.kubelet import Kubelet
from tests.harness import apply, run_until_stable

from .helpers import T0, at, kubectl_status, node, pod, view

DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


def kinds(actions):
    return [type(a).__name__ for a in actions]


def test_ready_nodes_and_running_pods_are_left_alone():
    v = view(node(), pod(tolerations=DEFAULT_TOLERATIONS))
    run_until_stable(v, [Kubelet(), NodeLifecycleController()], T0)
    assert list(NodeLifecycleController().sync(v, at(1000))) == []


def test_pods_of_a_deleted_node_are_marked_failed_and_force_deleted():
    v = view(node(), pod("web-abc"))
    run_until_stable(v, [Kubelet()], T0)
    v.remove(v.get("nodes", None, "node-1"))
    actions = list(NodeLifecycleController().sync(v, at(5)))
    assert kinds(actions) == ["UpdateStatus", "Delete"]
    status = actions[0].obj["status"]
    assert status["phase"] == "Failed"
    assert status["conditions"][-1] == {"type": "DisruptionTarget", "status": "True", "reason": "DeletionByPodGC",
                                        "message": "PodGC: node no longer exists", "lastProbeTime": None,
                                        "lastTransitionTime": "2025-05-01T12:00:05Z"}
    assert actions[1].grace_period_seconds == 0 and actions[1].ref.name == "web-abc"
    apply(v, actions)
    assert v.list("pods") == []


def test_not_ready_node_gets_taints_once():
    v = view(node(ready="False", taints=[{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]))
    actions = list(NodeLifecycleController().sync(v, T0))
    assert kinds(actions) == ["Update"]
    assert actions[0].obj["spec"]["taints"] == [
        {"key": "dedicated", "value": "db", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute", "timeAdded": "2025-05-01T12:00:00Z"},
    ]
    apply(v, actions)
    assert list(NodeLifecycleController().sync(v, at(10))) == []


def test_taints_follow_condition_changes():
    n = node(ready="Unknown")
    n["spec"]["unschedulable"] = True
    n["status"]["conditions"].append({"type": "MemoryPressure", "status": "True"})
    taints = reconcile_node_taints(n, T0)
    assert [(t["key"], t["effect"]) for t in taints] == [
        ("node.kubernetes.io/unreachable", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
    ]
    n["spec"]["taints"] = taints
    n["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    n["spec"]["unschedulable"] = False
    assert reconcile_node_taints(n, at(60)) == []
    assert reconcile_node_taints(node(), T0) is None
    bare = node()
    bare["status"]["conditions"] = []
    assert reconcile_node_taints(bare, T0) is None


def test_not_ready_node_marks_pods_not_ready_then_evicts_after_toleration_seconds():
    v = view(node(), pod("web-1", tolerations=DEFAULT_TOLERATIONS))
    run_until_stable(v, [Kubelet(), NodeLifecycleController()], T0)
    n = v.get("nodes", None, "node-1")
    n["status"]["conditions"][0]["status"] = "False"
    ctrl = NodeLifecycleController()
    events = run_until_stable(v, [Kubelet(), ctrl], at(100))
    p = v.get("pods", "default", "web-1")
    ready = next(c for c in p["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["lastTransitionTime"]) == ("False", "2025-05-01T12:01:40Z")
    assert [(e.type, e.reason, e.message, e.component) for e in events] == [
        ("Warning", "NodeNotReady", "Node is not ready", "node-controller")]
    assert list(ctrl.sync(v, at(399))) == []
    actions = list(ctrl.sync(v, at(400)))  # taint added at 100 s + 300 s
    assert kinds(actions) == ["Emit", "UpdateStatus", "Delete"]
    assert actions[0].event.reason == "TaintManagerEviction"
    assert actions[0].event.type == "Normal"
    assert actions[0].event.message == "Marking for deletion Pod default/web-1"
    cond = actions[1].obj["status"]["conditions"][-1]
    assert (cond["type"], cond["reason"], cond["message"]) == (
        "DisruptionTarget", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
    assert actions[2].grace_period_seconds is None  # a normal, graceful delete


def test_no_execute_taint_without_toleration_evicts_immediately():
    taint = {"key": "maintenance", "value": "true", "effect": "NoExecute"}
    v = view(node(taints=[taint]), pod("victim"), pod("stays", tolerations=[{"key": "maintenance", "operator": "Exists"}]))
    actions = list(NodeLifecycleController().sync(v, T0))
    assert kinds(actions) == ["Emit", "UpdateStatus", "Delete"]
    assert actions[2].ref.name == "victim"
    assert actions[0].event.message == "Marking for deletion Pod default/victim"


def test_eviction_time_rules():
    n = node(taints=[{"key": "a", "effect": "NoExecute", "timeAdded": "2025-05-01T12:00:00Z"},
                     {"key": "b", "effect": "NoSchedule"}])
    bound = pod(created="2025-05-01T11:00:00Z")
    assert eviction_time(bound, n) is True
    bound["spec"]["tolerations"] = [{"key": "a", "operator": "Exists", "tolerationSeconds": 60}]
    assert eviction_time(bound, n) == at(60)
    bound["spec"]["tolerations"] = [{"key": "a", "operator": "Exists"}]
    assert eviction_time(bound, n) is None  # tolerated forever
    late = pod(created="2025-05-01T12:10:00Z", tolerations=[{"operator": "Exists", "tolerationSeconds": 5}])
    assert eviction_time(late, n) == at(605)  # the clock starts when the pod was bound
    assert eviction_time(pod(), node()) is None
    assert min_toleration_seconds([]) == 0
    assert min_toleration_seconds([{"tolerationSeconds": -5}]) == 0
    assert min_toleration_seconds([{"tolerationSeconds": 30}, {}, {"tolerationSeconds": 10}]) == 10


def test_terminating_pods_are_not_evicted_twice():
    p = pod("victim")
    p["metadata"]["deletionTimestamp"] = "2025-05-01T12:00:30Z"
    v = view(node(taints=[{"key": "x", "effect": "NoExecute"}]), p)
    assert list(NodeLifecycleController().sync(v, T0)) == []


def test_unscheduled_terminating_pods_are_force_deleted():
    p = pod("pending", node_name=None)
    p["metadata"]["deletionTimestamp"] = "2025-05-01T12:00:30Z"
    actions = list(NodeLifecycleController().sync(view(p), T0))
    assert len(actions) == 1 and isinstance(actions[0], Delete) and actions[0].grace_period_seconds == 0


def test_replicaset_style_replacement_after_node_deletion():
    """End to end with the kubelet: the replacement pod on another node starts Running."""
    v = view(node(), node("node-2", cidr="10.244.2.0/24", ip="172.18.0.4"), pod("web-1"))
    run_until_stable(v, [Kubelet(), NodeLifecycleController()], T0)
    v.remove(v.get("nodes", None, "node-1"))
    run_until_stable(v, [Kubelet(), NodeLifecycleController()], at(1))
    assert v.get("pods", "default", "web-1") is None
    v.put(pod("web-2", node_name="node-2"))
    run_until_stable(v, [Kubelet(), NodeLifecycleController()], at(2))
    p = v.get("pods", "default", "web-2")
    assert kubectl_status(p) == "Running" and p["status"]["podIP"] == "10.244.2.2"


def test_actions_are_clones():
    v = view(node(ready="False"), pod(tolerations=DEFAULT_TOLERATIONS))
    before = MemoryView([*v.list("nodes"), *v.list("pods")])
    actions = list(NodeLifecycleController().sync(v, T0))
    assert any(isinstance(a, Update) for a in actions)
    assert not any(isinstance(a, UpdateStatus) for a in actions)  # the pod has no Ready condition yet
    assert not any(isinstance(a, Emit) for a in actions)
    assert v.list("nodes") == before.list("nodes")
    assert "taints" not in v.get("nodes", None, "node-1")["spec"]
