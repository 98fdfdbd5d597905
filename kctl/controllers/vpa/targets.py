"""Which pods a VPA governs: those its targetRef's controller selects (upstream's
target selector fetcher), in the VPA's namespace, not terminal."""

from __future__ import annotations

VPAS = "verticalpodautoscalers.autoscaling.k8s.io"

_RESOURCES = {
    "Deployment": "deployments.apps",
    "ReplicaSet": "replicasets.apps",
    "StatefulSet": "statefulsets.apps",
    "DaemonSet": "daemonsets.apps",
    "Job": "jobs.batch",
    "ReplicationController": "replicationcontrollers",
}


def target_object(vpa: dict, get) -> dict | None:
    """The targetRef's object (``get(resource, namespace, name)``), or None."""
    ref = (vpa.get("spec") or {}).get("targetRef") or {}
    resource = _RESOURCES.get(ref.get("kind", ""))
    if resource is None:
        return None
    return get(resource, (vpa.get("metadata") or {}).get("namespace"), ref.get("name", ""))


def target_selector(target: dict):
    from kctl.api.labels import selector_from_label_selector, selector_from_set

    spec = target.get("spec") or {}
    selector = spec.get("selector")
    if target.get("kind") == "ReplicationController":
        return selector_from_set(selector or {}) if selector else None
    if not selector:
        return None
    return selector_from_label_selector(selector)


def selects(vpa: dict, pod: dict, get) -> bool:
    target = target_object(vpa, get)
    if target is None:
        return False
    selector = target_selector(target)
    return selector is not None and selector.matches((pod.get("metadata") or {}).get("labels") or {})


def target_pods(vpa: dict, cluster) -> list[dict]:
    ns = (vpa.get("metadata") or {}).get("namespace")
    target = target_object(vpa, cluster.get)
    if target is None:
        return []
    selector = target_selector(target)
    if selector is None:
        return []
    return [p for p in cluster.list("pods", ns)
            if selector.matches((p.get("metadata") or {}).get("labels") or {})
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


def update_mode(vpa: dict) -> str:
    """spec.updatePolicy.updateMode, default Recreate (Auto is its deprecated alias)."""
    mode = ((vpa.get("spec") or {}).get("updatePolicy") or {}).get("updateMode") or "Recreate"
    return "Recreate" if mode in ("Auto", "InPlaceOrRecreate") else mode
