"""ClusterIP and NodePort allocation (kctl.networking.ipam / portalloc / alloc / strategy)."""

from __future__ import annotations

import ipaddress

import pytest

from kctl.api.errors import StatusError
from kctl.networking import alloc, ipam, portalloc, strategy
from tests.networking.fixtures import service


def new_svc(name: str, ns: str = "default", **kw) -> dict:
    kw.setdefault("cluster_ip", None)
    return service(name, ns, **kw)


def render(exc: pytest.ExceptionInfo) -> str:
    return exc.value.render()


# -- ranges -------------------------------------------------------------------------------

def test_service_cidr_bands_follow_kep_3070():
    rng = ipam.service_ip_range("10.96.0.0/12")
    assert rng.address(1) == "10.96.0.1"
    assert str(ipaddress.ip_address(rng.last)) == "10.111.255.254"
    assert rng.offset == 256  # min(max(16, 2^20/16), 256)
    assert ipam.ServiceIPRange("10.0.0.0/24").offset == 16
    assert ipam.ServiceIPRange("10.0.0.0/28").offset == 0


def test_node_port_range_static_band():
    rng = portalloc.PortRange("30000-32767")
    assert (rng.base, rng.size, rng.offset) == (30000, 2768, 86)  # min(max(16, 2768/32), 128)


# -- ClusterIP ----------------------------------------------------------------------------

def test_dynamic_cluster_ip_is_deterministic_and_in_upper_band():
    a = alloc.allocate_create(new_svc("web"), set(), set())
    b = alloc.allocate_create(new_svc("web"), {"10.96.5.5"}, set())
    ip = a["spec"]["clusterIP"]
    assert ip == b["spec"]["clusterIP"] == "10.107.164.13"
    assert a["spec"]["clusterIPs"] == [ip]
    assert a["spec"]["ipFamilies"] == ["IPv4"]
    assert a["spec"]["ipFamilyPolicy"] == "SingleStack"
    assert ipaddress.ip_address(ip) >= ipaddress.ip_address("10.96.1.1")  # above the static band


def test_cluster_ip_is_order_independent():
    names = ["api", "web", "db", "cache", "queue"]
    forward, backward = {}, {}
    used: set[str] = set()
    for n in names:
        forward[n] = ipam.allocate_cluster_ip(new_svc(n), used)["spec"]["clusterIP"]
        used.add(forward[n])
    used = set()
    for n in reversed(names):
        backward[n] = ipam.allocate_cluster_ip(new_svc(n), used)["spec"]["clusterIP"]
        used.add(backward[n])
    assert forward == backward
    assert len(set(forward.values())) == len(names)


def test_collision_probes_linearly_to_the_next_free_address():
    first = ipam.allocate_cluster_ip(new_svc("web"), set())["spec"]["clusterIP"]
    second = ipam.allocate_cluster_ip(new_svc("web"), {first})["spec"]["clusterIP"]
    assert int(ipaddress.ip_address(second)) == int(ipaddress.ip_address(first)) + 1


def test_input_object_is_not_modified():
    svc = new_svc("web")
    ipam.allocate_cluster_ip(svc, set())
    assert "clusterIP" not in svc["spec"] and "ipFamilies" not in svc["spec"]


def test_well_known_service_ips():
    assert ipam.allocate_cluster_ip(new_svc("kubernetes"), set())["spec"]["clusterIP"] == "10.96.0.1"
    assert ipam.allocate_cluster_ip(new_svc("kube-dns", "kube-system"), set())["spec"]["clusterIP"] == "10.96.0.10"
    # only for those exact namespace/name pairs
    assert ipam.allocate_cluster_ip(new_svc("kube-dns"), set())["spec"]["clusterIP"] != "10.96.0.10"


def test_static_band_used_only_when_upper_band_is_full():
    cidr = "10.0.0.0/24"  # usable .1-.254, static band .1-.16
    upper = {f"10.0.0.{i}" for i in range(17, 255)}
    ip = ipam.allocate_cluster_ip(new_svc("web"), upper, cidr)["spec"]["clusterIP"]
    last = int(ip.rsplit(".", 1)[1])
    assert 1 <= last <= 16
    assert ip not in ("10.0.0.1", "10.0.0.10")  # well-known addresses are kept free
    everything_dynamic = upper | {f"10.0.0.{i}" for i in range(1, 17)} - {"10.0.0.1", "10.0.0.10"}
    with pytest.raises(StatusError) as exc:
        ipam.allocate_cluster_ip(new_svc("web"), everything_dynamic, cidr)
    assert render(exc) == "Error from server (InternalError): Internal error occurred: failed to allocate a serviceIP: range is full"


def test_user_cluster_ip_honoured():
    out = ipam.allocate_cluster_ip(new_svc("web", cluster_ip="10.96.0.50"), set())
    assert out["spec"]["clusterIP"] == "10.96.0.50"
    assert out["spec"]["clusterIPs"] == ["10.96.0.50"]
    # an old client setting only clusterIP
    svc = new_svc("web")
    svc["spec"]["clusterIP"] = "10.96.0.51"
    assert ipam.allocate_cluster_ip(svc, set())["spec"]["clusterIPs"] == ["10.96.0.51"]


@pytest.mark.parametrize(("ip", "message"), [
    ("10.96.0.10", 'The Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: '
                   "failed to allocate IP 10.96.0.10: provided IP is already allocated"),
    ("192.168.1.1", 'The Service "web" is invalid: spec.clusterIPs: Invalid value: ["192.168.1.1"]: '
                    "failed to allocate IP 192.168.1.1: the provided network does not match the current range"),
    ("10.111.255.255", 'The Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.111.255.255"]: '
                       "failed to allocate IP 10.111.255.255: the provided IP (10.111.255.255) is not in the valid "
                       "range. The range of valid IPs is 10.96.0.0/12"),
])
def test_cluster_ip_errors(ip, message):
    with pytest.raises(StatusError) as exc:
        ipam.allocate_cluster_ip(new_svc("web", cluster_ip=ip), {"10.96.0.10"})
    assert render(exc) == message
    assert exc.value.code == 422


def test_headless_and_external_name_get_no_ip():
    headless = ipam.allocate_cluster_ip(new_svc("db", cluster_ip="None", selector={"app": "db"}), set())["spec"]
    assert (headless["clusterIP"], headless["clusterIPs"]) == ("None", ["None"])
    assert (headless["ipFamilyPolicy"], headless["ipFamilies"]) == ("SingleStack", ["IPv4"])
    selectorless = ipam.allocate_cluster_ip(new_svc("db", cluster_ip="None"), set())["spec"]
    assert (selectorless["ipFamilyPolicy"], selectorless["ipFamilies"]) == ("RequireDualStack", ["IPv4", "IPv6"])
    ext = ipam.allocate_cluster_ip(new_svc("ext", type_="ExternalName", externalName="example.com"), set())["spec"]
    assert "clusterIP" not in ext and "ipFamilyPolicy" not in ext


def test_dual_stack_requests_rejected_on_single_stack_cluster():
    with pytest.raises(StatusError) as exc:
        ipam.allocate_cluster_ip(new_svc("web", ipFamilyPolicy="RequireDualStack"), set())
    assert render(exc) == ('The Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
                           "this cluster is not configured for dual-stack services")
    with pytest.raises(StatusError) as exc:
        ipam.allocate_cluster_ip(new_svc("web", ipFamilies=["IPv6"]), set())
    assert render(exc) == 'The Service "web" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'


def test_cluster_ips_in_use_excludes_headless_and_self():
    svcs = [service("a", cluster_ip="10.96.0.20"), service("b", cluster_ip="None"), service("c", cluster_ip="10.96.0.30")]
    assert ipam.cluster_ips_in_use(svcs) == {"10.96.0.20", "10.96.0.30"}
    assert ipam.cluster_ips_in_use(svcs, exclude=("default", "c")) == {"10.96.0.20"}


# -- NodePorts ----------------------------------------------------------------------------

PORTS = [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}]


def test_node_port_allocated_deterministically_in_upper_band():
    out = alloc.allocate_create(new_svc("web", type_="NodePort", ports=PORTS), set(), set())
    np = out["spec"]["ports"][0]["nodePort"]
    assert np == 32545
    assert 30086 <= np <= 32767
    again = alloc.allocate_create(new_svc("web", type_="NodePort", ports=PORTS), set(), {30000, 31000})
    assert again["spec"]["ports"][0]["nodePort"] == np
    taken = alloc.allocate_create(new_svc("web", type_="NodePort", ports=PORTS), set(), {np})
    assert taken["spec"]["ports"][0]["nodePort"] == np + 1


def test_node_port_static_band_fallback():
    used = set(range(30086, 32768))
    out = portalloc.allocate_node_ports(new_svc("web", type_="NodePort", ports=PORTS), used)
    assert 30000 <= out["spec"]["ports"][0]["nodePort"] <= 30085
    with pytest.raises(StatusError) as exc:
        portalloc.allocate_node_ports(new_svc("web", type_="NodePort", ports=PORTS), set(range(30000, 32768)))
    assert render(exc) == "Error from server (InternalError): Internal error occurred: failed to allocate a nodePort: range is full"


def test_requested_node_port_errors():
    ports = [{"port": 80, "protocol": "TCP", "nodePort": 30080}]
    with pytest.raises(StatusError) as exc:
        alloc.allocate_create(new_svc("web", type_="NodePort", ports=ports), set(), {30080})
    assert render(exc) == ('The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
                           "provided port is already allocated")
    with pytest.raises(StatusError) as exc:
        alloc.allocate_create(new_svc("web", type_="NodePort", ports=[{"port": 80, "protocol": "TCP", "nodePort": 80}]),
                              set(), set())
    assert render(exc) == ('The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port '
                           "is not in the valid range. The range of valid ports is 30000-32767")
    ok = alloc.allocate_create(new_svc("web", type_="NodePort", ports=ports), set(), set())
    assert ok["spec"]["ports"][0]["nodePort"] == 30080


def test_same_port_number_shares_one_node_port():
    ports = [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53, "protocol": "TCP"}]
    out = portalloc.allocate_node_ports(new_svc("dns", type_="NodePort", ports=ports), set())
    a, b = (p["nodePort"] for p in out["spec"]["ports"])
    assert a == b


def test_multiple_ports_get_distinct_node_ports():
    ports = [{"name": "http", "port": 80, "protocol": "TCP"}, {"name": "https", "port": 443, "protocol": "TCP"}]
    out = portalloc.allocate_node_ports(new_svc("web", type_="NodePort", ports=ports), set())
    a, b = (p["nodePort"] for p in out["spec"]["ports"])
    assert a != b


def test_load_balancer_node_ports_and_health_check_port():
    lb = new_svc("web", type_="LoadBalancer", ports=PORTS, externalTrafficPolicy="Local", allocateLoadBalancerNodePorts=True)
    out = alloc.allocate_create(lb, set(), set())["spec"]
    assert out["ports"][0]["nodePort"]
    assert out["healthCheckNodePort"] and out["healthCheckNodePort"] != out["ports"][0]["nodePort"]
    no_np = new_svc("web", type_="LoadBalancer", ports=PORTS, allocateLoadBalancerNodePorts=False)
    assert "nodePort" not in alloc.allocate_create(no_np, set(), set())["spec"]["ports"][0]
    cluster = new_svc("web", type_="LoadBalancer", ports=PORTS, externalTrafficPolicy="Cluster")
    assert "healthCheckNodePort" not in alloc.allocate_create(cluster, set(), set())["spec"]


def test_requested_health_check_port_taken():
    lb = new_svc("web", type_="LoadBalancer", ports=PORTS, externalTrafficPolicy="Local", healthCheckNodePort=30100)
    with pytest.raises(StatusError) as exc:
        alloc.allocate_create(lb, set(), {30100})
    assert render(exc) == ("Error from server (InternalError): Internal error occurred: failed to allocate requested "
                           "HealthCheck NodePort 30100: provided port is already allocated")


def test_cluster_ip_service_gets_no_node_port():
    out = alloc.allocate_create(new_svc("web", ports=PORTS), set(), set())
    assert "nodePort" not in out["spec"]["ports"][0]


def test_node_ports_in_use():
    a = service("a", type_="NodePort", ports=[{"port": 80, "nodePort": 30001}])
    b = service("b", type_="LoadBalancer", ports=[{"port": 80, "nodePort": 30002}], healthCheckNodePort=30003)
    assert portalloc.node_ports_in_use([a, b]) == {30001, 30002, 30003}
    assert portalloc.node_ports_in_use([a, b], exclude=("default", "b")) == {30001}


# -- updates ------------------------------------------------------------------------------

def test_update_keeps_allocated_values_when_omitted():
    old = alloc.allocate_create(new_svc("web", type_="NodePort", ports=PORTS), set(), set())
    new = new_svc("web", type_="NodePort", ports=[dict(PORTS[0])])  # a replace without the allocated values
    prepared = strategy.prepare_for_update(new, old)
    out = alloc.allocate_update(prepared, old, set(), set())
    assert out["spec"]["clusterIP"] == old["spec"]["clusterIP"]
    assert out["spec"]["clusterIPs"] == old["spec"]["clusterIPs"]
    assert out["spec"]["ports"][0]["nodePort"] == old["spec"]["ports"][0]["nodePort"]


def test_update_to_cluster_ip_drops_node_ports_and_lb_status():
    old = alloc.allocate_create(new_svc("web", type_="LoadBalancer", ports=PORTS, externalTrafficPolicy="Cluster",
                                        allocateLoadBalancerNodePorts=True), set(), set())
    old["status"] = {"loadBalancer": {"ingress": [{"ip": "172.18.255.7", "ipMode": "VIP"}]}}
    new = {**old, "spec": {**old["spec"], "type": "ClusterIP", "ports": [dict(p) for p in old["spec"]["ports"]]}}
    out = strategy.prepare_for_update(new, old)
    assert "nodePort" not in out["spec"]["ports"][0]
    assert "allocateLoadBalancerNodePorts" not in out["spec"]
    assert "externalTrafficPolicy" not in out["spec"]
    assert out["status"]["loadBalancer"] == {}
    assert out["spec"]["clusterIP"] == old["spec"]["clusterIP"]


def test_update_to_external_name_releases_cluster_ip():
    old = alloc.allocate_create(new_svc("web", ports=PORTS), set(), set())
    new = {**old, "spec": {**old["spec"], "type": "ExternalName", "externalName": "example.com"}}
    out = alloc.allocate_update(strategy.prepare_for_update(new, old), old, set(), set())
    assert "clusterIP" not in out["spec"] and "clusterIPs" not in out["spec"]
    assert "ipFamilies" not in out["spec"]
    back = {**out, "spec": {**out["spec"], "type": "ClusterIP"}}
    back["spec"].pop("externalName")
    again = alloc.allocate_update(strategy.prepare_for_update(back, out), out, set(), set())
    assert again["spec"]["clusterIP"] == old["spec"]["clusterIP"]


def test_update_adds_node_port_for_cluster_ip_to_node_port():
    old = alloc.allocate_create(new_svc("web", ports=PORTS), set(), set())
    new = {**old, "spec": {**old["spec"], "type": "NodePort"}}
    out = alloc.allocate_update(strategy.prepare_for_update(new, old), old, set(), {32545})
    assert out["spec"]["ports"][0]["nodePort"] == 32546


def test_update_rejects_changed_health_check_port():
    base = new_svc("web", type_="LoadBalancer", ports=PORTS, externalTrafficPolicy="Local")
    old = alloc.allocate_create(base, set(), set())
    new = {**old, "spec": {**old["spec"], "healthCheckNodePort": 30050}}
    with pytest.raises(StatusError) as exc:
        alloc.allocate_update(new, old, set(), set())
    assert render(exc) == ('The Service "web" is invalid: spec.healthCheckNodePort: Invalid value: 30050: cannot change '
                           "healthCheckNodePort on loadBalancer service with externalTraffic=Local during update")
