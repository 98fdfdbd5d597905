"""kctl run: a bare pod (and with --expose its service), kubectl's flag checks."""

from __future__ import annotations

import pytest


def test_run_creates_a_pod_that_runs(k):
    r = k("run", "web", "--image=nginx:1.27", "--port=80", "--env=MODE=prod", "--annotations=team=a")
    assert (r.code, r.out) == (0, "pod/web created\n")
    assert "Scheduled  pod/web  Successfully assigned default/web to node-" in r.err
    pod = k.obj("pod", "web")
    assert pod["metadata"]["labels"] == {"run": "web"}
    assert pod["metadata"]["annotations"] == {"team": "a"}
    container = pod["spec"]["containers"][0]
    assert (container["name"], container["image"]) == ("web", "nginx:1.27")
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert container["env"] == [{"name": "MODE", "value": "prod"}]
    assert pod["spec"]["restartPolicy"] == "Always"
    assert pod["status"]["phase"] == "Running"


def test_run_arguments_become_args_or_command(k):
    k.ok("run", "a", "--image=busybox", "--restart=Never", "-q", "--", "sleep", "3600")
    k.ok("run", "c", "--image=busybox", "--restart=OnFailure", "--command", "-q", "--", "sh", "-c", "echo hi")
    a, c = k.obj("pod", "a"), k.obj("pod", "c")
    assert a["spec"]["containers"][0]["args"] == ["sleep", "3600"] and "command" not in a["spec"]["containers"][0]
    assert c["spec"]["containers"][0]["command"] == ["sh", "-c", "echo hi"]
    assert (a["spec"]["restartPolicy"], c["spec"]["restartPolicy"]) == ("Never", "OnFailure")


def test_run_expose_creates_the_service_too(k):
    r = k("run", "web", "--image=nginx", "--port=80", "--expose", "-l", "app=web,tier=fe")
    assert (r.code, r.out) == (0, "pod/web created\nservice/web created\n")
    svc = k.obj("service", "web")
    assert svc["metadata"]["labels"] == {"app": "web", "tier": "fe"}
    assert svc["spec"]["selector"] == {"app": "web", "tier": "fe"}
    assert svc["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert "endpoints   1 ready" in k.ok("route", "svc/web:80")
    # without -l the service selects run=NAME and has no labels of its own
    k.ok("run", "api", "--image=nginx", "--port=8080", "--expose", "-q")
    api = k.obj("service", "api")
    assert "labels" not in api["metadata"] and api["spec"]["selector"] == {"run": "api"}


def test_run_dry_run_client_yaml(k):
    out = k.ok("run", "y", "--image=nginx", "--port=80", "--expose", "-n", "dev", "--dry-run=client", "-o", "yaml",
               "--", "a", "b")
    assert out == """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: "y"
  name: "y"
  namespace: dev
spec:
  containers:
  - args:
    - a
    - b
    image: nginx
    name: "y"
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
---
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  name: "y"
  namespace: dev
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    run: "y"
status:
  loadBalancer: {}
"""


def test_run_dry_runs_store_nothing(k):
    assert k.ok("run", "t", "--image=nginx", "--dry-run=client") == "pod/t created (dry run)\n"
    r = k("run", "t", "--image=nginx", "--port=80", "--expose", "--dry-run=server", "-o", "name")
    assert (r.code, r.out, r.err) == (0, "pod/t\nservice/t\n", "")
    assert all(p["metadata"]["name"] != "t" for p in k.items("pods"))


def test_run_existing_pod(k):
    k.ok("run", "t", "--image=nginx", "-q")
    r = k("run", "t", "--image=nginx")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (AlreadyExists): pods "t" already exists\n')


@pytest.mark.parametrize("args,message", [
    (["t"], 'error: required flag(s) "image" not set\n'),
    (["--image=nginx"], "error: NAME is required for run\n"),
    (["t", "--image="], "error: --image is required\n"),
    (["t", "--image=Nginx"], 'error: invalid image name "Nginx": invalid reference format\n'),
    (["t", "--image=nginx:"], 'error: invalid image name "nginx:": invalid reference format\n'),
    (["t", "--image=nginx", "-t"], "error: -i/--stdin is required for containers with -t/--tty=true\n"),
    (["t", "--image=nginx", "--rm"], "error: --rm should only be used for attached containers\n"),
    (["t", "--image=nginx", "--expose"], "error: --port must be set when exposing a service\n"),
    (["t", "--image=nginx", "--port=http"], "error: --port must be a number\n"),
    (["t", "--image=nginx", "--restart=Sometimes"],
     "error: invalid restart policy: Sometimes, valid values are: Always, OnFailure, Never\n"),
    (["t", "--image=nginx", "--image-pull-policy=Maybe"], "error: invalid image pull policy: Maybe\n"),
    (["t", "--image=nginx", "--env=1A=b"], "error: invalid env: 1A=b\n"),
    (["t", "--image=nginx", "--env=A"], "error: invalid env: A\n"),
    (["t", "--image=nginx", "-l", "app"], "error: unexpected label spec: app\n"),
    (["t", "--image=nginx", "--annotations=x"], "error: invalid annotations format: x\n"),
    (["t", "--image=nginx", "-i", "--dry-run=client"],
     "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n"),
    (["t", "--image=busybox", "-it", "--rm"],
     "error: kctl cannot attach to a container: the simulated cluster runs no processes "
     "(drop -i/--stdin, -t/--tty, --attach and --rm)\n"),
])
def test_run_errors(k, args, message):
    r = k("run", *args)
    assert (r.code, r.out, r.err) == (1, "", message)
    assert all(p["metadata"]["name"] != "t" for p in k.items("pods"))
