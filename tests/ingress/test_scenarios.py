"""Ingress through the CLI: default class admission, the simulated controller, apply warnings."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.ingress.certs import make_cert, tls_secret, valid_for
from tests.ingress.conftest import BOOT

CLASS = """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: k8s.io/ingress-nginx}
"""

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
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
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: idle}
spec:
  selector: {app: nothing-here}
  ports: [{port: 80}]
"""

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
      - {path: /admin, pathType: Prefix, backend: {service: {name: web, port: {number: 8443}}}}
      - {path: /idle, pathType: Exact, backend: {service: {name: idle, port: {number: 80}}}}
"""


def warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Warning: ")]


def test_default_class_controller_status_and_apply_warnings(k):
    k.apply(CLASS)
    k.apply(APP)
    r = k.apply(INGRESS)
    assert warnings(r.err) == [
        'Warning: ingress "default/shop": TLS secret "shop-tls" not found',
        'Warning: ingress "default/shop": backend service "api" not found',
        'Warning: ingress "default/shop": service "web" has no port 8443',
        'Warning: ingress "default/shop": service "idle" has no ready endpoints',
    ]
    ing = k.obj("ingress", "shop")
    assert ing["spec"]["ingressClassName"] == "nginx"  # DefaultIngressClass admission
    assert ing["status"]["loadBalancer"] == {"ingress": [{"ip": "172.18.0.100"}]}
    assert k.ok("get", "ing").splitlines() == [
        "NAME   CLASS   HOSTS              ADDRESS        PORTS     AGE",
        "shop   nginx   shop.example.com   172.18.0.100   80, 443   0s",
    ]
    assert k.events("ingress/shop") == [
        ("Normal", "Sync", "Scheduled for sync"),
        ("Warning", "TLS", 'TLS secret "shop-tls" not found'),
        ("Warning", "Backend", 'backend service "api" not found'),
        ("Warning", "Backend", 'service "web" has no port 8443'),
        ("Warning", "Backend", 'service "idle" has no ready endpoints'),
    ]
    described = k.ok("describe", "ing", "shop")
    assert 'Warning  TLS      0s    nginx-ingress-controller  TLS secret "shop-tls" not found' in described
    # A second pass with the status already right announces nothing again.
    again = k("apply", "-f", str(k.workdir / "m3.yaml"))
    assert again.code == 0 and "control plane" not in again.err
    assert len(k.events("ingress/shop")) == 5


def test_tls_secret_problems_with_real_certificates(k):
    k.apply(CLASS)
    k.apply(APP)
    now = BOOT
    good_cert, key = make_cert(["*.example.com"], *valid_for(now))
    expired, _ = make_cert(["shop.example.com"], now - timedelta(days=30), now - timedelta(days=1))
    secrets = [tls_secret("wild", good_cert, key), tls_secret("old", expired, key),
               tls_secret("opaque", good_cert, key, type_="Opaque")]
    ing = {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "tls"},
        "spec": {"tls": [{"hosts": ["shop.example.com", "a.b.example.com"], "secretName": "wild"},
                         {"hosts": ["shop.example.com"], "secretName": "old"},
                         {"hosts": ["x.example.com"], "secretName": "opaque"}],
                 "rules": [{"host": "shop.example.com", "http": {"paths": [
                     {"path": "/", "pathType": "Prefix",
                      "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}]},
    }
    r = k.apply("\n---\n".join(json.dumps(o) for o in [*secrets, ing]))
    assert warnings(r.err) == [
        'Warning: ingress "default/tls": TLS secret "wild": certificate does not cover host "a.b.example.com" '
        "(it covers *.example.com)",
        'Warning: ingress "default/tls": TLS secret "old": certificate expired on '
        f"{(now - timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        'Warning: ingress "default/tls": TLS secret "opaque" is of type "Opaque", not "kubernetes.io/tls"',
    ]


def test_ingress_of_an_unhandled_class_is_left_alone(k):
    k.apply("""\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: traefik}
spec: {controller: traefik.io/ingress-controller}
""")
    k.apply(APP)
    k.apply(INGRESS.replace("spec:\n  tls", "spec:\n  ingressClassName: traefik\n  tls", 1))
    ing = k.obj("ingress", "shop")
    assert ing["spec"]["ingressClassName"] == "traefik"
    assert not (ing.get("status") or {}).get("loadBalancer")
    assert k.events("ingress/shop") == []
