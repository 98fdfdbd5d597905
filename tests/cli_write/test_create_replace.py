"""kctl create (-f and generators) and kctl replace."""

from __future__ import annotations

import base64
import json

from tests.cli_write.conftest import WEB, WEB_SVC

DEPLOYMENT_DRY_RUN_JSON = """\
{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 3,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx:1.25",
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
"""

SERVICE_DRY_RUN_YAML = """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  ports:
  - name: 80-8080
    port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: web
  type: ClusterIP
status:
  loadBalancer: {}
"""

NAMESPACE_DRY_RUN_YAML = """\
apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: null
  name: dev
spec: {}
status: {}
"""

INVALID = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: -1
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers: [{name: c, image: nginx}]
"""


def test_create_from_file_and_already_exists(k):
    path = k.file("web.yaml", WEB + "---\n" + WEB_SVC)
    r = k("create", "-f", path, "-q")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web created\nservice/web created\n", "")
    assert len(k.names("pods")) == 2
    r = k("create", "-f", path, "-q")
    assert r.code == 1
    assert r.out == ""
    assert r.err == (
        f'Error from server (AlreadyExists): error when creating "{path}": deployments.apps "web" already exists\n'
        f'Error from server (AlreadyExists): error when creating "{path}": services "web" already exists\n'
    )


def test_multi_document_create_with_an_invalid_document(k):
    path = k.file("mixed.yaml", WEB_SVC + "---\n" + INVALID)
    r = k("create", "-f", path, "-q")
    assert r.code == 1
    assert r.out == "service/web created\n"
    assert r.err == f"error: {path}:15:13: Deployment/bad: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
    assert k.get("services", "web") is not None
    assert k.get("deployments", "bad") is None


def test_server_side_validation_when_client_validation_is_off(k):
    path = k.file("mixed.yaml", INVALID + "---\n" + WEB_SVC)
    r = k("create", "-f", path, "--validate=false", "-q")
    assert r.code == 1
    assert r.out == "service/web created\n"
    assert r.err == 'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'
    assert k.get("deployments", "bad") is None


def test_failing_command_leaves_no_partial_writes(k, monkeypatch):
    """An unexpected failure after the API server stored the object rolls the whole
    transaction back: the command's writes and the control plane's go together."""
    import kctl.controllers.runner as runner

    def broken(api, **kw):
        raise RuntimeError("control plane exploded")

    monkeypatch.setattr(runner, "run_control_plane", broken)
    r = k("create", "deployment", "web", "--image=nginx")
    assert r.code == 1
    assert r.err == "error: internal error: RuntimeError: control plane exploded\n"
    assert k.get("deployments", "web") is None


def test_save_config(k):
    path = k.file("svc.yaml", WEB_SVC)
    k.ok("create", "-f", path, "--save-config", "-q")
    svc = k.get("services", "web")
    annotation = svc["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert json.loads(annotation)["metadata"] == {"annotations": {}, "name": "web", "namespace": "default"}
    r = k("apply", "-f", path, "-q")
    assert (r.code, r.out, r.err) == (0, "service/web unchanged\n", "")


def test_generator_local_objects(k):
    r = k("create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=80", "--dry-run=client", "-o", "json")
    assert (r.code, r.out, r.err) == (0, DEPLOYMENT_DRY_RUN_JSON, "")
    r = k("create", "service", "clusterip", "web", "--tcp=80:8080", "--dry-run=client", "-o", "yaml")
    assert r.out == SERVICE_DRY_RUN_YAML
    r = k("create", "namespace", "dev", "--dry-run=client", "-o", "yaml")
    assert r.out == NAMESPACE_DRY_RUN_YAML
    r = k("create", "namespace", "dev", "--dry-run=client")
    assert r.out == "namespace/dev created (dry run)\n"
    assert "dev" not in k.names("namespaces", None)


def test_create_deployment_runs_pods_and_reports_already_exists(k):
    r = k("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2")
    assert (r.code, r.out) == (0, "deployment.apps/web created\n")
    assert r.err.startswith("control plane: ")
    assert len(k.names("pods")) == 2
    r = k("create", "deployment", "web", "--image=nginx:1.25")
    assert (r.code, r.err) == (1, 'error: failed to create deployment: deployments.apps "web" already exists\n')


def test_create_namespace_twice(k):
    assert k.ok("create", "ns", "dev", "-q") == "namespace/dev created\n"
    assert k.names("serviceaccounts", "dev") == ["default"]
    r = k("create", "namespace", "dev")
    assert (r.code, r.err) == (1, 'Error from server (AlreadyExists): namespaces "dev" already exists\n')


def test_configmap_and_secret_generators(k):
    k.file("app.properties", "mode=prod\n")
    r = k("create", "configmap", "cfg", "--from-literal=a=1", f"--from-file={k.workdir / 'app.properties'}", "-q")
    assert r.out == "configmap/cfg created\n"
    assert k.get("configmaps", "cfg")["data"] == {"a": "1", "app.properties": "mode=prod\n"}
    r = k("create", "secret", "generic", "db", "--from-literal=user=admin", "--from-literal=password=s3cret", "-q")
    assert r.out == "secret/db created\n"
    secret = k.get("secrets", "db")
    assert secret["type"] == "Opaque"
    assert base64.b64decode(secret["data"]["password"]) == b"s3cret"
    r = k("create", "configmap", "x", "--from-literal=novalue")
    assert (r.code, r.err) == (1, "error: invalid literal source novalue, expected key=value\n")


def test_nodeport_service(k):
    r = k("create", "service", "nodeport", "web", "--tcp=80:8080", "--node-port=30080", "-q")
    assert r.out == "service/web created\n"
    svc = k.get("services", "web")
    assert svc["spec"]["type"] == "NodePort"
    assert svc["spec"]["ports"][0]["nodePort"] == 30080
    assert svc["spec"]["clusterIP"].startswith("10.")


def test_replace(web):
    path = web.file("svc.yaml", WEB_SVC.replace("targetPort: 80", "targetPort: 8080"))
    r = web("replace", "-f", path, "-q")
    assert (r.code, r.out) == (0, "service/web replaced\n")
    assert web.get("services", "web")["spec"]["ports"][0]["targetPort"] == 8080


def test_replace_missing_object(k):
    path = k.file("svc.yaml", WEB_SVC)
    r = k("replace", "-f", path, "-q")
    assert r.code == 1
    assert r.err == f'Error from server (NotFound): error when replacing "{path}": services "web" not found\n'


def test_replace_force_deletes_and_creates(web):
    uid = web.get("services", "web")["metadata"]["uid"]
    path = web.file("svc.yaml", WEB_SVC)
    r = web("replace", "--force", "-f", path, "-q")
    assert r.out == 'service "web" deleted from default namespace\nservice/web replaced\n'
    assert web.get("services", "web")["metadata"]["uid"] != uid
