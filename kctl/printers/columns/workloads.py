"""Workload rows: Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet,
Job, CronJob, ControllerRevision (mirrors the matching ``print*`` functions upstream)."""

from __future__ import annotations

from datetime import datetime

from kctl.printers.duration import human_duration, parse_rfc3339, translate_timestamp_since

from . import AGE, NAME, Column, register
from .common import (
    age,
    format_label_selector,
    format_labels,
    label_selector_string,
    layout_container_cells,
    name,
    template_containers,
)

CONTAINERS = Column("Containers", 1)
IMAGES = Column("Images", 1)
SELECTOR = Column("Selector", 1)
#: DESIRED, CURRENT, READY of ReplicaSets, ReplicationControllers and DaemonSets.
DESIRED_CURRENT_READY = (Column("Desired", type="integer"), Column("Current", type="integer"),
                         Column("Ready", type="integer"))


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def _replicas(obj: dict) -> int:
    """spec.replicas after defaulting (1 when unset)."""
    r = _spec(obj).get("replicas")
    return 1 if r is None else int(r)


def deployment_row(obj: dict, now: datetime) -> list:
    st = _status(obj)
    names, images = layout_container_cells(template_containers(obj))
    return [
        name(obj),
        f"{int(st.get('readyReplicas') or 0)}/{_replicas(obj)}",
        int(st.get("updatedReplicas") or 0),
        int(st.get("availableReplicas") or 0),
        age(obj, now),
        names,
        images,
        label_selector_string(_spec(obj).get("selector")),
    ]


def _replicated_row(obj: dict, now: datetime, selector: str) -> list:
    """The cells printReplicaSet and printReplicationController share; only the selector's
    format differs (a LabelSelector for the one, a plain map for the other)."""
    st = _status(obj)
    names, images = layout_container_cells(template_containers(obj))
    return [
        name(obj),
        _replicas(obj),
        int(st.get("replicas") or 0),
        int(st.get("readyReplicas") or 0),
        age(obj, now),
        names,
        images,
        selector,
    ]


def replica_set_row(obj: dict, now: datetime) -> list:
    return _replicated_row(obj, now, format_label_selector(_spec(obj).get("selector")))


def replication_controller_row(obj: dict, now: datetime) -> list:
    return _replicated_row(obj, now, format_labels(_spec(obj).get("selector")))


def stateful_set_row(obj: dict, now: datetime) -> list:
    names, images = layout_container_cells(template_containers(obj))
    return [
        name(obj),
        f"{int(_status(obj).get('readyReplicas') or 0)}/{_replicas(obj)}",
        age(obj, now),
        names,
        images,
    ]


def daemon_set_row(obj: dict, now: datetime) -> list:
    st = _status(obj)
    spec = _spec(obj)
    node_selector = (((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")) or {}
    names, images = layout_container_cells(template_containers(obj))
    return [
        name(obj),
        int(st.get("desiredNumberScheduled") or 0),
        int(st.get("currentNumberScheduled") or 0),
        int(st.get("numberReady") or 0),
        int(st.get("updatedNumberScheduled") or 0),
        int(st.get("numberAvailable") or 0),
        format_labels(node_selector),
        age(obj, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _has_job_condition(conditions: list, ctype: str) -> bool:
    for c in conditions:
        if c.get("type") == ctype:
            return c.get("status") == "True"
    return False


def job_status(obj: dict) -> str:
    """Complete, Failed, Terminating, Suspended, FailureTarget, else Running."""
    conditions = _status(obj).get("conditions") or []
    if _has_job_condition(conditions, "Complete"):
        return "Complete"
    if _has_job_condition(conditions, "Failed"):
        return "Failed"
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    if _has_job_condition(conditions, "Suspended"):
        return "Suspended"
    if _has_job_condition(conditions, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def job_row(obj: dict, now: datetime) -> list:
    spec = _spec(obj)
    st = _status(obj)
    succeeded = int(st.get("succeeded") or 0)
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{int(spec['completions'])}"
    else:
        parallelism = int(spec.get("parallelism") or 0)
        completions = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
    start = st.get("startTime")
    if not start:
        job_duration = ""
    elif not st.get("completionTime"):
        job_duration = human_duration(now - parse_rfc3339(start))
    else:
        job_duration = human_duration(parse_rfc3339(st["completionTime"]) - parse_rfc3339(start))
    names, images = layout_container_cells(template_containers(obj))
    return [
        name(obj),
        job_status(obj),
        completions,
        job_duration,
        age(obj, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def print_bool_ptr(value) -> str:
    """printBoolPtr: ``True`` / ``False``, ``<unset>`` for nil."""
    if value is None:
        return "<unset>"
    return "True" if value else "False"


def cron_job_row(obj: dict, now: datetime) -> list:
    spec = _spec(obj)
    st = _status(obj)
    last = st.get("lastScheduleTime")
    last_schedule = translate_timestamp_since(last, now) if last else "<none>"
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    containers = ((job_spec.get("template") or {}).get("spec") or {}).get("containers") or []
    names, images = layout_container_cells(containers)
    return [
        name(obj),
        spec.get("schedule", ""),
        spec.get("timeZone") if spec.get("timeZone") is not None else "<none>",
        print_bool_ptr(spec.get("suspend")),
        len(st.get("active") or []),
        last_schedule,
        age(obj, now),
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]


def controller_revision_row(obj: dict, now: datetime) -> list:
    controller = "<none>"
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            group = ref.get("apiVersion", "").rpartition("/")[0]
            kind = ref.get("kind", "")
            gk = f"{kind}.{group}" if group else kind
            controller = f"{gk.lower()}/{ref.get('name', '')}" if gk else ref.get("name", "")
            break
    return [name(obj), controller, int(obj.get("revision") or 0), age(obj, now)]


register("apps", "Deployment",
         (NAME, Column("Ready"), Column("Up-to-date"), Column("Available"), AGE, CONTAINERS, IMAGES, SELECTOR),
         deployment_row)
register("apps", "ReplicaSet", (NAME, *DESIRED_CURRENT_READY, AGE, CONTAINERS, IMAGES, SELECTOR), replica_set_row)
register("", "ReplicationController", (NAME, *DESIRED_CURRENT_READY, AGE, CONTAINERS, IMAGES, SELECTOR),
         replication_controller_row)
register("apps", "StatefulSet", (NAME, Column("Ready"), AGE, CONTAINERS, IMAGES), stateful_set_row)
register("apps", "DaemonSet",
         (NAME, *DESIRED_CURRENT_READY, Column("Up-to-date", type="integer"),
          Column("Available", type="integer"), Column("Node Selector"), AGE, CONTAINERS, IMAGES, SELECTOR),
         daemon_set_row)
register("batch", "Job",
         (NAME, Column("Status"), Column("Completions"), Column("Duration"), AGE, CONTAINERS, IMAGES, SELECTOR),
         job_row)
register("batch", "CronJob",
         (NAME, Column("Schedule"), Column("Timezone"), Column("Suspend", type="boolean"),
          Column("Active", type="integer"), Column("Last Schedule"), AGE, CONTAINERS, IMAGES, SELECTOR),
         cron_job_row)
register("apps", "ControllerRevision", (NAME, Column("Controller"), Column("Revision"), AGE),
         controller_revision_row)
