from __future__ import annotations

from kctl.api.validation import validate
from tests.validation.conftest import messages


def svc(**spec):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec}


def test_realistic_services_are_valid():
    assert (
        validate(svc(selector={"app": "web"}, ports=[{"name": "http", "port": 80, "targetPort": "http"}]))
        == []
    )
    assert validate(svc(type="NodePort", ports=[{"port": 80, "nodePort": 30080}])) == []
    assert validate(svc(clusterIP="None", selector={"app": "db"})) == []
    assert validate(svc(type="ExternalName", externalName="db.example.com.")) == []
    assert (
        validate(
            svc(type="LoadBalancer", ports=[{"port": 443, "targetPort": 8443}], externalTrafficPolicy="Local")
        )
        == []
    )


def test_ports_required():
    assert messages(validate(svc(selector={"app": "web"}))) == ["spec.ports: Required value"]


def test_port_rules():
    ports = [
        {"port": 80},
        {"name": "HTTP", "port": 0, "protocol": "ICMP", "targetPort": 70000},
        {"name": "a", "port": 81, "targetPort": "--x"},
        {"name": "a", "port": 80},
    ]
    assert messages(validate(svc(ports=ports))) == [
        "spec.ports[0].name: Required value",
        'spec.ports[1].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
        "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        'spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        "spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'spec.ports[2].targetPort: Invalid value: "--x": must not contain consecutive hyphens',
        'spec.ports[2].targetPort: Invalid value: "--x": must not begin or end with a hyphen',
        'spec.ports[3].name: Duplicate value: "a"',
        'spec.ports[3]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}',
    ]


def test_node_ports():
    assert messages(validate(svc(type="NodePort", ports=[{"port": 80, "nodePort": 80}]))) == [
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
    ]
    assert messages(validate(svc(ports=[{"port": 80, "nodePort": 30080}]))) == [
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
    ]
    dup = [{"name": "a", "port": 80, "nodePort": 30080}, {"name": "b", "port": 81, "nodePort": 30080}]
    assert messages(validate(svc(type="NodePort", ports=dup))) == [
        "spec.ports[1].nodePort: Duplicate value: 30080"
    ]


def test_type_and_cluster_ip_rules():
    assert messages(validate(svc(type="Internal", ports=[{"port": 80}]))) == [
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'
    ]
    assert messages(validate(svc(type="NodePort", clusterIP="None", ports=[{"port": 80}]))) == [
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"
    ]
    assert messages(validate(svc(clusterIP="10.96.0.300", ports=[{"port": 80}]))) == [
        'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
    ]
    assert messages(
        validate(svc(clusterIP="10.96.0.10", clusterIPs=["10.96.0.11"], ports=[{"port": 80}]))
    ) == ['spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match `clusterIP`']
    assert messages(validate(svc(externalTrafficPolicy="Local", ports=[{"port": 80}]))) == [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'
    ]


def test_external_name():
    assert messages(validate(svc(type="ExternalName"))) == ["spec.externalName: Required value"]
    assert messages(validate(svc(type="ExternalName", externalName="Not_A_Host")))[0].startswith(
        'spec.externalName: Invalid value: "Not_A_Host": a lowercase RFC 1123 subdomain'
    )
    assert messages(
        validate(svc(type="ExternalName", externalName="db.example.com", clusterIP="10.0.0.1"))
    ) == ["spec.clusterIPs: Forbidden: may not be set for ExternalName services"]


def test_selector_and_session_affinity():
    assert messages(validate(svc(selector={"app": "we b"}, ports=[{"port": 80}])))[0].startswith(
        'spec.selector: Invalid value: "we b": a valid label must be'
    )
    assert messages(validate(svc(sessionAffinity="Sticky", ports=[{"port": 80}]))) == [
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'
    ]
