"""The StatefulSet controller (pkg/controller/statefulset: stateful_set_control.go,
stateful_set_utils.go, stateful_pod_control.go).

One sync mirrors ``defaultStatefulSetControl.UpdateStatefulSet``:

1. revisions: the update revision is the ControllerRevision whose data equals the current
   template (reused, re-numbered on rollback, or created as ``<set>-<hash>``); the current
   revision is ``status.currentRevision`` (or the update revision);
2. pods ``<set>-<ordinal>`` for ordinals in ``[start, start+replicas)`` are created (each with
   its PVCs ``<claim>-<set>-<ordinal>`` first); failed/succeeded ones are deleted and
   recreated; with ``OrderedReady`` (monotonic) one step at a time, waiting for every
   predecessor to be Running, Ready and available;
3. condemned pods (ordinals past the end) are deleted from the highest ordinal down;
4. RollingUpdate deletes the highest-ordinal pod (>= partition) not at the update revision,
   waiting for unhealthy pods; OnDelete does nothing;
5. status is written when it changed; history beyond ``revisionHistoryLimit`` is pruned.

Events mirror ``recordPodEvent``/``recordClaimEvent``: ``create Pod web-0 in StatefulSet web
successful``, ``delete Pod web-2 in StatefulSet web successful``, ``create Claim www-web-0 Pod
web-0 in StatefulSet web success``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from kctl.controllers.base import Action, Plan, clone
from kctl.controllers.workloads import history, podutil

COMPONENT = "statefulset-controller"
#: apps/v1 labels.
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash"

_ORDINAL_RE = re.compile(r"^(.*)-([0-9]+)$")


def get_parent_name_and_ordinal(pod: dict) -> tuple[str, int]:
    """``getParentNameAndOrdinal``: (``web``, 2) for ``web-2``; ordinal -1 if none."""
    m = _ORDINAL_RE.match((pod.get("metadata") or {}).get("name", ""))
    if not m:
        return "", -1
    return m.group(1), int(m.group(2))


def get_ordinal(pod: dict) -> int:
    return get_parent_name_and_ordinal(pod)[1]


def get_pod_name(set_name: str, ordinal: int) -> str:
    return f"{set_name}-{ordinal}"


def get_pod_revision(pod: dict) -> str:
    return ((pod.get("metadata") or {}).get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL, "")


def get_persistent_volume_claim_name(set_name: str, claim_name: str, ordinal: int) -> str:
    return f"{claim_name}-{set_name}-{ordinal}"


def is_healthy(pod: dict) -> bool:
    """``isHealthy``: Running and Ready, not terminating."""
    return podutil.is_running_and_ready(pod) and not podutil.is_terminating(pod)


def allows_burst(sts: dict) -> bool:
    return (sts.get("spec") or {}).get("podManagementPolicy") == "Parallel"


def start_ordinal(sts: dict) -> int:
    return int(((sts.get("spec") or {}).get("ordinals") or {}).get("start") or 0)


def get_persistent_volume_claims(sts: dict, ordinal: int) -> list[dict]:
    """``getPersistentVolumeClaims``: one claim per volumeClaimTemplate, named
    ``<claim>-<set>-<ordinal>``, labelled with the set's selector matchLabels."""
    meta = sts.get("metadata") or {}
    spec = sts.get("spec") or {}
    match_labels = (spec.get("selector") or {}).get("matchLabels") or {}
    policy = spec.get("persistentVolumeClaimRetentionPolicy") or {}
    claims = []
    for template in spec.get("volumeClaimTemplates") or ():
        claim = clone(template)
        claim.pop("status", None)
        claim["apiVersion"] = "v1"
        claim["kind"] = "PersistentVolumeClaim"
        cmeta = claim.setdefault("metadata", {})
        cmeta.pop("creationTimestamp", None)
        cmeta["name"] = get_persistent_volume_claim_name(meta.get("name", ""), template["metadata"]["name"], ordinal)
        cmeta["namespace"] = meta.get("namespace") or "default"
        cmeta["labels"] = {**(cmeta.get("labels") or {}), **match_labels}
        if policy.get("whenDeleted") == "Delete":
            # updateClaimOwnerRefForSetAndPod: the set owns the claim (not as its controller).
            cmeta["ownerReferences"] = [{"apiVersion": sts.get("apiVersion", "apps/v1"), "kind": "StatefulSet",
                                         "name": meta.get("name", ""), "uid": meta.get("uid", "")}]
        claims.append(claim)
    return claims


def new_stateful_set_pod(sts: dict, template: dict, ordinal: int, revision_name: str) -> dict:
    """``newStatefulSetPod`` + ``initIdentity`` + ``updateStorage`` + the revision label."""
    meta = sts.get("metadata") or {}
    set_name = meta.get("name", "")
    name = get_pod_name(set_name, ordinal)
    pod = podutil.pod_from_template(template, sts, name=name)
    labels = pod["metadata"].setdefault("labels", {})
    labels[POD_NAME_LABEL] = name
    labels[POD_INDEX_LABEL] = str(ordinal)
    labels[CONTROLLER_REVISION_HASH_LABEL] = revision_name
    spec = pod["spec"]
    spec["hostname"] = name
    service_name = (sts.get("spec") or {}).get("serviceName")
    if service_name:
        spec["subdomain"] = service_name
    claims = get_persistent_volume_claims(sts, ordinal)
    if claims:
        templates = (sts.get("spec") or {}).get("volumeClaimTemplates") or ()
        wanted = {t["metadata"]["name"]: c["metadata"]["name"] for t, c in zip(templates, claims, strict=True)}
        volumes = [v for v in spec.get("volumes") or () if v.get("name") not in wanted]
        volumes = [{"name": n, "persistentVolumeClaim": {"claimName": c}} for n, c in wanted.items()] + volumes
        spec["volumes"] = volumes
    return pod


def new_revision(sts: dict, revision: int, collision_count: int) -> dict:
    """``newRevision``: the template as a ``$patch: replace`` patch, named ``<set>-<hash>``,
    carrying the set's annotations."""
    data = history.template_patch((sts.get("spec") or {}).get("template") or {})
    hash_ = history.compute_hash(data, collision_count)
    name = history.controller_revision_name((sts.get("metadata") or {}).get("name", ""), hash_)
    rev = history.new_controller_revision(sts, name, hash_, data, revision)
    annotations = (sts.get("metadata") or {}).get("annotations")
    if annotations:
        rev["metadata"]["annotations"] = dict(annotations)
    return rev


class StatefulSetController:
    name = COMPONENT

    def sync(self, cluster, now: datetime) -> Iterable[Action]:
        plan = Plan()
        for sts in cluster.list("statefulsets.apps"):
            self.sync_stateful_set(cluster, sts, now, plan)
        return plan.actions

    # -- revisions ------------------------------------------------------------------------
    def _revisions(self, cluster, sts: dict, plan: Plan) -> tuple[dict, dict, int, list[dict]]:
        """``getStatefulSetRevisions``: (current, update, collisionCount, existing revisions)."""
        revisions = history.owned_revisions(cluster, sts)
        status = sts.get("status") or {}
        collision_count = int(status.get("collisionCount") or 0)
        update = new_revision(sts, history.next_revision(revisions), collision_count)
        equal = [r for r in revisions if r.get("data") == update["data"]]
        if equal and revisions and equal[-1] is revisions[-1]:
            update = revisions[-1]
        elif equal:
            # Roll back: renumber the equal revision to be the newest.
            rolled = clone(equal[-1])
            rolled["revision"] = update["revision"]
            plan.update(rolled)
            update = rolled
        else:
            by_name = {(r.get("metadata") or {}).get("name"): r for r in cluster.owned_by(
                (sts.get("metadata") or {}).get("uid", "")) if r.get("kind") == "ControllerRevision"}
            ns = (sts.get("metadata") or {}).get("namespace") or "default"
            while True:
                name = update["metadata"]["name"]
                existing = by_name.get(name) or cluster.get("controllerrevisions.apps", ns, name)
                if existing is None:
                    plan.create(update)
                    break
                if existing.get("data") == update["data"]:
                    update = existing
                    break
                collision_count += 1
                update = new_revision(sts, update["revision"], collision_count)
        current = next((r for r in revisions if r["metadata"]["name"] == status.get("currentRevision")), None)
        return current or update, update, collision_count, revisions

    def _truncate_history(self, sts: dict, pods: list[dict], revisions: list[dict], current: dict,
                          update: dict, plan: Plan) -> None:
        """``truncateHistory``: delete the oldest non-live revisions beyond revisionHistoryLimit."""
        live = {current["metadata"]["name"], update["metadata"]["name"]}
        live.update(get_pod_revision(p) for p in pods)
        old = [r for r in revisions if r["metadata"]["name"] not in live]
        limit = int((sts.get("spec") or {}).get("revisionHistoryLimit", 10) or 0)
        for rev in old[: max(0, len(old) - limit)]:
            plan.delete(rev)

    # -- the sync -------------------------------------------------------------------------
    def sync_stateful_set(self, cluster, sts: dict, now: datetime, plan: Plan) -> None:
        meta = sts.get("metadata") or {}
        spec = sts.get("spec") or {}
        set_name = meta.get("name", "")
        ns = meta.get("namespace") or "default"
        pods = [p for p in podutil.owned_pods(cluster, sts) if get_parent_name_and_ordinal(p)[0] == set_name]
        current_rev, update_rev, collision_count, revisions = self._revisions(cluster, sts, plan)
        current_name, update_name = current_rev["metadata"]["name"], update_rev["metadata"]["name"]
        current_template = history.template_of(current_rev)
        update_template = spec.get("template") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)

        counts = {"replicas": 0, "ready": 0, "available": 0, "current": 0, "updated": 0}
        replica_count = int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)
        start = start_ordinal(sts)
        replicas: dict[int, dict | None] = {o: None for o in range(start, start + replica_count)}
        condemned: list[dict] = []
        for pod in pods:
            counts["replicas"] += 1
            if podutil.is_running_and_ready(pod):
                counts["ready"] += 1
                if podutil.is_pod_available(pod, min_ready, now):
                    counts["available"] += 1
            if not podutil.is_terminating(pod):
                if get_pod_revision(pod) == current_name:
                    counts["current"] += 1
                if get_pod_revision(pod) == update_name:
                    counts["updated"] += 1
            ordinal = get_ordinal(pod)
            if ordinal in replicas:
                replicas[ordinal] = pod
            elif ordinal >= 0:
                condemned.append(pod)
        condemned.sort(key=get_ordinal)

        rolling = (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"
        partition = int(((spec.get("updateStrategy") or {}).get("rollingUpdate") or {}).get("partition") or 0)

        def versioned_pod(ordinal: int) -> dict:
            """``newVersionedStatefulSetPod``: ordinals below the partition stay at the current revision."""
            if rolling and ordinal < partition:
                return new_stateful_set_pod(sts, current_template, ordinal, current_name)
            return new_stateful_set_pod(sts, update_template, ordinal, update_name)

        if not meta.get("deletionTimestamp"):
            self._update_replicas(cluster, sts, replicas, condemned, versioned_pod, counts, current_name,
                                  update_name, rolling, partition, min_ready, now, plan, ns)

        status = {
            "observedGeneration": meta.get("generation"),
            "replicas": counts["replicas"],
            "readyReplicas": counts["ready"],
            "currentReplicas": counts["current"],
            "updatedReplicas": counts["updated"],
            "currentRevision": current_name,
            "updateRevision": update_name,
            "collisionCount": collision_count,
            "availableReplicas": counts["available"],
        }
        complete_rolling_update(sts, status)
        self._write_status(sts, status, plan)
        self._truncate_history(sts, pods, revisions, current_rev, update_rev, plan)

    def _update_replicas(self, cluster, sts, replicas, condemned, versioned_pod, counts, current_name,
                         update_name, rolling, partition, min_ready, now, plan: Plan, ns: str) -> None:
        monotonic = not allows_burst(sts)
        set_name = sts["metadata"]["name"]

        def count(pod: dict, delta: int) -> None:
            if get_pod_revision(pod) == current_name:
                counts["current"] += delta
            if get_pod_revision(pod) == update_name:
                counts["updated"] += delta

        def delete_pod(pod: dict) -> None:
            plan.delete(pod)
            plan.event(sts, "Normal", "SuccessfulDelete",
                       f"delete Pod {pod['metadata']['name']} in StatefulSet {set_name} successful", COMPONENT)

        for ordinal in sorted(replicas):
            pod = replicas[ordinal]
            if pod is not None and podutil.is_pod_terminal(pod) and not podutil.is_terminating(pod):
                if podutil.phase(pod) == "Failed":
                    plan.event(sts, "Warning", "RecreatingFailedPod",
                               f"StatefulSet {ns}/{set_name} is recreating failed Pod {pod['metadata']['name']}",
                               COMPONENT)
                else:
                    plan.event(sts, "Normal", "RecreatingTerminatedPod",
                               f"StatefulSet {ns}/{set_name} is recreating terminated Pod {pod['metadata']['name']}",
                               COMPONENT)
                delete_pod(pod)
                count(pod, -1)
                counts["replicas"] -= 1
                # The replacement is created once the old pod is gone (same name).
                if monotonic:
                    return
                continue
            if pod is None:
                pod = versioned_pod(ordinal)
                for claim in get_persistent_volume_claims(sts, ordinal):
                    if cluster.get("persistentvolumeclaims", ns, claim["metadata"]["name"]) is None:
                        plan.create(claim)
                        plan.event(sts, "Normal", "SuccessfulCreate",
                                   f"create Claim {claim['metadata']['name']} Pod {pod['metadata']['name']} "
                                   f"in StatefulSet {set_name} success", COMPONENT)
                plan.create(pod)
                plan.event(sts, "Normal", "SuccessfulCreate",
                           f"create Pod {pod['metadata']['name']} in StatefulSet {set_name} successful", COMPONENT)
                counts["replicas"] += 1
                count(pod, 1)
                if monotonic:
                    return
                continue
            if podutil.is_terminating(pod) and monotonic:
                return
            if monotonic and not (podutil.is_running_and_ready(pod) and podutil.is_pod_available(pod, min_ready, now)):
                return

        first_unhealthy = None
        for pod in [p for p in (replicas[o] for o in sorted(replicas)) if p is not None] + condemned:
            if not is_healthy(pod):
                first_unhealthy = pod
                break
        for pod in reversed(condemned):
            if podutil.is_terminating(pod):
                if monotonic:
                    return
                continue
            if monotonic and pod is not first_unhealthy and not (
                    podutil.is_running_and_ready(pod) and podutil.is_pod_available(pod, min_ready, now)):
                return
            delete_pod(pod)
            count(pod, -1)
            if monotonic:
                return

        if not rolling:
            return  # OnDelete: pods are replaced when someone deletes them.
        for ordinal in sorted(replicas, reverse=True):
            if ordinal < partition:
                break
            pod = replicas[ordinal]
            if pod is None:
                continue
            if get_pod_revision(pod) != update_name and not podutil.is_terminating(pod):
                delete_pod(pod)
                counts["current"] -= 1
                return
            if not is_healthy(pod):
                return

    @staticmethod
    def _write_status(sts: dict, status: dict, plan: Plan) -> None:
        old = sts.get("status") or {}
        new = {k: v for k, v in status.items() if k in ("replicas", "availableReplicas", "collisionCount") or v}
        if old.get("conditions"):
            new["conditions"] = old["conditions"]
        if new == old:
            return
        obj = clone(sts)
        obj["status"] = new
        plan.update_status(obj)


def complete_rolling_update(sts: dict, status: dict) -> None:
    """``completeRollingUpdate``: once every pod is updated and ready, the update revision
    becomes the current one."""
    spec = sts.get("spec") or {}
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        return
    if status["updatedReplicas"] == status["replicas"] and status["readyReplicas"] == status["replicas"]:
        status["currentReplicas"] = status["updatedReplicas"]
        status["currentRevision"] = status["updateRevision"]
