"""The DaemonSet controller (pkg/controller/daemon: daemon_controller.go, update.go,
util/daemonset_util.go).

One sync per DaemonSet mirrors ``syncDaemonSet``:

1. ``constructHistory``: the ControllerRevision ``<ds>-<hash>`` for the current template
   (label ``controller-revision-hash: <hash>``), reused when an equal one exists;
2. ``manage``: for every node, ``NodeShouldRunDaemonPod`` (template nodeName, nodeSelector and
   required node affinity, NoSchedule/NoExecute taints against the pod's tolerations plus the
   automatic DaemonSet tolerations) decides whether a daemon pod is created there, kept, or
   deleted; failed daemon pods are killed (``FailedDaemonPod``); duplicates beyond the oldest
   are deleted; unscheduled pods aimed at vanished nodes are deleted;
3. ``rollingUpdate`` (only when ``manage`` changed nothing, as upstream waits for its
   expectations): old pods are deleted within ``maxUnavailable`` (maxSurge 0; unavailable old
   pods are replaced first);
4. ``updateDaemonSetStatus``.

Pods are created with node affinity ``matchFields metadata.name In [<node>]`` for the
scheduler to bind, labels ``controller-revision-hash`` and ``pod-template-generation``, and a
name ``<ds>-<5 chars>`` drawn deterministically from (ds uid, node, hash, now) in generateName's
alphabet. Events: ``SuccessfulCreate`` "Created pod: <name>", ``SuccessfulDelete`` "Deleted pod:
<name>" (``controller.RealPodControl``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kctl.api.scheduling import find_untolerated_taint, pod_matches_node_selector_and_affinity
from kctl.controllers.base import Action, Plan, clone
from kctl.controllers.workloads import history, podutil
from kctl.controllers.workloads.names import unique_name

COMPONENT = "daemonset-controller"
#: extensions.DefaultDaemonSetUniqueLabelKey / DaemonSetTemplateGenerationKey.
DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY = "controller-revision-hash"
DAEMON_SET_TEMPLATE_GENERATION_KEY = "pod-template-generation"
DEPRECATED_TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def _toleration(key: str, effect: str) -> dict:
    return {"key": key, "operator": "Exists", "effect": effect}


def daemon_pod_tolerations(host_network: bool) -> list[dict]:
    """The tolerations ``AddOrUpdateDaemonPodTolerations`` adds (no tolerationSeconds)."""
    out = [
        _toleration("node.kubernetes.io/not-ready", "NoExecute"),
        _toleration("node.kubernetes.io/unreachable", "NoExecute"),
        _toleration("node.kubernetes.io/disk-pressure", "NoSchedule"),
        _toleration("node.kubernetes.io/memory-pressure", "NoSchedule"),
        _toleration("node.kubernetes.io/pid-pressure", "NoSchedule"),
        _toleration("node.kubernetes.io/unschedulable", "NoSchedule"),
    ]
    if host_network:
        out.append(_toleration("node.kubernetes.io/network-unavailable", "NoSchedule"))
    return out


def _match_toleration(a: dict, b: dict) -> bool:
    """``Toleration.MatchToleration``: same key, operator, value and effect."""
    return all((a.get(k) or "") == (b.get(k) or "") for k in ("key", "operator", "value", "effect"))


def add_or_update_daemon_pod_tolerations(spec: dict) -> None:
    tolerations = spec.setdefault("tolerations", [])
    for tol in daemon_pod_tolerations(bool(spec.get("hostNetwork"))):
        for i, old in enumerate(tolerations):
            if _match_toleration(old, tol):
                if old != tol:
                    tolerations[i] = tol
                break
        else:
            tolerations.append(tol)


def get_template_generation(ds: dict) -> str | None:
    return ((ds.get("metadata") or {}).get("annotations") or {}).get(DEPRECATED_TEMPLATE_GENERATION)


def create_pod_template(ds: dict, hash_: str) -> dict:
    """``CreatePodTemplate``: tolerations, the generation and hash labels."""
    template = clone((ds.get("spec") or {}).get("template") or {})
    add_or_update_daemon_pod_tolerations(template.setdefault("spec", {}))
    labels = template.setdefault("metadata", {}).setdefault("labels", {})
    generation = get_template_generation(ds)
    if generation is not None:
        labels[DAEMON_SET_TEMPLATE_GENERATION_KEY] = generation
    if hash_:
        labels[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY] = hash_
    return template


def replace_daemon_set_pod_node_name_node_affinity(spec: dict, node_name: str) -> None:
    """``ReplaceDaemonSetPodNodeNameNodeAffinity``: required terms become one matchFields term."""
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}
    node_affinity = spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if not isinstance(required, dict):
        node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [term]}
    else:
        required["nodeSelectorTerms"] = [term]


def get_target_node_name(pod: dict) -> str | None:
    """``GetTargetNodeName``: spec.nodeName, else the matchFields ``metadata.name In [x]``."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or ():
        for expr in term.get("matchFields") or ():
            if expr.get("key") == "metadata.name" and expr.get("operator") == "In":
                values = expr.get("values") or []
                return values[0] if len(values) == 1 else None
    return None


def node_should_run_daemon_pod(node: dict, ds: dict) -> tuple[bool, bool]:
    """``NodeShouldRunDaemonPod`` -> (shouldRun, shouldContinueRunning)."""
    node_name = (node.get("metadata") or {}).get("name", "")
    template_spec = ((ds.get("spec") or {}).get("template") or {}).get("spec") or {}
    if template_spec.get("nodeName") and template_spec["nodeName"] != node_name:
        return False, False
    pod = {"spec": clone(template_spec)}
    add_or_update_daemon_pod_tolerations(pod["spec"])
    if not pod_matches_node_selector_and_affinity(pod, node):
        return False, False
    taints = (node.get("spec") or {}).get("taints") or []
    tolerations = pod["spec"]["tolerations"]
    if find_untolerated_taint(taints, tolerations, ("NoSchedule", "NoExecute")) is not None:
        # Scheduled daemon pods keep running if they tolerate the NoExecute taints.
        return False, find_untolerated_taint(taints, tolerations, ("NoExecute",)) is None
    return True, True


def is_pod_updated(pod: dict, hash_: str, generation: str | None) -> bool:
    """``IsPodUpdated``: the hash label or the (legacy) template generation label matches."""
    labels = (pod.get("metadata") or {}).get("labels") or {}
    template_matches = generation is not None and labels.get(DAEMON_SET_TEMPLATE_GENERATION_KEY) == generation
    hash_matches = bool(hash_) and labels.get(DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY) == hash_
    return hash_matches or template_matches


def _by_creation_and_phase(pod: dict):
    """``podByCreationTimestampAndPhase``: running pods first, then oldest."""
    return (podutil.phase(pod) != "Running", *podutil.creation_key(pod))


class DaemonSetController:
    name = COMPONENT

    def sync(self, cluster, now: datetime) -> Iterable[Action]:
        plan = Plan()
        nodes = cluster.list("nodes")
        for ds in cluster.list("daemonsets.apps"):
            self.sync_daemon_set(cluster, ds, nodes, now, plan)
        return plan.actions

    # -- history --------------------------------------------------------------------------
    def construct_history(self, cluster, ds: dict, plan: Plan) -> tuple[str, list[dict], int]:
        """The current revision's hash; creates/renumbers the revision as needed."""
        revisions = history.owned_revisions(cluster, ds)
        status = ds.get("status") or {}
        collision_count = status.get("collisionCount")
        template = (ds.get("spec") or {}).get("template") or {}
        data = history.template_patch(template)
        equal = [r for r in revisions if r.get("data") == data]
        if equal:
            cur = equal[-1]
            if revisions and cur is not revisions[-1]:
                cur = clone(cur)
                cur["revision"] = history.next_revision(revisions)
                plan.update(cur)
            labels = (cur.get("metadata") or {}).get("labels") or {}
            hash_ = labels.get(DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY) or labels.get(
                history.CONTROLLER_REVISION_HASH_LABEL, "")
            return hash_, revisions, collision_count or 0
        meta = ds.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        count = collision_count
        while True:
            hash_ = history.compute_hash(template, count)
            name = history.controller_revision_name(meta.get("name", ""), hash_)
            existing = cluster.get("controllerrevisions.apps", ns, name)
            if existing is None:
                rev = history.new_controller_revision(ds, name, hash_, data, history.next_revision(revisions),
                                                      {DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY: hash_})
                plan.create(rev)
                return hash_, revisions, count or 0
            count = (count or 0) + 1

    # -- the sync -------------------------------------------------------------------------
    def sync_daemon_set(self, cluster, ds: dict, nodes: list[dict], now: datetime, plan: Plan) -> None:
        meta = ds.get("metadata") or {}
        hash_, revisions, collision_count = self.construct_history(cluster, ds, plan)
        pods = podutil.owned_pods(cluster, ds)
        node_to_pods: dict[str, list[dict]] = {}
        for pod in pods:
            if podutil.is_pod_terminal(pod) and podutil.is_terminating(pod):
                continue
            target = get_target_node_name(pod)
            if target is not None:
                node_to_pods.setdefault(target, []).append(pod)
        for pod_list in node_to_pods.values():
            pod_list.sort(key=podutil.creation_key)

        if not meta.get("deletionTimestamp"):
            changed = self.manage(cluster, ds, nodes, node_to_pods, hash_, now, plan)
            if not changed and self._rolling(ds):
                self.rolling_update(ds, nodes, node_to_pods, hash_, now, plan)
            self.cleanup_history(ds, pods, revisions, hash_, plan)
        self.update_daemon_set_status(ds, nodes, node_to_pods, hash_, collision_count, now, plan)

    @staticmethod
    def _rolling(ds: dict) -> bool:
        return ((ds.get("spec") or {}).get("updateStrategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"

    def manage(self, cluster, ds: dict, nodes: list[dict], node_to_pods: dict[str, list[dict]], hash_: str,
               now: datetime, plan: Plan) -> bool:
        meta = ds.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        needing: list[str] = []
        to_delete: list[dict] = []
        node_names = set()
        for node in nodes:
            node_name = (node.get("metadata") or {}).get("name", "")
            node_names.add(node_name)
            should_run, should_continue = node_should_run_daemon_pod(node, ds)
            daemon_pods = node_to_pods.get(node_name)
            if should_run and not daemon_pods:
                needing.append(node_name)
            elif should_continue:
                running = []
                for pod in daemon_pods or ():
                    if podutil.is_terminating(pod):
                        continue
                    if podutil.phase(pod) == "Failed":
                        plan.event(ds, "Warning", "FailedDaemonPod",
                                   f"Found failed daemon pod {ns}/{pod['metadata']['name']} on node {node_name}, "
                                   "will try to kill it", COMPONENT)
                        to_delete.append(pod)
                    elif podutil.phase(pod) == "Succeeded":
                        to_delete.append(pod)
                    else:
                        running.append(pod)
                if len(running) > 1:
                    # Keep the oldest daemon pod; kill the others.
                    running.sort(key=podutil.creation_key)
                    to_delete.extend(running[1:])
            elif daemon_pods:
                to_delete.extend(p for p in daemon_pods if not podutil.is_terminating(p))
        # getUnscheduledPodsWithoutNode
        for node_name in sorted(node_to_pods):
            if node_name in node_names:
                continue
            to_delete.extend(p for p in node_to_pods[node_name]
                             if not (p.get("spec") or {}).get("nodeName") and not podutil.is_terminating(p))
        self.sync_nodes(cluster, ds, to_delete, needing, hash_, now, plan)
        return bool(to_delete or needing)

    def sync_nodes(self, cluster, ds: dict, to_delete: list[dict], needing: list[str], hash_: str,
                   now: datetime, plan: Plan) -> None:
        meta = ds.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        template = create_pod_template(ds, hash_)
        taken = {(p.get("metadata") or {}).get("name") for p in cluster.list("pods", ns)}
        for node_name in needing:
            name = unique_name(f"{meta.get('name', '')}-", taken, meta.get("uid", ""), node_name, hash_, now)
            taken.add(name)
            pod = podutil.pod_from_template(template, ds, name=name)
            replace_daemon_set_pod_node_name_node_affinity(pod["spec"], node_name)
            plan.create(pod)
            plan.event(ds, "Normal", "SuccessfulCreate", f"Created pod: {name}", COMPONENT)
        for pod in to_delete:
            plan.delete(pod)
            plan.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}", COMPONENT)

    def rolling_update(self, ds: dict, nodes: list[dict], node_to_pods: dict[str, list[dict]], hash_: str,
                       now: datetime, plan: Plan) -> None:
        """``rollingUpdate`` with maxSurge 0."""
        spec = ds.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        generation = get_template_generation(ds)
        desired = 0
        candidates_by_node: dict[str, list[dict]] = {}
        for node in nodes:
            node_name = (node.get("metadata") or {}).get("name", "")
            if not node_should_run_daemon_pod(node, ds)[0]:
                continue
            desired += 1
            candidates_by_node[node_name] = node_to_pods.get(node_name) or []
        rolling = spec.get("updateStrategy", {}).get("rollingUpdate") or {}
        max_unavailable = podutil.int_or_percent(rolling.get("maxUnavailable", 1), desired, True)
        if desired > 0 and max_unavailable == 0:
            max_unavailable = 1
        num_unavailable = 0
        allowed_replacements: list[dict] = []
        candidates: list[dict] = []
        for node_name in sorted(candidates_by_node):
            pods = [p for p in candidates_by_node[node_name] if not podutil.is_terminating(p)]
            new = [p for p in pods if is_pod_updated(p, hash_, generation)]
            old = [p for p in pods if not is_pod_updated(p, hash_, generation)]
            if len(new) > 1 or len(old) > 1:
                num_unavailable += 1  # findUpdatedPodsOnNode: not ok; manage will fix it
                continue
            if (not new and not old) or (new and old):
                continue
            if new:
                if not podutil.is_pod_available(new[0], min_ready, now):
                    num_unavailable += 1
                continue
            if not podutil.is_pod_available(old[0], min_ready, now):
                allowed_replacements.append(old[0])
            elif num_unavailable >= max_unavailable:
                continue
            else:
                candidates.append(old[0])
        remaining = max(0, max_unavailable - num_unavailable)
        remaining = min(remaining, len(candidates))
        for pod in allowed_replacements + candidates[:remaining]:
            plan.delete(pod)
            plan.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}", COMPONENT)

    def cleanup_history(self, ds: dict, pods: list[dict], revisions: list[dict], hash_: str, plan: Plan) -> None:
        """``cleanupHistory``: delete the oldest revisions not in use beyond revisionHistoryLimit."""
        limit = int((ds.get("spec") or {}).get("revisionHistoryLimit", 10) or 0)
        live = {hash_}
        live.update(((p.get("metadata") or {}).get("labels") or {}).get(DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY)
                    for p in pods)
        old = [r for r in revisions
               if ((r.get("metadata") or {}).get("labels") or {}).get(DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY) not in live]
        for rev in old[: max(0, len(old) - limit)]:
            plan.delete(rev)

    def update_daemon_set_status(self, ds: dict, nodes: list[dict], node_to_pods: dict[str, list[dict]], hash_: str,
                                 collision_count: int, now: datetime, plan: Plan) -> None:
        spec = ds.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        generation = get_template_generation(ds)
        desired = current = misscheduled = ready = available = updated = 0
        for node in nodes:
            node_name = (node.get("metadata") or {}).get("name", "")
            should_run, _ = node_should_run_daemon_pod(node, ds)
            pods = node_to_pods.get(node_name) or []
            if should_run:
                desired += 1
                if not pods:
                    continue
                current += 1
                pod = sorted(pods, key=_by_creation_and_phase)[0]
                if podutil.is_pod_ready(pod):
                    ready += 1
                    if podutil.is_pod_available(pod, min_ready, now):
                        available += 1
                if is_pod_updated(pod, hash_, generation):
                    updated += 1
            elif pods:
                misscheduled += 1
        old = ds.get("status") or {}
        new = {
            "currentNumberScheduled": current,
            "desiredNumberScheduled": desired,
            "numberMisscheduled": misscheduled,
            "numberReady": ready,
        }
        optional = {
            "observedGeneration": (ds.get("metadata") or {}).get("generation"),
            "updatedNumberScheduled": updated,
            "numberAvailable": available,
            "numberUnavailable": desired - available,
            "collisionCount": collision_count,
        }
        new.update({k: v for k, v in optional.items() if v})
        if old.get("conditions"):
            new["conditions"] = old["conditions"]
        if new != old:
            obj = clone(ds)
            obj["status"] = new
            plan.update_status(obj)
