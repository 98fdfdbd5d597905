"""Scale-down (cluster-autoscaler/core/scaledown): unneeded nodes and which of them go.

A node of a node group is unneeded when its requests utilization
max(Σcpu requests / allocatable cpu, Σmemory requests / allocatable memory) is below the
threshold (0.5; DaemonSet and mirror pods count, as upstream by default) and every pod
that must move (see ``drainability``) fits on some other node, simulated in node-name
order with the scheduler's filters; nodes found unneeded earlier in the same pass are
not destinations. Nodes with ``cluster-autoscaler.kubernetes.io/scale-down-disabled:
"true"``, nodes already being deleted and nodes outside any group are never candidates.

kctl keeps upstream's in-memory "unneeded since" on the node, as the annotation
``kctl.io/unneeded-since`` (RFC 3339), alongside upstream's soft taint
``DeletionCandidateOfClusterAutoscaler=<unix seconds>:PreferNoSchedule``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kctl.controllers.base import parse_time
from kctl.controllers.clusterautoscaler import nodegroups as ng
from kctl.controllers.clusterautoscaler.drainability import PdbBudget, blocking_reason, stays
from kctl.controllers.clusterautoscaler.simulator import ClusterSimulation
from kctl.scheduler.nodeinfo import NodeInfo
from kctl.scheduler.resources import CPU, MEMORY

SCALE_DOWN_DISABLED = "cluster-autoscaler.kubernetes.io/scale-down-disabled"
UNNEEDED_SINCE = "kctl.io/unneeded-since"
TO_BE_DELETED_TAINT = "ToBeDeletedByClusterAutoscaler"
DELETION_CANDIDATE_TAINT = "DeletionCandidateOfClusterAutoscaler"


@dataclass
class Utilization:
    """utilization.Info: per-resource fractions and the deciding one."""

    cpu: float
    memory: float

    @property
    def resource(self) -> str:
        return CPU if self.cpu >= self.memory else MEMORY

    @property
    def value(self) -> float:
        return max(self.cpu, self.memory)

    def __str__(self) -> str:
        """Go's ``%v`` of utilization.Info: ``{CpuUtil MemUtil GpuUtil ResourceName Utilization}``."""
        return f"{{{go_float(self.cpu)} {go_float(self.memory)} 0 {self.resource} {go_float(self.value)}}}"


def go_float(x: float) -> str:
    """Go's %v of a float64 (shortest repr; integral values without ``.0``)."""
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    return repr(x)


def utilization(ni: NodeInfo) -> Utilization:
    def frac(resource: str) -> float:
        alloc = ni.allocatable_of(resource)
        return ni.requested.get(resource, 0) / alloc if alloc else 0.0

    return Utilization(frac(CPU), frac(MEMORY))


def has_taint(node: dict, key: str) -> bool:
    return any(t.get("key") == key for t in (node.get("spec") or {}).get("taints") or ())


@dataclass
class Candidate:
    node: dict
    group: str
    utilization: Utilization
    pods_to_move: list[dict] = field(default_factory=list)


@dataclass
class UnneededResult:
    unneeded: list[Candidate] = field(default_factory=list)
    #: node name -> upstream UnremovableReason (with the blocking pod for BlockedByPod).
    unremovable: dict[str, str] = field(default_factory=dict)


def find_unneeded(cluster, threshold: float, nodes: list[dict], pods: list[dict],
                  group_of: dict[str, str]) -> UnneededResult:
    """The unneeded nodes of this loop, and why the other group nodes are not."""
    sim = ClusterSimulation(nodes, pods)
    budget = PdbBudget(cluster.list("poddisruptionbudgets.policy"), pods)
    result = UnneededResult()
    removed: set[str] = set()
    deleting = {n["metadata"]["name"] for n in nodes if has_taint(n, TO_BE_DELETED_TAINT)}
    for name in sim.node_names():
        ni = sim.snapshot.get(name)
        node = ni.node
        group = group_of.get(name)
        if group is None:
            continue
        if name in deleting:
            result.unremovable[name] = "CurrentlyBeingDeleted"
            continue
        if ((node.get("metadata") or {}).get("annotations") or {}).get(SCALE_DOWN_DISABLED) == "true":
            result.unremovable[name] = "ScaleDownDisabledAnnotation"
            continue
        util = utilization(ni)
        if util.value >= threshold and ng.is_ready(node):
            result.unremovable[name] = "NotUnderutilized"
            continue
        movable = [p for p in ni.pods if not stays(p)]
        blocked = None
        for pod in movable:
            reason = blocking_reason(pod, cluster, budget)
            if reason is not None:
                blocked = f"BlockedByPod ({pod['metadata'].get('namespace')}/{pod['metadata']['name']}: {reason})"
                break
        if blocked is None and not budget.fits(movable):
            pod = movable[0]
            blocked = f"BlockedByPod ({pod['metadata'].get('namespace')}/{pod['metadata']['name']}: NotEnoughPdb)"
        if blocked is not None:
            result.unremovable[name] = blocked
            continue
        destinations = [n for n in sim.node_names() if n != name and n not in removed and n not in deleting]
        mark = sim.checkpoint()
        ok = True
        for pod in movable:
            dest = sim.first_fit(_unbound(pod), destinations)
            if dest is None:
                ok = False
                break
            sim.assume(pod, dest)
        if not ok:
            sim.rollback(mark)
            result.unremovable[name] = "NoPlaceToMovePods"
            continue
        budget.take(movable)
        removed.add(name)
        result.unneeded.append(Candidate(node, group, util, movable))
    return result


def _unbound(pod: dict) -> dict:
    """The pod as its re-created replacement would be: not bound to any node."""
    spec = {k: v for k, v in (pod.get("spec") or {}).items() if k != "nodeName"}
    return {**pod, "spec": spec}


def unneeded_since(node: dict) -> datetime | None:
    return parse_time(((node.get("metadata") or {}).get("annotations") or {}).get(UNNEEDED_SINCE))
