from __future__ import annotations

from kctl.controllers.base import Create
from kctl.controllers.daemonset import DaemonSetController, daemon_pod_tolerations, node_should_run_daemon_pod
from kctl.controllers.view import MemoryView
from tests.harness import run_until_stable
from tests.workloads.fakes import NOW, FakeKubelet, FakeScheduler, events_text, node, template

ALPHABET = set("bcdfghjklmnpqrstvwxz2456789")


def ds(**spec):
    return {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system", "uid": "uid-agent", "generation": 1,
                     "annotations": {"deprecated.daemonset.template.generation": "1"}},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
                 "revisionHistoryLimit": 10, "template": template({"app": "agent"}), **spec},
    }


def by_node(view):
    return {p["spec"]["nodeName"]: p for p in view.list("pods", "kube-system")}


def ctls():
    return [DaemonSetController(), FakeScheduler(), FakeKubelet()]


def test_one_pod_per_eligible_node():
    cp = node("cp", {"node-role.kubernetes.io/control-plane": ""},
              [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}])
    view = MemoryView([ds(), node("node-1"), node("node-2"), cp])
    first = list(DaemonSetController().sync(view, NOW))
    pods = [a.obj for a in first if isinstance(a, Create) and a.obj["kind"] == "Pod"]
    assert len(pods) == 2
    pod = pods[0]
    name = pod["metadata"]["name"]
    assert name.startswith("agent-") and len(name) == 11 and set(name[6:]) <= ALPHABET
    assert pod["spec"]["affinity"] == {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}}}
    assert pod["spec"]["tolerations"] == daemon_pod_tolerations(False)
    labels = pod["metadata"]["labels"]
    assert labels["pod-template-generation"] == "1" and labels["app"] == "agent"
    rev = next(a.obj for a in first if isinstance(a, Create) and a.obj["kind"] == "ControllerRevision")
    assert labels["controller-revision-hash"] == rev["metadata"]["labels"]["controller-revision-hash"]
    assert rev["metadata"]["name"] == "agent-" + labels["controller-revision-hash"]

    events = run_until_stable(view, ctls(), NOW)
    assert sorted(by_node(view)) == ["node-1", "node-2"]
    assert events_text(events)[:2] == [f"Normal SuccessfulCreate Created pod: {p['metadata']['name']}" for p in pods]
    status = view.get("daemonsets.apps", "kube-system", "agent")["status"]
    assert status == {"currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberMisscheduled": 0,
                      "numberReady": 2, "observedGeneration": 1, "updatedNumberScheduled": 2,
                      "numberAvailable": 2}
    assert list(DaemonSetController().sync(view, NOW)) == []


def test_names_are_deterministic():
    a = [x.obj["metadata"]["name"] for x in DaemonSetController().sync(MemoryView([ds(), node("n")]), NOW)
         if isinstance(x, Create) and x.obj["kind"] == "Pod"]
    b = [x.obj["metadata"]["name"] for x in DaemonSetController().sync(MemoryView([ds(), node("n")]), NOW)
         if isinstance(x, Create) and x.obj["kind"] == "Pod"]
    assert a == b


def test_tolerations_and_node_selector():
    d = ds(template=template({"app": "agent"}, hostNetwork=True, nodeSelector={"disk": "ssd"}))
    assert daemon_pod_tolerations(True)[-1] == {"key": "node.kubernetes.io/network-unavailable",
                                                "operator": "Exists", "effect": "NoSchedule"}
    unschedulable = node("a", {"disk": "ssd"}, [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}])
    assert node_should_run_daemon_pod(unschedulable, d) == (True, True)
    assert node_should_run_daemon_pod(node("b"), d) == (False, False)
    no_exec = node("c", {"disk": "ssd"}, [{"key": "dedicated", "value": "x", "effect": "NoExecute"}])
    assert node_should_run_daemon_pod(no_exec, d) == (False, False)
    no_sched = node("d", {"disk": "ssd"}, [{"key": "dedicated", "value": "x", "effect": "NoSchedule"}])
    assert node_should_run_daemon_pod(no_sched, d) == (False, True)


def test_pods_on_ineligible_nodes_are_deleted():
    view = MemoryView([ds(), node("node-1", {"role": "a"}), node("node-2", {"role": "b"})])
    run_until_stable(view, ctls(), NOW)
    d = dict(view.get("daemonsets.apps", "kube-system", "agent"))
    d["spec"] = {**d["spec"], "template": {**d["spec"]["template"], "spec": {
        **d["spec"]["template"]["spec"], "nodeSelector": {"role": "a"}}}}
    d["metadata"] = {**d["metadata"], "generation": 2,
                     "annotations": {"deprecated.daemonset.template.generation": "2"}}
    view.put(d)
    old = by_node(view)["node-2"]["metadata"]["name"]
    events = run_until_stable(view, ctls(), NOW)
    assert f"Normal SuccessfulDelete Deleted pod: {old}" in events_text(events)
    assert sorted(by_node(view)) == ["node-1"]
    status = view.get("daemonsets.apps", "kube-system", "agent")["status"]
    assert (status["desiredNumberScheduled"], status["numberMisscheduled"]) == (1, 0)


def test_rolling_update_respects_max_unavailable():
    view = MemoryView([ds(), node("node-1"), node("node-2"), node("node-3")])
    run_until_stable(view, ctls(), NOW)
    d = dict(view.get("daemonsets.apps", "kube-system", "agent"))
    d["spec"] = {**d["spec"], "template": template({"app": "agent"}, image="agent:2")}
    d["metadata"] = {**d["metadata"], "generation": 2,
                     "annotations": {"deprecated.daemonset.template.generation": "2"}}
    view.put(d)
    actions = list(DaemonSetController().sync(view, NOW))
    deletes = [a for a in actions if type(a).__name__ == "Delete" and a.ref.kind == "Pod"]
    assert len(deletes) == 1 and deletes[0].ref.name == by_node(view)["node-1"]["metadata"]["name"]
    run_until_stable(view, ctls(), NOW)
    assert {n: p["spec"]["containers"][0]["image"] for n, p in by_node(view).items()} == {
        "node-1": "agent:2", "node-2": "agent:2", "node-3": "agent:2"}
    status = view.get("daemonsets.apps", "kube-system", "agent")["status"]
    assert status["updatedNumberScheduled"] == 3 and status["observedGeneration"] == 2
    assert list(DaemonSetController().sync(view, NOW)) == []


def test_failed_daemon_pod_is_replaced():
    view = MemoryView([ds(), node("node-1")])
    run_until_stable(view, ctls(), NOW)
    pod = dict(by_node(view)["node-1"])
    pod["status"] = {"phase": "Failed"}
    view.put(pod)
    events = run_until_stable(view, ctls(), NOW)
    name = pod["metadata"]["name"]
    assert events_text(events)[:2] == [
        f"Warning FailedDaemonPod Found failed daemon pod kube-system/{name} on node node-1, will try to kill it",
        f"Normal SuccessfulDelete Deleted pod: {name}"]
    assert by_node(view)["node-1"]["status"]["phase"] == "Running"
