from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kctl.controllers.base import Create
from kctl.controllers.cronjob import CronJobController, most_recent_schedule_time
from kctl.controllers.job import JobController
from kctl.controllers.view import MemoryView
from kctl.controllers.workloads.cron import CronError, parse_standard
from tests.harness import apply, run_until_stable
from tests.workloads.fakes import FakeJobDefaulting, FakeKubelet, FakeScheduler, events_text

T0 = datetime(2025, 5, 1, 12, 0, 30, tzinfo=UTC)


def cronjob(schedule="*/5 * * * *", **spec):
    return {
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "hello", "namespace": "default", "uid": "uid-hello",
                     "creationTimestamp": "2025-05-01T12:00:00Z"},
        "spec": {"schedule": schedule, "concurrencyPolicy": "Allow", "suspend": False,
                 "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                 "jobTemplate": {"metadata": {"labels": {"team": "a"}}, "spec": {"template": {"spec": {
                     "restartPolicy": "OnFailure", "containers": [{"name": "app", "image": "busybox"}]}}}},
                 **spec},
    }


def ctls():
    return [CronJobController(), FakeJobDefaulting(), JobController(), FakeScheduler(), FakeKubelet()]


def test_cron_parsing():
    utc = UTC
    t = datetime(2025, 5, 2, 17, 50, tzinfo=UTC)  # a Friday
    assert parse_standard("*/15 9-17 * * MON-FRI").next(t, utc) == datetime(2025, 5, 5, 9, 0, tzinfo=UTC)
    assert parse_standard("@hourly").next(t, utc) == datetime(2025, 5, 2, 18, 0, tzinfo=UTC)
    assert parse_standard("0 0 1 jan *").next(t, utc) == datetime(2026, 1, 1, tzinfo=UTC)
    # dom and dow both restricted: either matches (robfig / Vixie cron).
    assert parse_standard("0 0 13 * 5").next(t, utc) == datetime(2025, 5, 9, tzinfo=UTC)
    assert parse_standard("@every 90m").next(t, utc) == t + timedelta(minutes=90)
    with pytest.raises(CronError, match=r"end of range \(60\) above maximum \(59\): 0-60"):
        parse_standard("0-60 * * * *")
    with pytest.raises(CronError, match="expected exactly 5 fields, found 4"):
        parse_standard("* * * *")


def test_time_zone_and_dst_gap():
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    sched = parse_standard("30 2 * * *")
    # 2025-03-09 02:30 does not exist in New York: the next run is the day after.
    assert sched.next(datetime(2025, 3, 8, 12, tzinfo=UTC), ny) == datetime(2025, 3, 10, 6, 30, tzinfo=UTC)


def test_creates_job_at_schedule_time():
    view = MemoryView([cronjob()])
    assert list(CronJobController().sync(view, T0)) == []  # 12:00:30, next run 12:05
    now = datetime(2025, 5, 1, 12, 5, 10, tzinfo=UTC)
    actions = list(CronJobController().sync(view, now))
    job = next(a.obj for a in actions if isinstance(a, Create))
    minutes = int(datetime(2025, 5, 1, 12, 5, tzinfo=UTC).timestamp()) // 60
    assert job["metadata"]["name"] == f"hello-{minutes}"
    assert job["metadata"]["labels"] == {"team": "a"}
    assert job["metadata"]["annotations"] == {"batch.kubernetes.io/cronjob-scheduled-timestamp": "2025-05-01T12:05:00Z"}
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    assert events_text([a.event for a in actions if type(a).__name__ == "Emit"]) == [
        f"Normal SuccessfulCreate Created job hello-{minutes}"]
    apply(view, actions)
    status = view.get("cronjobs.batch", "default", "hello")["status"]
    assert status["lastScheduleTime"] == "2025-05-01T12:05:00Z"
    assert status["active"] == [{"apiVersion": "batch/v1", "kind": "Job", "name": f"hello-{minutes}",
                                 "namespace": "default"}]
    # Next pass: the uid is filled in; then nothing more until the next schedule.
    second = list(CronJobController().sync(view, now))
    assert [type(a).__name__ for a in second] == ["UpdateStatus"]
    assert second[0].obj["status"]["active"][0]["uid"] == f"uid-hello-{minutes}"
    apply(view, second)
    assert list(CronJobController().sync(view, now)) == []


def test_only_most_recent_missed_schedule_runs():
    view = MemoryView([cronjob()])
    now = datetime(2025, 5, 1, 13, 2, tzinfo=UTC)  # 12:05 ... 13:00 missed
    actions = list(CronJobController().sync(view, now))
    names = [a.obj["metadata"]["name"] for a in actions if isinstance(a, Create)]
    assert names == [f"hello-{int(datetime(2025, 5, 1, 13, 0, tzinfo=UTC).timestamp()) // 60}"]
    sched = parse_standard("*/5 * * * *")
    assert most_recent_schedule_time(cronjob(), now, sched, UTC) == (datetime(2025, 5, 1, 13, 0, tzinfo=UTC), 12)


def test_starting_deadline_missed():
    view = MemoryView([cronjob(startingDeadlineSeconds=10)])
    # The deadline window (12:04:50 ... 12:05:30] hides 12:05's predecessor; 12:05 is 30s late.
    now = datetime(2025, 5, 1, 12, 5, 30, tzinfo=UTC)
    actions = list(CronJobController().sync(view, now))
    assert not [a for a in actions if isinstance(a, Create)]


def test_history_limits_and_saw_completed():
    view = MemoryView([cronjob(successfulJobsHistoryLimit=1)])
    now = T0
    events = []
    for _ in range(3):
        now += timedelta(minutes=5)
        events += run_until_stable(view, ctls(), now)
    texts = [t for t in events_text(events) if "cronjob" in t or "job" in t.lower()]
    assert any(t.startswith("Normal SawCompletedJob Saw completed job: hello-") and t.endswith(", condition: Complete")
               for t in texts)
    jobs = view.list("jobs.batch")
    assert len(jobs) == 1
    assert sum(1 for t in events_text(events) if t.startswith("Normal SuccessfulDelete Deleted job hello-")) == 2
    status = view.get("cronjobs.batch", "default", "hello")["status"]
    assert "active" not in status and status["lastSuccessfulTime"] == jobs[0]["status"]["completionTime"]
    assert list(CronJobController().sync(view, now)) == []


def test_forbid_and_replace():
    # Long-running jobs: no kubelet, so pods stay Pending and the first job stays active.
    for policy, expect in (("Forbid", "Normal JobAlreadyActive Not starting job because prior execution is running "
                                      "and concurrency policy is Forbid"), ("Replace", "Normal SuccessfulDelete")):
        view = MemoryView([cronjob(concurrencyPolicy=policy)])
        first = datetime(2025, 5, 1, 12, 5, tzinfo=UTC)
        run_until_stable(view, [CronJobController(), FakeJobDefaulting(), JobController()], first)
        events = run_until_stable(view, [CronJobController(), FakeJobDefaulting(), JobController()],
                                  first + timedelta(minutes=5))
        assert any(t.startswith(expect) for t in events_text(events)), events_text(events)
        names = sorted(j["metadata"]["name"] for j in view.list("jobs.batch"))
        assert len(names) == 1
        if policy == "Replace":
            assert names == [f"hello-{int((first + timedelta(minutes=5)).timestamp()) // 60}"]


def test_suspend_and_bad_timezone():
    view = MemoryView([cronjob(suspend=True)])
    assert list(CronJobController().sync(view, T0 + timedelta(hours=1))) == []
    view = MemoryView([cronjob(timeZone="Mars/Olympus")])
    actions = list(CronJobController().sync(view, T0 + timedelta(hours=1)))
    assert [a.event.reason for a in actions] == ["UnknownTimeZone"]


def test_time_zone_annotation():
    view = MemoryView([cronjob(schedule="0 9 * * *", timeZone="Europe/Paris")])
    now = datetime(2025, 5, 2, 7, 0, 5, tzinfo=UTC)  # 09:00 in Paris (CEST)
    job = next(a.obj for a in CronJobController().sync(view, now) if isinstance(a, Create))
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2025-05-02T09:00:00+02:00"
