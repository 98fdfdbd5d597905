"""kctl expose: the Service kubectl builds from an object, and kubectl's errors."""

from __future__ import annotations

import pytest

MULTI_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: multi
  labels: {app: multi}
spec:
  containers:
  - name: a
    image: nginx
    ports: [{containerPort: 80}, {containerPort: 443}]
  - name: dns
    image: coredns/coredns
    ports: [{containerPort: 53, protocol: UDP}]
"""


def test_expose_deployment_routes_to_its_pods(web):
    r = web("expose", "deployment", "web")
    assert (r.code, r.out) == (0, "service/web exposed\n")
    assert "+ endpoints/web -n default" in r.err  # the control-plane pass
    svc = web.obj("service", "web")
    assert svc["metadata"]["labels"] == {"app": "web"}
    assert svc["spec"]["selector"] == {"app": "web"}
    assert svc["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert svc["spec"]["type"] == "ClusterIP"
    route = web.ok("route", "svc/web:80")
    assert "service     default/web port 80 -> targetPort 80\n" in route
    assert "endpoints   3 ready; kube-proxy spreads evenly, 1/3 each\n" in route


def test_expose_dry_run_client_prints_kubectls_object(web):
    out = web.ok("expose", "deploy/web", "--port=8080", "--target-port=http", "--name=web2", "--type=NodePort",
                 "--dry-run=client", "-o", "yaml")
    assert out == """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web2
spec:
  ports:
  - port: 8080
    protocol: TCP
    targetPort: http
  selector:
    app: web
  type: NodePort
status:
  loadBalancer: {}
"""
    assert web.items("services", "-l", "app=web") == []


def test_expose_dry_run_client_json_keeps_go_field_order(web):
    out = web.ok("expose", "deploy/web", "--dry-run=client", "-o", "json", "-n", "default")
    assert out.startswith('{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n'
                          '        "name": "web",\n        "namespace": "default",\n'
                          '        "creationTimestamp": null,')


def test_expose_dry_runs_and_name_output(web):
    assert web.ok("expose", "deploy/web", "--dry-run=client") == "service/web exposed (dry run)\n"
    r = web("expose", "deploy/web", "--dry-run=server")
    assert (r.code, r.out, r.err) == (0, "service/web exposed (server dry run)\n", "")
    assert web.items("services", "-l", "app=web") == []
    assert web.ok("expose", "deploy/web", "-o", "name", "-q") == "service/web\n"


def test_expose_multi_port_pod_names_the_ports(k):
    k.apply(MULTI_POD, "-q")
    assert k.ok("expose", "pod", "multi", "-q") == "service/multi exposed\n"
    assert k.obj("service", "multi")["spec"]["ports"] == [
        {"name": "port-1", "port": 80, "protocol": "TCP", "targetPort": 80},
        {"name": "port-2", "port": 443, "protocol": "TCP", "targetPort": 443},
        {"name": "port-3", "port": 53, "protocol": "UDP", "targetPort": 53},
    ]
    # --port picks one; its protocol still comes from the pod unless --protocol says otherwise
    k.ok("expose", "pod", "multi", "--port=53", "--name=dns", "-q")
    assert k.obj("service", "dns")["spec"]["ports"] == [{"port": 53, "protocol": "UDP", "targetPort": 53}]
    k.ok("expose", "pod", "multi", "--port=53", "--protocol=TCP", "--name=dns-tcp", "-q")
    assert k.obj("service", "dns-tcp")["spec"]["ports"] == [{"port": 53, "protocol": "TCP", "targetPort": 53}]


def test_expose_service_copies_its_selector_and_ports(web):
    web.ok("expose", "deploy/web", "-q")
    web.ok("expose", "service", "web", "--port=443", "--target-port=80", "--name=web-https", "--labels=tier=fe",
           "--session-affinity=ClientIP", "-q")
    svc = web.obj("service", "web-https")
    assert svc["metadata"]["labels"] == {"tier": "fe"}
    assert svc["spec"]["selector"] == {"app": "web"}
    assert svc["spec"]["ports"] == [{"port": 443, "protocol": "TCP", "targetPort": 80}]
    assert svc["spec"]["sessionAffinity"] == "ClientIP"


def test_expose_in_a_namespace_and_headless(k):
    k.ok("create", "namespace", "dev", "-q")
    k.ok("run", "solo", "--image=nginx", "-n", "dev", "-q")
    r = k("expose", "pod", "solo", "-n", "dev")
    assert (r.code, r.err) == (1, "error: couldn't find port via --port flag or introspection\n")
    assert k.ok("expose", "pod", "solo", "-n", "dev", "--cluster-ip=None", "-q") == "service/solo exposed\n"
    svc = k.obj("service", "solo", "-n", "dev")
    assert svc["spec"]["clusterIP"] == "None"
    assert not svc["spec"].get("ports")
    assert svc["spec"]["selector"] == {"run": "solo"}


@pytest.mark.parametrize("manifest,args,message", [
    ("", ["deploy/nope"], 'Error from server (NotFound): deployments.apps "nope" not found\n'),
    ("", ["svc/kubernetes", "--name=k2"],
     "error: couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set\n"),
    ("", ["deploy/web", "--session-affinity=Sticky", "--name=w"], "error: unknown session affinity: Sticky\n"),
    ("", ["deploy/web", "--selector=app", "--name=w"], "error: unexpected label spec: app\n"),
    ("", ["deploy/web", "--port=http", "--name=w"], 'error: strconv.Atoi: parsing "http": invalid syntax\n'),
    ("", ["deploy/web", "-o", "wide"],
     'error: unable to match a printer suitable for the output format "wide", allowed formats are: json,name,yaml\n'),
    ("""\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
""", ["configmap", "cfg"], "error: cannot expose a ConfigMap\n"),
    ("""\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
""", ["sts/db"], "error: cannot expose a StatefulSet.apps\n"),
    ("""\
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: expr}
spec:
  replicas: 0
  selector:
    matchExpressions: [{key: app, operator: In, values: [expr]}]
  template:
    metadata: {labels: {app: expr}}
    spec: {containers: [{name: a, image: nginx, ports: [{containerPort: 80}]}]}
""", ["rs/expr"],
     "error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "
     "\"[{Key:app Operator:In Values:[expr]}]\" to map-based selector format\n"),
])
def test_expose_errors(web, manifest, args, message):
    if manifest:
        web.apply(manifest, "-q")
    r = web("expose", *args)
    assert (r.code, r.out, r.err) == (1, "", message)


def test_expose_twice_is_already_exists(web):
    web.ok("expose", "deploy/web", "-q")
    r = web("expose", "deploy/web")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (AlreadyExists): services "web" already exists\n')
