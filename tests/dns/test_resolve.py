"""kctl dns resolve: every record type, the search path, NXDOMAIN (through the CLI)."""

from __future__ import annotations

import pytest

from kctl.networking.dns import expand, resolv_conf

SHOP = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: postgres, ports: [{containerPort: 5432, name: pg}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: shop}
spec: {type: ExternalName, externalName: db.example.com}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: 10.96.50.50
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: metrics, port: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop}
spec:
  containers: [{name: c, image: busybox}]
"""


@pytest.fixture
def shop(k):
    k.apply(SHOP)
    return k


def pod_ips(k, selector: str) -> dict[str, str]:
    return {p["metadata"]["name"]: p["status"]["podIP"] for p in k.items("pods", "-n", "shop", "-l", selector)}


def test_service_a_record_via_the_search_path(shop):
    out = shop.ok("dns", "resolve", "web", "--from", "pod/client", "-n", "shop")
    assert out.splitlines() == [
        ";; web -> web.shop.svc.cluster.local. (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5)",
        "web.shop.svc.cluster.local.\t30\tIN\tA\t10.96.50.50",
    ]
    assert shop.ok("dns", "resolve", "web.shop", "--short") == "10.96.50.50\n"  # from default: web.shop.svc...
    assert shop.ok("dns", "resolve", "web.shop.svc.cluster.local.", "--short") == "10.96.50.50\n"


def test_headless_per_endpoint_and_statefulset_names(shop):
    ips = pod_ips(shop, "app=db")
    out = shop.ok("dns", "resolve", "db.shop.svc.cluster.local", "--short")
    assert sorted(out.split()) == sorted(ips.values())
    assert shop.ok("dns", "resolve", "db-0.db", "-n", "shop", "--short") == ips["db-0"] + "\n"
    assert shop.ok("dns", "resolve", "db-1.db.shop.svc.cluster.local", "--short") == ips["db-1"] + "\n"


def test_srv_records_for_named_ports(shop):
    assert shop.ok("dns", "resolve", "_http._tcp.web.shop", "--type", "SRV", "--short") == (
        "0 100 80 web.shop.svc.cluster.local.\n")
    headless = shop.ok("dns", "resolve", "_pg._tcp.db.shop.svc.cluster.local", "-t", "SRV", "--short")
    assert sorted(headless.splitlines()) == [
        "0 50 5432 db-0.db.shop.svc.cluster.local.",
        "0 50 5432 db-1.db.shop.svc.cluster.local.",
    ]
    r = shop("dns", "resolve", "_nope._tcp.web.shop.svc.cluster.local", "-t", "SRV")
    assert r.code == 1 and "NXDOMAIN" in r.err


def test_external_name_cname(shop):
    assert shop.ok("dns", "resolve", "ext.shop.svc.cluster.local", "-t", "CNAME").splitlines() == [
        "ext.shop.svc.cluster.local.\t30\tIN\tCNAME\tdb.example.com.",
    ]
    assert shop.ok("dns", "resolve", "ext.shop.svc.cluster.local", "--short") == "db.example.com.\n"


def test_pod_a_records_and_ptr(shop):
    assert shop.ok("dns", "resolve", "10-244-1-7.shop.pod.cluster.local", "--short") == "10.244.1.7\n"
    assert shop.ok("dns", "resolve", "10.96.50.50", "--type", "PTR").splitlines() == [
        ";; 10.96.50.50 -> 50.50.96.10.in-addr.arpa. (search default.svc.cluster.local svc.cluster.local "
        "cluster.local, ndots:5)",
        "50.50.96.10.in-addr.arpa.\t30\tIN\tPTR\tweb.shop.svc.cluster.local.",
    ]
    ips = pod_ips(shop, "app=db")
    assert shop.ok("dns", "resolve", ips["db-0"], "-t", "PTR", "--short") == "db-0.db.shop.svc.cluster.local.\n"


def test_nodata_and_nxdomain(shop):
    assert shop.ok("dns", "resolve", "web.shop.svc.cluster.local", "-t", "AAAA") == (
        ";; NOERROR: no AAAA records for web.shop.svc.cluster.local.\n")
    r = shop("dns", "resolve", "nope", "-n", "shop")
    assert r.code == 1
    assert r.out == ""
    assert r.err == ("** server can't find nope: NXDOMAIN (tried nope.shop.svc.cluster.local., "
                     "nope.svc.cluster.local., nope.cluster.local., nope.)\n")
    r = shop("dns", "resolve", "web", "-t", "MX")
    assert r.code == 1 and r.err == 'error: invalid --type "MX": must be one of A, AAAA, SRV, CNAME, PTR\n'
    r = shop("dns", "resolve", "web", "--from", "pod/ghost", "-n", "shop")
    assert r.code == 1 and r.err == 'Error from server (NotFound): pods "ghost" not found\n'


def test_resolver_expansion_and_dns_config():
    search, ndots = resolv_conf(None, "shop")
    assert expand("web", search, ndots)[0] == "web.shop.svc.cluster.local."
    assert expand("a.b.c.d.e", search, ndots)[0] == "a.b.c.d.e.shop.svc.cluster.local."  # 4 dots < 5: search first
    assert expand("a.b.c.d.e.f", search, ndots)[0] == "a.b.c.d.e.f."  # 5 dots: as is first
    assert expand("abs.", search, ndots) == ["abs."]
    pod = {"spec": {"dnsConfig": {"searches": ["corp.example"], "options": [{"name": "ndots", "value": "2"}]}}}
    assert resolv_conf(pod, "shop") == (
        ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"], 2)
    assert resolv_conf({"spec": {"dnsPolicy": "Default"}}, "shop") == ([], 1)


def test_srv_weights_split_100_over_the_records_of_the_answer(shop):
    # A plain SRV query answers every port: two records of a ClusterIP Service, 100 // 2 each.
    assert shop.ok("dns", "resolve", "web.shop.svc.cluster.local", "-t", "SRV", "--short").splitlines() == [
        "0 50 80 web.shop.svc.cluster.local.",
        "0 50 9090 web.shop.svc.cluster.local.",
    ]
    assert shop.ok("dns", "resolve", "_metrics._tcp.web.shop.svc.cluster.local", "-t", "SRV", "--short") == (
        "0 100 9090 web.shop.svc.cluster.local.\n")
    r = shop("dns", "resolve", "_http._udp.web.shop.svc.cluster.local", "-t", "SRV")
    assert r.code == 1 and "NXDOMAIN" in r.err  # the port is TCP


def test_ptr_of_a_clusterip_service_endpoint_and_pod_records_need_the_namespace(shop):
    shop.apply("""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx, ports: [{containerPort: 8080}]}]
""")
    (ip,) = pod_ips(shop, "app=web").values()
    dashed = ip.replace(".", "-")
    # Not headless: no per-endpoint A record, but the reverse lookup names the endpoint (serviceRecordForIP).
    assert shop.ok("dns", "resolve", ip, "-t", "PTR", "--short") == f"{dashed}.web.shop.svc.cluster.local.\n"
    assert shop("dns", "resolve", f"{dashed}.web.shop.svc.cluster.local").code == 1
    assert shop.ok("dns", "resolve", f"{dashed}.shop.pod.cluster.local", "--short") == f"{ip}\n"
    r = shop("dns", "resolve", f"{dashed}.nowhere.pod.cluster.local.")  # absolute: no search list
    assert r.code == 1
    assert r.err == (f"** server can't find {dashed}.nowhere.pod.cluster.local.: NXDOMAIN "
                     f"(tried {dashed}.nowhere.pod.cluster.local.)\n")
    r = shop("dns", "resolve", "10.99.99.99", "-t", "PTR")
    assert r.code == 1 and r.err.startswith("** server can't find 99.99.99.10.in-addr.arpa.: NXDOMAIN")


def test_nodata_keeps_the_search_going_as_glibc_does():
    from kctl.controllers.view import MemoryView
    from kctl.networking.dns import resolve

    view = MemoryView()
    view.put({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}, "namespaces")
    view.put({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "shop", "namespace": "shop"},
              "spec": {"clusterIP": "10.96.7.7", "clusterIPs": ["10.96.7.7"], "ports": [{"port": 80}]}}, "services")
    pod = {"spec": {"dnsPolicy": "None", "dnsConfig": {
        "nameservers": ["10.96.0.10"], "searches": ["svc.cluster.local", "shop.svc.cluster.local"]}}}
    r = resolve(view, "shop", "A", "shop", pod)
    # shop.svc.cluster.local. is the namespace: it exists (NOERROR) but has no A record.
    assert [(a.name, a.rcode, len(a.records)) for a in r.tried] == [
        ("shop.svc.cluster.local.", "NOERROR", 0), ("shop.shop.svc.cluster.local.", "NOERROR", 1)]
    assert r.final.records[0].data == "10.96.7.7"
    r = resolve(view, "shop", "AAAA", "shop", pod)
    assert (r.final.name, r.rcode, r.final.records) == ("shop.svc.cluster.local.", "NOERROR", [])


def test_headless_service_without_ready_endpoints_is_nxdomain(shop):
    shop.apply("""\
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec:
  clusterIP: None
  selector: {app: nobody}
  ports: [{name: pg, port: 5432}]
""")
    r = shop("dns", "resolve", "empty.shop.svc.cluster.local.")
    assert (r.code, r.err) == (1, "** server can't find empty.shop.svc.cluster.local.: NXDOMAIN "
                                  "(tried empty.shop.svc.cluster.local.)\n")
    assert shop("dns", "resolve", "_pg._tcp.empty.shop.svc.cluster.local.", "-t", "SRV").code == 1
