"""kctl wait through the CLI: each --for form, selectors, errors and exit codes, and the
simulated time that passes while it waits (15 s sync periods, up to --timeout)."""

from __future__ import annotations

import json

JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    metadata:
      annotations: {kctl.io/run-seconds: "45"}
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: busybox}]
"""

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  minReadySeconds: 20
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.25}]
"""

PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: db}}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: db}}
spec:
  containers: [{name: c, image: nginx}]
"""

TTL_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  ttlSecondsAfterFinished: 30
  template:
    metadata:
      annotations: {kctl.io/run-seconds: "20"}
    spec:
      restartPolicy: Never
      containers: [{name: once, image: busybox}]
"""


# -- conditions met now: no simulated time passes ------------------------------------------------


def test_condition_met_now_prints_kind_group_name_and_moves_no_time(k):
    k.apply(PODS)
    r = k("wait", "--for=condition=Ready", "pod/a")
    assert (r.code, r.out, r.err) == (0, "pod/a condition met\n", "")
    assert k.clock() == "2025-05-01T12:00:00Z"


def test_condition_type_and_value_are_case_insensitive_value_defaults_to_true(k):
    k.apply(PODS)
    assert k("wait", "--for=condition=ready", "pod", "a").out == "pod/a condition met\n"
    assert k("wait", "--for=condition=READY=TRUE", "pod/a").out == "pod/a condition met\n"
    r = k("wait", "--for=condition=Ready=False", "pod/a", "--timeout=0")
    assert (r.code, r.out, r.err) == (1, "", "error: condition not met for pods/a\n")


def test_selector_waits_on_every_match_in_order(k):
    k.apply(PODS)
    r = k("wait", "--for=condition=Ready", "pod", "-l", "app=db")
    assert (r.code, r.out, r.err) == (0, "pod/a condition met\npod/b condition met\n", "")
    r = k("wait", "--for=condition=Ready", "pods", "--all")
    assert r.out == "pod/a condition met\npod/b condition met\n"
    r = k("wait", "--for=condition=Ready", "pod", "--field-selector", "metadata.name=b")
    assert r.out == "pod/b condition met\n"


def test_all_namespaces_lists_every_namespace(k):
    k.apply(PODS)
    r = k("wait", "--for=jsonpath={.status.phase}=Running", "pods", "-A", "-l", "app=db")
    assert (r.code, r.out, r.err) == (0, "pod/a condition met\npod/b condition met\n", "")


def test_jsonpath_forms(k):
    k.apply(PODS)
    # =value, relaxed expression (no braces), a filter with == kept whole, quoted value
    assert k("wait", "--for=jsonpath={.status.phase}=Running", "pod/a").out == "pod/a condition met\n"
    assert k("wait", "--for=jsonpath=.status.phase=Running", "pod/a").out == "pod/a condition met\n"
    r = k("wait", """--for=jsonpath={.status.conditions[?(@.type=="Ready")].status}='True'""", "pod/a")
    assert (r.code, r.out) == (0, "pod/a condition met\n")
    # no value: any result matches, even a map
    assert k("wait", "--for=jsonpath={.status}", "pod/a").out == "pod/a condition met\n"
    # numbers compare as Go prints them
    assert k("wait", "--for=jsonpath={.metadata.generation}=1", "pod/a", "--timeout=0").code == 0


def test_jsonpath_errors(k):
    k.apply(PODS)
    r = k("wait", "--for=jsonpath={.status}=x", "pod/a")
    assert (r.code, r.err) == (1, "error: jsonpath leads to a nested object or list which is not supported\n")
    r = k("wait", "--for=jsonpath={.status.conditions[*].type}=Ready", "pod/a")
    assert r.err == "error: given jsonpath expression matches more than one value\n"
    r = k("wait", "--for=jsonpath={.status.phase}{.kind}=Pod", "pod/a")
    assert r.err == ("error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                     "'{name1.name2}' or '{.name1.name2}'\n")
    r = k("wait", "--for=jsonpath={.status.phase}=", "pod/a")
    assert r.err == ("error: jsonpath wait has to have a value after equal sign, like "
                     "--for=jsonpath='{.status.readyReplicas}'=3\n")
    r = k("wait", "--for=jsonpath={.a}=1=2", "pod/a")
    assert r.err == ("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                     "--for=jsonpath='{.status.readyReplicas}'\n")


def test_output_json_prints_the_object_that_met_the_condition(k):
    k.apply(PODS)
    r = k("wait", "--for=condition=Ready", "pod/a", "-o", "json")
    assert r.code == 0
    obj = json.loads(r.out)
    assert (obj["kind"], obj["metadata"]["name"], obj["status"]["phase"]) == ("Pod", "a", "Running")
    assert k("wait", "--for=condition=Ready", "pod/a", "-o", "name").out == "pod/a condition met\n"
    r = k("wait", "--for=condition=Ready", "pod/a", "-o", "wide")
    assert (r.code, r.err) == (1, 'error: unable to match a printer suitable for the output format "wide", '
                                  "allowed formats are: json,yaml,name\n")


def test_filename_names_the_objects(k):
    k.apply(PODS)
    r = k("wait", "--for=condition=Ready", "-f", str(k.write(PODS)))
    assert (r.code, r.out) == (0, "pod/a condition met\npod/b condition met\n")


# -- errors ----------------------------------------------------------------------------------


def test_argument_and_flag_errors(k):
    r = k("wait", "--for=condition=Ready")
    assert r.code == 1 and r.err.startswith("error: You must provide one or more resources by argument or filename.\n")
    r = k("wait", "--for=condition=Ready", "pods")
    assert (r.code, r.err) == (1, "error: resource(s) were provided, but no name was specified\n")
    r = k("wait", "--for=ready", "pod/a")
    assert (r.code, r.err) == (1, 'error: unrecognized condition: "ready"\n')
    r = k("wait", "pod/a")
    assert (r.code, r.err) == (1, 'error: unrecognized condition: ""\n')
    r = k("wait", "--for=delete", "pod/a", "--timeout=soon")
    assert (r.code, r.err) == (1, 'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n')
    r = k("wait", "--for=delete", "pod/a", "-A")
    assert r.err == "error: a resource cannot be retrieved by name across all namespaces\n"
    r = k("wait", "--for=delete", "pod/a", "-l", "app=x")
    assert r.err == "error: name cannot be provided when a selector is specified\n"


def test_missing_named_object_is_not_found_and_an_empty_selector_matches_nothing(k):
    r = k("wait", "--for=condition=Ready", "pod/nope")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (NotFound): pods "nope" not found\n')
    r = k("wait", "--for=condition=Ready", "pod", "-l", "app=nope")
    assert (r.code, r.out, r.err) == (1, "", "error: no matching resources found\n")
    r = k("wait", "--for=condition=available", "deployment", "web", "-n", "kube-system")
    assert r.err == 'Error from server (NotFound): deployments.apps "web" not found\n'


def test_objects_are_visited_in_order_and_the_first_unmet_one_fails(k):
    k.apply(PODS)
    r = k("wait", "--for=condition=Ready", "pod/a", "pod/nope", "pod/b")
    assert (r.code, r.out, r.err) == (1, "pod/a condition met\n", 'Error from server (NotFound): pods "nope" not found\n')


# -- time passes ---------------------------------------------------------------------------------


def test_job_completes_after_its_run_seconds_in_sync_periods(k):
    k.apply(JOB)
    r = k("wait", "--for=condition=complete", "job/migrate", "--timeout=0")
    assert (r.code, r.err) == (1, "error: condition not met for jobs/migrate\n")
    r = k("wait", "--for=condition=complete", "job/migrate", "--timeout=2m", "-q")
    assert (r.code, r.out, r.err) == (0, "job.batch/migrate condition met\n", "")
    # 45 s of work: done at the third sync period
    assert k.clock() == "2025-05-01T12:00:45Z"
    assert k("get", "job", "migrate", "-o", "jsonpath={.status.succeeded}").out == "1"


def test_stderr_says_how_much_simulated_time_passed_then_the_control_plane_report(k):
    k.apply(JOB)
    r = k("wait", "--for=condition=complete", "job/migrate", "--timeout=2m")
    assert r.out == "job.batch/migrate condition met\n"
    lines = r.err.splitlines()
    assert lines[0] == "waited 45s of simulated time"
    assert lines[1].startswith("control plane: ")
    assert "  ~ job.batch/migrate -n default" in lines
    assert "  Normal  Completed  job/migrate  Job completed" in lines


def test_timeout_gives_up_keeps_what_happened_and_names_the_object(k):
    k.apply(JOB)
    r = k("wait", "--for=condition=complete", "job/migrate", "--timeout=20s")
    assert r.code == 1 and r.out == ""
    lines = r.err.splitlines()
    assert lines[0] == "waited 20s of simulated time"
    assert lines[-1] == "error: timed out waiting for the condition on jobs/migrate"
    assert k.clock() == "2025-05-01T12:00:20Z"  # the last sync period is cut short
    r = k("wait", "--for=condition=complete", "job/migrate", "-q")  # default --timeout 30s
    assert (r.code, r.out, r.err) == (0, "job.batch/migrate condition met\n", "")
    assert k.clock() == "2025-05-01T12:00:50Z"


def test_a_failed_job_meets_failed_never_complete(k):
    k.apply(JOB.replace('"45"}', '"15", kctl.io/exit-code: "1"}').replace("spec:\n  template:",
                                                                              "spec:\n  backoffLimit: 0\n  template:"))
    r = k("wait", "--for=condition=complete", "job/migrate", "--timeout=1m", "-q")
    assert (r.code, r.err) == (1, "error: timed out waiting for the condition on jobs/migrate\n")
    r = k("wait", "--for=condition=failed", "job/migrate", "--timeout=0")
    assert (r.code, r.out) == (0, "job.batch/migrate condition met\n")
    r = k("wait", "--for=condition=Complete=False", "job/migrate", "--timeout=0")
    assert (r.code, r.err) == (1, "error: condition not met for jobs/migrate\n")  # no Complete condition at all


def test_rollout_becomes_available_after_min_ready_seconds(k):
    k.apply(WEB)
    r = k("wait", "--for=condition=available", "deployment/web", "--timeout=0")
    assert (r.code, r.err) == (1, "error: condition not met for deployments/web\n")
    r = k("wait", "--for=condition=available", "deployment/web", "--timeout=60s")
    assert (r.code, r.out) == (0, "deployment.apps/web condition met\n")
    assert r.err.splitlines()[0] == "waited 30s of simulated time"  # Ready at 0 s, available once 20 s have passed
    r = k("wait", "--for=jsonpath={.status.availableReplicas}=2", "deploy/web", "--timeout=0")
    assert (r.code, r.out) == (0, "deployment.apps/web condition met\n")


def test_new_rollout_waits_until_the_old_pods_are_replaced(k):
    k.apply(WEB)
    k("wait", "--for=condition=available", "deployment/web", "-q")
    k.apply(WEB.replace("nginx:1.25", "nginx:1.26"))
    # maxSurge 1, maxUnavailable 0: one new pod at a time, each available after minReadySeconds
    r = k("wait", "--for=jsonpath={.status.updatedReplicas}=1", "deployment/web", "--timeout=0")
    assert r.code == 0
    r = k("wait", "--for=jsonpath={.status.unavailableReplicas}", "deployment/web", "--timeout=0")
    assert r.code == 0  # the surge pod is not available yet
    r = k("wait", "--for=jsonpath={.status.replicas}=2", "deployment/web", "--timeout=5m")
    assert (r.code, r.out) == (0, "deployment.apps/web condition met\n")
    assert r.err.splitlines()[0] == "waited 1m0s of simulated time"
    r = k("get", "deploy", "web", "-o", "jsonpath={.status.updatedReplicas} {.status.availableReplicas}")
    assert r.out == "2 2"


def test_for_delete_waits_until_the_object_is_gone(k):
    k.apply(TTL_JOB)
    r = k("wait", "--for=delete", "job/once", "--timeout=0")
    assert (r.code, r.err) == (1, "error: condition not met for jobs/once\n")
    r = k("wait", "--for=delete", "job/once", "--timeout=2m")
    assert (r.code, r.out) == (0, "job.batch/once condition met\n")
    # 20 s of work (done at 30 s) + 30 s of ttl: deleted at the 60 s sync period
    assert r.err.splitlines()[0] == "waited 1m0s of simulated time"
    assert k("get", "job", "once").code == 1


def test_for_delete_on_objects_already_gone_prints_nothing(k):
    r = k("wait", "--for=delete", "pod/nope")
    assert (r.code, r.out, r.err) == (0, "", "")
    r = k("wait", "--for=DELETE", "pod", "-l", "app=nope")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_for_delete_with_a_selector(k):
    k.apply(TTL_JOB)
    r = k("wait", "--for=delete", "pod", "-l", "job-name=once", "--timeout=90s", "-q")
    assert r.code == 0
    assert r.out.endswith(" condition met\n") and r.out.startswith("pod/once-")
    assert k.clock() == "2025-05-01T12:01:00Z"


def test_for_delete_timeout(k):
    k.apply(PODS)
    r = k("wait", "--for=delete", "pod/a", "--timeout=15s", "-q")
    assert (r.code, r.out, r.err) == (1, "", "error: timed out waiting for the condition on pods/a\n")


def test_for_create(k):
    k.apply(PODS)
    r = k("wait", "--for=create", "pod/a", "pod/b")
    assert (r.code, r.out, r.err) == (0, "pod/a condition met\npod/b condition met\n", "")
    r = k("wait", "--for=create", "pod/a", "pod/nope", "--timeout=0")
    assert (r.code, r.out, r.err) == (1, "", "error: timed out waiting for the condition\n")
    r = k("wait", "--for=create", "pod", "-l", "app=nope", "--timeout=30s", "-q")
    assert (r.code, r.err) == (1, "error: timed out waiting for the condition\n")
    assert k.clock() == "2025-05-01T12:00:30Z"


CRON = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: tick, image: busybox}]
"""


def test_for_create_sees_objects_the_control_plane_creates(k):
    k.apply(CRON)
    r = k("wait", "--for=create", "jobs", "--all", "--timeout=0")
    assert (r.code, r.err) == (1, "error: timed out waiting for the condition\n")
    r = k("wait", "--for=create", "jobs", "--all", "--timeout=10m", "-q")
    assert (r.code, r.out, r.err) == (0, "job.batch/tick-29101685 condition met\n", "")
    assert k.clock() == "2025-05-01T12:05:00Z"
