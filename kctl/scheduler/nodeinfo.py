"""NodeInfo and the scheduling snapshot: each node with the pods bound to it and the
resources they request, kept current as the pass places pods."""

from __future__ import annotations

from dataclasses import dataclass, field

from kctl.scheduler.resources import CPU, MEMORY, PODS, pod_non_zero_requests, pod_requests, quantity_value


def host_ports(pod: dict) -> list[tuple[str, str, int]]:
    """(hostIP, protocol, hostPort) of every container port that claims a host port."""
    out = []
    spec = pod.get("spec") or {}
    for c in (*(spec.get("initContainers") or ()), *(spec.get("containers") or ())):
        for p in c.get("ports") or ():
            hp = p.get("hostPort")
            if hp:
                out.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", int(hp)))
    return out


@dataclass
class NodeInfo:
    node: dict
    name: str
    labels: dict
    allocatable: dict[str, int]
    pods: list[dict] = field(default_factory=list)
    requested: dict[str, int] = field(default_factory=dict)
    non_zero_cpu: int = 0
    non_zero_memory: int = 0
    used_ports: set[tuple[str, str, int]] = field(default_factory=set)

    @classmethod
    def of(cls, node: dict) -> NodeInfo:
        meta = node.get("metadata") or {}
        status = node.get("status") or {}
        alloc_src = status.get("allocatable") or status.get("capacity") or {}
        allocatable = {name: quantity_value(name, v) for name, v in alloc_src.items()}
        return cls(node=node, name=meta.get("name", ""), labels=meta.get("labels") or {}, allocatable=allocatable)

    @property
    def spec(self) -> dict:
        return self.node.get("spec") or {}

    @property
    def taints(self) -> list[dict]:
        return self.spec.get("taints") or []

    @property
    def unschedulable(self) -> bool:
        return bool(self.spec.get("unschedulable"))

    def add_pod(self, pod: dict) -> None:
        self.pods.append(pod)
        for name, v in pod_requests(pod).items():
            self.requested[name] = self.requested.get(name, 0) + v
        cpu, mem = pod_non_zero_requests(pod)
        self.non_zero_cpu += cpu
        self.non_zero_memory += mem
        self.used_ports.update(host_ports(pod))

    def allocatable_of(self, resource: str) -> int:
        return self.allocatable.get(resource, 0)

    @property
    def max_pods(self) -> int:
        return self.allocatable.get(PODS, 110)

    def free(self, resource: str) -> int:
        return self.allocatable_of(resource) - self.requested.get(resource, 0)


def is_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


class Snapshot:
    """Nodes in name order, with the non-terminal pods bound to each.

    ``default_spread_selector(pod)`` gives the label selector of the Services and
    controllers that select a pod (for PodTopologySpread's system defaults), or None.
    """

    def __init__(self, nodes: list[dict], pods: list[dict], default_spread_selector=None):
        self.nodes: list[NodeInfo] = sorted((NodeInfo.of(n) for n in nodes), key=lambda ni: ni.name)
        self._by_name = {ni.name: ni for ni in self.nodes}
        self._default_spread_selector = default_spread_selector
        #: (namespace, selector) -> (selector, {node name: matching pods}), kept current by assume().
        self._match_cache: dict[tuple[str | None, str], tuple[object, dict[str, int]]] = {}
        for pod in pods:
            node_name = (pod.get("spec") or {}).get("nodeName")
            if node_name and not is_terminal(pod) and node_name in self._by_name:
                self._by_name[node_name].add_pod(pod)

    def get(self, name: str) -> NodeInfo | None:
        return self._by_name.get(name)

    def assume(self, pod: dict, node_name: str) -> None:
        """Account for a pod just placed (the scheduler cache's AssumePod)."""
        self._by_name[node_name].add_pod(pod)
        meta = pod.get("metadata") or {}
        labels = meta.get("labels") or {}
        for (namespace, _), (selector, per_node) in self._match_cache.items():
            if namespace == meta.get("namespace") and selector.matches(labels):
                per_node[node_name] = per_node.get(node_name, 0) + 1

    def default_spread_selector(self, pod: dict):
        return self._default_spread_selector(pod) if self._default_spread_selector else None

    def count_matching(self, ni: NodeInfo, namespace: str | None, selector) -> int:
        """Pods on ``ni`` in ``namespace`` matched by ``selector`` (terminating excluded)."""
        key = (namespace, str(selector))
        entry = self._match_cache.get(key)
        if entry is None:
            per_node = {}
            for node in self.nodes:
                per_node[node.name] = sum(
                    1 for p in node.pods
                    if (p.get("metadata") or {}).get("namespace") == namespace
                    and not (p.get("metadata") or {}).get("deletionTimestamp")
                    and selector.matches((p.get("metadata") or {}).get("labels") or {})
                )
            entry = self._match_cache[key] = (selector, per_node)
        return entry[1].get(ni.name, 0)

    def __len__(self) -> int:
        return len(self.nodes)


__all__ = ["CPU", "MEMORY", "NodeInfo", "Snapshot", "host_ports", "is_terminal"]
