"""kctl set image|env|resources: kubectl's messages, exit codes, and what changes."""

from __future__ import annotations

import json

import pytest

from tests.cli_verbs.conftest import WEB
from tests.scenarios.conftest import new_cluster


def _template(k, name: str = "web") -> dict:
    return k.obj("deployment", name)["spec"]["template"]["spec"]


def _scaling_events(k) -> list[tuple[str, str, str]]:
    return [e for e in k.events("deployment/web") if e[1] == "ScalingReplicaSet"]


# -- set image -----------------------------------------------------------------------------------


def test_set_image_rolls_out_like_a_template_change(tmp_path):
    """The rolling update that ``set image`` starts is the one an applied template change
    starts: same ReplicaSets, same ScalingReplicaSet steps."""
    by_set = new_cluster(tmp_path / "a")
    by_set.apply(WEB, "-q")
    r = by_set("set", "image", "deployment/web", "web=nginx:1.28")
    assert (r.code, r.out) == (0, "deployment.apps/web image updated\n")
    assert "Scaled up replica set web-" in r.err and "from 0 to 1" in r.err  # the pass, on stderr

    by_apply = new_cluster(tmp_path / "b")
    by_apply.apply(WEB, "-q")
    by_apply.apply(WEB.replace("nginx:1.27", "nginx:1.28"), "-q")

    steps = _scaling_events(by_set)
    assert steps == _scaling_events(by_apply)
    # maxSurge 1 (25% of 3, rounded up), maxUnavailable 0 (rounded down): one pod at a time
    assert [m for _, _, m in steps] == [
        "Scaled up replica set web-84dccbd445 from 0 to 3",
        "Scaled up replica set web-97689457b from 0 to 1",
        "Scaled down replica set web-84dccbd445 from 3 to 2",
        "Scaled up replica set web-97689457b from 1 to 2",
        "Scaled down replica set web-84dccbd445 from 2 to 1",
        "Scaled up replica set web-97689457b from 2 to 3",
        "Scaled down replica set web-84dccbd445 from 1 to 0",
    ]
    assert steps[-1][2].startswith("Scaled down replica set web-") and steps[-1][2].endswith("from 1 to 0")
    pods = by_set.items("pods", "-l", "app=web")
    assert sorted(p["spec"]["containers"][0]["image"] for p in pods) == ["nginx:1.28"] * 3
    history = by_set.ok("rollout", "history", "deployment/web")
    assert history == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"


def test_set_image_same_image_prints_nothing_and_writes_nothing(web):
    before = web.obj("deployment", "web")["metadata"]["resourceVersion"]
    r = web("set", "image", "deployment/web", "web=nginx:1.27")
    assert (r.code, r.out, r.err) == (0, "", "")
    assert web.obj("deployment", "web")["metadata"]["resourceVersion"] == before


def test_set_image_wildcard_and_init_containers(k):
    k.apply("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: two}
        spec:
          selector: {matchLabels: {app: two}}
          template:
            metadata: {labels: {app: two}}
            spec:
              initContainers: [{name: init, image: busybox:1.36}]
              containers: [{name: a, image: nginx:1.27}, {name: b, image: redis:7}]
        """, "-q")
    assert k.ok("set", "image", "deploy", "two", "*=busybox:1.37", "-q") == "deployment.apps/two image updated\n"
    spec = _template(k, "two")
    assert [c["image"] for c in spec["initContainers"] + spec["containers"]] == ["busybox:1.37"] * 3


def test_set_image_dry_runs_and_outputs(web):
    assert web.ok("set", "image", "deployment/web", "web=nginx:1.28", "--dry-run=client") == \
        "deployment.apps/web image updated (dry run)\n"
    r = web("set", "image", "deployment/web", "web=nginx:1.28", "--dry-run=server")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web image updated (server dry run)\n", "")
    assert _template(web)["containers"][0]["image"] == "nginx:1.27"
    assert web.ok("set", "image", "deployment/web", "web=nginx:1.28", "-o", "name", "-q") == "deployment.apps/web\n"
    doc = json.loads(web.ok("set", "image", "deployment/web", "web=nginx:1.29", "-o", "json", "-q"))
    assert doc["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.29"
    assert doc["metadata"]["generation"] == 3


def test_set_image_by_selector_and_all(k):
    for name in ("a", "b"):
        k.apply(WEB.replace("name: web\n  labels: {app: web}", f"name: {name}\n  labels: {{tier: {name}}}")
                .replace("replicas: 3", "replicas: 1"), "-q")
    assert k.ok("set", "image", "deployments", "web=nginx:1.28", "--all", "-q") == \
        "deployment.apps/a image updated\ndeployment.apps/b image updated\n"
    assert k.ok("set", "image", "deployments", "-l", "tier=b", "web=nginx:1.29", "-q") == \
        "deployment.apps/b image updated\n"
    assert _template(k, "a")["containers"][0]["image"] == "nginx:1.28"
    assert _template(k, "b")["containers"][0]["image"] == "nginx:1.29"


def test_set_image_on_a_pod(k):
    k.ok("run", "p", "--image=nginx:1.27", "-q")
    assert k.ok("set", "image", "pod/p", "p=nginx:1.28", "-q") == "pod/p image updated\n"
    assert k.obj("pod", "p")["spec"]["containers"][0]["image"] == "nginx:1.28"


def test_set_image_local_prints_the_file_changed(web, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(WEB)
    out = web.ok("set", "image", "-f", str(path), "web=nginx:2", "--local", "-o", "yaml")
    assert "      - image: nginx:2\n        name: web\n" in out
    assert "resourceVersion" not in out
    assert _template(web)["containers"][0]["image"] == "nginx:1.27"


@pytest.mark.parametrize("args,message", [
    (["deployment/web", "nope=nginx"], 'error: unable to find container named "nope"\n'),
    (["deployment/web", "x=a", "y=b"],
     'error: unable to find container named "x"\nerror: unable to find container named "y"\n'),
    (["deployment/missing", "web=nginx"], 'Error from server (NotFound): deployments.apps "missing" not found\n'),
    (["svc/kubernetes", "a=b"],
     "error: services/kubernetes the object is not a pod or does not have a pod template: *v1.Service\n"),
    (["deployment/web"], "error: at least one image update is required\n"),
    (["web=nginx"], "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"),
    (["deployment/web", "web-"], "error: invalid image format: web-\n"),
    (["deployment/web", "a=b", "c"], "error: all resources must be specified before image changes: c\n"),
    (["deployment/web", "*=a", "web=b"],
     "error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n"),
    (["deployments", "--all", "-l", "app=web", "web=a"], "error: cannot set --all and --selector at the same time\n"),
    (["deployment/web", "web=a", "--local"],
     "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n"
     "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"),
    (["deployment/web", "web=a", "-o", "wide"],
     'error: unable to match a printer suitable for the output format "wide", allowed formats are: json,name,yaml\n'),
])
def test_set_image_errors(web, args, message):
    before = web.obj("deployment", "web")["metadata"]["resourceVersion"]
    r = web("set", "image", *args)
    assert (r.code, r.out, r.err) == (1, "", message)
    assert web.obj("deployment", "web")["metadata"]["resourceVersion"] == before


def test_set_image_missing_object_stops_before_any_write(web):
    r = web("set", "image", "deployment/web", "deployment/missing", "web=nginx:1.28")
    assert (r.code, r.out) == (1, "")
    assert r.err == 'Error from server (NotFound): deployments.apps "missing" not found\n'
    assert _template(web)["containers"][0]["image"] == "nginx:1.27"


def test_set_image_local_with_server_dry_run(web, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(WEB)
    r = web("set", "image", "-f", str(path), "web=a", "--local", "--dry-run=server")
    assert (r.code, r.err) == (1, "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n")


# -- set env -------------------------------------------------------------------------------------


def test_set_env_set_list_remove(web):
    assert web.ok("set", "env", "deployment/web", "A=1", "B=two", "-q") == "deployment.apps/web env updated\n"
    assert _template(web)["containers"][0]["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "two"}]
    assert web.ok("set", "env", "deployment/web", "--list") == "# Deployment web, container web\nA=1\nB=two\n"
    assert web.ok("set", "env", "deployment/web", "-e", "A=3", "C=4", "-q") == "deployment.apps/web env updated\n"
    assert [(e["name"], e["value"]) for e in _template(web)["containers"][0]["env"]] == \
        [("A", "3"), ("B", "two"), ("C", "4")]
    assert web.ok("set", "env", "deployment/web", "A-", "B-", "C-", "-q") == "deployment.apps/web env updated\n"
    assert "env" not in _template(web)["containers"][0]
    # nothing left to remove: no change, nothing printed
    assert web.ok("set", "env", "deployment/web", "A-") == ""


def test_set_env_starts_a_rollout(web):
    r = web("set", "env", "deployment/web", "MODE=prod")
    assert r.code == 0
    assert "ScalingReplicaSet  deployment/web" in r.err
    pods = web.items("pods", "-l", "app=web")
    assert [p["spec"]["containers"][0].get("env") for p in pods] == [[{"name": "MODE", "value": "prod"}]] * 3


def test_set_env_from_configmap_with_prefix_and_keys(web):
    web.ok("create", "configmap", "cfg", "--from-literal=db.host=x", "--from-literal=port=5432", "-q")
    assert web.ok("set", "env", "deployment/web", "--from=configmap/cfg", "--prefix=APP_", "-q") == \
        "deployment.apps/web env updated\n"
    assert _template(web)["containers"][0]["env"] == [
        {"name": "APP_DB_HOST", "valueFrom": {"configMapKeyRef": {"key": "db.host", "name": "cfg"}}},
        {"name": "APP_PORT", "valueFrom": {"configMapKeyRef": {"key": "port", "name": "cfg"}}},
    ]
    assert web.ok("set", "env", "deployment/web", "--list") == (
        "# Deployment web, container web\n"
        "# APP_DB_HOST from configmap cfg, key db.host\n"
        "# APP_PORT from configmap cfg, key port\n"
    )
    web.ok("set", "env", "deployment/web", "APP_DB_HOST-", "APP_PORT-", "-q")
    web.ok("set", "env", "deployment/web", "--from=configmap/cfg", "--keys=port", "-q")
    assert [e["name"] for e in _template(web)["containers"][0]["env"]] == ["PORT"]


def test_set_env_container_selection(web):
    r = web("set", "env", "deployment/web", "-c", "side*", "A=1")
    assert (r.code, r.out, r.err) == (0, "", 'warning: Deployment/web does not have any containers matching "side*"\n')
    assert web.ok("set", "env", "deployment/web", "-c", "w*b", "A=1", "-q") == "deployment.apps/web env updated\n"


def test_set_env_overwrite_false(web):
    web.ok("set", "env", "deployment/web", "A=1", "-q")
    r = web("set", "env", "deployment/web", "A=2", "--overwrite=false")
    assert (r.code, r.out) == (1, "")
    assert r.err == "error: deployments.apps/web 'A' already has a value (1), and --overwrite is false\n"
    assert web.ok("set", "env", "deployment/web", "A=1", "--overwrite=false") == ""


def test_set_env_from_stdin(web):
    assert web.ok("set", "env", "deployment/web", "-", "-q", stdin="X=1 # comment\n\nY=2\n") == \
        "deployment.apps/web env updated\n"
    assert [e["name"] for e in _template(web)["containers"][0]["env"]] == ["X", "Y"]


@pytest.mark.parametrize("args,message", [
    (["deployment/web", "1X=2"],
     "error: \"1X\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, "
     "digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
     "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')\n"),
    (["deployment/web", "A=1", "A-"],
     "error: can not both modify and remove the same environment variable in the same command\n"),
    (["deployment/web", "A=1", "deployment/x"],
     "error: all resources must be specified before environment changes: deployment/web A=1 deployment/x\n"),
    (["A=1"], "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"),
    (["deployment/web", "--list", "-o", "yaml"], "error: --list and --output may not be specified together\n"),
    (["deployment/web", "--keys=a"],
     "error: when specifying --keys, a configmap or secret must be provided with --from\n"),
    (["deployment/web", "--from=deployment/web"], "error: unsupported resource specified in --from\n"),
    (["deployment/web", "--from=configmap/nope"], 'Error from server (NotFound): configmaps "nope" not found\n'),
    (["deployment/web", "A=1", "--overwrite=maybe"],
     'error: invalid argument "maybe" for "--overwrite" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n'),
])
def test_set_env_errors(web, args, message):
    r = web("set", "env", *args)
    assert (r.code, r.out, r.err) == (1, "", message)


# -- set resources -------------------------------------------------------------------------------


def test_set_resources(web):
    r = web("set", "resources", "deployment", "web", "--limits=cpu=200m,memory=512Mi", "--requests=cpu=0.1")
    assert (r.code, r.out) == (0, "deployment.apps/web resource requirements updated\n")
    assert "ScalingReplicaSet" in r.err
    assert _template(web)["containers"][0]["resources"] == {
        "limits": {"cpu": "200m", "memory": "512Mi"}, "requests": {"cpu": "100m"}}
    # merged into what is there; the same values again change nothing
    assert web.ok("set", "resources", "deployment/web", "--limits=memory=1Gi", "-q") == \
        "deployment.apps/web resource requirements updated\n"
    assert _template(web)["containers"][0]["resources"]["limits"] == {"cpu": "200m", "memory": "1Gi"}
    assert web.ok("set", "resources", "deployment/web", "--limits=memory=1024Mi") == ""


@pytest.mark.parametrize("args,message", [
    (["deployment/web"],
     "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n"),
    (["deployment/web", "--limits=cpu"], "error: Invalid argument syntax cpu, expected <resource>=<value>\n"),
    (["deployment/web", "--limits=cpu=lots"],
     "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"),
    (["deployment/web", "-c", "nope", "--limits=cpu=1"], "error: unable to find container named nope\n"),
    (["svc/kubernetes", "--limits=cpu=1"],
     "error: services/kubernetes the object is not a pod or does not have a pod template: *v1.Service\n"),
])
def test_set_resources_errors(web, args, message):
    r = web("set", "resources", *args)
    assert (r.code, r.out, r.err) == (1, "", message)


def test_set_without_subcommand_prints_help(k):
    out = k.ok("set")
    assert "image" in out and "env" in out and "resources" in out


# -- set selector --------------------------------------------------------------------------------


def test_set_selector_repoints_a_service(web):
    web.ok("expose", "deployment/web", "-q")
    r = web("set", "selector", "service/web", "app=web,track=canary")
    assert (r.code, r.out) == (0, "service/web selector updated\n")
    assert "~ endpointslice.discovery.k8s.io/web-" in r.err  # the endpoints follow the selector
    assert web.obj("service", "web")["spec"]["selector"] == {"app": "web", "track": "canary"}
    r = web("route", "svc/web:80")
    assert (r.code, r.err) == (1, "error: service default/web has no ready endpoints: connection refused\n")
    # unchanged: still printed, as kubectl prints it
    assert web.ok("set", "selector", "service/web", "app=web", "-q") == "service/web selector updated\n"
    assert "endpoints   3 ready" in web.ok("route", "svc/web:80")
    assert web.ok("set", "selector", "service/web", "app=x", "--dry-run=client") == \
        "service/web selector updated (dry run)\n"


@pytest.mark.parametrize("args,message", [
    ([], "error: one selector is required\n"),
    (["deployment/web", "app=web"], "error: setting a selector is only supported for Services\n"),
    (["svc/kubernetes", "tier in (a,b)"], "error: match expression [{tier In [a b]}] not supported on this object\n"),
    (["svc/nope", "a=b"], 'Error from server (NotFound): services "nope" not found\n'),
    (["svc/kubernetes", "a=b", "--resource-version=1"],
     'Error from server (Conflict): Operation cannot be fulfilled on services "kubernetes": the object has been '
     "modified; please apply your changes to the latest version and try again\n"),
])
def test_set_selector_errors(web, args, message):
    r = web("set", "selector", *args)
    assert (r.code, r.out, r.err) == (1, "", message)
