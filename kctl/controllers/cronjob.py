"""The CronJob controller (pkg/controller/cronjob: cronjob_controllerv2.go, utils.go).

A sync of one CronJob mirrors ``syncCronJob`` + ``cleanupFinishedJobs``:

1. its Jobs are reconciled with ``status.active``: finished ones leave it (``SawCompletedJob``
   "Saw completed job: <name>, condition: Complete", ``lastSuccessfulTime``), unknown
   unfinished ones join it (``UnexpectedJob``), vanished ones leave it (``MissingJob``);
2. unless suspended, the most recent schedule time in ``(lastScheduleTime or
   creationTimestamp, now]`` (bounded by ``startingDeadlineSeconds``) is computed in
   ``spec.timeZone``; only that one runs however many were missed (``TooManyMissedTimes``
   above 100); too late -> ``MissSchedule``; Forbid with active jobs -> ``JobAlreadyActive``;
   Replace deletes the active jobs first;
3. the Job ``<cronjob>-<scheduled unix minutes>`` is created from the job template with the
   ``batch.kubernetes.io/cronjob-scheduled-timestamp`` annotation (``SuccessfulCreate``
   "Created job <name>"), added to ``status.active``; ``lastScheduleTime`` is set;
4. finished jobs beyond successful/failedJobsHistoryLimit are deleted, oldest start first
   (``SuccessfulDelete`` "Deleted job <name>").

Time only moves with the ``now`` passed in. An active reference is written before the API
server has given the Job its uid; the next sync fills ``uid`` and ``resourceVersion`` in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from kctl.controllers.base import Action, Plan, clone, owner_reference, rfc3339
from kctl.controllers.workloads import podutil
from kctl.controllers.workloads.cron import CronError, parse_standard

COMPONENT = "cronjob-controller"
SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def get_time_hash_in_minutes(t: datetime) -> int:
    return int(t.timestamp()) // 60


def get_job_name(cj: dict, scheduled: datetime) -> str:
    """``getJobName``: ``<cronjob>-<minutes since the epoch>``."""
    return f"{cj['metadata']['name']}-{get_time_hash_in_minutes(scheduled)}"


def finished_status(job: dict) -> str | None:
    """``getFinishedStatus``: ``Complete`` or ``Failed`` when that condition is True."""
    for cond in (job.get("status") or {}).get("conditions") or ():
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return cond["type"]
    return None


def format_rfc3339(t: datetime) -> str:
    """Go's ``time.RFC3339``: ``Z`` for UTC, else ``+hh:mm``."""
    if t.utcoffset() == timedelta(0):
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = t.strftime("%Y-%m-%dT%H:%M:%S%z")
    return text[:-2] + ":" + text[-2:]


def format_rfc1123z(t: datetime) -> str:
    """Go's ``time.RFC1123Z`` in UTC: ``Mon, 02 Jan 2006 15:04:05 +0000``."""
    return t.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def most_recent_schedule_time(cj: dict, now: datetime, schedule, tz,
                              include_starting_deadline: bool = True) -> tuple[datetime | None, int]:
    """``mostRecentScheduleTime`` -> (most recent unmet schedule time or None, number missed)."""
    status = cj.get("status") or {}
    earliest = podutil.parse_time(status.get("lastScheduleTime")) or podutil.parse_time(
        (cj.get("metadata") or {}).get("creationTimestamp")) or now
    deadline = (cj.get("spec") or {}).get("startingDeadlineSeconds")
    if include_starting_deadline and deadline is not None:
        scheduling_deadline = now - timedelta(seconds=int(deadline))
        if scheduling_deadline > earliest:
            earliest = scheduling_deadline
    t1 = schedule.next(earliest, tz)
    if t1 is None or now < t1:
        return None, 0
    t2 = schedule.next(t1, tz)
    if t2 is None or now < t2:
        return t1, 1
    interval = int(round((t2 - t1).total_seconds()))
    if interval < 1:
        return None, 0
    missed = int((now - t1).total_seconds()) // interval + 1
    potential = t1 + timedelta(seconds=(missed - 2) * interval)
    most_recent = None
    t = schedule.next(potential, tz)
    while t is not None and t <= now:
        most_recent = t
        t = schedule.next(t, tz)
    if most_recent is None:  # the approximation overshot: walk from t1
        t = t1
        while t is not None and t <= now:
            most_recent = t
            t = schedule.next(t, tz)
    return most_recent, missed


def get_job_from_template(cj: dict, scheduled: datetime, tz) -> dict:
    """``getJobFromTemplate2``."""
    template = (cj.get("spec") or {}).get("jobTemplate") or {}
    tmeta = template.get("metadata") or {}
    annotations = dict(tmeta.get("annotations") or {})
    annotations[SCHEDULED_TIMESTAMP_ANNOTATION] = format_rfc3339(scheduled.astimezone(tz))
    meta = {
        "name": get_job_name(cj, scheduled),
        "namespace": (cj.get("metadata") or {}).get("namespace") or "default",
    }
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    meta["annotations"] = annotations
    meta["ownerReferences"] = [owner_reference(cj)]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": clone(template.get("spec") or {})}


def _job_ref(job: dict) -> dict:
    meta = job.get("metadata") or {}
    ref = {"apiVersion": "batch/v1", "kind": "Job", "name": meta.get("name", ""),
           "namespace": meta.get("namespace") or "default"}
    if meta.get("uid"):
        ref["uid"] = meta["uid"]
    if meta.get("resourceVersion"):
        ref["resourceVersion"] = str(meta["resourceVersion"])
    return ref


def _load_time_zone(name: str | None):
    if name is None:
        return UTC
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


class CronJobController:
    name = COMPONENT

    def sync(self, cluster, now: datetime) -> Iterable[Action]:
        plan = Plan()
        for cj in cluster.list("cronjobs.batch"):
            self.sync_cron_job(cluster, cj, now, plan)
        return plan.actions

    def sync_cron_job(self, cluster, cj: dict, now: datetime, plan: Plan) -> None:
        meta = cj.get("metadata") or {}
        status = clone(cj.get("status") or {})
        active: list[dict] = status.get("active") or []
        children = [o for o in cluster.owned_by(meta.get("uid", "")) if o.get("kind") == "Job"]
        by_name = {c["metadata"]["name"]: c for c in children}

        # 1. Reconcile the active list with the jobs that exist.
        for job in children:
            name = job["metadata"]["name"]
            in_active = any(r.get("name") == name for r in active)
            finished = finished_status(job)
            if not in_active and finished is None:
                plan.event(cj, "Warning", "UnexpectedJob",
                           f"Saw a job that the controller did not create or forgot: {name}", COMPONENT)
                active.append(_job_ref(job))
            elif in_active and finished is not None:
                active = [r for r in active if r.get("name") != name]
                plan.event(cj, "Normal", "SawCompletedJob", f"Saw completed job: {name}, condition: {finished}",
                           COMPONENT)
                completion = podutil.parse_time((job.get("status") or {}).get("completionTime"))
                last = podutil.parse_time(status.get("lastSuccessfulTime"))
                if finished == "Complete" and completion is not None and (last is None or completion > last):
                    status["lastSuccessfulTime"] = rfc3339(completion)
        kept = []
        for ref in active:
            job = by_name.get(ref.get("name"))
            if job is None:
                plan.event(cj, "Warning", "MissingJob", f"Active job went missing: {ref.get('name')}", COMPONENT)
                continue
            if "uid" not in ref:
                ref = _job_ref(job)
            kept.append(ref)
        active = kept

        if not meta.get("deletionTimestamp"):
            active = self._schedule(cluster, cj, now, status, active, by_name, plan)
            self._cleanup_finished_jobs(cj, children, plan)

        if active:
            status["active"] = active
        else:
            status.pop("active", None)
        if status != (cj.get("status") or {}):
            obj = clone(cj)
            obj["status"] = status
            plan.update_status(obj)

    def _schedule(self, cluster, cj: dict, now: datetime, status: dict, active: list[dict],
                  by_name: dict[str, dict], plan: Plan) -> list[dict]:
        spec = cj.get("spec") or {}
        try:
            tz = _load_time_zone(spec.get("timeZone"))
        except Exception as err:  # zoneinfo raises several types
            plan.event(cj, "Warning", "UnknownTimeZone", f"invalid timeZone: {spec.get('timeZone')!r}: {err}"
                       .replace("'", '"'), COMPONENT)
            return active
        try:
            schedule = parse_standard(spec.get("schedule") or "")
        except CronError as err:
            plan.event(cj, "Warning", "UnparseableSchedule",
                       f"unparseable schedule: \"{spec.get('schedule')}\" : {err}", COMPONENT)
            return active
        if spec.get("suspend"):
            return active
        cj_now = {**cj, "status": status}
        scheduled, missed = most_recent_schedule_time(cj_now, now, schedule, tz)
        if missed > 100:
            plan.event(cj, "Warning", "TooManyMissedTimes",
                       f"too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds "
                       "or check clock skew", COMPONENT)
        if scheduled is None:
            return active
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None and scheduled + timedelta(seconds=int(deadline)) < now:
            plan.event(cj, "Warning", "MissSchedule",
                       f"Missed scheduled time to start a job: {format_rfc1123z(scheduled)}", COMPONENT)
            return active
        job_name = get_job_name(cj, scheduled)
        if any(r.get("name") == job_name for r in active) or status.get("lastScheduleTime") == rfc3339(scheduled):
            return active
        policy = spec.get("concurrencyPolicy") or "Allow"
        if policy == "Forbid" and active:
            plan.event(cj, "Normal", "JobAlreadyActive",
                       "Not starting job because prior execution is running and concurrency policy is Forbid",
                       COMPONENT)
            return active
        if policy == "Replace":
            for ref in active:
                job = by_name.get(ref.get("name"))
                if job is not None:
                    plan.delete(job, propagation="Background")
                    plan.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {ref.get('name')}", COMPONENT)
            active = []
        ns = (cj.get("metadata") or {}).get("namespace") or "default"
        if job_name in by_name or cluster.get("jobs.batch", ns, job_name) is not None:
            # The job exists already (created by an earlier pass): just record it.
            status["lastScheduleTime"] = rfc3339(scheduled)
            return active
        job = get_job_from_template(cj, scheduled, tz)
        plan.create(job)
        plan.event(cj, "Normal", "SuccessfulCreate", f"Created job {job_name}", COMPONENT)
        active = [*active, _job_ref(job)]
        status["lastScheduleTime"] = rfc3339(scheduled)
        return active

    def _cleanup_finished_jobs(self, cj: dict, children: list[dict], plan: Plan) -> None:
        """``cleanupFinishedJobs`` / ``removeOldestJobs``: oldest startTime first."""
        spec = cj.get("spec") or {}
        for kind, key in (("Complete", "successfulJobsHistoryLimit"), ("Failed", "failedJobsHistoryLimit")):
            limit = spec.get(key)
            if limit is None:
                continue
            jobs = [j for j in children if finished_status(j) == kind]
            if len(jobs) <= int(limit):
                continue
            jobs.sort(key=lambda j: ((j.get("status") or {}).get("startTime") is None,
                                     (j.get("status") or {}).get("startTime") or "", j["metadata"]["name"]))
            for job in jobs[: len(jobs) - int(limit)]:
                plan.delete(job, propagation="Background")
                plan.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {job['metadata']['name']}", COMPONENT)
