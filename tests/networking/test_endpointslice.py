"""The EndpointSlice controller (kctl.controllers.endpointslice)."""

from __future__ import annotations

from kctl.controllers.base import Create, Delete, Update
from kctl.controllers.endpointslice import EndpointSliceController
from kctl.controllers.view import MemoryView
from tests.harness import apply, run_until_stable
from tests.networking.fixtures import NOW, node, pod, service

RES = "endpointslices.discovery.k8s.io"
HTTP = [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "web"}]
WEB_PORT = [{"name": "web", "containerPort": 8080, "protocol": "TCP"}]


def slices(view: MemoryView, svc: str = "web") -> list[dict]:
    return [s for s in view.list(RES) if s["metadata"]["labels"].get("kubernetes.io/service-name") == svc]


def converge(objects: list[dict], **kw) -> MemoryView:
    view = MemoryView(objects)
    run_until_stable(view, [EndpointSliceController(**kw)], NOW)
    return view


def test_slice_shape():
    view = converge([
        node("node-1", zone="zone-a"),
        service("web", selector={"app": "web"}, ports=HTTP, labels={"team": "a"}),
        pod("web-a", "10.244.0.10", ports=WEB_PORT),
        pod("web-b", "10.244.0.11", ports=WEB_PORT, ready=False),
        pod("web-c", "10.244.0.12", ports=WEB_PORT, deleting=True),
    ])
    (s,) = slices(view)
    meta = s["metadata"]
    assert meta["generateName"] == "web-"
    assert meta["labels"] == {"team": "a", "kubernetes.io/service-name": "web",
                              "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    assert meta["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "web", "uid": "uid-svc-default-web",
                                        "controller": True, "blockOwnerDeletion": True}]
    assert meta["annotations"] == {"endpoints.kubernetes.io/last-change-trigger-time": "2025-05-01T12:00:00Z"}
    assert s["addressType"] == "IPv4"
    assert s["ports"] == [{"name": "http", "protocol": "TCP", "port": 8080}]
    ref = {"kind": "Pod", "namespace": "default"}
    assert s["endpoints"] == [
        {"addresses": ["10.244.0.10"], "conditions": {"ready": True, "serving": True, "terminating": False},
         "targetRef": {**ref, "name": "web-a", "uid": "uid-web-a"}, "nodeName": "node-1", "zone": "zone-a"},
        {"addresses": ["10.244.0.11"], "conditions": {"ready": False, "serving": False, "terminating": False},
         "targetRef": {**ref, "name": "web-b", "uid": "uid-web-b"}, "nodeName": "node-1", "zone": "zone-a"},
        # terminating pods stay in slices (serving as the pod's readiness), never ready
        {"addresses": ["10.244.0.12"], "conditions": {"ready": False, "serving": True, "terminating": True},
         "targetRef": {**ref, "name": "web-c", "uid": "uid-web-c"}, "nodeName": "node-1", "zone": "zone-a"},
    ]


def test_publish_not_ready_addresses_makes_every_endpoint_ready():
    view = converge([
        node("node-1"),
        service("web", selector={"app": "web"}, ports=HTTP, publishNotReadyAddresses=True),
        pod("web-b", "10.244.0.11", ports=WEB_PORT, ready=False),
        pod("web-c", "10.244.0.12", ports=WEB_PORT, deleting=True),
    ])
    (s,) = slices(view)
    assert [e["conditions"] for e in s["endpoints"]] == [
        {"ready": True, "serving": False, "terminating": False},
        {"ready": True, "serving": True, "terminating": True},
    ]


def test_second_sync_on_converged_cluster_produces_no_actions():
    pods = [pod(f"web-{i:03d}", f"10.244.{i // 200}.{i % 200 + 1}", ports=WEB_PORT) for i in range(250)]
    view = MemoryView([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP), *pods])
    first = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in first] == [Create, Create, Create]
    apply(view, first)
    assert EndpointSliceController().sync(view, NOW) == []


def test_more_than_100_endpoints_split_into_slices():
    pods = [pod(f"web-{i:03d}", f"10.244.{i // 200}.{i % 200 + 1}", ports=WEB_PORT) for i in range(250)]
    view = converge([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP), *pods])
    got = slices(view)
    assert sorted(len(s["endpoints"]) for s in got) == [50, 100, 100]
    names = [e["targetRef"]["name"] for s in sorted(got, key=lambda s: s["metadata"]["name"]) for e in s["endpoints"]]
    assert names == [p["metadata"]["name"] for p in pods]  # pod-name order, no duplicates
    small = converge([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP), *pods[:30]],
                     max_endpoints_per_slice=10)
    assert [len(s["endpoints"]) for s in slices(small)] == [10, 10, 10]


def test_updates_are_stable_in_place():
    pods = [pod(f"web-{i:03d}", f"10.244.0.{i + 1}", ports=WEB_PORT) for i in range(120)]
    view = converge([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP), *pods])
    before = {s["metadata"]["name"]: [e["targetRef"]["name"] for e in s["endpoints"]] for s in slices(view)}
    # one pod becomes unready: only its slice is updated, in place
    view.put(pod("web-005", "10.244.0.6", ports=WEB_PORT, ready=False))
    actions = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in actions] == [Update]
    changed = actions[0].obj
    assert [e["targetRef"]["name"] for e in changed["endpoints"]] == before[changed["metadata"]["name"]]
    assert changed["endpoints"][5]["conditions"]["ready"] is False
    apply(view, actions)
    # a pod goes away and a new one comes: the new one takes the freed place in that slice
    view.remove(view.get("pods", "default", "web-010"))
    view.put(pod("web-new", "10.244.1.1", ports=WEB_PORT))
    actions = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in actions] == [Update]
    names = [e["targetRef"]["name"] for e in actions[0].obj["endpoints"]]
    assert "web-010" not in names and names[-1] == "web-new" and len(names) == 100


def test_named_port_groups_pods_into_slices_per_port_set():
    other = [{"name": "web", "containerPort": 9090, "protocol": "TCP"}]
    view = converge([
        node("node-1"),
        service("web", selector={"app": "web"}, ports=HTTP),
        pod("web-a", "10.244.0.1", ports=WEB_PORT),
        pod("web-b", "10.244.0.2", ports=other),
        pod("web-c", "10.244.0.3", ports=[]),  # no such named port: a slice without ports
    ])
    by_ports = {tuple(p["port"] for p in s["ports"] or ()): [e["targetRef"]["name"] for e in s["endpoints"]]
                for s in slices(view)}
    assert by_ports == {(8080,): ["web-a"], (9090,): ["web-b"], (): ["web-c"]}


def test_headless_service_hostname_and_label():
    view = converge([
        node("node-1"),
        service("db", selector={"app": "db"}, cluster_ip="None"),
        pod("db-0", "10.244.1.5", labels={"app": "db"}, hostname="db-0", subdomain="db"),
    ])
    (s,) = slices(view, "db")
    assert s["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    assert s["endpoints"][0]["hostname"] == "db-0"
    assert list(s["endpoints"][0]) == ["addresses", "conditions", "hostname", "targetRef", "nodeName"]
    assert s["ports"] is None


def test_placeholder_slice_for_service_without_endpoints():
    view = MemoryView([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP)])
    actions = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in actions] == [Create]
    assert actions[0].obj["endpoints"] is None and actions[0].obj["ports"] is None
    apply(view, actions)
    assert EndpointSliceController().sync(view, NOW) == []
    # the first pod fills the placeholder's name instead of creating a new slice
    view.put(pod("web-a", "10.244.0.1", ports=WEB_PORT))
    actions = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in actions] == [Update]
    assert actions[0].obj["metadata"]["name"] == slices(view)[0]["metadata"]["name"]
    apply(view, actions)
    # and when the pod goes, the slice becomes the placeholder again
    view.remove(view.get("pods", "default", "web-a"))
    actions = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in actions] == [Update]
    assert actions[0].obj["endpoints"] is None


def test_pods_on_missing_nodes_are_skipped():
    view = converge([
        service("web", selector={"app": "web"}, ports=HTTP),
        pod("web-a", "10.244.0.1", ports=WEB_PORT, node="gone"),
    ])
    (s,) = slices(view)
    assert s["endpoints"] is None


def test_service_label_change_updates_slices():
    view = converge([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP), pod("web-a", "10.244.0.1", ports=WEB_PORT)])
    view.put(service("web", selector={"app": "web"}, ports=HTTP, labels={"tier": "front"}))
    actions = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in actions] == [Update]
    assert actions[0].obj["metadata"]["labels"]["tier"] == "front"


def test_selector_change_deletes_extra_slices():
    pods = [pod(f"web-{i:03d}", f"10.244.0.{i + 1}", ports=WEB_PORT) for i in range(150)]
    view = converge([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP), *pods])
    assert len(slices(view)) == 2
    view.put(service("web", selector={"app": "nothing"}, ports=HTTP))
    actions = EndpointSliceController().sync(view, NOW)
    # one slice is reused as the placeholder, the other deleted
    assert sorted(type(a).__name__ for a in actions) == ["Delete", "Update"]
    apply(view, actions)
    assert EndpointSliceController().sync(view, NOW) == []


def test_slices_not_owned_by_the_service_are_replaced():
    view = converge([node("node-1"), service("web", selector={"app": "web"}, ports=HTTP), pod("web-a", "10.244.0.1", ports=WEB_PORT)])
    view.put({**view.get("services", "default", "web"), "metadata": {"name": "web", "namespace": "default", "uid": "new-uid"}})
    actions = EndpointSliceController().sync(view, NOW)
    assert [type(a) for a in actions] == [Create, Delete]
    assert actions[0].obj["metadata"]["ownerReferences"][0]["uid"] == "new-uid"


def test_selectorless_and_external_name_services_get_no_slices():
    view = converge([node("node-1"), service("ext", ports=HTTP),
                     service("cname", type_="ExternalName", cluster_ip=None, selector={"app": "web"}),
                     pod("web-a", "10.244.0.1", ports=WEB_PORT)])
    assert view.list(RES) == []


def test_many_services_and_pods_converge():
    objects = [node("node-1")]
    for s in range(20):
        objects.append(service(f"svc-{s}", selector={"app": f"a{s}"}, ports=HTTP))
        objects += [pod(f"p-{s}-{i}", f"10.{s}.{i // 200}.{i % 200 + 1}", labels={"app": f"a{s}", "x": "y"}, ports=WEB_PORT)
                    for i in range(120)]
    view = converge(objects)
    assert len(view.list(RES)) == 40
    assert EndpointSliceController().sync(view, NOW) == []
