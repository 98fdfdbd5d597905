"""Pure helpers: IPAM, QoS, image references, back-off, OOM, node heartbeat."""

from __future__ import annotations

import pytest

from kctl.kubelet import backoff, images
from kctl.kubelet.ipam import HostLocalIPAM
from kctl.kubelet.node_status import refresh_node_heartbeat
from kctl.kubelet.qos import get_pod_qos, quantity_value
from kctl.kubelet.status import Lookups, generate_pod_status, get_phase
from tests.harness import apply, run_until_stable

from .helpers import T0, at, node, pod, view


# -- IPAM -----------------------------------------------------------------------------------
def test_ipam_lowest_free_from_dot_two():
    ipam = HostLocalIPAM(node(cidr="10.244.3.0/24"))
    ipam.reserve(["10.244.3.2", "10.244.3.4"])
    assert ipam.allocate() == ["10.244.3.3"]
    assert ipam.allocate() == ["10.244.3.5"]


def test_ipam_exhaustion_and_dual_stack():
    ipam = HostLocalIPAM(node(cidr="10.0.0.0/30"))
    assert ipam.allocate() == ["10.0.0.2"]
    assert ipam.allocate() == []  # .3 is the broadcast address
    dual = node()
    dual["spec"]["podCIDRs"] = ["10.244.1.0/24", "fd00:10:244:1::/64"]
    assert HostLocalIPAM(dual).allocate() == ["10.244.1.2", "fd00:10:244:1::2"]


def test_pod_ips_are_deterministic_per_node_and_reused_after_deletion():
    from kctl.kubelet import Kubelet

    v = view(node(), node("node-2", cidr="10.244.2.0/24", ip="172.18.0.4"),
             pod("b", created="2025-05-01T11:00:02Z"), pod("a", created="2025-05-01T11:00:01Z"),
             pod("c", node_name="node-2"), pod("d", created="2025-05-01T11:00:03Z"))
    run_until_stable(v, [Kubelet()], T0)
    ips = {p["metadata"]["name"]: p["status"]["podIP"] for p in v.list("pods")}
    assert ips == {"a": "10.244.1.2", "b": "10.244.1.3", "d": "10.244.1.4", "c": "10.244.2.2"}
    v.remove(v.get("pods", "default", "b"))
    v.put(pod("e", created="2025-05-01T12:00:00Z"))
    run_until_stable(v, [Kubelet()], at(5))
    assert v.get("pods", "default", "e")["status"]["podIP"] == "10.244.1.3"


def test_terminal_pods_release_their_ip():
    from kctl.kubelet import Kubelet

    v = view(node(), pod("job", restartPolicy="Never", created="2025-05-01T11:00:00Z"))
    run_until_stable(v, [Kubelet()], T0)
    assert v.get("pods", "default", "job")["status"]["podIP"] == "10.244.1.2"
    v.put(pod("next"))
    run_until_stable(v, [Kubelet()], at(1))
    assert v.get("pods", "default", "next")["status"]["podIP"] == "10.244.1.2"


# -- QoS ------------------------------------------------------------------------------------
def _res(requests=None, limits=None):
    r = {}
    if requests:
        r["requests"] = requests
    if limits:
        r["limits"] = limits
    return {"name": "c", "image": "x", "resources": r}


@pytest.mark.parametrize("containers,init,expected", [
    ([_res()], [], "BestEffort"),
    ([_res(limits={"cpu": "1", "memory": "1Gi"})], [], "Guaranteed"),
    ([_res({"cpu": "1000m", "memory": "1024Mi"}, {"cpu": "1", "memory": "1Gi"})], [], "Guaranteed"),
    ([_res({"cpu": "500m", "memory": "1Gi"}, {"cpu": "1", "memory": "1Gi"})], [], "Burstable"),
    ([_res({"cpu": "100m"})], [], "Burstable"),
    ([_res(limits={"cpu": "1", "memory": "1Gi"})], [_res({"memory": "10Mi"})], "Burstable"),
    ([_res({"cpu": "0", "memory": "0"})], [], "BestEffort"),
    ([_res({"ephemeral-storage": "1Gi"})], [], "BestEffort"),
    ([_res(limits={"cpu": "1", "memory": "1Gi"}), _res()], [], "Burstable"),
])
def test_qos_class(containers, init, expected):
    p = pod(containers=containers, initContainers=init)
    assert get_pod_qos(p) == expected


def test_quantity_value():
    assert quantity_value("500m") * 2 == 1
    assert quantity_value("1Gi") == 2**30
    assert quantity_value("1e3") == 1000
    assert quantity_value("1.5k") == 1500
    with pytest.raises(ValueError):
        quantity_value("1 Gi")


# -- images -----------------------------------------------------------------------------------
@pytest.mark.parametrize("ref,normalized", [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.27", "docker.io/library/nginx:1.27"),
    ("bitnami/redis:7.2", "docker.io/bitnami/redis:7.2"),
    ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
    ("localhost:5000/app", "localhost:5000/app:latest"),
    ("docker.io/nginx", "docker.io/library/nginx:latest"),
    ("ghcr.io/org/app@sha256:abc", "ghcr.io/org/app@sha256:abc"),
])
def test_normalize_image(ref, normalized):
    assert images.normalize_image(ref) == normalized


def test_image_id_and_container_id_are_deterministic():
    assert images.image_id("nginx:1.27") == images.image_id("docker.io/library/nginx:1.27")
    assert images.image_id("nginx:1.27") != images.image_id("nginx:1.26")
    assert images.image_id("app@sha256:abc") == "docker.io/library/app@sha256:abc"
    assert images.container_id("u", "c", 0) == images.container_id("u", "c", 0)
    assert images.container_id("u", "c", 0) != images.container_id("u", "c", 1)


def test_default_pull_policy():
    assert images.default_pull_policy("nginx") == "Always"
    assert images.default_pull_policy("nginx:latest") == "Always"
    assert images.default_pull_policy("nginx:1.27") == "IfNotPresent"
    assert images.default_pull_policy("localhost:5000/app") == "Always"


@pytest.mark.parametrize("seconds,text", [(0, "0s"), (0.8, "800ms"), (1.234, "1.234s"), (10, "10s"),
                                          (80, "1m20s"), (300, "5m0s"), (1.5, "1.5s")])
def test_go_duration(seconds, text):
    assert images.go_duration(seconds) == text


# -- back-off and OOM ---------------------------------------------------------------------------
def test_restart_backoff_sequence():
    assert [backoff.restart_backoff_seconds(n) for n in range(8)] == [0, 10, 20, 40, 80, 160, 300, 300]


def test_crash_loop_messages():
    p = pod("web-1")
    assert backoff.crash_loop_message("app", p, 40) == \
        "back-off 40s restarting failed container=app pod=web-1_default(uid-web-1)"
    assert backoff.crash_loop_message("app", p, 160) == \
        "back-off 2m40s restarting failed container=app pod=web-1_default(uid-web-1)"
    assert backoff.back_off_event_message("app", p) == \
        "Back-off restarting failed container app in pod web-1_default(uid-web-1)"


def test_is_oom_killed():
    c = _res(limits={"memory": "128Mi"})
    assert backoff.is_oom_killed(c, 128 * 2**20 + 1)
    assert not backoff.is_oom_killed(c, 128 * 2**20)
    assert not backoff.is_oom_killed(_res(), 10**12)  # no limit: only node pressure
    assert not backoff.is_oom_killed(c, None)


def test_oom_through_lookups_gives_oom_killed_then_crash_loop():
    p = pod(containers=[{"name": "app", "image": "nginx:1.27", "resources": {"limits": {"memory": "64Mi"}}}])
    lookups = Lookups(allocate_pod_ips=lambda _p: ["10.244.1.9"], memory_usage=lambda _p, _c: 100 * 2**20)
    result = generate_pod_status(p, node(), lookups, T0)
    cs = result.status["containerStatuses"][0]
    assert cs["restartCount"] == 1
    assert cs["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert cs["lastState"]["terminated"]["exitCode"] == 137
    assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert result.status["phase"] == "Running"


def test_oom_through_kubelet_controller_entry_point():
    from kctl.kubelet import Kubelet

    p = pod(containers=[{"name": "app", "image": "nginx:1.27", "resources": {"limits": {"memory": "64Mi"}}}])
    v = view(node(), p)
    apply(v, Kubelet(memory_usage=lambda _p, _c: 2**30).sync(v, T0))
    assert v.get("pods", "default", "web")["status"]["containerStatuses"][0]["lastState"]["terminated"][
        "reason"] == "OOMKilled"


# -- phase ---------------------------------------------------------------------------------------
def test_get_phase_crash_looping_always_pod_is_running():
    statuses = [{"name": "app", "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                 "lastState": {"terminated": {"exitCode": 1}}}]
    assert get_phase(pod(), [], statuses) == "Running"
    assert get_phase(pod(restartPolicy="Never"), [], [{"name": "app", "state": {"terminated": {"exitCode": 1}}}]) \
        == "Failed"
    assert get_phase(pod(), [], [{"name": "app", "state": {"waiting": {"reason": "ContainerCreating"}}}]) == "Pending"


# -- node heartbeat -------------------------------------------------------------------------------
def test_refresh_node_heartbeat_only_when_asked_and_only_when_stale():
    from kctl.kubelet import Kubelet

    n = node()
    updated = refresh_node_heartbeat(n, at(10))
    assert updated["status"]["conditions"][0]["lastHeartbeatTime"] == "2025-05-01T12:00:10Z"
    assert updated["status"]["conditions"][0]["lastTransitionTime"] == "2025-05-01T11:00:00Z"
    assert n["status"]["conditions"][0]["lastHeartbeatTime"] == "2025-05-01T11:00:00Z"  # not mutated
    assert refresh_node_heartbeat(updated, at(10)) is None
    v = view(n)
    assert list(Kubelet().sync(v, at(10))) == []
    assert len(list(Kubelet().heartbeat(v, at(10)))) == 1
