"""The kubelet loop reuses a pod's computed status only while nothing it read changed."""

from __future__ import annotations

from kctl.controllers.base import Emit, UpdateStatus
from kctl.kubelet import Kubelet
from kctl.kubelet.ipam import HostLocalIPAM
from tests.harness import apply
from tests.kubelet.helpers import T0, at, configmap, node, pod, view

ENV_FROM_MISSING = [{"name": "app", "image": "nginx:1.27", "env": [
    {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "level"}}}]}]


def summary(actions) -> list[tuple]:
    out = []
    for a in actions:
        if isinstance(a, Emit):
            out.append(("event", a.event.reason, a.event.message))
        elif isinstance(a, UpdateStatus):
            out.append(("status", a.obj["metadata"]["name"], a.obj["status"]["phase"]))
    return out


def test_same_inputs_same_answer_events_included():
    v = view(node(), pod("broken", containers=ENV_FROM_MISSING))
    kubelet = Kubelet()
    first = list(kubelet.sync(v, T0))
    assert summary(first)[-1] == ("status", "broken", "Pending")
    # Nothing was written back: the same pod object, so the same answer again (as a fresh
    # kubelet computes it).
    assert summary(kubelet.sync(v, T0)) == summary(first) == summary(Kubelet().sync(v, T0))


def test_a_configmap_that_appears_is_seen_by_the_same_loop():
    v = view(node(), pod("broken", containers=ENV_FROM_MISSING))
    kubelet = Kubelet()
    apply(v, kubelet.sync(v, T0))
    assert v.get("pods", "default", "broken")["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == \
        "CreateContainerConfigError"
    assert [a for a in kubelet.sync(v, T0) if not isinstance(a, Emit)] == []  # converged
    v.put(configmap("settings", {"level": "debug"}))
    apply(v, kubelet.sync(v, T0))
    assert v.get("pods", "default", "broken")["status"]["phase"] == "Running"


def test_a_changed_configmap_object_is_a_new_input():
    cm = configmap("settings", {"other": "x"})  # the key is missing
    v = view(node(), cm, pod("broken", containers=ENV_FROM_MISSING))
    kubelet = Kubelet()
    apply(v, kubelet.sync(v, T0))
    assert v.get("pods", "default", "broken")["status"]["phase"] == "Pending"
    assert [a for a in kubelet.sync(v, T0) if not isinstance(a, Emit)] == []  # converged
    v.put(configmap("settings", {"level": "info"}))  # a new object under the same name
    apply(v, kubelet.sync(v, T0))
    assert v.get("pods", "default", "broken")["status"]["phase"] == "Running"


def test_a_later_now_is_a_new_input():
    v = view(node(), pod("job", annotations={"kctl.io/run-seconds": "30"}, restartPolicy="Never"))
    kubelet = Kubelet()
    apply(v, kubelet.sync(v, T0))
    assert v.get("pods", "default", "job")["status"]["phase"] == "Running"
    assert [a for a in kubelet.sync(v, at(10)) if not isinstance(a, Emit)] == []
    apply(v, kubelet.sync(v, at(30)))
    assert v.get("pods", "default", "job")["status"]["phase"] == "Succeeded"


def test_pod_ips_are_the_lowest_free_addresses():
    v = view(node(), *[pod(f"p{i}", created=f"2025-05-01T11:59:0{i}Z") for i in range(4)])
    apply(v, Kubelet().sync(v, T0))
    assert [v.get("pods", "default", f"p{i}")["status"]["podIP"] for i in range(4)] == [
        "10.244.1.2", "10.244.1.3", "10.244.1.4", "10.244.1.5"]


def test_host_local_ipam_reuses_released_addresses_first():
    ipam = HostLocalIPAM(node(cidr="10.0.0.0/29"))  # .2 .. .6 usable
    ipam.reserve(["10.0.0.3"])
    assert [ipam.allocate() for _ in range(3)] == [["10.0.0.2"], ["10.0.0.4"], ["10.0.0.5"]]
    ipam.release(["10.0.0.2", "10.0.0.4"])
    assert ipam.allocate() == ["10.0.0.2"]
    ipam.reserve(["10.0.0.6"])
    assert ipam.allocate() == ["10.0.0.4"]
    assert ipam.allocate() == []  # full
    ipam.release(["not an address", "10.0.0.5"])
    assert ipam.allocate() == ["10.0.0.5"]
