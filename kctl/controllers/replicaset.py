"""The ReplicaSet controller (``pkg/controller/replicaset/replica_set.go``, name
``replicaset-controller``).

Per ReplicaSet and sync: claim pods as the ControllerRefManager does (keep owned pods that
match the selector, release owned ones that no longer match, adopt matching orphans;
terminating and terminal pods are ignored), compute the status from the claimed pods
*before* acting (as upstream), then create or delete the difference (at most
``burstReplicas`` = 500 per sync; deletions follow ``ranking.get_pods_to_delete``).

Pod names: upstream sends ``generateName: <rs>-`` and the API server appends 5 random
characters from ``bcdfghjklmnpqrstvwxz2456789``. kctl names pods itself, deterministically:
the base (``<rs>-`` truncated to 58 characters, as ``SimpleNameGenerator`` does) plus 5
characters drawn from that alphabet by BLAKE2b-64 of ``"<rs uid>/<n>"`` for n = 0, 1, 2 ...,
skipping names already present in the namespace or planned in this sync. ``generateName``
is set too, as on a real pod.

Slow start (batches 1, 2, 4, 8 ...) only changes behaviour when a create fails; creations
cannot fail while a plan is computed, so a sync plans all ``min(diff, 500)`` creations
(``slow_start_batches`` documents the batch sizes).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import datetime

from kctl.api.labels import LabelSelectorError, selector_from_label_selector
from kctl.controllers.base import (
    ClusterView,
    Emit,
    Event,
    ObjectRef,
    Plan,
    clone,
    controller_ref,
    owner_reference,
    rfc3339,
)
from kctl.controllers.deployment.hash import ALPHANUMS
from kctl.controllers.deployment.podutil import is_pod_active, is_pod_available, is_pod_ready
from kctl.controllers.ranking import get_pods_to_delete

COMPONENT = "replicaset-controller"
BURST_REPLICAS = 500
SLOW_START_INITIAL_BATCH_SIZE = 1
MAX_GENERATED_NAME_LENGTH = 63 - 5


def slow_start_batches(count: int, initial: int = SLOW_START_INITIAL_BATCH_SIZE) -> list[int]:
    """``slowStartBatch`` batch sizes: 1, 2, 4, 8 ... capped by what remains."""
    batches, size, remaining = [], min(initial, count), count
    while remaining > 0:
        batches.append(size)
        remaining -= size
        size = min(2 * size, remaining)
    return batches


def generate_name_base(rs_name: str) -> str:
    """``getPodsPrefix`` + ``SimpleNameGenerator``'s truncation of the base to 58 characters."""
    base = f"{rs_name}-"
    return base[:MAX_GENERATED_NAME_LENGTH] if len(base) > MAX_GENERATED_NAME_LENGTH else base


def pod_name_suffix(seed: str, ordinal: int) -> str:
    """5 characters from the 27-character alphabet, a deterministic function of (seed, ordinal)."""
    h = int.from_bytes(hashlib.blake2b(f"{seed}/{ordinal}".encode(), digest_size=8).digest(), "little")
    out = []
    for _ in range(5):
        h, r = divmod(h, len(ALPHANUMS))
        out.append(ALPHANUMS[r])
    return "".join(out)


def get_pod_from_template(template: dict, rs: dict, name: str, now: datetime | str,
                          spec_json: str | None = None, owner_ref: dict | None = None) -> dict:
    """``controller.GetPodFromTemplate``: template labels, annotations and finalizers, a copy of
    the template's spec (``spec_json``: the spec pre-serialized, to copy many pods quickly),
    and a controller ownerReference to the ReplicaSet."""
    tm = template.get("metadata") or {}
    rm = rs.get("metadata") or {}
    metadata: dict = {"name": name, "generateName": generate_name_base(rm.get("name", "")),
                      "namespace": rm.get("namespace"),
                      "creationTimestamp": now if isinstance(now, str) else rfc3339(now),
                      "labels": dict(tm.get("labels") or {})}
    if tm.get("annotations"):
        metadata["annotations"] = dict(tm["annotations"])
    if tm.get("finalizers"):
        metadata["finalizers"] = list(tm["finalizers"])
    metadata["ownerReferences"] = [dict(owner_ref) if owner_ref is not None else owner_reference(rs)]
    spec = json.loads(spec_json) if spec_json is not None else clone(template.get("spec") or {})
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


def _replicas(rs: dict) -> int:
    value = (rs.get("spec") or {}).get("replicas")
    return 1 if value is None else int(value)


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


class ReplicaSetController:
    name = COMPONENT

    def __init__(self, burst_replicas: int = BURST_REPLICAS):
        self.burst_replicas = burst_replicas

    def sync(self, cluster: ClusterView, now: datetime) -> list:
        rss = cluster.list("replicasets.apps")
        if not rss:
            return []
        orphans: dict[str | None, list[dict]] = defaultdict(list)
        for pod in cluster.list("pods"):
            if controller_ref(pod) is None and is_pod_active(pod):
                orphans[_meta(pod).get("namespace")].append(pod)
        state = _SyncState()
        actions: list = []
        for rs in rss:
            actions.extend(self.sync_replica_set(cluster, rs, now, orphans.get(_meta(rs).get("namespace"), ()), state))
        return actions

    def sync_replica_set(self, cluster: ClusterView, rs: dict, now: datetime, orphan_pods=(),
                         state: _SyncState | None = None) -> list:
        state = state or _SyncState()
        plan = Plan()
        try:
            selector = selector_from_label_selector((rs.get("spec") or {}).get("selector"))
        except LabelSelectorError:
            return []
        filtered = claim_pods(plan, cluster, rs, selector, orphan_pods, state.claimed)
        if not _meta(rs).get("deletionTimestamp"):
            self.manage_replicas(plan, cluster, rs, filtered, now, state)
        new_status = calculate_status(rs, filtered, now)
        if status_needs_update(rs, new_status):
            plan.update_status({**rs, "status": new_status})
        return plan.actions

    def manage_replicas(self, plan: Plan, cluster: ClusterView, rs: dict, filtered: list[dict], now: datetime,
                        state: _SyncState) -> None:
        """``manageReplicas``: create or delete the difference (at most burstReplicas)."""
        diff = len(filtered) - _replicas(rs)
        rm = _meta(rs)
        if diff < 0:
            count = min(-diff, self.burst_replicas)
            template = (rs.get("spec") or {}).get("template") or {}
            if not ((template.get("metadata") or {}).get("labels")):
                plan.event(rs, "Warning", "FailedCreate", "Error creating: unable to create pods, no labels", COMPONENT)
                return
            base = generate_name_base(rm.get("name", ""))
            seed = rm.get("uid") or rm.get("name", "")
            ns = rm.get("namespace")
            ordinal = 0
            spec_json = json.dumps(template.get("spec") or {})
            created = rfc3339(now)
            owner_ref = owner_reference(rs)
            ref = ObjectRef.of(rs)
            for _ in range(count):
                while True:
                    name = base + pod_name_suffix(seed, ordinal)
                    ordinal += 1
                    if (ns, name) not in state.names and cluster.get("pods", ns, name) is None:
                        break
                state.names.add((ns, name))
                plan.create(get_pod_from_template(template, rs, name, created, spec_json, owner_ref), handover=True)
                plan.actions.append(Emit(Event(ref, "Normal", "SuccessfulCreate", f"Created pod: {name}", COMPONENT)))
        elif diff > 0:
            count = min(diff, self.burst_replicas)
            related = get_indirectly_related_pods(cluster, rs) if count < len(filtered) else ()
            for pod in get_pods_to_delete(filtered, related, count, now):
                plan.delete(pod)
                plan.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {_meta(pod).get('name', '')}", COMPONENT)


class _SyncState:
    """What one controller sync has already decided across ReplicaSets."""

    def __init__(self):
        self.claimed: set[str] = set()
        self.names: set[tuple[str | None, str]] = set()


def claim_pods(plan: Plan, cluster: ClusterView, rs: dict, selector, orphan_pods, claimed: set) -> list[dict]:
    """``ClaimPods`` over active pods: the pods this RS controls after adoption/release."""
    rm = _meta(rs)
    uid = rm.get("uid", "")
    deleting = bool(rm.get("deletionTimestamp"))
    pods: list[dict] = []
    for pod in cluster.owned_by(uid):
        if pod.get("kind") != "Pod" or not is_pod_active(pod):
            continue
        if selector.matches(_meta(pod).get("labels")):
            pods.append(pod)
        elif not deleting:
            refs = [r for r in _meta(pod).get("ownerReferences") or () if r.get("uid") != uid]
            plan.update(_with_owner_refs(pod, refs))
    if deleting:
        return pods
    for pod in orphan_pods:
        pod_uid = _meta(pod).get("uid", "") or _meta(pod).get("name", "")
        if pod_uid in claimed or not selector.matches(_meta(pod).get("labels")):
            continue
        claimed.add(pod_uid)
        adopted = _with_owner_refs(pod, [*(_meta(pod).get("ownerReferences") or ()), owner_reference(rs)])
        plan.update(adopted)
        pods.append(adopted)
    return pods


def _with_owner_refs(obj: dict, refs: list[dict]) -> dict:
    m = {**_meta(obj), "ownerReferences": refs}
    if not refs:
        m.pop("ownerReferences")
    return {**obj, "metadata": m}


def get_indirectly_related_pods(cluster: ClusterView, rs: dict) -> list[dict]:
    """``getIndirectlyRelatedPods``: pods of every RS sharing this RS's controller (e.g. all
    ReplicaSets of one Deployment). kctl takes each RS's *owned* pods rather than listing
    the namespace by selector (the same set unless pods are mislabelled)."""
    ref = controller_ref(rs)
    if ref is None:
        return []
    seen: set[str] = set()
    related: list[dict] = []
    for other in cluster.owned_by(ref.get("uid", "")):
        if other.get("kind") != "ReplicaSet":
            continue
        for pod in cluster.owned_by(_meta(other).get("uid", "")):
            if pod.get("kind") != "Pod":
                continue
            key = _meta(pod).get("uid") or _meta(pod).get("name", "")
            if key not in seen:
                seen.add(key)
                related.append(pod)
    return related


def calculate_status(rs: dict, filtered: list[dict], now: datetime) -> dict:
    """``calculateStatus``: replicas, fullyLabeledReplicas (template labels all present),
    readyReplicas, availableReplicas (with the RS's minReadySeconds), observedGeneration;
    existing conditions are kept. Zero counts other than ``replicas`` are omitted."""
    spec = rs.get("spec") or {}
    template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    min_ready = int(spec.get("minReadySeconds") or 0)
    fully = ready = available = 0
    items = template_labels.items()
    for pod in filtered:
        labels = _meta(pod).get("labels") or {}
        if all(labels.get(k) == v for k, v in items):
            fully += 1
        if is_pod_ready(pod):
            ready += 1
            if is_pod_available(pod, min_ready, now):
                available += 1
    status: dict = {"replicas": len(filtered)}
    for key, value in (("fullyLabeledReplicas", fully), ("readyReplicas", ready), ("availableReplicas", available),
                       ("observedGeneration", int(_meta(rs).get("generation") or 0))):
        if value:
            status[key] = value
    conditions = (rs.get("status") or {}).get("conditions")
    if conditions:
        status["conditions"] = conditions
    return status


def status_needs_update(rs: dict, new_status: dict) -> bool:
    """``updateReplicaSetStatus``'s early return, inverted."""
    old = rs.get("status") or {}
    return any(int(old.get(k) or 0) != int(new_status.get(k) or 0)
               for k in ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas",
                         "observedGeneration")) or (old.get("conditions") or None) != (new_status.get("conditions") or None) \
        or "replicas" not in old
