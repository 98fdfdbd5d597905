from __future__ import annotations

from datetime import timedelta

from kctl.controllers.base import Create, Delete
from kctl.controllers.job import JobController, default_job, format_indexes, parse_indexes
from kctl.controllers.view import MemoryView
from tests.harness import run_until_stable
from tests.workloads.fakes import NOW, FakeJobDefaulting, FakeKubelet, FakeScheduler, events_text

ALPHABET = set("bcdfghjklmnpqrstvwxz2456789")


def job(name="pi", exit_code=None, **spec):
    tpl = {"metadata": {}, "spec": {"restartPolicy": "Never",
                                    "containers": [{"name": "app", "image": "perl"}]}}
    if exit_code is not None:
        tpl["metadata"]["annotations"] = {"kctl.io/exit-code": str(exit_code)}
    obj = {"apiVersion": "batch/v1", "kind": "Job",
           "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}", "generation": 1},
           "spec": {"completions": 1, "parallelism": 1, "backoffLimit": 6, "completionMode": "NonIndexed",
                    "template": tpl, **spec}}
    return default_job(obj)


def ctls():
    return [FakeJobDefaulting(), JobController(), FakeScheduler(), FakeKubelet()]


def get_job(view, name="pi"):
    return view.get("jobs.batch", "default", name)


def test_default_job_generates_selector_and_labels():
    j = job()
    assert j["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": "uid-pi"}}
    assert j["spec"]["template"]["metadata"]["labels"] == {
        "batch.kubernetes.io/controller-uid": "uid-pi", "batch.kubernetes.io/job-name": "pi",
        "controller-uid": "uid-pi", "job-name": "pi"}
    manual = default_job({"metadata": {"name": "m", "uid": "u"}, "spec": {"manualSelector": True}})
    assert "selector" not in manual["spec"]


def test_pod_shape():
    view = MemoryView([job()])
    actions = list(JobController().sync(view, NOW))
    pod = next(a.obj for a in actions if isinstance(a, Create))
    name = pod["metadata"]["name"]
    assert name.startswith("pi-") and len(name) == 8 and set(name[3:]) <= ALPHABET
    assert pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"
    assert pod["metadata"]["labels"]["controller-uid"] == "uid-pi"
    assert pod["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    assert pod["metadata"]["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "Job", "name": "pi",
                                                   "uid": "uid-pi", "controller": True, "blockOwnerDeletion": True}]


def test_completes_with_conditions_status_and_events():
    view = MemoryView([job(completions=3, parallelism=2)])
    events = run_until_stable(view, ctls(), NOW)
    texts = events_text(events)
    created = [t for t in texts if "SuccessfulCreate" in t]
    assert len(created) == 3 and all(t.startswith("Normal SuccessfulCreate Created pod: pi-") for t in created)
    assert texts[-1] == "Normal Completed Job completed"
    status = get_job(view)["status"]
    ts = "2025-05-01T12:00:00Z"
    assert status == {
        "startTime": ts, "completionTime": ts, "succeeded": 3, "ready": 0, "terminating": 0,
        "uncountedTerminatedPods": {},
        "conditions": [
            {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": ts, "lastTransitionTime": ts,
             "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
            {"type": "Complete", "status": "True", "lastProbeTime": ts, "lastTransitionTime": ts,
             "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
        ]}
    # Finished pods lost the tracking finalizer; nothing more happens.
    assert all("finalizers" not in p["metadata"] for p in view.list("pods"))
    assert list(JobController().sync(view, NOW)) == []


def test_parallelism_limits_active_pods():
    view = MemoryView([job(completions=5, parallelism=2)])
    actions = list(JobController().sync(view, NOW))
    assert len([a for a in actions if isinstance(a, Create)]) == 2
    status = [a for a in actions if type(a).__name__ == "UpdateStatus"][0].obj["status"]
    assert status["active"] == 2 and status["startTime"] == "2025-05-01T12:00:00Z"


def test_backoff_limit_exceeded():
    view = MemoryView([job(exit_code=1, backoffLimit=1)])
    now = NOW
    events = run_until_stable(view, ctls(), now)
    # One failure: the replacement waits out the 10s back-off.
    assert get_job(view)["status"]["failed"] == 1
    assert "active" not in get_job(view)["status"]
    now += timedelta(seconds=10)
    events += run_until_stable(view, ctls(), now)
    status = get_job(view)["status"]
    assert status["failed"] == 2
    assert [(c["type"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
        ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")]
    assert "completionTime" not in status
    assert events_text(events)[-1] == "Warning BackoffLimitExceeded Job has reached the specified backoff limit"
    assert len(view.list("pods")) == 2


def test_active_deadline_exceeded_deletes_active_pods():
    view = MemoryView([job(activeDeadlineSeconds=30)])
    hold = FakeKubelet(hold=set())
    run_until_stable(view, [FakeJobDefaulting(), JobController(), FakeScheduler()], NOW)
    pod_name = view.list("pods")[0]["metadata"]["name"]
    later = NOW + timedelta(seconds=30)
    actions = list(JobController().sync(view, later))
    assert [a.ref.name for a in actions if isinstance(a, Delete)] == [pod_name]
    events = run_until_stable(view, [JobController(), hold], later)
    status = get_job(view)["status"]
    assert [c["type"] for c in status["conditions"]] == ["FailureTarget", "Failed"]
    assert status["conditions"][1]["reason"] == "DeadlineExceeded"
    assert status["failed"] == 1
    assert "Warning DeadlineExceeded Job was active longer than specified deadline" in events_text(events)


def test_indexed_job():
    view = MemoryView([job(completions=3, parallelism=3, completionMode="Indexed")])
    first = list(JobController().sync(view, NOW))
    pods = [a.obj for a in first if isinstance(a, Create)]
    assert [p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] for p in pods] == ["0", "1", "2"]
    assert [p["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] for p in pods] == ["0", "1", "2"]
    assert [p["metadata"]["name"][:5] for p in pods] == ["pi-0-", "pi-1-", "pi-2-"]
    assert all(len(p["metadata"]["name"]) == 10 for p in pods)
    assert [p["spec"]["hostname"] for p in pods] == ["pi-0", "pi-1", "pi-2"]
    assert pods[0]["spec"]["containers"][0]["env"] == [{"name": "JOB_COMPLETION_INDEX", "valueFrom": {
        "fieldRef": {"fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']"}}}]
    run_until_stable(view, ctls(), NOW)
    status = get_job(view)["status"]
    assert status["completedIndexes"] == "0-2" and status["succeeded"] == 3
    assert status["conditions"][-1]["type"] == "Complete"


def test_indexes_round_trip():
    assert parse_indexes("0-2,4,7-8", 8) == {0, 1, 2, 4, 7}
    assert format_indexes({0, 1, 2, 4, 7}) == "0-2,4,7"


def test_ttl_after_finished():
    view = MemoryView([job(ttlSecondsAfterFinished=60)])
    run_until_stable(view, ctls(), NOW)
    assert list(JobController().sync(view, NOW + timedelta(seconds=59))) == []
    actions = list(JobController().sync(view, NOW + timedelta(seconds=60)))
    assert actions == [Delete(actions[0].ref, "Foreground")] and actions[0].ref.name == "pi"


def test_suspend():
    view = MemoryView([job(suspend=True)])
    events = run_until_stable(view, ctls(), NOW)
    assert events_text(events) == ["Normal Suspended Job suspended"]
    assert view.list("pods") == []
    status = get_job(view)["status"]
    assert status["conditions"][0]["type"] == "Suspended" and "startTime" not in status
