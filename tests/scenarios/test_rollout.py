"""kctl rollout over a live cluster: undo (previous, --to-revision, renumbering), history
(table and --revision), pause/resume, restart, status, and the StatefulSet/DaemonSet forms."""

from __future__ import annotations

from .conftest import deployment_yaml, names


def _images(k) -> dict[str, str]:
    return {p["metadata"]["name"]: p["spec"]["containers"][0]["image"] for p in k.items("pods")}


def _three_revisions(k) -> None:
    for tag in ("1.25", "1.26", "1.27"):
        k.apply(deployment_yaml(replicas=2, image=f"nginx:{tag}"))


def test_undo_goes_back_one_revision_and_renumbers_it(k):
    _three_revisions(k)
    r = k("rollout", "undo", "deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web rolled back\n")
    assert "control plane:" in r.err  # the rollout happens in the same command
    assert set(_images(k).values()) == {"nginx:1.26"}
    assert k.ok("rollout", "history", "deployment/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n3         <none>\n4         <none>\n\n")
    rs = {r["metadata"]["annotations"]["deployment.kubernetes.io/revision"]: r for r in k.items("rs")}
    assert rs["4"]["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2"
    assert rs["4"]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"


def test_undo_to_revision_and_its_errors(k):
    _three_revisions(k)
    assert k.ok("rollout", "undo", "deploy/web", "--to-revision=1", "-q") == "deployment.apps/web rolled back\n"
    assert set(_images(k).values()) == {"nginx:1.25"}
    r = k("rollout", "undo", "deploy/web", "--to-revision=4", "-q")
    assert (r.code, r.out) == (0, "deployment.apps/web skipped rollback (current template already matches revision 4)\n")
    r = k("rollout", "undo", "deploy/web", "--to-revision=9")
    assert (r.code, r.out, r.err) == (1, "", "error: unable to find specified revision 9 in history\n")
    r = k("rollout", "undo", "deploy/nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "nope" not found\n')


def test_undo_without_history(k):
    k.apply(deployment_yaml(replicas=1))
    r = k("rollout", "undo", "deploy/web")
    assert (r.code, r.out, r.err) == (1, "", 'error: no rollout history found for deployment "web"\n')


def test_history_revision_prints_the_pod_template(k):
    k.apply(deployment_yaml(replicas=1, image="nginx:1.25"))
    k.apply(deployment_yaml(replicas=1, image="nginx:1.26"))
    rs1 = next(r for r in k.items("rs") if r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1")
    pod_hash = rs1["metadata"]["labels"]["pod-template-hash"]
    assert k.ok("rollout", "history", "deploy/web", "--revision=1") == (
        "deployment.apps/web with revision #1\n"
        "Pod Template:\n"
        "  Labels:  app=web\n"
        f"           pod-template-hash={pod_hash}\n"
        "  Containers:\n"
        "   main:\n"
        "    Image:         nginx:1.25\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "\n"
    )
    r = k("rollout", "history", "deploy/web", "--revision=5")
    assert (r.code, r.err) == (1, "error: unable to find the specified revision\n")
    r = k("rollout", "history", "deploy/web", "--revision=-1")
    assert (r.code, r.err) == (1, "error: revision must be a positive integer: -1\n")


def test_change_cause_column(k):
    k.apply(deployment_yaml(replicas=1).replace("metadata: {name: web}",
            "metadata: {name: web, annotations: {kubernetes.io/change-cause: first}}"))
    assert k.ok("rollout", "history", "deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n\n")


def test_pause_holds_template_changes_until_resume(k):
    k.apply(deployment_yaml(replicas=2, image="nginx:1.24"))
    k.apply(deployment_yaml(replicas=2, image="nginx:1.25"))
    assert k.ok("rollout", "pause", "deployment/web", "-q") == "deployment.apps/web paused\n"
    r = k("rollout", "pause", "deployment/web")
    assert (r.code, r.out, r.err) == (1, "", 'error: deployments.apps "web" is already paused\n')
    k.apply(deployment_yaml(replicas=2, image="nginx:1.26"))
    # paused: no new ReplicaSet for the changed template
    assert set(_images(k).values()) == {"nginx:1.25"} and len(k.items("rs")) == 2
    dep = k.obj("deploy", "web")
    progressing = next(c for c in dep["status"]["conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("Unknown", "DeploymentPaused")
    r = k("rollout", "undo", "deploy/web")
    assert r.err == ("error: you cannot rollback a paused deployment; resume it first with "
                     "'kubectl rollout resume deployment/web' and try again\n")
    r = k("rollout", "restart", "deploy/web")
    assert (r.code, r.err) == (1, 'error: deployments.apps "web" can\'t restart paused deployment '
                                  "(run rollout resume first)\n")
    assert k.ok("rollout", "resume", "deployment/web", "-q") == "deployment.apps/web resumed\n"
    assert set(_images(k).values()) == {"nginx:1.26"}
    r = k("rollout", "resume", "deployment/web")
    assert (r.code, r.err) == (1, 'error: deployments.apps "web" is not paused\n')


def test_restart_sets_restarted_at_from_the_cluster_clock_and_rolls_out(k):
    k.apply(deployment_yaml(replicas=2))
    before = set(names(k.items("pods")))
    now = k.obj("ns", "default")["metadata"]["creationTimestamp"]  # the frozen clock has not moved
    assert k.ok("rollout", "restart", "deployment/web", "-q") == "deployment.apps/web restarted\n"
    dep = k.obj("deploy", "web")
    assert dep["spec"]["template"]["metadata"]["annotations"] == {"kubectl.kubernetes.io/restartedAt": now}
    assert dep["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    after = set(names(k.items("pods")))
    assert len(after) == 2 and not before & after
    # same second again: kubectl reports the empty patch but still prints the result
    r = k("rollout", "restart", "deployment/web", "-q")
    assert (r.code, r.out, r.err) == (1, "deployment.apps/web restarted\n",
                                      "error: failed to create patch for web: empty patch\n")


def test_restart_and_pause_of_unsupported_kinds(k):
    k.apply(deployment_yaml(replicas=1))
    (rs,) = names(k.items("rs"))
    r = k("rollout", "pause", f"rs/{rs}")
    assert (r.code, r.err) == (1, f'error: replicasets.apps "{rs}" pausing is not supported\n')
    r = k("rollout", "restart", f"rs/{rs}")
    assert (r.code, r.err) == (1, f'error: replicasets.apps "{rs}" restarting is not supported\n')
    r = k("rollout", "status", f"rs/{rs}")
    assert (r.code, r.err) == (1, "error: no status viewer has been implemented for ReplicaSet.apps\n")
    r = k("rollout", "status")
    assert (r.code, r.err) == (1, "error: required resource not specified\n")


def test_status_of_a_stuck_rollout(k):
    k.apply(deployment_yaml(replicas=3).replace(
        'image: "nginx:1.27"', 'image: "nginx:1.27"\n        resources: {requests: {cpu: "3"}}'))
    # 3 pods of 3 CPUs fill the 3 nodes; the surge pod of a new template (maxSurge 1,
    # maxUnavailable 0 for 3 replicas) fits nowhere
    k.apply(deployment_yaml(replicas=3, image="nginx:1.28").replace(
        'image: "nginx:1.28"', 'image: "nginx:1.28"\n        resources: {requests: {cpu: "3"}}'))
    line = k("rollout", "status", "deploy/web", "--watch=false")
    assert (line.code, line.out) == (
        0, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n')
    watching = k("rollout", "status", "deploy/web")
    assert watching.code == 1 and watching.out == line.out
    assert watching.err.startswith("error: the rollout is not complete")
    timed = k("rollout", "status", "deploy/web", "--timeout=30s")
    assert (timed.code, timed.err) == (1, "error: timed out waiting for the condition\n")
    r = k("rollout", "status", "deploy/web", "--revision=1")
    assert (r.code, r.err) == (1, "error: desired revision (1) is different from the running revision (2)\n")


STATEFUL = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: "postgres:16"}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "fluentd:1"}]
"""


def test_statefulset_and_daemonset_status_history_restart_undo(k):
    k.apply(STATEFUL)
    # a defaulted RollingUpdate strategy has partition 0: kubectl says "partitioned"
    assert k.ok("rollout", "status", "sts/db") == "partitioned roll out complete: 2 new pods have been updated...\n"
    assert k.ok("rollout", "status", "ds/agent") == 'daemon set "agent" successfully rolled out\n'
    assert k.ok("rollout", "history", "sts/db") == "statefulset.apps/db \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    r = k("rollout", "undo", "ds/agent")
    assert (r.code, r.err) == (1, "error: no last revision to roll back to\n")
    assert k.ok("rollout", "restart", "sts/db", "ds/agent", "-q") == (
        "statefulset.apps/db restarted\ndaemonset.apps/agent restarted\n")
    pods = k.items("pods", "-l", "app=agent")
    assert len(pods) == 3 and all("kubectl.kubernetes.io/restartedAt" in p["metadata"]["annotations"] for p in pods)
    assert k.ok("rollout", "history", "ds/agent") == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    assert k.ok("rollout", "undo", "ds/agent", "-q") == "daemonset.apps/agent rolled back\n"
    pods = k.items("pods", "-l", "app=agent")
    assert len(pods) == 3 and not any("kubectl.kubernetes.io/restartedAt" in (p["metadata"].get("annotations") or {})
                                      for p in pods)
    assert k.ok("rollout", "history", "ds/agent") == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
    assert k.ok("rollout", "undo", "sts/db", "--to-revision=1", "--dry-run=client").startswith(
        "statefulset.apps/db will roll back to Pod Template:\n  Labels:  app=db\n")
    r = k("rollout", "undo", "sts/db", "--to-revision=2", "-q")
    assert r.out == "statefulset.apps/db skipped rollback (current template already matches revision 2)\n"
