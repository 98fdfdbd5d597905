"""NodeResourcesFit (filter + LeastAllocated score) and NodeResourcesBalancedAllocation.

``fits`` is pure and shared: the cluster autoscaler asks it whether a pending pod
would fit a template node.
"""

from __future__ import annotations

from kctl.scheduler.framework import MAX_NODE_SCORE, SKIP, Plugin, unschedulable
from kctl.scheduler.nodeinfo import NodeInfo
from kctl.scheduler.resources import CPU, MEMORY, PODS, pod_non_zero_requests, pod_requests


def fits(pod_request: dict[str, int], ni: NodeInfo) -> list[str]:
    """Upstream's fitsRequest: the reasons a node cannot take the pod ([] = it fits)."""
    reasons = []
    if len(ni.pods) + 1 > ni.max_pods:
        reasons.append("Too many pods")
    for resource, want in pod_request.items():
        if resource == PODS or want <= 0:
            continue
        if want > ni.free(resource):
            reasons.append(f"Insufficient {resource}")
    return reasons


class NodeResourcesFit(Plugin):
    name = "NodeResourcesFit"

    def pre_filter(self, pod):
        self.request = pod_requests(pod)
        return None

    def filter(self, pod, ni):
        reasons = fits(self.request, ni)
        return unschedulable(*reasons) if reasons else None

    def pre_score(self, pod, nodes):
        self.non_zero = pod_non_zero_requests(pod)
        return None

    def score(self, pod, ni):
        cpu, mem = self.non_zero
        return least_allocated_score(ni, cpu, mem)


def least_allocated_score(ni: NodeInfo, cpu: int, mem: int) -> int:
    """LeastAllocated over cpu and memory (weight 1 each), non-zero requests."""
    return (least_allocated(ni.non_zero_cpu + cpu, ni.allocatable_of(CPU))
            + least_allocated(ni.non_zero_memory + mem, ni.allocatable_of(MEMORY))) // 2


def balanced_allocation_score(ni: NodeInfo, cpu: int, mem: int) -> int:
    """BalancedAllocation over cpu and memory with the pod's real requests included."""
    fractions = []
    for resource, want in ((CPU, cpu), (MEMORY, mem)):
        alloc = ni.allocatable_of(resource)
        if alloc == 0:
            continue
        f = (ni.requested.get(resource, 0) + want) / alloc
        fractions.append(min(f, 1.0))
    if len(fractions) != 2:
        return MAX_NODE_SCORE
    std = abs(fractions[0] - fractions[1]) / 2
    return int((1 - std) * MAX_NODE_SCORE)


def least_allocated(requested: int, allocatable: int) -> int:
    if allocatable == 0 or requested > allocatable:
        return 0
    return (allocatable - requested) * MAX_NODE_SCORE // allocatable


class NodeResourcesBalancedAllocation(Plugin):
    name = "NodeResourcesBalancedAllocation"

    def pre_score(self, pod, nodes):
        self.request = pod_requests(pod)
        if not self.request.get(CPU) and not self.request.get(MEMORY):
            return SKIP  # best-effort pods would all pile onto one node
        return None

    def score(self, pod, ni):
        return balanced_allocation_score(ni, self.request.get(CPU, 0), self.request.get(MEMORY, 0))
