"""Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob describers."""

from __future__ import annotations

from datetime import UTC, datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    LEVEL_1,
    controller_of,
    describe_events,
    duration_between,
    format_label_selector,
    format_labels,
    intstr,
    meta,
    parse_time,
    print_bool_ptr,
    print_controller,
    print_labels_multiline,
    rfc1123z,
    selector_string,
    write_labels_annotations,
    write_name_namespace,
)
from kctl.printers.describe.containers import describe_pod_template
from kctl.printers.describe.quantity import quantity_string
from kctl.printers.describe.tabwriter import PrefixWriter

POD_TEMPLATE_HASH = "pod-template-hash"


def _owned_by(obj: dict, owner: dict) -> bool:
    ref = controller_of(obj)
    if ref is None:
        return False
    om = meta(owner)
    if ref.get("uid") and om.get("uid"):
        return ref["uid"] == om["uid"]
    return ref.get("kind") == owner.get("kind") and ref.get("name") == om.get("name")


def pod_status_counts(owner: dict, related: dict) -> tuple[int, int, int, int]:
    """``getPodStatusForController``: Running / Waiting (Pending) / Succeeded / Failed.

    From ``related["podStatus"]`` (a 4-tuple, or a dict with those keys) when given, else
    counted over ``related["pods"]`` for pods whose controller is ``owner``.
    """
    given = related.get("podStatus")
    if isinstance(given, dict):
        return tuple(int(given.get(k, 0)) for k in ("running", "waiting", "succeeded", "failed"))  # type: ignore[return-value]
    if given is not None:
        return tuple(given)  # type: ignore[return-value]
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in related.get("pods") or []:
        if not _owned_by(pod, owner):
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _pods_status_line(counts: tuple[int, int, int, int]) -> str:
    r, wt, s, f = counts
    return f"{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"


def _conditions_type_status_reason(w: PrefixWriter, conditions: list | None) -> None:
    if not conditions:
        return
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
    w.write(LEVEL_1, "----\t------\t------\n")
    for c in conditions:
        w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


# --- Deployment --------------------------------------------------------------------------


def _template_without_hash(template: dict | None) -> dict:
    t = dict(template or {})
    m = dict(t.get("metadata") or {})
    labels = {k: v for k, v in (m.get("labels") or {}).items() if k != POD_TEMPLATE_HASH}
    if labels:
        m["labels"] = labels
    else:
        m.pop("labels", None)
    t["metadata"] = m
    return t


def _by_creation(rs: dict) -> tuple:
    ts = parse_time(meta(rs).get("creationTimestamp")) or datetime.min.replace(tzinfo=UTC)
    return (ts, meta(rs).get("name", ""))


def split_replica_sets(deployment: dict, replica_sets: list[dict]) -> tuple[list[dict], dict | None]:
    """``deploymentutil.GetAllReplicaSets``: (all old RSes, new RS) among the owned ones.

    The new ReplicaSet is the oldest whose template equals the Deployment's, ignoring the
    pod-template-hash label; the rest are old, oldest first.
    """
    owned = sorted((rs for rs in replica_sets if _owned_by(rs, deployment)), key=_by_creation)
    want = _template_without_hash((deployment.get("spec") or {}).get("template"))
    new = next(
        (rs for rs in owned if _template_without_hash((rs.get("spec") or {}).get("template")) == want), None
    )
    return [rs for rs in owned if rs is not new], new


def _print_replica_sets(rss: list[dict]) -> str:
    parts = [
        f"{meta(rs).get('name', '')} ({(rs.get('status') or {}).get('replicas', 0)}/"
        f"{(rs.get('spec') or {}).get('replicas', 1)} replicas created)"
        for rs in rss
    ]
    return ", ".join(parts) or "<none>"


def describe_deployment(
    d: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    m, spec, status = meta(d), d.get("spec") or {}, d.get("status") or {}
    write_name_namespace(w, d)
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'), now)}\n")
    write_labels_annotations(w, d)
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(
        LEVEL_0,
        f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
        f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
        f"{status.get('unavailableReplicas', 0)} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    w.write(LEVEL_0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(LEVEL_0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("rollingUpdate") is not None:
        ru = strategy["rollingUpdate"]
        w.write(
            LEVEL_0,
            f"RollingUpdateStrategy:\t{intstr(ru.get('maxUnavailable'))} max unavailable, "
            f"{intstr(ru.get('maxSurge'))} max surge\n",
        )
    describe_pod_template(spec.get("template"), w, now)
    _conditions_type_status_reason(w, status.get("conditions"))
    if "oldReplicaSets" in related or "newReplicaSet" in related:
        old, new = list(related.get("oldReplicaSets") or []), related.get("newReplicaSet")
    else:
        old, new = split_replica_sets(d, related.get("replicaSets") or [])
    news = [new] if new is not None else []
    if old or news:
        w.write(LEVEL_0, f"OldReplicaSets:\t{_print_replica_sets(old)}\n")
        w.write(LEVEL_0, f"NewReplicaSet:\t{_print_replica_sets(news)}\n")
    describe_events(d, events, w, now)


# --- ReplicaSet, DaemonSet, StatefulSet -------------------------------------------------------


def describe_replica_set(
    rs: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    write_name_namespace(w, rs)
    w.write(LEVEL_0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    write_labels_annotations(w, rs)
    if controlled_by := print_controller(rs):
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    w.write(LEVEL_0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n")
    w.write(LEVEL_0, "Pods Status:\t")
    w.write(LEVEL_0, _pods_status_line(pod_status_counts(rs, related)) + "\n")
    describe_pod_template(spec.get("template"), w, now)
    _conditions_type_status_reason(w, status.get("conditions"))
    describe_events(rs, events, w, now)


def describe_daemon_set(
    ds: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    write_name_namespace(w, ds)
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.write(LEVEL_0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    write_labels_annotations(w, ds)
    w.write(LEVEL_0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(LEVEL_0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(
        LEVEL_0,
        f"Number of Nodes Scheduled with Up-to-date Pods: {status.get('updatedNumberScheduled', 0)}\n",
    )
    w.write(LEVEL_0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    w.write(LEVEL_0, f"Pods Status:\t{_pods_status_line(pod_status_counts(ds, related))}\n")
    describe_pod_template(spec.get("template"), w, now)
    describe_events(ds, events, w, now)


def _pvc_class(pvc: dict) -> str:
    m = meta(pvc)
    beta = (m.get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")
    if beta is not None:
        return beta
    return (pvc.get("spec") or {}).get("storageClassName") or ""


def describe_volume_claim_templates(templates: list | None, w: PrefixWriter) -> None:
    if not templates:
        w.write(LEVEL_0, "Volume Claims:\t<none>\n")
        return
    w.write(LEVEL_0, "Volume Claims:\n")
    for pvc in templates:
        m, spec = meta(pvc), pvc.get("spec") or {}
        w.write(LEVEL_1, f"Name:\t{m.get('name', '')}\n")
        w.write(LEVEL_1, f"StorageClass:\t{_pvc_class(pvc)}\n")
        print_labels_multiline(w, "Labels", m.get("labels"), initial_indent="  ")
        print_labels_multiline(w, "Annotations", m.get("annotations"), initial_indent="  ")
        storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        w.write(LEVEL_1, f"Capacity:\t{quantity_string(storage) if storage is not None else '<default>'}\n")
        w.write(LEVEL_1, f"Access Modes:\t[{' '.join(spec.get('accessModes') or [])}]\n")


def describe_stateful_set(
    ss: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    m, spec, status = meta(ss), ss.get("spec") or {}, ss.get("status") or {}
    write_name_namespace(w, ss)
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'), now)}\n")
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    write_labels_annotations(w, ss)
    w.write(LEVEL_0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('replicas', 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(LEVEL_0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    ru = strategy.get("rollingUpdate")
    if ru is not None and ru.get("partition") is not None:
        w.write(LEVEL_1, f"Partition:\t{ru['partition']}\n")
        if ru.get("maxUnavailable") is not None:
            w.write(LEVEL_1, f"MaxUnavailable:\t{intstr(ru['maxUnavailable'])}\n")
    w.write(LEVEL_0, f"Pods Status:\t{_pods_status_line(pod_status_counts(ss, related))}\n")
    describe_pod_template(spec.get("template"), w, now)
    describe_volume_claim_templates(spec.get("volumeClaimTemplates"), w)
    describe_events(ss, events, w, now)


# --- Job, CronJob ------------------------------------------------------------------------------


def cap_indexes_list_or_none(indexes: str, soft_limit: int = 50) -> str:
    if not indexes:
        return "<none>"
    ix = soft_limit
    while ix < len(indexes) and indexes[ix] != ",":
        ix += 1
    return indexes if ix >= len(indexes) else indexes[: ix + 1] + "..."


def describe_job(job: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    spec, status = job.get("spec") or {}, job.get("status") or {}
    write_name_namespace(w, job)
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    write_labels_annotations(w, job)
    if controlled_by := print_controller(job):
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    if spec.get("parallelism") is not None:
        w.write(LEVEL_0, f"Parallelism:\t{spec['parallelism']}\n")
    completions = spec.get("completions")
    w.write(LEVEL_0, f"Completions:\t{'<unset>' if completions is None else completions}\n")
    if spec.get("completionMode") is not None:
        w.write(LEVEL_0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(LEVEL_0, f"Suspend:\t{'true' if spec['suspend'] else 'false'}\n")
    if spec.get("backoffLimit") is not None:
        w.write(LEVEL_0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(LEVEL_0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    if status.get("startTime"):
        w.write(LEVEL_0, f"Start Time:\t{rfc1123z(status['startTime'], now)}\n")
    if status.get("completionTime"):
        w.write(LEVEL_0, f"Completed At:\t{rfc1123z(status['completionTime'], now)}\n")
    if status.get("startTime") and status.get("completionTime"):
        w.write(LEVEL_0, f"Duration:\t{duration_between(status['startTime'], status['completionTime'])}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    active, succeeded, failed = status.get("active", 0), status.get("succeeded", 0), status.get("failed", 0)
    if status.get("ready") is None:
        w.write(LEVEL_0, f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")
    else:
        w.write(
            LEVEL_0,
            f"Pods Statuses:\t{active} Active ({status['ready']} Ready) / {succeeded} Succeeded / {failed} Failed\n",
        )
    if spec.get("completionMode") == "Indexed":
        w.write(
            LEVEL_0, f"Completed Indexes:\t{cap_indexes_list_or_none(status.get('completedIndexes', ''))}\n"
        )
    describe_pod_template(spec.get("template"), w, now)
    describe_events(job, events, w, now)


def describe_cron_job(cj: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    spec, status = cj.get("spec") or {}, cj.get("status") or {}
    write_name_namespace(w, cj)
    write_labels_annotations(w, cj)
    w.write(LEVEL_0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(LEVEL_0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    w.write(LEVEL_0, f"Suspend:\t{print_bool_ptr(spec.get('suspend'))}\n")
    for title, key in (
        ("Successful Job History Limit", "successfulJobsHistoryLimit"),
        ("Failed Job History Limit", "failedJobsHistoryLimit"),
    ):
        value = spec.get(key)
        w.write(LEVEL_0, f"{title}:\t{'<unset>' if value is None else value}\n")
    sds = spec.get("startingDeadlineSeconds")
    w.write(LEVEL_0, f"Starting Deadline Seconds:\t{'<unset>' if sds is None else f'{sds}s'}\n")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if job_spec.get("selector") is not None:
        w.write(LEVEL_0, f"Selector:\t{selector_string(job_spec['selector'])}\n")
    else:
        w.write(LEVEL_0, "Selector:\t<unset>\n")
    for title, key in (("Parallelism", "parallelism"), ("Completions", "completions")):
        value = job_spec.get(key)
        w.write(LEVEL_0, f"{title}:\t{'<unset>' if value is None else value}\n")
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(job_spec.get("template"), w, now)
    if status.get("lastScheduleTime"):
        w.write(LEVEL_0, f"Last Schedule Time:\t{rfc1123z(status['lastScheduleTime'], now)}\n")
    else:
        w.write(LEVEL_0, "Last Schedule Time:\t<unset>\n")
    w.write(LEVEL_0, "Active Jobs:\t")
    active = status.get("active") or []
    if not active:
        w.write_line("<none>")
    else:
        w.write(LEVEL_0, ", ".join(ref.get("name", "") for ref in active))
        w.write_line()
    describe_events(cj, events, w, now)
