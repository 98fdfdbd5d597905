"""The simulated cloud load balancer (kctl.networking.loadbalancer)."""

from __future__ import annotations

from kctl.controllers.base import Emit, Update, UpdateStatus
from kctl.controllers.view import MemoryView
from kctl.networking.loadbalancer import LoadBalancerController, LoadBalancerPool
from tests.harness import apply, run_until_stable
from tests.networking.fixtures import NOW, service

PORTS = [{"name": "http", "port": 80, "protocol": "TCP", "nodePort": 30080}]
FINALIZER = "service.kubernetes.io/load-balancer-cleanup"


def lb(name: str, **kw) -> dict:
    return service(name, type_="LoadBalancer", ports=PORTS, **kw)


def events(actions) -> list[tuple[str, str, str]]:
    return [(a.event.type, a.event.reason, a.event.message) for a in actions if isinstance(a, Emit)]


def test_ensure_load_balancer():
    view = MemoryView([lb("web")])
    actions = LoadBalancerController().sync(view, NOW)
    assert [type(a) for a in actions] == [Emit, Update, UpdateStatus, Emit]
    assert events(actions) == [("Normal", "EnsuringLoadBalancer", "Ensuring load balancer"),
                               ("Normal", "EnsuredLoadBalancer", "Ensured load balancer")]
    assert all(a.event.component == "service-controller" for a in actions if isinstance(a, Emit))
    assert actions[1].obj["metadata"]["finalizers"] == [FINALIZER]
    apply(view, actions)
    svc = view.get("services", "default", "web")
    assert svc["status"] == {"loadBalancer": {"ingress": [{"ip": "172.18.255.221", "ipMode": "VIP"}]}}
    assert svc["metadata"]["finalizers"] == [FINALIZER]
    assert LoadBalancerController().sync(view, NOW) == []


def test_addresses_are_deterministic_and_distinct():
    names = [f"svc-{i}" for i in range(30)]
    a = MemoryView([lb(n) for n in names])
    b = MemoryView([lb(n) for n in reversed(names)])
    run_until_stable(a, [LoadBalancerController()], NOW)
    run_until_stable(b, [LoadBalancerController()], NOW)
    ips_a = {n: a.get("services", "default", n)["status"]["loadBalancer"]["ingress"][0]["ip"] for n in names}
    ips_b = {n: b.get("services", "default", n)["status"]["loadBalancer"]["ingress"][0]["ip"] for n in names}
    assert ips_a == ips_b
    assert len(set(ips_a.values())) == 30
    pool = LoadBalancerPool()
    assert all(pool.contains(ip) for ip in ips_a.values())


def test_requested_load_balancer_ip():
    view = MemoryView([lb("web", loadBalancerIP="172.18.255.50")])
    run_until_stable(view, [LoadBalancerController()], NOW)
    assert view.get("services", "default", "web")["status"]["loadBalancer"]["ingress"][0]["ip"] == "172.18.255.50"


def test_requested_ip_outside_pool_fails():
    view = MemoryView([lb("web", loadBalancerIP="203.0.113.9")])
    actions = LoadBalancerController().sync(view, NOW)
    assert events(actions) == [
        ("Normal", "EnsuringLoadBalancer", "Ensuring load balancer"),
        ("Warning", "SyncLoadBalancerFailed",
         "Error syncing load balancer: failed to ensure load balancer: "
         "requested load balancer IP 203.0.113.9 is not in the pool 172.18.255.0/24"),
    ]
    apply(view, actions)
    assert "status" not in view.get("services", "default", "web")  # EXTERNAL-IP stays <pending>


def test_load_balancer_class_is_ignored_and_other_types_untouched():
    view = MemoryView([lb("web", loadBalancerClass="example.com/lb"), service("plain"), service("np", type_="NodePort")])
    assert LoadBalancerController().sync(view, NOW) == []


def test_type_change_cleans_up():
    view = MemoryView([lb("web")])
    run_until_stable(view, [LoadBalancerController()], NOW)
    svc = view.get("services", "default", "web")
    view.put({**svc, "spec": {**svc["spec"], "type": "ClusterIP"}})
    actions = LoadBalancerController().sync(view, NOW)
    assert events(actions) == [("Normal", "Type", "LoadBalancer -> ClusterIP"),
                               ("Normal", "DeletingLoadBalancer", "Deleting load balancer"),
                               ("Normal", "DeletedLoadBalancer", "Deleted load balancer")]
    apply(view, actions)
    svc = view.get("services", "default", "web")
    assert "finalizers" not in svc["metadata"]
    assert svc["status"]["loadBalancer"] == {}
    assert LoadBalancerController().sync(view, NOW) == []


def test_deleting_service_releases_finalizer():
    view = MemoryView([lb("web")])
    run_until_stable(view, [LoadBalancerController()], NOW)
    svc = view.get("services", "default", "web")
    view.put({**svc, "metadata": {**svc["metadata"], "deletionTimestamp": "2025-05-01T12:00:00Z"}})
    actions = LoadBalancerController().sync(view, NOW)
    assert events(actions) == [("Normal", "DeletingLoadBalancer", "Deleting load balancer"),
                               ("Normal", "DeletedLoadBalancer", "Deleted load balancer")]
    updates = [a for a in actions if isinstance(a, Update)]
    assert len(updates) == 1 and "finalizers" not in updates[0].obj["metadata"]
