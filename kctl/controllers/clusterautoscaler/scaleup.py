"""Scale-up (cluster-autoscaler/core/scaleup): pending pods that a new node of some group
would take, the bin-packing estimate per group, the expander's choice.

Pods considered: unbound, PodScheduled=False with reason Unschedulable, priority at or
above the expendable cutoff (-10), not terminating. Those that fit an existing node after
all (the scheduler has not retried them yet) are filtered out first, as upstream's
filterOutSchedulable. Each group below its max is probed with one empty template node
(template labels, taints, allocatable, and the DaemonSet pods it would run): a pod it
rejects gets that group's reason; ``max node group size reached`` for groups at max.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kctl.api.scheduling import find_untolerated_taint, pod_matches_node_selector_and_affinity
from kctl.controllers.clusterautoscaler import nodegroups as ng
from kctl.controllers.clusterautoscaler.estimator import estimate
from kctl.controllers.clusterautoscaler.expander import Option, best_option
from kctl.controllers.clusterautoscaler.settings import Settings
from kctl.controllers.clusterautoscaler.simulator import ClusterSimulation
from kctl.scheduler.controller import queue_order

MAX_SIZE_REACHED = "max node group size reached"
MAX_TOTAL_REACHED = "max node total count already reached"


def is_unschedulable(pod: dict) -> bool:
    meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
    if spec.get("nodeName") or meta.get("deletionTimestamp"):
        return False
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return False
    return any(c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("reason") == "Unschedulable"
               for c in (pod.get("status") or {}).get("conditions") or ())


@dataclass
class ScaleUpPlan:
    """What a scale-up decided: the winning option (or None) and why other pods stay pending."""

    option: Option | None = None
    current_size: int = 0
    max_size: int = 0
    new_nodes: list[dict] = field(default_factory=list)
    #: pod uid -> reasons (one per node group that could not help), for NotTriggerScaleUp.
    rejected: dict[str, list[str]] = field(default_factory=dict)
    pending: list[dict] = field(default_factory=list)


def daemonset_pods_for(daemonsets: list[dict], node: dict) -> list[dict]:
    """The pods the DaemonSets would run on ``node`` (their templates, for resource accounting)."""
    out = []
    taints = (node.get("spec") or {}).get("taints") or []
    for ds in daemonsets:
        template = (ds.get("spec") or {}).get("template") or {}
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": f"{ds['metadata']['name']}-template",
                            "namespace": ds["metadata"].get("namespace"),
                            "labels": (template.get("metadata") or {}).get("labels") or {}},
               "spec": template.get("spec") or {}}
        if find_untolerated_taint(taints, pod["spec"].get("tolerations") or [], ("NoSchedule", "NoExecute")):
            continue
        if not pod_matches_node_selector_and_affinity(pod, node):
            continue
        out.append(pod)
    return out


def plan_scale_up(cluster, settings: Settings, groups: list[dict], members: dict[str, list[dict]],
                  nodes: list[dict], pods: list[dict], now: datetime, skip_uids: set[str]) -> ScaleUpPlan | None:
    """The scale-up this loop makes (None when no pod is waiting for one)."""
    waiting = [p for p in pods if is_unschedulable(p)
               and int((p.get("spec") or {}).get("priority") or 0) >= settings.expendable_pods_priority_cutoff
               and (p.get("metadata") or {}).get("uid") not in skip_uids]
    if not waiting:
        return None
    sim = ClusterSimulation(nodes, pods)
    all_nodes = sim.node_names()
    pending = []
    for pod in sorted(waiting, key=queue_order):
        fit = sim.first_fit(pod, all_nodes)
        if fit is not None:
            sim.assume(pod, fit)
        else:
            pending.append(pod)
    plan = ScaleUpPlan(pending=pending)
    if not pending:
        return plan
    daemonsets = cluster.list("daemonsets.apps")
    taken = {(n.get("metadata") or {}).get("name", "") for n in nodes}
    options: list[Option] = []
    for group in sorted(groups, key=ng.group_name):
        name = ng.group_name(group)
        current = len(members.get(name) or ())
        limit = ng.max_size(group) - current
        reason = MAX_SIZE_REACHED if limit <= 0 else None
        if reason is None and settings.max_nodes_total:
            limit = min(limit, settings.max_nodes_total - len(nodes))
            if limit <= 0:
                reason = MAX_TOTAL_REACHED
        if reason is not None:
            for pod in pending:
                plan.rejected.setdefault(pod["metadata"].get("uid", ""), []).append(reason)
            continue
        names = ng.new_node_names(group, taken, limit)
        indexes = ng.next_cidr_indexes(nodes, limit)

        def make_node(i: int, group=group, names=names, indexes=indexes) -> dict:
            return ng.template_node(group, names[i], indexes[i], now)

        probe = ClusterSimulation(nodes, pods)
        probe_node = make_node(0)
        probe.add_node(probe_node)
        ds_pods = daemonset_pods_for(daemonsets, probe_node)
        for dp in ds_pods:
            probe.assume(dp, names[0])
        fitting = []
        for pod in pending:
            status = probe.check(pod, names[0])
            if status is None:
                fitting.append(pod)
            else:
                reasons = plan.rejected.setdefault(pod["metadata"].get("uid", ""), [])
                reasons.extend(status.reasons or ("node(s) didn't match the scheduling predicates",))
        if not fitting:
            continue
        _, allocatable = ng.template_resources(group)
        est = estimate(ClusterSimulation(nodes, pods), fitting, make_node, limit, allocatable,
                       lambda node_name, ds_pods=ds_pods: ds_pods)
        if est.node_count:
            options.append(Option(group, est.node_count, est.pods, allocatable,
                                  [make_node(i) for i in range(est.node_count)]))
    best = best_option(options, settings.expander, priorities=settings.priorities, seed=settings.random_seed,
                       salt=now.isoformat())
    if best is None:
        return plan
    plan.option = best
    plan.current_size = len(members.get(best.name) or ())
    plan.max_size = ng.max_size(best.group)
    plan.new_nodes = best.new_nodes
    return plan


def scale_up_info(plan: ScaleUpPlan) -> str:
    """ScaleUpInfo's String(): ``{ng 1->3 (max: 5)}``."""
    new = plan.current_size + len(plan.new_nodes)
    return f"{{{plan.option.name} {plan.current_size}->{new} (max: {plan.max_size})}}"


def reasons_message(reasons: list[str]) -> str:
    """Upstream's aggregation: ``<count> <reason>`` per distinct reason, sorted, comma-joined."""
    counts: dict[str, int] = {}
    for r in reasons:
        counts[r] = counts.get(r, 0) + 1
    return ", ".join(sorted(f"{n} {r}" for r, n in counts.items()))
