"""The v1 Endpoints controller (kctl.controllers.endpoints)."""

from __future__ import annotations

from kctl.controllers.base import Create, Delete, Update
from kctl.controllers.endpoints import EndpointsController, repack_subsets, truncate_endpoints
from kctl.controllers.view import MemoryView
from tests.harness import apply
from tests.networking.fixtures import NOW, node, pod, service

HTTP = [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "web"}]
WEB_PORT = [{"name": "web", "containerPort": 8080, "protocol": "TCP"}]


def run(objects: list[dict]) -> tuple[MemoryView, list]:
    view = MemoryView(objects)
    actions = EndpointsController().sync(view, NOW)
    apply(view, actions)
    return view, actions


def addr(name: str, ip: str, node_name: str = "node-1") -> dict:
    return {"ip": ip, "nodeName": node_name,
            "targetRef": {"kind": "Pod", "namespace": "default", "name": name, "uid": f"uid-{name}"}}


def test_ready_and_not_ready_pods():
    view, actions = run([
        node("node-1"),
        service("web", selector={"app": "web"}, ports=HTTP, labels={"team": "a"}),
        pod("web-b", "10.244.0.9", ports=WEB_PORT),
        pod("web-a", "10.244.0.10", ports=WEB_PORT),
        pod("web-c", "10.244.0.11", ports=WEB_PORT, ready=False),
        pod("other", "10.244.0.12", labels={"app": "other"}, ports=WEB_PORT),
    ])
    assert [type(a) for a in actions] == [Create]
    ep = view.get("endpoints", "default", "web")
    assert ep["metadata"]["labels"] == {"team": "a", "endpoints.kubernetes.io/managed-by": "endpoint-controller"}
    assert ep["metadata"]["annotations"] == {"endpoints.kubernetes.io/last-change-trigger-time": "2025-05-01T12:00:00Z"}
    assert "ownerReferences" not in ep["metadata"]
    # addresses sorted as strings (bytes.Compare), so .10 before .9
    assert ep["subsets"] == [{
        "addresses": [addr("web-a", "10.244.0.10"), addr("web-b", "10.244.0.9")],
        "notReadyAddresses": [addr("web-c", "10.244.0.11")],
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
    }]


def test_second_sync_is_a_no_op():
    view, _ = run([service("web", selector={"app": "web"}, ports=HTTP), pod("web-a", "10.244.0.10", ports=WEB_PORT)])
    assert EndpointsController().sync(view, NOW) == []


def test_named_target_port_resolved_per_pod():
    v1 = [{"name": "web", "containerPort": 8080, "protocol": "TCP"}]
    v2 = [{"name": "web", "containerPort": 9090, "protocol": "TCP"}]
    udp = [{"name": "web", "containerPort": 7070, "protocol": "UDP"}]
    view, _ = run([
        service("web", selector={"app": "web"}, ports=HTTP + [{"name": "metrics", "port": 9100, "protocol": "TCP", "targetPort": 9100}]),
        pod("web-a", "10.244.0.1", ports=v1),
        pod("web-b", "10.244.0.2", ports=v2),
        pod("web-c", "10.244.0.3", ports=udp),  # named port with the wrong protocol: metrics only
    ])
    subsets = view.get("endpoints", "default", "web")["subsets"]
    # RepackSubsets maps each port to the addresses offering it, then groups ports with the
    # same address set: metrics is offered by all three pods, http by one pod per number.
    assert subsets == [
        {"addresses": [addr("web-a", "10.244.0.1")], "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]},
        {"addresses": [addr("web-b", "10.244.0.2")], "ports": [{"name": "http", "port": 9090, "protocol": "TCP"}]},
        {"addresses": [addr("web-a", "10.244.0.1"), addr("web-b", "10.244.0.2"), addr("web-c", "10.244.0.3")],
         "ports": [{"name": "metrics", "port": 9100, "protocol": "TCP"}]},
    ]


def test_publish_not_ready_addresses_and_terminating_pods():
    pods = [
        pod("web-a", "10.244.0.1", ports=WEB_PORT),
        pod("web-b", "10.244.0.2", ports=WEB_PORT, ready=False),
        pod("web-c", "10.244.0.3", ports=WEB_PORT, deleting=True),
        pod("web-d", "10.244.0.4", ports=WEB_PORT, phase="Succeeded"),
        pod("web-e", None, ports=WEB_PORT),
    ]
    view, _ = run([service("web", selector={"app": "web"}, ports=HTTP), *pods])
    subsets = view.get("endpoints", "default", "web")["subsets"]
    assert [a["ip"] for a in subsets[0]["addresses"]] == ["10.244.0.1"]
    assert [a["ip"] for a in subsets[0]["notReadyAddresses"]] == ["10.244.0.2"]
    view, _ = run([service("web", selector={"app": "web"}, ports=HTTP, publishNotReadyAddresses=True), *pods])
    subsets = view.get("endpoints", "default", "web")["subsets"]
    # everything (terminating included) is published as ready; terminal and IP-less pods never are
    assert [a["ip"] for a in subsets[0]["addresses"]] == ["10.244.0.1", "10.244.0.2", "10.244.0.3"]
    assert "notReadyAddresses" not in subsets[0]


def test_headless_service_without_ports_and_hostname():
    view, _ = run([
        service("db", selector={"app": "db"}, cluster_ip="None"),
        pod("db-0", "10.244.1.5", labels={"app": "db"}, hostname="db-0", subdomain="db"),
        pod("db-1", "10.244.1.6", labels={"app": "db"}, hostname="db-1", subdomain="other"),
    ])
    ep = view.get("endpoints", "default", "db")
    assert ep["metadata"]["labels"] == {"service.kubernetes.io/headless": "",
                                        "endpoints.kubernetes.io/managed-by": "endpoint-controller"}
    first = {**addr("db-0", "10.244.1.5"), "hostname": "db-0"}
    assert ep["subsets"] == [{"addresses": [first, addr("db-1", "10.244.1.6")]}]
    assert list(ep["subsets"][0]["addresses"][0]) == ["ip", "hostname", "nodeName", "targetRef"]  # Go field order


def test_no_pods_gives_endpoints_without_subsets():
    view, _ = run([service("web", selector={"app": "web"}, ports=HTTP)])
    ep = view.get("endpoints", "default", "web")
    assert "subsets" not in ep


def test_selectorless_and_external_name_services_are_left_alone():
    manual = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "ext", "namespace": "default"},
              "subsets": [{"addresses": [{"ip": "192.0.2.1"}], "ports": [{"port": 5432, "protocol": "TCP"}]}]}
    view, actions = run([
        service("ext", ports=[{"port": 5432, "protocol": "TCP"}]), manual,
        service("cname", type_="ExternalName", cluster_ip=None, externalName="example.com", selector={"app": "web"}),
        pod("web-a", "10.244.0.1"),
    ])
    assert actions == []
    assert view.get("endpoints", "default", "ext") is manual


def test_endpoints_deleted_when_service_gone():
    view, _ = run([service("web", selector={"app": "web"}, ports=HTTP), pod("web-a", "10.244.0.1", ports=WEB_PORT)])
    view.remove(view.get("services", "default", "web"))
    user_made = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "mine", "namespace": "default"}}
    view.put(user_made)
    actions = EndpointsController().sync(view, NOW)
    assert [(type(a), a.ref.name) for a in actions] == [(Delete, "web")]


def test_pod_change_updates_endpoints():
    view, _ = run([service("web", selector={"app": "web"}, ports=HTTP), pod("web-a", "10.244.0.1", ports=WEB_PORT)])
    view.put(pod("web-a", "10.244.0.1", ports=WEB_PORT, ready=False))
    actions = EndpointsController().sync(view, NOW)
    assert [type(a) for a in actions] == [Update]
    assert actions[0].obj["subsets"][0]["notReadyAddresses"][0]["ip"] == "10.244.0.1"


def test_repack_ready_wins_and_groups_by_port_set():
    a = {"ip": "10.0.0.1", "targetRef": {"uid": "a"}}
    b = {"ip": "10.0.0.2", "targetRef": {"uid": "b"}}
    p80 = {"name": "http", "port": 80, "protocol": "TCP"}
    p443 = {"name": "https", "port": 443, "protocol": "TCP"}
    subsets = repack_subsets([(a, p80, False), (a, p80, True), (a, p443, True), (b, p80, True), (b, p443, True)])
    assert subsets == [{"addresses": [a, b], "ports": [p80, p443]}]


def test_over_capacity_truncates_and_annotates():
    pods = [pod(f"web-{i:04d}", f"10.244.{i // 250}.{i % 250 + 1}", ports=WEB_PORT, ready=i % 3 != 0) for i in range(1200)]
    view, _ = run([service("web", selector={"app": "web"}, ports=HTTP), *pods])
    ep = view.get("endpoints", "default", "web")
    assert ep["metadata"]["annotations"]["endpoints.kubernetes.io/over-capacity"] == "truncated"
    ready = sum(len(s.get("addresses") or ()) for s in ep["subsets"])
    not_ready = sum(len(s.get("notReadyAddresses") or ()) for s in ep["subsets"])
    assert (ready, not_ready) == (800, 200)  # all 800 ready kept, not-ready cut to fill 1000
    assert EndpointsController().sync(view, NOW) == []
    # back under capacity: the annotation goes away
    for p in pods[:300]:
        view.remove(p)
    actions = EndpointsController().sync(view, NOW)
    assert "endpoints.kubernetes.io/over-capacity" not in actions[0].obj["metadata"]["annotations"]


def test_truncate_ready_over_capacity_drops_not_ready_and_splits_proportionally():
    subsets = [
        {"addresses": [{"ip": f"10.0.0.{i}"} for i in range(900)], "notReadyAddresses": [{"ip": "10.9.9.9"}]},
        {"addresses": [{"ip": f"10.0.1.{i}"} for i in range(300)]},
    ]
    assert truncate_endpoints(subsets)
    assert [len(s.get("addresses") or ()) for s in subsets] == [750, 250]
    assert "notReadyAddresses" not in subsets[0]
