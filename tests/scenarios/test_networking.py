"""Networking end to end through the CLI (issue 6's "done when" list).

One cluster: a default IngressClass, three Ingresses (exact host, wildcard host, a catch-all
defaultBackend), TLS Secrets holding real generated certificates (valid, wildcard, expired,
missing), Services of every type, a StatefulSet behind a headless Service and a client pod.
Then: apply warnings, ``get``/``describe ing``, precedence (Exact over Prefix, the longest
prefix, ``/foo`` not matching ``/foobar``), wildcard hosts, TLS termination, DNS answers of
every record type, and route traces that end at the right pods or at the right error.

Pod names and IPs come from the cluster (read back with ``get -o json``), everything else
is compared exactly.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.ingress.certs import make_cert, tls_secret
from tests.scenarios.conftest import BOOT

APP = """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: main, image: nginx, ports: [{containerPort: 8080, name: http}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: main, image: api, ports: [{containerPort: 9000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{name: http, port: 8000, targetPort: 9000}]
---
apiVersion: v1
kind: Service
metadata: {name: idle}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{name: http, port: 8000, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
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
metadata: {name: ext}
spec: {type: ExternalName, externalName: db.example.com}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox}]
"""

INGRESSES = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 8000}}}}
      - {path: /api/health, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /foo, pathType: Prefix, backend: {service: {name: api, port: {number: 8000}}}}
      - {path: /idle, pathType: Prefix, backend: {service: {name: idle, port: {number: 80}}}}
      - {path: /admin, pathType: Prefix, backend: {service: {name: web, port: {number: 8443}}}}
      - {path: /legacy, pathType: Prefix, backend: {service: {name: gone, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: blog}
spec:
  tls:
  - {hosts: [blog.example.com], secretName: wild-tls}
  - {hosts: [old.example.com], secretName: old-tls}
  - {hosts: [new.example.com], secretName: new-tls}
  rules:
  - host: "*.example.com"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
  - host: old.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""

CONTROLLER = "dns         {host} -> 172.18.0.100 (the ingress controller's address, as public DNS would point it)"
INGRESS_SPREAD = "ingress-nginx balances round-robin over them (not through the ClusterIP)"


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    from tests.scenarios.conftest import new_cluster

    k = new_cluster(tmp_path_factory.mktemp("networking"))
    k.apply(APP)
    valid = (BOOT - timedelta(days=1), BOOT + timedelta(days=90))
    shop_crt, key = make_cert(["shop.example.com"], *valid)
    wild_crt, _ = make_cert(["*.example.com"], *valid)
    old_crt, _ = make_cert(["old.example.com"], BOOT - timedelta(days=400), BOOT - timedelta(days=35))
    secrets = [tls_secret("shop-tls", shop_crt, key), tls_secret("wild-tls", wild_crt, key),
               tls_secret("old-tls", old_crt, key)]
    k.apply("\n---\n".join(json.dumps(s) for s in secrets))
    k.applied = k.apply(INGRESSES)
    return k


def pods(k, app: str) -> dict[str, tuple[str, str]]:
    """name -> (IP, node) of the pods labelled app=APP."""
    return {p["metadata"]["name"]: (p["status"]["podIP"], p["spec"]["nodeName"])
            for p in k.items("pods", "-l", f"app={app}")}


def receivers(k, app: str, port: int, share: str) -> list[str]:
    return sorted(f"  -> {ip}:{port}  pod/{name}  {node}  {share}" for name, (ip, node) in pods(k, app).items())


def split(out: str) -> tuple[list[str], list[str]]:
    """(trace lines, sorted ``->`` lines)."""
    lines = out.splitlines()
    return [ln for ln in lines if not ln.startswith("  -> ")], sorted(ln for ln in lines if ln.startswith("  -> "))


def slice_endpoints(k, service: str, port: int) -> str:
    """``describe``'s endpoint list: ready ``ip:port`` in EndpointSlice order (at most 3)."""
    ips = [ep["addresses"][0] for s in k.items("endpointslices", "-l", f"kubernetes.io/service-name={service}")
           for ep in s.get("endpoints") or () if ep["conditions"].get("ready", True)]
    return ",".join(f"{ip}:{port}" for ip in ips[:3])


# -- apply, get, describe ------------------------------------------------------------------


def test_apply_warns_by_name_and_the_controller_publishes_its_address(net):
    assert net.applied.out.splitlines() == [
        "ingress.networking.k8s.io/shop created",
        "ingress.networking.k8s.io/blog created",
        "ingress.networking.k8s.io/fallback created",
    ]
    assert [ln for ln in net.applied.err.splitlines() if ln.startswith("Warning: ")] == [
        'Warning: ingress "default/shop": service "idle" has no ready endpoints',
        'Warning: ingress "default/shop": service "web" has no port 8443',
        'Warning: ingress "default/shop": backend service "gone" not found',
        'Warning: ingress "default/blog": TLS secret "old-tls": certificate expired on 2025-03-27T12:00:00Z',
        'Warning: ingress "default/blog": TLS secret "new-tls" not found',
    ]
    # DefaultIngressClass admission filled ingressClassName; the controller set the status.
    assert {i["metadata"]["name"]: (i["spec"]["ingressClassName"], i["status"]["loadBalancer"])
            for i in net.items("ingress")} == {
        name: ("nginx", {"ingress": [{"ip": "172.18.0.100"}]}) for name in ("blog", "fallback", "shop")}
    assert net.ok("get", "ing") == (
        "NAME       CLASS   HOSTS                           ADDRESS        PORTS     AGE\n"
        "blog       nginx   *.example.com,old.example.com   172.18.0.100   80, 443   0s\n"
        "fallback   nginx   *                               172.18.0.100   80        0s\n"
        "shop       nginx   shop.example.com                172.18.0.100   80, 443   0s\n"
    )


def test_describe_ingress_rules_table_and_current_problems(net):
    r = net("describe", "ing", "shop")
    web, api = slice_endpoints(net, "web", 8080), slice_endpoints(net, "api", 9000)
    assert r.code == 0
    assert r.out.split("\n") == [
        "Name:             shop",
        "Labels:           <none>",
        "Namespace:        default",
        "Address:          172.18.0.100",
        "Ingress Class:    nginx",
        "Default backend:  <default>",
        "TLS:",
        "  shop-tls terminates shop.example.com",
        "Rules:",
        "  Host              Path  Backends",
        "  ----              ----  --------",
        "  shop.example.com  ",  # kubectl's tabwriter pads the host cell
        f"                    /             web:http ({web})",
        f"                    /api          api:8000 ({api})",
        f"                    /api/health   web:80 ({web})",
        f"                    /foo          api:8000 ({api})",
        "                    /idle         idle:80 ()",
        "                    /admin        web:8443 ()",
        '                    /legacy       gone:80 (<error: services "gone" not found>)',
        "Annotations:        <none>",
        "Events:",
        "  Type     Reason   Age   From                      Message",
        "  ----     ------   ----  ----                      -------",
        "  Normal   Sync     0s    nginx-ingress-controller  Scheduled for sync",
        '  Warning  Backend  0s    nginx-ingress-controller  service "idle" has no ready endpoints',
        '  Warning  Backend  0s    nginx-ingress-controller  service "web" has no port 8443',
        '  Warning  Backend  0s    nginx-ingress-controller  backend service "gone" not found',
        "",
    ]
    assert r.err == (
        'Warning: ingress "default/shop": service "idle" has no ready endpoints\n'
        'Warning: ingress "default/shop": service "web" has no port 8443\n'
        'Warning: ingress "default/shop": backend service "gone" not found\n'
    )
    r = net("describe", "ing", "fallback")
    assert r.err == ""
    assert r.out.splitlines()[5:10] == [
        f"Default backend:  web:80 ({web})",
        "Rules:",
        "  Host        Path  Backends",
        "  ----        ----  --------",
        f"  *           *     web:80 ({web})",
    ]
    blog = net("describe", "ing", "blog")
    assert blog.out.splitlines()[6:17] == [
        "TLS:",
        "  wild-tls terminates blog.example.com",
        "  old-tls terminates old.example.com",
        "  new-tls terminates new.example.com",
        "Rules:",
        "  Host             Path  Backends",
        "  ----             ----  --------",
        "  *.example.com    ",
        f"                   /   api:http ({api})",
        "  old.example.com  ",
        f"                   /   web:80 ({web})",
    ]
    assert blog.err.splitlines() == [
        'Warning: ingress "default/blog": TLS secret "old-tls": certificate expired on 2025-03-27T12:00:00Z',
        'Warning: ingress "default/blog": TLS secret "new-tls" not found',
    ]


# -- precedence, wildcard hosts, TLS -----------------------------------------------------------


SHOP_LOSES_NOTHING_ELSE = [
    "  lost      ingress default/blog rules[1].http.paths[0] old.example.com / (Prefix): "
    "host old.example.com does not match shop.example.com",
    "  lost      ingress default/blog rules[0].http.paths[0] *.example.com / (Prefix): "
    "an exact host takes precedence over a wildcard host",
]


def test_exact_beats_prefix_and_the_longest_prefix_wins(net):
    trace, to = split(net.ok("route", "https://shop.example.com/api/health"))
    assert trace == [
        "request     HTTPS https://shop.example.com/api/health (from outside the cluster)",
        CONTROLLER.format(host="shop.example.com"),
        "ingress     172.18.0.100:443 (ingress-nginx), Host: shop.example.com, path /api/health",
        *SHOP_LOSES_NOTHING_ELSE,
        "  lost      ingress default/shop rules[0].http.paths[3] shop.example.com /foo (Prefix): "
        "Prefix path /foo does not match /api/health",
        "  lost      ingress default/shop rules[0].http.paths[4] shop.example.com /idle (Prefix): "
        "Prefix path /idle does not match /api/health",
        "  lost      ingress default/shop rules[0].http.paths[5] shop.example.com /admin (Prefix): "
        "Prefix path /admin does not match /api/health",
        "  lost      ingress default/shop rules[0].http.paths[6] shop.example.com /legacy (Prefix): "
        "Prefix path /legacy does not match /api/health",
        "  lost      ingress default/shop rules[0].http.paths[1] shop.example.com /api (Prefix): "
        "shorter than /api/health (the longest matching path wins)",
        "  lost      ingress default/shop rules[0].http.paths[0] shop.example.com / (Prefix): "
        "shorter than /api/health (the longest matching path wins)",
        "rule        ingress default/shop rules[0].http.paths[2] shop.example.com /api/health (Exact)",
        "tls         terminated at the controller with secret default/shop-tls",
        "service     default/web port 80 (http) -> targetPort http",
        f"endpoints   3 ready; {INGRESS_SPREAD}, 1/3 each",
    ]
    assert to == receivers(net, "web", 8080, "33.3%")
    # Under the Exact path, the longest Prefix: /api beats /.
    trace, to = split(net.ok("route", "https://shop.example.com/api/health/deep"))
    assert trace[-4:] == [
        "rule        ingress default/shop rules[0].http.paths[1] shop.example.com /api (Prefix)",
        "tls         terminated at the controller with secret default/shop-tls",
        "service     default/api port 8000 (http) -> targetPort 9000",
        f"endpoints   2 ready; {INGRESS_SPREAD}, 1/2 each",
    ]
    assert ("  lost      ingress default/shop rules[0].http.paths[2] shop.example.com /api/health (Exact): "
            "Exact path /api/health does not match /api/health/deep") in trace
    assert to == receivers(net, "api", 9000, "50.0%")


def test_prefix_foo_does_not_match_foobar(net):
    trace, to = split(net.ok("route", "https://shop.example.com/foobar"))
    assert ("  lost      ingress default/shop rules[0].http.paths[3] shop.example.com /foo (Prefix): "
            "Prefix path /foo does not match /foobar") in trace
    assert "rule        ingress default/shop rules[0].http.paths[0] shop.example.com / (Prefix)" in trace
    assert to == receivers(net, "web", 8080, "33.3%")
    trace, to = split(net.ok("route", "https://shop.example.com/foo/bar"))
    assert "rule        ingress default/shop rules[0].http.paths[3] shop.example.com /foo (Prefix)" in trace
    assert to == receivers(net, "api", 9000, "50.0%")


def test_wildcard_host_covers_exactly_one_label(net):
    trace, to = split(net.ok("route", "https://blog.example.com/"))
    assert trace[-4:] == [
        "rule        ingress default/blog rules[0].http.paths[0] *.example.com / (Prefix)",
        "tls         terminated at the controller with secret default/wild-tls",
        "service     default/api port 8000 (http) -> targetPort 9000",
        f"endpoints   2 ready; {INGRESS_SPREAD}, 1/2 each",
    ]
    assert to == receivers(net, "api", 9000, "50.0%")
    # Two labels: not the wildcard's; the catch-all server answers with the defaultBackend.
    trace, to = split(net.ok("route", "https://a.blog.example.com/x"))
    assert ("  lost      ingress default/blog rules[0].http.paths[0] *.example.com / (Prefix): "
            "host *.example.com does not match a.blog.example.com") in trace
    assert trace[-4:] == [
        "rule        no rule matches in server _: defaultBackend of ingress default/fallback",
        "tls         the catch-all server _ presents the controller's Kubernetes Ingress Controller Fake Certificate",
        "service     default/web port 80 (http) -> targetPort http",
        f"endpoints   3 ready; {INGRESS_SPREAD}, 1/3 each",
    ]
    assert to == receivers(net, "web", 8080, "33.3%")


def test_tls_termination_with_real_certificates(net):
    # An exact host beats the wildcard; its expired certificate is still served (ingress-nginx only logs it).
    trace, _ = split(net.ok("route", "https://old.example.com/"))
    assert trace[-4:-2] == [
        "rule        ingress default/blog rules[1].http.paths[0] old.example.com / (Prefix)",
        'tls         terminated at the controller with secret default/old-tls (TLS secret "old-tls": '
        "certificate expired on 2025-03-27T12:00:00Z: served anyway, clients reject it)",
    ]
    # new-tls is missing, but the *.example.com server's certificate is wild-tls, which covers it.
    trace, _ = split(net.ok("route", "https://new.example.com/"))
    assert trace[-3] == "tls         terminated at the controller with secret default/wild-tls"
    # Plain HTTP to a host with TLS: ingress-nginx's ssl-redirect.
    trace, to = split(net.ok("route", "http://shop.example.com/idle/x"))
    assert trace[-2:] == [
        "rule        ingress default/shop rules[0].http.paths[4] shop.example.com /idle (Prefix)",
        "redirect    308 Permanent Redirect to https://shop.example.com/idle/x (TLS is configured for shop.example.com)",
    ]
    assert to == []


# -- route failures ------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "error"), [
    ("https://shop.example.com/idle/x",
     "service default/idle has no ready endpoints: ingress-nginx answers 503 Service Unavailable"),
    ("https://shop.example.com/admin", "service default/web does not expose port 8443 (ports: 80/TCP (http))"),
    ("https://shop.example.com/legacy", 'service "gone" not found in namespace default: ingress-nginx answers 503'),
    ("http://shop.example.com:8080/", "the ingress controller at 172.18.0.100 listens on ports 80 and 443, not 8080"),
    ("http://api.default.svc.cluster.local:8000/",
     "api.default.svc.cluster.local: cluster DNS names resolve only inside the cluster (add --from POD)"),
    ("http://10.0.0.1:31999/", "node node-1 (10.0.0.1): no Service has nodePort 31999"),
    ("http://192.0.2.1/", "no Service, node, load balancer or pod has the address 192.0.2.1"),
])
def test_route_failures_name_the_exact_reason(net, url, error):
    r = net("route", url)
    assert (r.code, r.err) == (1, f"error: {error}\n")


def test_no_rule_and_no_default_backend_is_a_404(net):
    net.ok("delete", "ingress", "fallback")
    try:
        r = net("route", "https://a.blog.example.com/")
        assert (r.code, r.err) == (1, "error: no rule matches host a.blog.example.com path / in the catch-all server _, "
                                      "and it has no defaultBackend: ingress-nginx's default backend answers 404 "
                                      "Not Found\n")
    finally:
        net.apply(INGRESSES)


def test_service_nodeport_and_load_balancer_traces(net):
    trace, to = split(net.ok("route", "svc/web:http"))
    assert trace == [
        "request     svc/web:http (from inside the cluster, namespace default)",
        "service     default/web port 80 (http) -> targetPort http",
        "endpoints   3 ready; kube-proxy spreads evenly, 1/3 each",
    ]
    assert to == receivers(net, "web", 8080, "33.3%")
    r = net("route", "svc/web:81")
    assert (r.code, r.err) == (1, "error: service default/web does not expose port 81 (ports: 80/TCP (http))\n")
    trace, to = split(net.ok("route", "http://10.0.0.1:30080/"))
    assert trace[:2] == ["request     HTTP http://10.0.0.1:30080/ (from outside the cluster)",
                         "nodeport    node node-1 10.0.0.1:30080 -> service default/web"]
    assert to == receivers(net, "web", 8080, "33.3%")
    lb_ip = net.obj("svc", "lb")["status"]["loadBalancer"]["ingress"][0]["ip"]
    trace, to = split(net.ok("route", f"http://{lb_ip}:8000/"))
    assert trace[1:] == [
        f"loadbalancer {lb_ip}:8000 -> service default/lb",
        "service     default/lb port 8000 (http) -> targetPort http",
        "kube-proxy  externalTrafficPolicy Local: the load balancer sends only to the 3 node(s) with a ready "
        "endpoint (healthCheckNodePort), evenly; each node to its own endpoints",
        "endpoints   3 ready",
    ]
    assert to == receivers(net, "web", 8080, "33.3%")
    cluster_ip = net.obj("svc", "api")["spec"]["clusterIP"]
    r = net("route", f"http://{cluster_ip}:8000/")
    assert r.err == (f"error: {cluster_ip} is the ClusterIP of service default/api: a virtual IP only kube-proxy on "
                     "the cluster's nodes routes (add --from POD, or trace svc/NAME:PORT)\n")
    trace, to = split(net.ok("route", "http://api:8000/", "--from", "pod/client"))
    assert trace == [
        "request     HTTP http://api:8000/ (from pod default/client)",
        f"dns         api -> service default/api ({cluster_ip})",
        "service     default/api port 8000 (http) -> targetPort 9000",
        "endpoints   2 ready; kube-proxy spreads evenly, 1/2 each",
    ]
    assert to == receivers(net, "api", 9000, "50.0%")
    trace, to = split(net.ok("route", "svc/db:pg"))
    assert trace[2:] == [
        "kube-proxy  headless Service: no virtual IP; DNS returns the endpoint addresses and the client picks",
        "endpoints   2 ready; a client that spreads evenly over the answers sends 1/2 to each",
    ]
    assert to == receivers(net, "db", 5432, "50.0%")


# -- DNS -----------------------------------------------------------------------------------


SEARCH = "(search default.svc.cluster.local svc.cluster.local cluster.local, ndots:5)"


def test_dns_answers_for_every_record_type(net):
    api_ip = net.obj("svc", "api")["spec"]["clusterIP"]
    db = pods(net, "db")
    assert net.ok("dns", "resolve", "api", "--from", "pod/client") == (
        f";; api -> api.default.svc.cluster.local. {SEARCH}\n"
        f"api.default.svc.cluster.local.\t30\tIN\tA\t{api_ip}\n")
    # Headless: one A record per ready endpoint, and per-pod names (StatefulSet hostnames).
    assert sorted(net.ok("dns", "resolve", "db", "--short").split()) == sorted(ip for ip, _ in db.values())
    assert net.ok("dns", "resolve", "db-1.db", "--from", "pod/client") == (
        f";; db-1.db -> db-1.db.default.svc.cluster.local. {SEARCH}\n"
        f"db-1.db.default.svc.cluster.local.\t30\tIN\tA\t{db['db-1'][0]}\n")
    # SRV for named ports: ClusterIP -> the Service name; headless -> each endpoint, weight 100/N.
    assert net.ok("dns", "resolve", "_http._tcp.api", "-t", "SRV", "--short") == (
        "0 100 8000 api.default.svc.cluster.local.\n")
    assert net.ok("dns", "resolve", "_pg._tcp.db.default.svc.cluster.local.", "-t", "SRV") == "".join(
        f"_pg._tcp.db.default.svc.cluster.local.\t30\tIN\tSRV\t0 50 5432 {name}.db.default.svc.cluster.local.\n"
        for name in ("db-0", "db-1"))
    # ExternalName: a CNAME, whatever the type asked.
    assert net.ok("dns", "resolve", "ext", "-t", "CNAME", "--short") == "db.example.com.\n"
    assert net.ok("dns", "resolve", "ext.default.svc.cluster.local", "--short") == "db.example.com.\n"
    # Pod A records and PTR.
    client_ip = net.obj("pod", "client")["status"]["podIP"]
    dashed = client_ip.replace(".", "-")
    assert net.ok("dns", "resolve", f"{dashed}.default.pod.cluster.local", "--short") == f"{client_ip}\n"
    assert net.ok("dns", "resolve", api_ip, "-t", "PTR", "--short") == "api.default.svc.cluster.local.\n"
    assert net.ok("dns", "resolve", db["db-0"][0], "-t", "PTR", "--short") == "db-0.db.default.svc.cluster.local.\n"


def test_dns_search_path_ndots_and_nxdomain(net):
    # 4 dots < ndots:5: the search list first, every suffix NXDOMAIN, then the name as is answers.
    api_ip = net.obj("svc", "api")["spec"]["clusterIP"]
    assert net.ok("dns", "resolve", "api.default.svc.cluster.local", "--from", "pod/client") == (
        f"api.default.svc.cluster.local.\t30\tIN\tA\t{api_ip}\n")
    # 1 dot: api.default is expanded by the first search domain that answers (svc.cluster.local).
    assert net.ok("dns", "resolve", "api.default", "--from", "pod/client").splitlines()[0] == (
        f";; api.default -> api.default.svc.cluster.local. {SEARCH}")
    r = net("dns", "resolve", "nope", "--from", "pod/client")
    assert (r.code, r.out) == (1, "")
    assert r.err == ("** server can't find nope: NXDOMAIN (tried nope.default.svc.cluster.local., "
                     "nope.svc.cluster.local., nope.cluster.local., nope.)\n")
    r = net("dns", "resolve", "_nope._tcp.api.default.svc.cluster.local.", "-t", "SRV")
    assert (r.code, r.err) == (1, "** server can't find _nope._tcp.api.default.svc.cluster.local.: NXDOMAIN "
                                  "(tried _nope._tcp.api.default.svc.cluster.local.)\n")
    assert net.ok("dns", "resolve", "api.default.svc.cluster.local.", "-t", "AAAA") == (
        ";; NOERROR: no AAAA records for api.default.svc.cluster.local.\n")


# -- graph ---------------------------------------------------------------------------------


def test_graph_draws_ingress_service_pods_nodes(net):
    lines = net.ok("graph").splitlines()
    assert lines[0] == "ingress/blog (nginx, 172.18.0.100)"
    api_ip = net.obj("svc", "api")["spec"]["clusterIP"]
    assert lines[1] == f"├── [*.example.com/ -> :http] service/api (ClusterIP {api_ip} :8000)"
    shop = lines[lines.index("ingress/shop (nginx, 172.18.0.100)"):]
    web_ip = net.obj("svc", "web")["spec"]["clusterIP"]
    assert shop[6] == f"├── [shop.example.com/admin -> :8443 (no such port)] service/web (NodePort {web_ip} :80) (see above)"
    assert shop[7] == "└── [shop.example.com/legacy -> :80] service/gone (not found)"
    db = pods(net, "db")
    at = lines.index("service/db (headless :5432)")
    assert lines[at + 1:at + 5] == [
        f"├── [ready] pod/db-0 ({db['db-0'][0]})", f"│   └── node/{db['db-0'][1]}",
        f"└── [ready] pod/db-1 ({db['db-1'][0]})", f"    └── node/{db['db-1'][1]}",
    ]
