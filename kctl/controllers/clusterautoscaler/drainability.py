"""Which pods a scale-down must move, and which pods block it
(cluster-autoscaler/simulator/drainability and utils/drain).

For each pod on a candidate node, in upstream's rule order:
- mirror pods (``kubernetes.io/config.mirror``), DaemonSet pods, terminal pods and pods
  already terminating are not moved and do not block;
- ``cluster-autoscaler.kubernetes.io/safe-to-evict: "true"`` makes a pod movable whatever
  the rules below say;
- ``safe-to-evict: "false"`` blocks (``NotSafeToEvictAnnotation``);
- a pod without a controller blocks (``NotReplicated``); one whose ReplicaSet, StatefulSet,
  Job, ReplicationController is gone blocks (``ControllerNotFound``);
- a ``kube-system`` pod that no PodDisruptionBudget covers blocks (``UnmovableKubeSystemPod``);
- a pod with local storage (hostPath, or an emptyDir not in memory) blocks
  (``LocalStorageRequested``) unless each such volume is named in
  ``cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes``;
- PodDisruptionBudgets: a PDB that allows fewer disruptions than the node's pods it
  covers blocks (``NotEnoughPdb``).
"""

from __future__ import annotations

import math

from kctl.controllers.base import controller_ref

SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict"
SAFE_TO_EVICT_LOCAL_VOLUMES = "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes"
MIRROR = "kubernetes.io/config.mirror"

_OWNER_RESOURCES = {
    "ReplicaSet": "replicasets.apps",
    "StatefulSet": "statefulsets.apps",
    "DaemonSet": "daemonsets.apps",
    "Job": "jobs.batch",
    "ReplicationController": "replicationcontrollers",
}


def is_daemonset_pod(pod: dict) -> bool:
    ref = controller_ref(pod)
    return bool(ref and ref.get("kind") == "DaemonSet")


def is_mirror_pod(pod: dict) -> bool:
    return MIRROR in ((pod.get("metadata") or {}).get("annotations") or {})


def stays(pod: dict) -> bool:
    """Pods a drain leaves alone (they neither move nor block)."""
    meta = pod.get("metadata") or {}
    return (is_mirror_pod(pod) or is_daemonset_pod(pod) or bool(meta.get("deletionTimestamp"))
            or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"))


def has_local_storage(pod: dict) -> bool:
    meta = pod.get("metadata") or {}
    allowed = {v.strip() for v in ((meta.get("annotations") or {}).get(SAFE_TO_EVICT_LOCAL_VOLUMES) or "").split(",")
               if v.strip()}
    for vol in (pod.get("spec") or {}).get("volumes") or ():
        local = "hostPath" in vol or ("emptyDir" in vol and ((vol.get("emptyDir") or {}).get("medium") != "Memory"))
        if local and vol.get("name") not in allowed:
            return True
    return False


def _pdb_selector_matches(pdb: dict, pod: dict) -> bool:
    from kctl.api.labels import selector_from_label_selector

    if (pdb.get("metadata") or {}).get("namespace") != (pod.get("metadata") or {}).get("namespace"):
        return False
    selector = (pdb.get("spec") or {}).get("selector")
    if selector is None:
        return False
    return selector_from_label_selector(selector).matches((pod.get("metadata") or {}).get("labels") or {})


def _is_ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or ())


def _scaled(value, total: int) -> int:
    """An IntOrString against ``total`` (percentages rounded up, as the disruption controller)."""
    if isinstance(value, str) and value.endswith("%"):
        try:
            return math.ceil(int(value[:-1]) * total / 100)
        except ValueError:
            return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def disruptions_allowed(pdb: dict, pods: list[dict]) -> int:
    """The disruption controller's disruptionsAllowed over the pods a PDB selects."""
    status = pdb.get("status") or {}
    if status.get("observedGeneration") is not None and "disruptionsAllowed" in status:
        return int(status.get("disruptionsAllowed") or 0)
    matched = [p for p in pods if _pdb_selector_matches(pdb, p)
               and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
               and not (p.get("metadata") or {}).get("deletionTimestamp")]
    expected = len(matched)
    healthy = sum(1 for p in matched if _is_ready(p))
    spec = pdb.get("spec") or {}
    if spec.get("maxUnavailable") is not None:
        desired = max(0, expected - _scaled(spec["maxUnavailable"], expected))
    elif spec.get("minAvailable") is not None:
        desired = _scaled(spec["minAvailable"], expected)
    else:
        desired = expected
    return max(0, healthy - desired)


class PdbBudget:
    """Remaining disruptions per PDB while a simulation removes several nodes."""

    def __init__(self, pdbs: list[dict], pods: list[dict]):
        self.pdbs = pdbs
        self.remaining = {id(p): disruptions_allowed(p, pods) for p in pdbs}

    def covering(self, pod: dict) -> list[dict]:
        return [p for p in self.pdbs if _pdb_selector_matches(p, pod)]

    def fits(self, pods: list[dict]) -> bool:
        need: dict[int, int] = {}
        for pod in pods:
            for pdb in self.covering(pod):
                need[id(pdb)] = need.get(id(pdb), 0) + 1
        return all(self.remaining[k] >= n for k, n in need.items())

    def take(self, pods: list[dict]) -> None:
        for pod in pods:
            for pdb in self.covering(pod):
                self.remaining[id(pdb)] -= 1


def blocking_reason(pod: dict, cluster, budget: PdbBudget) -> str | None:
    """Why ``pod`` keeps its node (None: it can be moved). Call only for pods that don't ``stays``."""
    meta = pod.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    if annotations.get(SAFE_TO_EVICT) == "true":
        return None
    if annotations.get(SAFE_TO_EVICT) == "false":
        return "NotSafeToEvictAnnotation"
    ref = controller_ref(pod)
    if ref is None:
        return "NotReplicated"
    resource = _OWNER_RESOURCES.get(ref.get("kind", ""))
    if resource is not None and (ref.get("apiVersion", "").split("/")[0] in ("apps", "batch", "v1")):
        owner = cluster.get(resource, meta.get("namespace"), ref.get("name", ""))
        if owner is None:
            return "ControllerNotFound"
    if meta.get("namespace") == "kube-system" and not budget.covering(pod):
        return "UnmovableKubeSystemPod"
    if has_local_storage(pod):
        return "LocalStorageRequested"
    return None
