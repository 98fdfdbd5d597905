"""Pod predicates the workload controllers share (k8s.io/kubernetes/pkg/api/v1/pod/util.go,
pkg/controller/controller_utils.go) and pod construction from a template
(``GetPodFromTemplate``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kctl.controllers.base import clone, owner_reference


def parse_time(text: str | None) -> datetime | None:
    """metav1.Time from its RFC 3339 form (None when absent or unparsable)."""
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            return None


def phase(pod: dict) -> str:
    return (pod.get("status") or {}).get("phase") or ""


def is_terminating(pod: dict) -> bool:
    return bool((pod.get("metadata") or {}).get("deletionTimestamp"))


def is_pod_terminal(pod: dict) -> bool:
    """``IsPodTerminal``: phase Succeeded or Failed."""
    return phase(pod) in ("Succeeded", "Failed")


def is_pod_active(pod: dict) -> bool:
    """``controller.IsPodActive``: not terminal and not being deleted."""
    return not is_pod_terminal(pod) and not is_terminating(pod)


def ready_condition(pod: dict) -> dict | None:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond
    return None


def is_pod_ready(pod: dict) -> bool:
    """``podutil.IsPodReady``: the Ready condition is True."""
    cond = ready_condition(pod)
    return cond is not None and cond.get("status") == "True"


def is_pod_available(pod: dict, min_ready_seconds: int, now: datetime) -> bool:
    """``podutil.IsPodAvailable``: Ready, and Ready for at least minReadySeconds."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = parse_time((ready_condition(pod) or {}).get("lastTransitionTime"))
    return since is not None and since + timedelta(seconds=min_ready_seconds) <= now


def is_running_and_ready(pod: dict) -> bool:
    """StatefulSet's ``isRunningAndReady``."""
    return phase(pod) == "Running" and is_pod_ready(pod)


def creation_key(obj: dict) -> tuple[str, str]:
    """Sort key: creationTimestamp, then name (RFC 3339 UTC strings sort in time order)."""
    meta = obj.get("metadata") or {}
    return (meta.get("creationTimestamp") or "", meta.get("name") or "")


def pod_from_template(template: dict, owner: dict, name: str = "", generate_name: str = "") -> dict:
    """``GetPodFromTemplate``: a Pod with the template's labels, annotations, finalizers and
    spec, in the owner's namespace, controlled by the owner."""
    tmeta = template.get("metadata") or {}
    meta: dict = {}
    if name:
        meta["name"] = name
    elif generate_name:
        meta["generateName"] = generate_name
    meta["namespace"] = (owner.get("metadata") or {}).get("namespace") or "default"
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    meta["ownerReferences"] = [owner_reference(owner)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": clone(template.get("spec") or {})}


def owned_pods(cluster, owner: dict) -> list[dict]:
    """Pods whose controller ownerReference is ``owner`` (the claimed pods; adoption and
    orphaning by selector are not simulated)."""
    uid = (owner.get("metadata") or {}).get("uid", "")
    return [o for o in cluster.owned_by(uid) if o.get("kind") == "Pod"]


def int_or_percent(value, total: int, round_up: bool) -> int:
    """``intstr.GetScaledValueFromIntOrPercent``."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    text = str(value)
    if text.endswith("%"):
        pct = int(text[:-1])
        scaled = pct * total
        return -(-scaled // 100) if round_up else scaled // 100
    return int(text)
