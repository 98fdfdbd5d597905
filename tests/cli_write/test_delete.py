"""kctl delete: kubectl's messages, cascading through the garbage collector, namespaces."""

from __future__ import annotations

from tests.cli_write.conftest import WEB_SVC


def test_background_cascade_deletes_replicasets_and_pods(web):
    assert len(web.names("replicasets")) == 1
    assert len(web.names("pods")) == 2
    r = web("delete", "deployment", "web", "-q")
    assert (r.code, r.out, r.err) == (0, 'deployment.apps "web" deleted from default namespace\n', "")
    assert web.names("deployments") == []
    assert web.names("replicasets") == []
    assert web.names("pods") == []


def test_orphan_keeps_dependents_without_owner_references(web):
    rs = web.names("replicasets")
    r = web("delete", "deploy/web", "--cascade=orphan", "-q")
    assert r.out == 'deployment.apps "web" deleted from default namespace\n'
    assert web.names("replicasets") == rs
    assert not web.objects("replicasets")[0]["metadata"].get("ownerReferences")
    assert len(web.names("pods")) == 2


def test_legacy_boolean_cascade_warns(web):
    r = web("delete", "deployment", "web", "--cascade=false", "-q")
    assert r.code == 0
    assert r.err == "W: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n"
    assert len(web.names("replicasets")) == 1


def test_invalid_cascade(web):
    r = web("delete", "deployment", "web", "--cascade=sideways")
    assert (r.code, r.out) == (1, "")
    assert r.err == 'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"\n'
    assert web.names("deployments") == ["web"]


def test_not_found_names_are_reported_and_others_deleted(web):
    r = web("delete", "svc", "nope", "web", "-q")
    assert r.code == 1
    assert r.out == 'service "web" deleted from default namespace\n'
    assert r.err == 'Error from server (NotFound): services "nope" not found\n'
    assert web.get("services", "web") is None


def test_ignore_not_found(k):
    r = k("delete", "deployment", "ghost", "--ignore-not-found", "-q")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_selector_and_all_with_no_match(web):
    r = web("delete", "pods", "-l", "app=nothing", "-q")
    assert (r.code, r.out) == (0, "No resources found\n")
    web.ok("create", "secret", "generic", "s1", "--from-literal=a=b", "-n", "kube-node-lease", "-q")
    r = web("delete", "secrets", "--all", "-n", "kube-node-lease", "-q")
    assert r.out == 'secret "s1" deleted from kube-node-lease namespace\n'
    r = web("delete", "secrets", "--all", "-n", "kube-node-lease", "-q")
    assert (r.code, r.out) == (0, "No resources found\n")


def test_type_without_names(k):
    r = k("delete", "pods")
    assert (r.code, r.err) == (1, "error: resource(s) were provided, but no name, label selector, or --all flag specified\n")


def test_cluster_scoped_message_and_namespace_contents(k):
    k.ok("create", "namespace", "dev", "-q")
    k.apply(WEB_NS_DEV)
    assert k.names("deployments", "dev") == ["api"]
    r = k("delete", "namespace", "dev", "-q")
    assert (r.code, r.out) == (0, 'namespace "dev" deleted\n')
    assert k.names("deployments", "dev") == []
    assert k.names("pods", "dev") == []
    assert k.names("configmaps", "dev") == []
    assert "dev" not in k.names("namespaces", None)


def test_immortal_namespace(k):
    r = k("delete", "ns", "default")
    assert r.code == 1
    assert r.err.endswith('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n')


def test_output_name_and_dry_runs(web):
    r = web("delete", "deployment", "web", "--dry-run=client")
    assert r.out == 'deployment.apps "web" deleted (dry run) from default namespace\n'
    r = web("delete", "deployment", "web", "--dry-run=server")
    assert r.out == 'deployment.apps "web" deleted (server dry run) from default namespace\n'
    assert web.names("deployments") == ["web"]
    assert len(web.names("pods")) == 2
    r = web("delete", "deployment", "web", "-o", "name", "-q")
    assert r.out == "deployment.apps/web\n"


def test_force_deletion_warning(web):
    pod = web.names("pods")[0]
    r = web("delete", "pod", pod, "--force", "-q")
    assert r.code == 0
    assert r.out == f'pod "{pod}" force deleted from default namespace\n'
    assert r.err.startswith("Warning: Immediate deletion does not wait for confirmation")


def test_delete_from_file(web):
    path = web.file("svc.yaml", WEB_SVC)
    r = web("delete", "-f", path, "-q")
    assert r.out == 'service "web" deleted from default namespace\n'
    r = web("delete", "-f", path, "-q")
    assert r.code == 1
    assert r.err == f'Error from server (NotFound): error when deleting "{path}": services "web" not found\n'


def test_control_plane_report_goes_to_stderr(web):
    pod = web.names("pods")[0]
    r = web("delete", "pod", pod)
    assert r.out == f'pod "{pod}" deleted from default namespace\n'
    assert r.err.startswith("control plane: 1 created")
    assert len(web.names("pods")) == 2  # the ReplicaSet replaced it


WEB_NS_DEV = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: dev}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api:1}]
"""
