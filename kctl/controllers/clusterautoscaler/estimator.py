"""BinpackingNodeEstimator (cluster-autoscaler/estimator): how many template nodes a set of
pending pods needs.

Pods are taken largest first (their requests as a fraction of the template's allocatable
cpu + memory, upstream's "decreasing" ordering); each goes onto a node already added by the
estimation when it fits one (the last added is tried first, then the others in order),
else a new template node is added if the limit allows and the pod fits an empty one.
Pods that fit no template node are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kctl.controllers.clusterautoscaler.simulator import ClusterSimulation
from kctl.scheduler.resources import CPU, MEMORY, pod_requests, quantity_value


@dataclass
class Estimate:
    node_count: int = 0
    pods: list[dict] = field(default_factory=list)
    #: node name -> pods placed there by the estimation.
    placement: dict[str, list[dict]] = field(default_factory=dict)


def pod_score(pod: dict, allocatable: dict) -> float:
    """Upstream's binpacking order key: cpu and memory requests relative to the node."""
    req = pod_requests(pod)
    cpu_alloc = quantity_value(CPU, allocatable.get(CPU, "0")) if allocatable.get(CPU) else 0
    mem_alloc = quantity_value(MEMORY, allocatable.get(MEMORY, "0")) if allocatable.get(MEMORY) else 0
    score = 0.0
    if cpu_alloc:
        score += req.get(CPU, 0) / cpu_alloc
    if mem_alloc:
        score += req.get(MEMORY, 0) / mem_alloc
    return score


def estimate(sim: ClusterSimulation, pods: list[dict], make_node: Callable[[int], dict], limit: int,
             allocatable: dict, daemon_pods: Callable[[str], list[dict]] = lambda name: []) -> Estimate:
    """Bin-pack ``pods`` onto at most ``limit`` new nodes made by ``make_node(i)`` (added to
    the simulation); ``daemon_pods(node_name)`` are the DaemonSet pods a new node runs."""
    result = Estimate()
    ordered = sorted(pods, key=lambda p: -pod_score(p, allocatable))
    added: list[str] = []
    for pod in ordered:
        candidates = ([added[-1]] + added[:-1]) if added else []
        name = sim.first_fit(pod, candidates)
        if name is None:
            if len(added) >= limit:
                continue
            node = make_node(len(added))
            node_name = node["metadata"]["name"]
            sim.add_node(node)
            for dp in daemon_pods(node_name):
                sim.assume(dp, node_name)
            if sim.check(pod, node_name) is not None:
                # Not even an empty node takes it: the node is not added after all.
                sim.remove_node(node_name)
                continue
            added.append(node_name)
            name = node_name
        sim.assume(pod, name)
        result.pods.append(pod)
        result.placement.setdefault(name, []).append(pod)
    result.node_count = len(added)
    return result

