"""kctl route: traces that end at the right pods or at the right error."""

from __future__ import annotations

import json

import pytest

from tests.ingress.certs import make_cert, tls_secret, valid_for
from tests.route.conftest import BOOT

SETUP = """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: kctl.io/ingress}
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
metadata: {name: lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{name: http, port: 8000, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: idle}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /idle, pathType: Prefix, backend: {service: {name: idle, port: {number: 80}}}}
      - {path: /idle/exact, pathType: Exact, backend: {service: {name: web, port: {name: http}}}}
      - {path: /gone, pathType: Prefix, backend: {service: {name: web, port: {number: 9999}}}}
  - host: "*.example.com"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: idle, port: {number: 80}}}}
"""


@pytest.fixture
def shop(k):
    cert, key = make_cert(["shop.example.com"], *valid_for(BOOT))
    k.apply(json.dumps(tls_secret("shop-tls", cert, key)))
    k.apply(SETUP)
    return k


def receivers(out: str) -> list[tuple[str, str]]:
    """(ip:port, pod) of the ``->`` lines, with every share checked to be even."""
    rows = [line.split() for line in out.splitlines() if line.startswith("  -> ")]
    shares = {r[-1] for r in rows}
    assert len(shares) <= 1, shares
    return sorted((r[1], r[2]) for r in rows)


def web_pods(k) -> list[tuple[str, str]]:
    return sorted((f"{p['status']['podIP']}:8080", f"pod/{p['metadata']['name']}") for p in k.items("pods", "-l", "app=web"))


def test_https_through_the_ingress_terminates_tls_and_spreads_evenly(shop):
    out = shop.ok("route", "https://shop.example.com/cart")
    lines = out.splitlines()
    assert lines[:7] == [
        "request     HTTPS https://shop.example.com/cart (from outside the cluster)",
        "dns         shop.example.com -> 172.18.0.100 (the ingress controller's address, as public DNS would point it)",
        "ingress     172.18.0.100:443 (ingress-nginx), Host: shop.example.com, path /cart",
        "  lost      ingress default/shop rules[1].http.paths[0] *.example.com / (Prefix): an exact host takes precedence over a wildcard host",
        "  lost      ingress default/shop rules[0].http.paths[1] shop.example.com /idle (Prefix): Prefix path /idle does not match /cart",
        "  lost      ingress default/shop rules[0].http.paths[2] shop.example.com /idle/exact (Exact): Exact path /idle/exact does not match /cart",
        "  lost      ingress default/shop rules[0].http.paths[3] shop.example.com /gone (Prefix): Prefix path /gone does not match /cart",
    ]
    assert lines[7:11] == [
        "rule        ingress default/shop rules[0].http.paths[0] shop.example.com / (Prefix)",
        "tls         terminated at the controller with secret default/shop-tls",
        "service     default/web port 80 (http) -> targetPort http",
        "endpoints   3 ready; ingress-nginx balances round-robin over them (not through the ClusterIP), 1/3 each",
    ]
    assert receivers(out) == web_pods(shop)
    assert all(line.endswith("33.3%") for line in lines[11:])


def test_http_is_redirected_when_tls_is_configured(shop):
    out = shop.ok("route", "http://shop.example.com/")
    assert out.splitlines()[-1] == ("redirect    308 Permanent Redirect to https://shop.example.com/ "
                                    "(TLS is configured for shop.example.com)")


def test_exact_beats_prefix_and_no_ready_endpoints(shop):
    out = shop.ok("route", "https://shop.example.com/idle/exact")
    assert "rule        ingress default/shop rules[0].http.paths[2] shop.example.com /idle/exact (Exact)" in out
    assert receivers(out) == web_pods(shop)
    r = shop("route", "https://shop.example.com/idle/x")
    assert r.code == 1
    assert r.err == "error: service default/idle has no ready endpoints: ingress-nginx answers 503 Service Unavailable\n"


def test_wildcard_host_port_not_exposed_and_no_rule(shop):
    r = shop("route", "https://blog.example.com/")
    assert "rule        ingress default/shop rules[1].http.paths[0] *.example.com / (Prefix)" in r.out
    assert "tls         no spec.tls entry of ingress default/shop covers *.example.com: the controller presents its " \
           "Kubernetes Ingress Controller Fake Certificate" in r.out
    assert r.err == "error: service default/idle has no ready endpoints: ingress-nginx answers 503 Service Unavailable\n"
    r = shop("route", "https://shop.example.com/gone")
    assert r.err == "error: service default/web does not expose port 9999 (ports: 80/TCP (http))\n"
    r = shop("route", "https://a.b.example.com/")
    assert r.code == 1
    assert r.err == ("error: no rule matches host a.b.example.com path / in the catch-all server _, and it has no "
                     "defaultBackend: ingress-nginx's default backend answers 404 Not Found\n")


def test_service_ref_nodeport_and_load_balancer(shop):
    assert receivers(shop.ok("route", "svc/web:http")) == web_pods(shop)
    r = shop("route", "svc/web:81")
    assert r.code == 1 and r.err == "error: service default/web does not expose port 81 (ports: 80/TCP (http))\n"
    out = shop.ok("route", "http://10.0.0.2:30080/")
    assert "nodeport    node node-2 10.0.0.2:30080 -> service default/web" in out
    assert receivers(out) == web_pods(shop)
    lb_ip = shop.obj("svc", "lb")["status"]["loadBalancer"]["ingress"][0]["ip"]
    out = shop.ok("route", f"http://{lb_ip}:8000/")
    assert f"loadbalancer {lb_ip}:8000 -> service default/lb" in out
    assert receivers(out) == web_pods(shop)
    r = shop("route", "http://10.0.0.2:31999/")
    assert r.err == "error: node node-2 (10.0.0.2): no Service has nodePort 31999\n"


def test_from_a_pod_by_cluster_dns_name(shop):
    shop.apply("""\
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox}]
""")
    out = shop.ok("route", "http://web/", "--from", "pod/client")
    assert out.splitlines()[:2] == [
        "request     HTTP http://web/ (from pod default/client)",
        f"dns         web -> service default/web ({shop.obj('svc', 'web')['spec']['clusterIP']})",
    ]
    assert receivers(out) == web_pods(shop)
