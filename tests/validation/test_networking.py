from __future__ import annotations

from kctl.api.validation import validate
from tests.validation.conftest import messages

BACKEND = {"service": {"name": "web", "port": {"number": 80}}}


def ingress(**spec):
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web"},
        "spec": spec,
    }


def rule(host=None, **path):
    p = {"path": "/", "pathType": "Prefix", "backend": BACKEND}
    p.update(path)
    r = {"http": {"paths": [p]}}
    if host is not None:
        r["host"] = host
    return r


def test_valid_ingresses():
    assert (
        validate(ingress(ingressClassName="nginx", rules=[rule("shop.example.com"), rule("*.example.com")]))
        == []
    )
    assert validate(ingress(defaultBackend=BACKEND)) == []
    tls = [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]
    assert (
        validate(
            ingress(
                tls=tls,
                rules=[rule("shop.example.com", pathType="ImplementationSpecific", path="/api(/|$)(.*)")],
            )
        )
        == []
    )


def test_rules_or_default_backend_required():
    assert messages(validate(ingress())) == [
        "spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"
    ]


def test_hosts():
    errs = messages(
        validate(ingress(rules=[rule("10.0.0.1"), rule("*.*.example.com"), rule("Shop.example.com")]))
    )
    assert errs[0] == 'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'
    assert errs[1].startswith(
        "spec.rules[1].host: Invalid value: \"*.*.example.com\": a wildcard DNS-1123 subdomain must start with '*.'"
    )
    assert errs[2].startswith(
        'spec.rules[2].host: Invalid value: "Shop.example.com": a lowercase RFC 1123 subdomain'
    )


def test_paths():
    assert messages(validate(ingress(rules=[rule(path="api")]))) == [
        'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'
    ]
    assert messages(validate(ingress(rules=[rule(path="/a//b/..")]))) == [
        "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": must not contain '//'",
        "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": cannot end with '/..'",
    ]
    r = rule()
    del r["http"]["paths"][0]["pathType"]
    assert messages(validate(ingress(rules=[r]))) == [
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"
    ]
    assert messages(validate(ingress(rules=[rule(pathType="Regex")]))) == [
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", '
        '"ImplementationSpecific", "Prefix"'
    ]
    assert messages(validate(ingress(rules=[{"host": "a.example.com", "http": {"paths": []}}]))) == [
        "spec.rules[0].http.paths: Required value"
    ]


def test_backends():
    both = {"service": {"name": "web", "port": {"number": 80}}, "resource": {"kind": "Bucket", "name": "b"}}
    assert messages(validate(ingress(defaultBackend=both))) == [
        'spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'
    ]
    assert messages(validate(ingress(defaultBackend={}))) == [
        'spec.defaultBackend: Invalid value: "": resource or service backend is required'
    ]
    assert messages(
        validate(ingress(defaultBackend={"service": {"name": "web", "port": {"name": "http", "number": 80}}}))
    ) == ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']
    assert messages(validate(ingress(defaultBackend={"service": {"name": "web", "port": {}}}))) == [
        "spec.defaultBackend: Required value: port name or number is required"
    ]
    assert messages(
        validate(ingress(defaultBackend={"service": {"name": "web", "port": {"number": 70000}}}))
    ) == [
        "spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"
    ]
    assert messages(validate(ingress(defaultBackend={"resource": {"kind": "", "name": "a/b"}}))) == [
        "spec.defaultBackend.resource.kind: Required value: kind is required",
        "spec.defaultBackend.resource.name: Invalid value: \"a/b\": may not contain '/'",
    ]


def test_tls_class_and_annotation():
    obj = ingress(
        defaultBackend=BACKEND,
        tls=[{"hosts": ["*.Example.com"], "secretName": "Bad"}],
        ingressClassName="Nginx",
    )
    errs = messages(validate(obj))
    assert errs[0].startswith(
        'spec.tls[0].hosts[0]: Invalid value: "*.Example.com": a wildcard DNS-1123 subdomain'
    )
    assert errs[1].startswith('spec.tls[0].secretName: Invalid value: "Bad": a lowercase RFC 1123 subdomain')
    assert errs[2].startswith('spec.ingressClassName: Invalid value: "Nginx": a lowercase RFC 1123 subdomain')
    obj = ingress(defaultBackend=BACKEND, ingressClassName="nginx")
    obj["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "traefik"}
    assert messages(validate(obj)) == [
        'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified'
    ]


def test_ingress_class():
    ic = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "nginx"},
        "spec": {"controller": "k8s.io/ingress-nginx"},
    }
    assert validate(ic) == []
    ic["spec"] = {"controller": "nginx", "parameters": {"kind": "Params", "name": "p", "scope": "Namespace"}}
    assert messages(validate(ic)) == [
        'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
        "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
    ]


def test_network_policy():
    np = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "db"},
        "spec": {
            "podSelector": {"matchLabels": {"app": "db"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 5432}]}
            ],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}]}],
        },
    }
    assert validate(np) == []
    np["spec"]["ingress"] = [
        {
            "from": [{}, {"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}],
            "ports": [{"port": 80, "endPort": 79, "protocol": "ICMP"}],
        }
    ]
    np["spec"]["egress"] = [
        {
            "to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["192.168.0.0/16"]}}],
            "ports": [{"port": "http", "endPort": 90}],
        }
    ]
    np["spec"]["policyTypes"] = ["Ingress", "Both"]
    assert messages(validate(np)) == [
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
        "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`",
        "spec.ingress[0].from[0]: Required value: must specify a peer",
        "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
        'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`',
        "spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
        'spec.policyTypes[1]: Unsupported value: "Both": supported values: "Ingress", "Egress"',
    ]
