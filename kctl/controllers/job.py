"""The Job controller (pkg/controller/job: job_controller.go, indexed_job_utils.go,
backoff_utils.go) and the TTL-after-finished controller (pkg/controller/ttlafterfinished).

A sync of one Job mirrors ``syncJob`` as of 1.34 (pod-replacement policy and delayed
terminal conditions on, finalizer-based tracking):

- pods are created with the ``batch.kubernetes.io/job-tracking`` finalizer; a finished pod
  (Succeeded, Failed, or deleted before succeeding) that still carries it is counted into
  ``status.succeeded``/``failed`` (Indexed: ``completedIndexes``) and the finalizer is removed
  in the same pass (upstream goes through ``uncountedTerminatedPods`` in between);
- failure (``failed > backoffLimit``, OnFailure restarts, ``activeDeadlineSeconds``) adds
  ``FailureTarget``, deletes the active pods, then adds ``Failed`` once no pod is left
  running or terminating, with a Warning event of the condition's reason and message;
- success adds ``SuccessCriteriaMet`` then, with no pods left, ``Complete`` (reason
  ``CompletionsReached``), ``completionTime`` and the event ``Completed`` "Job completed";
- otherwise the active count is driven toward parallelism (capped by remaining
  completions), new pods waiting out the failure back-off (10s doubling, max 10m) after
  failures; NonIndexed pods are ``<job>-<5 chars>``, Indexed ``<job>-<index>-<5 chars>`` with
  the completion-index annotation, label, hostname and ``JOB_COMPLETION_INDEX`` env var;
- a finished Job with ``ttlSecondsAfterFinished`` is deleted (Foreground) once
  ``finish time + ttl <= now``.

``default_job`` is the API server's selector/label generation for new Jobs
(pkg/registry/batch/job ``generateSelector``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kctl.controllers.base import Action, Plan, clone, controller_ref, rfc3339
from kctl.controllers.workloads import podutil
from kctl.controllers.workloads.names import unique_name

COMPONENT = "job-controller"
JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
JOB_COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index"
CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID_LABEL = "controller-uid"
LEGACY_JOB_NAME_LABEL = "job-name"
COMPLETION_INDEX_ENV_NAME = "JOB_COMPLETION_INDEX"
DEFAULT_JOB_POD_FAILURE_BACKOFF = timedelta(seconds=10)
MAX_JOB_POD_FAILURE_BACKOFF = timedelta(minutes=10)

MSG_BACKOFF_LIMIT = "Job has reached the specified backoff limit"
MSG_DEADLINE = "Job was active longer than specified deadline"
MSG_COMPLETIONS_REACHED = "Reached expected number of succeeded pods"


def default_job(job: dict) -> dict:
    """The API server's ``generateSelector`` for a new Job (needs ``metadata.uid``): unless
    ``spec.manualSelector``, the template gets the controller-uid and job-name labels (new
    and legacy keys) and the selector becomes ``batch.kubernetes.io/controller-uid=<uid>``.
    Returns a defaulted copy."""
    job = clone(job)
    spec = job.setdefault("spec", {})
    if spec.get("manualSelector"):
        return job
    meta = job.get("metadata") or {}
    uid, name = meta.get("uid", ""), meta.get("name", "")
    template = spec.setdefault("template", {})
    tmeta = template.get("metadata")
    if not isinstance(tmeta, dict):
        tmeta = template["metadata"] = {"creationTimestamp": None}
    labels = tmeta.get("labels")
    if not isinstance(labels, dict):
        labels = tmeta["labels"] = {}
    labels.setdefault(CONTROLLER_UID_LABEL, uid)
    labels.setdefault(JOB_NAME_LABEL, name)
    labels.setdefault(LEGACY_CONTROLLER_UID_LABEL, uid)
    labels.setdefault(LEGACY_JOB_NAME_LABEL, name)
    if not spec.get("selector"):
        spec["selector"] = {"matchLabels": {CONTROLLER_UID_LABEL: uid}}
    return job


# -- conditions -----------------------------------------------------------------------------

def get_condition(job: dict, type_: str) -> dict | None:
    for cond in (job.get("status") or {}).get("conditions") or ():
        if cond.get("type") == type_:
            return cond
    return None


def is_condition_true(job: dict, type_: str) -> bool:
    cond = get_condition(job, type_)
    return cond is not None and cond.get("status") == "True"


def is_job_finished(job: dict) -> bool:
    return is_condition_true(job, "Complete") or is_condition_true(job, "Failed")


def new_condition(type_: str, status: str, reason: str, message: str, now: datetime) -> dict:
    ts = rfc3339(now)
    return {"type": type_, "status": status, "lastProbeTime": ts, "lastTransitionTime": ts,
            "reason": reason, "message": message}


def set_condition(conditions: list[dict], cond: dict) -> None:
    """``ensureJobConditionStatus``: replace a condition of the same type when its status,
    reason or message changed; append new ones."""
    for i, old in enumerate(conditions):
        if old.get("type") == cond["type"]:
            if (old.get("status"), old.get("reason"), old.get("message")) != (
                    cond["status"], cond["reason"], cond["message"]):
                if old.get("status") == cond["status"]:
                    cond = {**cond, "lastTransitionTime": old.get("lastTransitionTime", cond["lastTransitionTime"])}
                conditions[i] = cond
            return
    conditions.append(cond)


# -- indexes --------------------------------------------------------------------------------

def get_completion_index(pod: dict) -> int | None:
    meta = pod.get("metadata") or {}
    value = (meta.get("annotations") or {}).get(JOB_COMPLETION_INDEX_ANNOTATION)
    if value is None:
        value = (meta.get("labels") or {}).get(JOB_COMPLETION_INDEX_ANNOTATION)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def parse_indexes(text: str | None, completions: int) -> set[int]:
    """``parseIndexesFromString``: ``1,3-5`` -> {1, 3, 4, 5} (indexes >= completions dropped)."""
    out: set[int] = set()
    for part in (text or "").split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            continue
        out.update(i for i in range(a, b + 1) if i < completions)
    return out


def format_indexes(indexes: set[int]) -> str:
    """``succeededIndexes.String``: sorted intervals, ``0-2,4``."""
    parts: list[str] = []
    ordered = sorted(indexes)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(parts)


# -- pods -----------------------------------------------------------------------------------

def has_tracking_finalizer(pod: dict) -> bool:
    return JOB_TRACKING_FINALIZER in ((pod.get("metadata") or {}).get("finalizers") or ())


def is_pod_failed(pod: dict) -> bool:
    """A pod counts as failed when Failed, or deleted before it succeeded."""
    if podutil.phase(pod) == "Failed":
        return True
    return podutil.is_terminating(pod) and podutil.phase(pod) != "Succeeded"


def finished_time(pod: dict) -> datetime | None:
    """``getFinishedTime``: the latest container finishedAt, else the Ready condition's
    transition, else the deletion timestamp."""
    status = pod.get("status") or {}
    latest = None
    for cs in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []):
        t = podutil.parse_time(((cs.get("state") or {}).get("terminated") or {}).get("finishedAt"))
        if t is not None and (latest is None or t > latest):
            latest = t
    if latest is not None:
        return latest
    cond = podutil.ready_condition(pod)
    if cond is not None and cond.get("status") == "False":
        t = podutil.parse_time(cond.get("lastTransitionTime"))
        if t is not None:
            return t
    return podutil.parse_time((pod.get("metadata") or {}).get("deletionTimestamp"))


def remaining_backoff(pods: list[dict], now: datetime) -> timedelta:
    """``backoffRecord.getRemainingTime``: 10s × 2^(failures after the last success − 1),
    capped at 10 minutes, from the last failure."""
    finished = []
    for pod in pods:
        if podutil.phase(pod) in ("Succeeded", "Failed"):
            t = finished_time(pod)
            if t is not None:
                finished.append((t, podutil.phase(pod)))
    finished.sort(key=lambda x: x[0])
    failures, last_failure = 0, None
    for t, ph in finished:
        if ph == "Succeeded":
            failures, last_failure = 0, None
        else:
            failures += 1
            last_failure = t
    if failures == 0 or last_failure is None:
        return timedelta(0)
    backoff = DEFAULT_JOB_POD_FAILURE_BACKOFF * (2 ** (failures - 1))
    backoff = min(backoff, MAX_JOB_POD_FAILURE_BACKOFF)
    left = last_failure + backoff - now
    return max(left, timedelta(0))


def _restart_count(pod: dict) -> int:
    status = pod.get("status") or {}
    return sum(int(cs.get("restartCount") or 0)
               for cs in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []))


def past_backoff_limit_on_failure(job: dict, pods: list[dict]) -> bool:
    """``pastBackoffLimitOnFailure``: restartPolicy OnFailure counts container restarts of
    running/pending pods against the backoff limit."""
    spec = job.get("spec") or {}
    if ((spec.get("template") or {}).get("spec") or {}).get("restartPolicy") != "OnFailure":
        return False
    result = sum(_restart_count(p) for p in pods if podutil.phase(p) in ("Running", "Pending"))
    limit = int(spec.get("backoffLimit", 6))
    if limit == 0:
        return result > 0
    return result >= limit


def _active_pod_rank(pod: dict):
    """Deletion order among active pods (``controller.ActivePods``, simplified): unscheduled,
    pending, not ready, then the newest first."""
    meta = pod.get("metadata") or {}
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}.get(podutil.phase(pod), 0)
    return (bool((pod.get("spec") or {}).get("nodeName")), phase_rank, podutil.is_pod_ready(pod),
            [-ord(c) for c in meta.get("creationTimestamp") or ""], meta.get("name", ""))


class JobController:
    name = COMPONENT

    def sync(self, cluster, now: datetime) -> Iterable[Action]:
        plan = Plan()
        jobs = cluster.list("jobs.batch")
        uids = {(j.get("metadata") or {}).get("uid") for j in jobs}
        for job in jobs:
            self.sync_job(cluster, job, now, plan)
        # cleanupPodFinalizers: pods of Jobs that are gone lose the tracking finalizer.
        for pod in cluster.list("pods"):
            ref = controller_ref(pod)
            if has_tracking_finalizer(pod) and ref and ref.get("kind") == "Job" and ref.get("uid") not in uids:
                plan.update(_without_finalizer(pod))
        return plan.actions

    def sync_job(self, cluster, job: dict, now: datetime, plan: Plan) -> None:
        meta = job.get("metadata") or {}
        spec = job.get("spec") or {}
        status = job.get("status") or {}
        pods = podutil.owned_pods(cluster, job)
        if is_job_finished(job):
            for pod in pods:
                if has_tracking_finalizer(pod):
                    plan.update(_without_finalizer(pod))
            self._ttl(job, now, plan)
            return
        if meta.get("deletionTimestamp"):
            return

        indexed = spec.get("completionMode") == "Indexed"
        completions = spec.get("completions")
        parallelism = int(spec.get("parallelism", 1) if spec.get("parallelism") is not None else 1)
        new_status = clone(status)
        conditions: list[dict] = new_status.get("conditions") or []

        # Count finished pods that still hold the tracking finalizer.
        succeeded = int(status.get("succeeded") or 0)
        failed = int(status.get("failed") or 0)
        success_met_before = get_condition(job, "SuccessCriteriaMet") is not None
        completed_indexes = parse_indexes(status.get("completedIndexes"), int(completions or 0)) if indexed else set()
        for pod in pods:
            if not has_tracking_finalizer(pod):
                continue
            if success_met_before and podutil.phase(pod) != "Succeeded":
                pass  # removed after success was reached: not a failure
            elif podutil.phase(pod) == "Succeeded":
                if indexed:
                    ix = get_completion_index(pod)
                    if ix is not None and ix < int(completions or 0) and ix not in completed_indexes:
                        completed_indexes.add(ix)
                        succeeded += 1
                else:
                    succeeded += 1
            elif is_pod_failed(pod):
                failed += 1
            else:
                continue
            plan.update(_without_finalizer(pod))

        active_pods = [p for p in pods if podutil.is_pod_active(p)]
        terminating = sum(1 for p in pods if podutil.is_terminating(p) and not podutil.is_pod_terminal(p))
        suspended = bool(spec.get("suspend"))

        # Suspension.
        if suspended:
            if status.get("startTime"):
                new_status.pop("startTime", None)
            if not is_condition_true(job, "Suspended"):
                set_condition(conditions, new_condition("Suspended", "True", "JobSuspended", "Job suspended", now))
                plan.event(job, "Normal", "Suspended", "Job suspended", COMPONENT)
            for pod in sorted(active_pods, key=_active_pod_rank):
                self._delete_pod(job, pod, plan)
            active_pods = []
        else:
            if get_condition(job, "Suspended") is not None and is_condition_true(job, "Suspended"):
                set_condition(conditions, new_condition("Suspended", "False", "JobResumed", "Job resumed", now))
                plan.event(job, "Normal", "Resumed", "Job resumed", COMPONENT)
                new_status["startTime"] = rfc3339(now)
            elif not status.get("startTime"):
                new_status["startTime"] = rfc3339(now)

        start_time = podutil.parse_time(new_status.get("startTime"))
        failure_target = get_condition(job, "FailureTarget")
        success_met = get_condition(job, "SuccessCriteriaMet")
        if not suspended and failure_target is None and success_met is None:
            limit = int(spec.get("backoffLimit", 6) if spec.get("backoffLimit") is not None else 6)
            if failed > limit or past_backoff_limit_on_failure(job, active_pods):
                failure_target = new_condition("FailureTarget", "True", "BackoffLimitExceeded", MSG_BACKOFF_LIMIT, now)
            elif (spec.get("activeDeadlineSeconds") is not None and start_time is not None
                  and start_time + timedelta(seconds=int(spec["activeDeadlineSeconds"])) <= now):
                failure_target = new_condition("FailureTarget", "True", "DeadlineExceeded", MSG_DEADLINE, now)
            if failure_target is not None:
                set_condition(conditions, failure_target)
            elif indexed:
                if len(completed_indexes) >= int(completions or 0):
                    success_met = new_condition("SuccessCriteriaMet", "True", "CompletionsReached",
                                                MSG_COMPLETIONS_REACHED, now)
            elif completions is not None:
                if succeeded >= int(completions):
                    success_met = new_condition("SuccessCriteriaMet", "True", "CompletionsReached",
                                                MSG_COMPLETIONS_REACHED, now)
            elif succeeded > 0 and not active_pods:
                success_met = new_condition("SuccessCriteriaMet", "True", "CompletionsReached",
                                            MSG_COMPLETIONS_REACHED, now)
            if success_met is not None and failure_target is None:
                set_condition(conditions, success_met)

        created: list[dict] = []
        if failure_target is not None or success_met is not None:
            # Finishing: the remaining active pods are removed; a deleted pod counts as failed.
            for pod in sorted(active_pods, key=_active_pod_rank):
                if failure_target is not None:
                    failed += 1
                plan.update(_without_finalizer(pod))
                self._delete_pod(job, pod, plan)
            removed = len(active_pods)
            active_pods = []
            if removed == 0 and terminating == 0:
                if failure_target is not None:
                    set_condition(conditions, new_condition("Failed", "True", failure_target["reason"],
                                                            failure_target["message"], now))
                    plan.event(job, "Warning", failure_target["reason"], failure_target["message"], COMPONENT)
                else:
                    set_condition(conditions, new_condition("Complete", "True", success_met["reason"],
                                                            success_met["message"], now))
                    new_status["completionTime"] = rfc3339(now)
                    plan.event(job, "Normal", "Completed", "Job completed", COMPONENT)
        elif not suspended:
            active_pods, created = self._manage(cluster, job, pods, active_pods, succeeded, failed,
                                                completed_indexes, parallelism, now, plan)

        active = len(active_pods) + len(created)
        ready = sum(1 for p in active_pods if podutil.is_pod_ready(p))
        for key, value in (("active", active), ("succeeded", succeeded), ("failed", failed)):
            if value:
                new_status[key] = value
            else:
                new_status.pop(key, None)
        new_status["ready"] = ready
        new_status["terminating"] = terminating
        new_status["uncountedTerminatedPods"] = {}
        if indexed:
            text = format_indexes(completed_indexes)
            if text:
                new_status["completedIndexes"] = text
            else:
                new_status.pop("completedIndexes", None)
        if conditions:
            new_status["conditions"] = conditions
        if new_status != status:
            obj = clone(job)
            obj["status"] = new_status
            plan.update_status(obj)

    def _manage(self, cluster, job: dict, pods: list[dict], active_pods: list[dict], succeeded: int, failed: int,
                completed_indexes: set[int], parallelism: int, now: datetime,
                plan: Plan) -> tuple[list[dict], list[dict]]:
        """``manageJob``: delete surplus active pods or create missing ones."""
        spec = job.get("spec") or {}
        completions = spec.get("completions")
        indexed = spec.get("completionMode") == "Indexed"
        active = len(active_pods)
        if completions is None:
            want_active = active if succeeded > 0 else parallelism
        else:
            done = len(completed_indexes) if indexed else succeeded
            want_active = max(0, min(int(completions) - done, parallelism))
        if active > want_active:
            surplus = sorted(active_pods, key=_active_pod_rank)[: active - want_active]
            for pod in surplus:
                self._delete_pod(job, pod, plan)
            gone = {id(p) for p in surplus}
            return [p for p in active_pods if id(p) not in gone], []
        diff = min(want_active - active, 500)
        if diff <= 0:
            return active_pods, []
        if failed > 0 and remaining_backoff(pods, now) > timedelta(0):
            return active_pods, []
        meta = job.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        job_name = meta.get("name", "")
        template = clone(spec.get("template") or {})
        tmeta = template.setdefault("metadata", {})
        finalizers = tmeta.setdefault("finalizers", [])
        if JOB_TRACKING_FINALIZER not in finalizers:
            finalizers.append(JOB_TRACKING_FINALIZER)
        taken = {(p.get("metadata") or {}).get("name") for p in cluster.list("pods", ns)}
        uid = meta.get("uid", "")
        created: list[dict] = []
        if indexed:
            busy = {get_completion_index(p) for p in active_pods}
            pending = [i for i in range(int(completions or 0)) if i not in completed_indexes and i not in busy]
            for index in pending[:diff]:
                base = _pod_generate_name_with_index(job_name, index)
                name = unique_name(base, taken, uid, index, len(pods) + len(created))
                taken.add(name)
                tpl = clone(template)
                tpl["metadata"].setdefault("annotations", {})[JOB_COMPLETION_INDEX_ANNOTATION] = str(index)
                tpl["metadata"].setdefault("labels", {})[JOB_COMPLETION_INDEX_ANNOTATION] = str(index)
                tpl.setdefault("spec", {})["hostname"] = f"{job_name}-{index}"
                _add_completion_index_env(tpl["spec"])
                created.append(self._create_pod(job, tpl, name, plan))
        else:
            for _ in range(diff):
                name = unique_name(f"{job_name}-", taken, uid, len(pods) + len(created))
                taken.add(name)
                created.append(self._create_pod(job, template, name, plan))
        return active_pods, created

    @staticmethod
    def _create_pod(job: dict, template: dict, name: str, plan: Plan) -> dict:
        pod = podutil.pod_from_template(template, job, name=name)
        plan.create(pod)
        plan.event(job, "Normal", "SuccessfulCreate", f"Created pod: {name}", COMPONENT)
        return pod

    @staticmethod
    def _delete_pod(job: dict, pod: dict, plan: Plan) -> None:
        plan.delete(pod)
        plan.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}", COMPONENT)

    @staticmethod
    def _ttl(job: dict, now: datetime, plan: Plan) -> None:
        """ttlafterfinished: delete (Foreground) once the finish time + ttl has passed."""
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        if ttl is None:
            return
        cond = get_condition(job, "Complete") if is_condition_true(job, "Complete") else get_condition(job, "Failed")
        finish = podutil.parse_time((cond or {}).get("lastTransitionTime"))
        if finish is None:
            return
        if finish + timedelta(seconds=int(ttl)) <= now:
            plan.delete(job, propagation="Foreground")


def _without_finalizer(pod: dict) -> dict:
    obj = clone(pod)
    finalizers = [f for f in obj["metadata"].get("finalizers") or () if f != JOB_TRACKING_FINALIZER]
    if finalizers:
        obj["metadata"]["finalizers"] = finalizers
    else:
        obj["metadata"].pop("finalizers", None)
    return obj


def _pod_generate_name_with_index(job_name: str, index: int) -> str:
    """``podGenerateNameWithIndex``: ``<job>-<index>-``, the job name cut to fit 58."""
    append = f"-{index}-"
    prefix = job_name + append
    if len(prefix) > 58:
        prefix = job_name[: 58 - len(append)] + append
    return prefix


def _add_completion_index_env(spec: dict) -> None:
    """``addCompletionIndexEnvVariables``: JOB_COMPLETION_INDEX from the pod's index label."""
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or ():
            env = container.setdefault("env", [])
            if any(e.get("name") == COMPLETION_INDEX_ENV_NAME for e in env):
                continue
            env.append({"name": COMPLETION_INDEX_ENV_NAME, "valueFrom": {"fieldRef": {
                "fieldPath": f"metadata.labels['{JOB_COMPLETION_INDEX_ANNOTATION}']"}}})
