"""kctl label / annotate / scale / patch."""

from __future__ import annotations

import json

CONFLICT = ('Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": '
            "the object has been modified; please apply your changes to the latest version and try again\n")


def test_label_messages(web):
    assert web.ok("label", "deployment", "web", "tier=fe", "-q") == "deployment.apps/web labeled\n"
    assert web.ok("label", "deployment", "web", "tier=fe", "-q") == "deployment.apps/web not labeled\n"
    assert web.ok("label", "deploy/web", "tier-", "-q") == "deployment.apps/web unlabeled\n"
    assert web.ok("label", "deploy/web", "x=1", "app-", "-q") == "deployment.apps/web label(s) changed\n"
    assert web.ok("label", "deploy/web", "gone-", "-q") == 'label "gone" not found.\ndeployment.apps/web not labeled\n'
    assert web.get("deployments", "web")["metadata"]["labels"] == {"x": "1"}


def test_label_overwrite(web):
    r = web("label", "deployment", "web", "app=api")
    assert (r.code, r.out, r.err) == (1, "", "error: 'app' already has a value (web), and --overwrite is false\n")
    assert web.ok("label", "deployment", "web", "app=api", "--overwrite", "-q") == "deployment.apps/web labeled\n"
    assert web.get("deployments", "web")["metadata"]["labels"] == {"app": "api"}


def test_label_argument_errors(web):
    r = web("label", "deployment", "web")
    assert (r.code, r.err) == (1, "error: at least one label update is required\n")
    r = web("label", "deployment", "web", "a=b", "a-")
    assert r.err == "error: can not both modify and remove a label in the same command\n"
    r = web("label", "deployment", "web", "a=b=c")
    assert r.err == "error: invalid label spec: a=b=c\n"
    r = web("label", "a=b")
    assert r.err == "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"
    r = web("label", "deployment", "web", "a=b", "pods")
    assert r.err == "error: all resources must be specified before label changes: pods\n"


def test_label_selector_all_and_list(web):
    out = web.ok("label", "pods", "-l", "app=web", "tier=backend", "-q")
    assert out.count(" labeled\n") == 2
    assert web.ok("label", "deployment", "web", "--list") == "app=web\n"
    listing = web.ok("label", "pods", "--all", "--list")
    assert listing.startswith("Listing labels for Pod./web-")
    assert " tier=backend\n" in listing


def test_stale_resource_version_conflicts(web):
    rv = web.get("deployments", "web")["metadata"]["resourceVersion"]
    web.ok("label", "deployment", "web", "a=1", "-q")
    r = web("label", "deployment", "web", "b=2", f"--resource-version={rv}", "-q")
    assert (r.code, r.out, r.err) == (1, "", CONFLICT)
    assert "b" not in web.get("deployments", "web")["metadata"]["labels"]
    current = web.get("deployments", "web")["metadata"]["resourceVersion"]
    assert web.ok("label", "deployment", "web", "b=2", f"--resource-version={current}", "-q") == "deployment.apps/web labeled\n"


def test_annotate(web):
    assert web.ok("annotate", "deployment", "web", "note=a=b", "-q") == "deployment.apps/web annotated\n"
    assert web.get("deployments", "web")["metadata"]["annotations"]["note"] == "a=b"
    r = web("annotate", "deployment", "web", "note=c")
    assert r.err == ("error: --overwrite is false but found the following declared annotation(s): "
                     "'note' already has a value (a=b)\n")
    assert web.ok("annotate", "deployment", "web", "note-", "-q") == "deployment.apps/web annotated\n"
    assert "note" not in web.get("deployments", "web")["metadata"]["annotations"]
    r = web("annotate", "deployment", "web")
    assert r.err == "error: at least one annotation update is required\n"


def test_scale_changes_only_replicas_and_the_control_plane_follows(web):
    before = web.get("deployments", "web")
    r = web("scale", "--replicas=4", "deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web scaled\n")
    assert r.err.startswith("control plane: 2 created")
    after = web.get("deployments", "web")
    assert after["spec"] == {**before["spec"], "replicas": 4}
    assert len(web.names("pods")) == 4
    assert web.ok("scale", "deploy", "web", "--replicas=4", "-q") == "deployment.apps/web scaled\n"


def test_scale_errors(web):
    r = web("scale", "deployment", "web", "--replicas=3", "--current-replicas=5")
    assert (r.code, r.err) == (1, "error: Expected replicas to be 5, was 2\n")
    r = web("scale", "deployment", "web", "--replicas=-1")
    assert r.err == "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    r = web("scale", "deployment", "web")
    assert r.err == 'error: required flag(s) "replicas" not set\n'
    r = web("scale", "deployment", "nope", "--replicas=1", "-q")
    assert r.err == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    assert web.get("deployments", "web")["spec"]["replicas"] == 2


def test_scale_replicaset_directly(web):
    rs = web.names("replicasets")[0]
    assert web.ok("scale", "rs", rs, "--replicas=1", "-q") == f"replicaset.apps/{rs} scaled\n"


def test_patch_types(web):
    r = web("patch", "deployment", "web", "-p", '{"spec":{"replicas":3}}', "-q")
    assert (r.code, r.out) == (0, "deployment.apps/web patched\n")
    assert len(web.names("pods")) == 3
    r = web("patch", "deployment", "web", "-p", "spec: {replicas: 3}", "-q")
    assert r.out == "deployment.apps/web patched (no change)\n"
    # strategic merge: containers merge by name
    web.ok("patch", "deployment", "web", "-p",
           '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}', "-q")
    container = web.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]
    assert (container["image"], container["ports"]) == ("nginx:1.26", [{"containerPort": 80, "protocol": "TCP"}])
    # JSON merge patch: lists are replaced
    web.ok("patch", "svc", "web", "--type=merge", "-p", '{"spec":{"ports":[{"port":8080}]}}', "-q")
    assert [p["port"] for p in web.get("services", "web")["spec"]["ports"]] == [8080]
    # RFC 6902
    ops = [{"op": "test", "path": "/spec/replicas", "value": 3},
           {"op": "replace", "path": "/spec/replicas", "value": 1},
           {"op": "add", "path": "/metadata/labels/team", "value": "a"},
           {"op": "copy", "from": "/metadata/labels/team", "path": "/metadata/labels/owner"},
           {"op": "move", "from": "/metadata/labels/owner", "path": "/metadata/labels/lead"},
           {"op": "remove", "path": "/metadata/labels/app"}]
    assert web.ok("patch", "deploy/web", "--type", "json", "-p", json.dumps(ops), "-q") == "deployment.apps/web patched\n"
    deploy = web.get("deployments", "web")
    assert deploy["spec"]["replicas"] == 1
    assert deploy["metadata"]["labels"] == {"team": "a", "lead": "a"}


def test_patch_errors(web):
    r = web("patch", "deployment", "web", "--type=json", "-p", '[{"op":"test","path":"/spec/replicas","value":9}]')
    assert (r.code, r.err) == (1, "The request is invalid: testing value /spec/replicas failed: test failed\n")
    r = web("patch", "deployment", "web", "--type=json", "-p", '[{"op":"remove","path":"/spec/nope"}]')
    assert r.err == ("The request is invalid: error in remove for path: '/spec/nope': "
                     "Unable to remove nonexistent key: nope: missing value\n")
    r = web("patch", "deployment", "web", "-p", '{"spec":{"replicas":-2}}', "-q")
    assert r.err == 'The Deployment "web" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0\n'
    r = web("patch", "deployment", "web")
    assert r.err == "error: must specify --patch or --patch-file containing the contents of the patch\n"
    r = web("patch", "deployment", "web", "--type=bogus", "-p", "{}")
    assert r.err == 'error: --type must be one of [json merge strategic], not "bogus"\n'
    assert web.get("deployments", "web")["spec"]["replicas"] == 2


def test_patch_dry_run_writes_nothing(web):
    r = web("patch", "deployment", "web", "-p", '{"spec":{"replicas":5}}', "--dry-run=server")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web patched (server dry run)\n", "")
    assert web.get("deployments", "web")["spec"]["replicas"] == 2
