"""The Cluster Autoscaler's loop (cluster-autoscaler/core/static_autoscaler.go RunOnce),
one sync per 15 s step of the cluster clock (upstream scans every 10 s).

Order in a sync: scale-up for unschedulable pods; then, in a sync without a scale-up and
once the scheduler has judged every pending pod, the scale-down pass: mark or unmark
unneeded nodes, and, outside the 10 min after a scale-up (``scale-down-delay-after-add``),
delete those unneeded for 10 min (``scale-down-unneeded-time``; 20 min for unready nodes)
down to each group's min: all empty ones at once (up to ``max-empty-bulk-delete``) and at
most one node that needs draining per step. A deleted node is first tainted
``ToBeDeletedByClusterAutoscaler=<unix>:NoSchedule``, its pods are evicted (their
controllers re-create them elsewhere), then the node is deleted ("the cloud provider
removes the instance"). New nodes register Ready at once (no provisioning delay).

Events (upstream wording): pod ``TriggeredScaleUp`` ``pod triggered scale-up: [{ng 1->3
(max: 5)}]``; pod ``NotTriggerScaleUp`` ``pod didn't trigger scale-up: 1 max node group
size reached``; status ConfigMap ``ScaledUpGroup``, ``ScaleDownEmpty``, ``ScaleDown``; node
``ScaleDown`` ``marked the node as toBeDeleted/unschedulable`` / ``node removed by cluster
autoscaler``; evicted pods ``ScaleDown`` ``deleting pod for node scale down``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kctl.controllers.base import Plan, clone, parse_time, rfc3339
from kctl.controllers.clusterautoscaler import nodegroups as ng
from kctl.controllers.clusterautoscaler import scaledown as sd
from kctl.controllers.clusterautoscaler.scaleup import plan_scale_up, reasons_message, scale_up_info
from kctl.controllers.clusterautoscaler.settings import NAMESPACE, STATUS_CONFIG_MAP, load_settings
from kctl.controllers.clusterautoscaler.status import (
    LAST_SCALE_UP,
    node_group_status,
    status_config_map,
    status_text,
)

COMPONENT = "cluster-autoscaler"
MAX_GRACEFUL_TERMINATION_SECONDS = 600
NODE_GROUPS = "nodegroups.kctl.io"


def _unix(now: datetime) -> str:
    return str(int(now.timestamp()))


class ClusterAutoscaler:
    name = COMPONENT

    def __init__(self):
        self._triggered: set[str] = set()  # pods a scale-up of this step was made for
        self._reported: set[str] = set()  # pods told NotTriggerScaleUp this step
        self._deleted = False  # a scale-down deletion happened this step
        self._scaled_up: dict[str, str] = {}  # group -> ScaledUpGroup text, this step

    def sync(self, cluster, now: datetime):
        groups = cluster.list(NODE_GROUPS)
        if not groups:
            return []
        settings = load_settings(cluster)
        nodes = cluster.list("nodes")
        pods = cluster.list("pods")
        members = ng.group_members(groups, nodes)
        plan = Plan()
        status_cm = cluster.get("configmaps", NAMESPACE, STATUS_CONFIG_MAP)
        cm_ref = status_cm or {"apiVersion": "v1", "kind": "ConfigMap",
                               "metadata": {"name": STATUS_CONFIG_MAP, "namespace": NAMESPACE}}
        last_up = ((status_cm or {}).get("metadata") or {}).get("annotations", {}).get(LAST_SCALE_UP)
        cm_events: list[tuple[str, str]] = []

        up = plan_scale_up(cluster, settings, groups, members, nodes, pods, now, self._triggered)
        scaled_up = False
        if up is not None and up.option is not None:
            scaled_up = True
            info = scale_up_info(up)
            new_size = up.current_size + len(up.new_nodes)
            text = (f"Scale-up: setting group {up.option.name} size to {new_size} instead of "
                    f"{up.current_size} (max: {up.max_size})")
            cm_events.append(("ScaledUpGroup", text))
            self._scaled_up[up.option.name] = text
            for node in up.new_nodes:
                plan.create(node)
            members[up.option.name] = [*members[up.option.name], *up.new_nodes]
            for pod in up.option.pods:
                self._triggered.add(pod["metadata"].get("uid", ""))
                plan.event(pod, "Normal", "TriggeredScaleUp", f"pod triggered scale-up: [{info}]", COMPONENT)
            last_up = rfc3339(now)
        if up is not None:
            helped = {p["metadata"].get("uid") for p in (up.option.pods if up.option else ())}
            for pod in up.pending:
                uid = pod["metadata"].get("uid", "")
                if uid in helped or uid in self._reported:
                    continue
                reasons = up.rejected.get(uid)
                if reasons is None:
                    continue
                if len(reasons) < len(groups):
                    continue  # some group could take it: a later loop scales that one up
                self._reported.add(uid)
                plan.event(pod, "Normal", "NotTriggerScaleUp",
                           f"pod didn't trigger scale-up: {reasons_message(reasons)}", COMPONENT)

        group_of = {n["metadata"]["name"]: g for g, ns in members.items() for n in ns}
        candidates: dict[str, list[str]] = {}
        unremovable: dict[str, dict[str, str]] = {}
        judged = not scaled_up and not any(
            not (p.get("spec") or {}).get("nodeName") and not (p.get("metadata") or {}).get("deletionTimestamp")
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
            and not _unschedulable(p) for p in pods)
        if settings.scale_down_enabled and judged:
            result = sd.find_unneeded(cluster, settings.scale_down_utilization_threshold, nodes, pods, group_of)
            for node_name, reason in result.unremovable.items():
                unremovable.setdefault(group_of[node_name], {})[node_name] = reason
            unneeded_names = {c.node["metadata"]["name"] for c in result.unneeded}
            for c in result.unneeded:
                candidates.setdefault(c.group, []).append(c.node["metadata"]["name"])
            last = parse_time(last_up)
            in_cooldown = last is not None and now < last + timedelta(seconds=settings.scale_down_delay_after_add)
            deleting: set[str] = set()
            if not in_cooldown and not self._deleted:
                deleting = self._delete_unneeded(plan, result.unneeded, members, groups, settings, now, cm_events)
            for node in nodes:
                name = node["metadata"]["name"]
                if name in deleting or name not in group_of:
                    continue
                self._mark(plan, node, name in unneeded_names, now)
            for g in candidates:
                candidates[g] = [n for n in candidates[g] if n not in deleting]
            for gname in members:
                members[gname] = [n for n in members[gname] if n["metadata"]["name"] not in deleting]
        else:
            # Keep the marks as they are: report the nodes already marked.
            for node in nodes:
                name = node["metadata"]["name"]
                if name in group_of and sd.unneeded_since(node) is not None:
                    candidates.setdefault(group_of[name], []).append(name)

        for group in groups:
            gname = ng.group_name(group)
            updated = node_group_status(group, members.get(gname) or [], len(candidates.get(gname) or ()),
                                        self._scaled_up.get(gname) if scaled_up and up.option.name == gname else None,
                                        now)
            if updated is not None:
                plan.update_status(updated)
        text = status_text(groups, members, candidates, unremovable, scale_up_in_progress=False)
        change = status_config_map(status_cm, text, last_up, now)
        if change is not None:
            kind, obj = change
            (plan.create if kind == "create" else plan.update)(obj)
            cm_ref = obj
        for reason, message in cm_events:
            plan.event(cm_ref, "Normal", reason, message, COMPONENT)
        return plan.actions

    # -- scale-down ----------------------------------------------------------------------
    def _mark(self, plan: Plan, node: dict, unneeded: bool, now: datetime) -> None:
        """Set or clear the unneeded-since annotation and the DeletionCandidate soft taint."""
        since = sd.unneeded_since(node)
        has_taint = sd.has_taint(node, sd.DELETION_CANDIDATE_TAINT)
        if unneeded and since is not None and has_taint:
            return
        if not unneeded and since is None and not has_taint:
            return
        out = clone(node)
        meta = out["metadata"]
        spec = out.setdefault("spec", {})
        taints = [t for t in spec.get("taints") or [] if t.get("key") != sd.DELETION_CANDIDATE_TAINT]
        annotations = meta.setdefault("annotations", {})
        if unneeded:
            annotations.setdefault(sd.UNNEEDED_SINCE, rfc3339(now))
            taints.append({"key": sd.DELETION_CANDIDATE_TAINT, "value": _unix(since or now),
                           "effect": "PreferNoSchedule"})
        else:
            annotations.pop(sd.UNNEEDED_SINCE, None)
        if taints:
            spec["taints"] = taints
        else:
            spec.pop("taints", None)
        plan.update(out)

    def _delete_unneeded(self, plan: Plan, unneeded: list, members: dict, groups: list[dict], settings,
                         now: datetime, cm_events: list) -> set[str]:
        sizes = {g: len(ns) for g, ns in members.items()}
        mins = {ng.group_name(g): ng.min_size(g) for g in groups}
        ready_for_deletion = []
        for c in unneeded:
            since = sd.unneeded_since(c.node)
            wait = settings.scale_down_unneeded_time if ng.is_ready(c.node) else settings.scale_down_unready_time
            if since is None or now < since + timedelta(seconds=wait):
                continue
            ready_for_deletion.append(c)
        deleting: set[str] = set()
        empty = [c for c in ready_for_deletion if not c.pods_to_move]
        for c in empty[: settings.max_empty_bulk_delete]:
            if sizes[c.group] - 1 < mins[c.group]:
                continue
            sizes[c.group] -= 1
            name = c.node["metadata"]["name"]
            # actuator.go's deleteAsyncEmpty: "Scale-down: removing empty node %q"
            cm_events.append(("ScaleDownEmpty", f'Scale-down: removing empty node "{name}"'))
            self._remove(plan, c, now)
            deleting.add(name)
        for c in ready_for_deletion:
            if c.pods_to_move and sizes[c.group] - 1 >= mins[c.group]:
                sizes[c.group] -= 1
                name = c.node["metadata"]["name"]
                pods = ",".join(f"{p['metadata'].get('namespace')}/{p['metadata']['name']}" for p in c.pods_to_move)
                cm_events.append(("ScaleDown", f"Scale-down: removing node {name}, utilization: {c.utilization}, "
                                               f"pods to reschedule: {pods}"))
                self._remove(plan, c, now)
                deleting.add(name)
                break  # max-drain-parallelism 1
        if deleting:
            self._deleted = True
        return deleting

    def _remove(self, plan: Plan, c, now: datetime) -> None:
        node = clone(c.node)
        spec = node.setdefault("spec", {})
        spec["taints"] = [*(t for t in spec.get("taints") or [] if t.get("key") != sd.TO_BE_DELETED_TAINT),
                          {"key": sd.TO_BE_DELETED_TAINT, "value": _unix(now), "effect": "NoSchedule"}]
        plan.update(node)
        plan.event(c.node, "Normal", "ScaleDown", "marked the node as toBeDeleted/unschedulable", COMPONENT)
        for pod in c.pods_to_move:
            plan.event(pod, "Normal", "ScaleDown", "deleting pod for node scale down", COMPONENT)
            grace = (pod.get("spec") or {}).get("terminationGracePeriodSeconds")
            grace = min(int(grace if grace is not None else 30), MAX_GRACEFUL_TERMINATION_SECONDS)
            plan.delete(pod, grace_period_seconds=grace)
        plan.delete(c.node)
        plan.event(c.node, "Normal", "ScaleDown", "node removed by cluster autoscaler", COMPONENT)


def _unschedulable(pod: dict) -> bool:
    return any(c.get("type") == "PodScheduled" and c.get("reason") == "Unschedulable"
               for c in (pod.get("status") or {}).get("conditions") or ())
