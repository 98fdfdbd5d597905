"""NodeInfo and the scheduling snapshot: each node with the pods bound to it and the
resources they request, kept current as the pass places pods.

Besides upstream's per-node view, the snapshot keeps the indexes that let one
scheduling cycle cost about the same whatever the number of pods (upstream keeps the
like of these in its cache and in PreFilter state):

- ``count_matching``/``match_counts``: pods per node matched by a (namespace, selector),
  built once per selector and kept current by ``assume``;
- ``spread_counts``: PodTopologySpread's matching pods per topology domain over the
  nodes a pod may use, per (node-affinity signature, keys, namespace, selector);
- ``affinity_pods``: the bound pods that carry pod (anti-)affinity terms;
- ``fits_everywhere``: whether a request fits every node (free resources only shrink
  within a snapshot, so a running minimum is exact);
- ``assumed``: the append-only list of node positions that received a pod, for
  caches that recompute only the nodes that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kctl.api.scheduling import pod_matches_node_selector_and_affinity
from kctl.scheduler.resources import CPU, MEMORY, PODS, pod_request_summary, quantity_value


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


def has_pod_affinity_terms(pod: dict) -> bool:
    """True when the pod declares podAffinity or podAntiAffinity (required or preferred)."""
    affinity = (pod.get("spec") or {}).get("affinity") or {}
    return bool(affinity.get("podAffinity") or affinity.get("podAntiAffinity"))


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
    #: Position in the snapshot's name-ordered node list (-1 outside a snapshot).
    index: int = -1

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
        request, (cpu, mem) = pod_request_summary(pod)
        for name, v in request.items():
            self.requested[name] = self.requested.get(name, 0) + v
        self.non_zero_cpu += cpu
        self.non_zero_memory += mem
        ports = host_ports(pod)
        if ports:
            self.used_ports.update(ports)

    def allocatable_of(self, resource: str) -> int:
        return self.allocatable.get(resource, 0)

    @property
    def max_pods(self) -> int:
        return self.allocatable.get(PODS, 110)

    def free(self, resource: str) -> int:
        return self.allocatable_of(resource) - self.requested.get(resource, 0)


def is_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _anchor(selector) -> tuple[str, str] | None:
    """A (key, value) every pod the selector matches must carry, if the selector pins one:
    assume() only looks at the counters anchored on the new pod's labels."""
    for r in getattr(selector, "requirements", ()):
        if r.operator in ("=", "==", "in") and len(r.values) == 1:
            return r.key, r.values[0]
    return None


class _DomainCounts:
    """Matching pods per value of one topology key over a fixed set of nodes."""

    __slots__ = ("counts", "key", "nodes")

    def __init__(self, key: str, nodes: frozenset[int], counts: dict[str, int]):
        self.key, self.nodes, self.counts = key, nodes, counts


class _Counter:
    """Pods matched by one (namespace, selector): per node, and per domain aggregations."""

    __slots__ = ("domains", "namespace", "per_node", "selector")

    def __init__(self, namespace: str | None, selector, per_node: list[int]):
        self.namespace, self.selector, self.per_node = namespace, selector, per_node
        self.domains: dict[tuple, _DomainCounts] = {}


class Snapshot:
    """Nodes in name order, with the non-terminal pods bound to each.

    ``default_spread_selector(pod)`` gives the label selector of the Services and
    controllers that select a pod (for PodTopologySpread's system defaults), or None.
    """

    def __init__(self, nodes: list[dict], pods: list[dict], default_spread_selector=None):
        self.nodes: list[NodeInfo] = sorted((NodeInfo.of(n) for n in nodes), key=lambda ni: ni.name)
        for i, ni in enumerate(self.nodes):
            ni.index = i
        self._by_name = {ni.name: ni for ni in self.nodes}
        self._default_spread_selector = default_spread_selector
        #: (namespace, selector) -> its counter; anchored ones are also listed by anchor.
        self._counters: dict[tuple, _Counter] = {}
        self._anchored: dict[tuple[str, str] | None, list[_Counter]] = {}
        #: Bound pods with pod (anti-)affinity terms, with their node.
        self.affinity_pods: list[tuple[dict, NodeInfo]] = []
        #: Node positions in the order pods were assumed onto them.
        self.assumed: list[int] = []
        #: Free-form per-snapshot memo for plugins and the framework (nodes never change
        #: within a snapshot, so anything derived from nodes alone stays valid).
        self.cache: dict = {}
        self._eligible: dict[str, frozenset[int]] = {}
        #: (namespace, label key, value) -> the bound pods carrying it, with their node.
        self._by_label: dict[tuple[str | None, str, str], list[tuple[dict, int]]] = {}
        for pod in pods:
            node_name = (pod.get("spec") or {}).get("nodeName")
            if node_name and not is_terminal(pod) and node_name in self._by_name:
                self._add(pod, self._by_name[node_name])
        resources = {r for ni in self.nodes for r in (*ni.allocatable, *ni.requested) if r != PODS}
        #: resource -> the least free amount on any node.
        self.min_free = {r: min(ni.free(r) for ni in self.nodes) for r in resources} if self.nodes else {}
        self.min_pod_room = min((ni.max_pods - len(ni.pods) for ni in self.nodes), default=0)

    def _add(self, pod: dict, ni: NodeInfo) -> None:
        ni.add_pod(pod)
        meta = pod.get("metadata") or {}
        ns = meta.get("namespace")
        by_label = self._by_label
        for k, v in (meta.get("labels") or {}).items():
            entry = by_label.get((ns, k, v))
            if entry is None:
                by_label[(ns, k, v)] = [(pod, ni.index)]
            else:
                entry.append((pod, ni.index))
        if has_pod_affinity_terms(pod):
            self.affinity_pods.append((pod, ni))

    def get(self, name: str) -> NodeInfo | None:
        return self._by_name.get(name)

    def assume(self, pod: dict, node_name: str) -> None:
        """Account for a pod just placed (the scheduler cache's AssumePod)."""
        ni = self._by_name[node_name]
        self._add(pod, ni)
        self.assumed.append(ni.index)
        min_free = self.min_free
        for r in ni.requested:
            if r != PODS:
                free = ni.free(r)
                if free < min_free.get(r, 0):
                    min_free[r] = free
        room = ni.max_pods - len(ni.pods)
        if room < self.min_pod_room:
            self.min_pod_room = room
        meta = pod.get("metadata") or {}
        if meta.get("deletionTimestamp"):
            return
        namespace = meta.get("namespace")
        labels = meta.get("labels") or {}
        candidates = self._anchored.get(None, [])
        for pair in labels.items():
            more = self._anchored.get(pair)
            if more:
                candidates = [*candidates, *more]
        i = ni.index
        for counter in candidates:
            if counter.namespace == namespace and counter.selector.matches(labels):
                counter.per_node[i] += 1
                for domain in counter.domains.values():
                    if i in domain.nodes:
                        value = ni.labels[domain.key]
                        domain.counts[value] = domain.counts.get(value, 0) + 1

    def fits_everywhere(self, request: dict[str, int]) -> bool:
        """True when NodeResourcesFit would pass ``request`` on every node."""
        if self.min_pod_room < 1:
            return False
        min_free = self.min_free
        for r, want in request.items():  # noqa: SIM110 - a plain loop is the hot path
            if r != PODS and want > 0 and want > min_free.get(r, 0):
                return False
        return True

    def default_spread_selector(self, pod: dict):
        return self._default_spread_selector(pod) if self._default_spread_selector else None

    # -- matching pods per node and per domain ------------------------------------------
    def _counter(self, namespace: str | None, selector) -> _Counter:
        key = (namespace, selector)
        counter = self._counters.get(key)
        if counter is None:
            anchor = _anchor(selector)
            if anchor is None:
                candidates = [(p, node.index) for node in self.nodes for p in node.pods
                              if (p.get("metadata") or {}).get("namespace") == namespace]
            else:
                candidates = self._by_label.get((namespace, *anchor), ())
            per_node = [0] * len(self.nodes)
            for p, i in candidates:
                meta = p.get("metadata") or {}
                if not meta.get("deletionTimestamp") and selector.matches(meta.get("labels") or {}):
                    per_node[i] += 1
            counter = self._counters[key] = _Counter(namespace, selector, per_node)
            self._anchored.setdefault(anchor, []).append(counter)
        return counter

    def match_counts(self, namespace: str | None, selector) -> list[int]:
        """Per node position: pods in ``namespace`` matched by ``selector`` (live list)."""
        return self._counter(namespace, selector).per_node

    def count_matching(self, ni: NodeInfo, namespace: str | None, selector) -> int:
        """Pods on ``ni`` in ``namespace`` matched by ``selector`` (terminating excluded)."""
        return self._counter(namespace, selector).per_node[ni.index]

    def eligible_nodes(self, pod: dict) -> frozenset[int]:
        """Positions of the nodes matching the pod's nodeSelector and required node affinity."""
        spec = pod.get("spec") or {}
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution")
        key = repr((spec.get("nodeSelector"), required))
        nodes = self._eligible.get(key)
        if nodes is None:
            nodes = self._eligible[key] = frozenset(
                ni.index for ni in self.nodes if pod_matches_node_selector_and_affinity(pod, ni.node))
        return nodes

    def spread_counts(self, pod: dict, constraints) -> dict[tuple[str, str], int]:
        """Matching pods per (topologyKey, value) over the nodes the pod may use that carry
        every constraint's key (PodTopologySpread's PreFilter/PreScore counting); domains
        without a matching pod are present with 0."""
        counts: dict[tuple[str, str], int] = {}
        for c in constraints:
            for value, n in self.domain_counts(pod, constraints, c).items():
                pair = (c.key, value)
                counts[pair] = counts.get(pair, 0) + n
        return counts

    def domain_counts(self, pod: dict, constraints, constraint) -> dict[str, int]:
        """One constraint's share of ``spread_counts``: value of its key -> matching pods
        (a live dict that ``assume`` keeps current; do not modify)."""
        keys = tuple(c.key for c in constraints)
        counter = self._counter((pod.get("metadata") or {}).get("namespace"), constraint.selector)
        dkey = (self._eligible_key(pod), keys, constraint.key)
        domain = counter.domains.get(dkey)
        if domain is None:
            eligible = frozenset(i for i in self.eligible_nodes(pod) if all(k in self.nodes[i].labels for k in keys))
            per_value: dict[str, int] = {}
            for i in sorted(eligible):
                value = self.nodes[i].labels[constraint.key]
                per_value[value] = per_value.get(value, 0) + counter.per_node[i]
            domain = counter.domains[dkey] = _DomainCounts(constraint.key, eligible, per_value)
        return domain.counts

    @staticmethod
    def _eligible_key(pod: dict) -> str:
        spec = pod.get("spec") or {}
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution")
        return repr((spec.get("nodeSelector"), required))

    def __len__(self) -> int:
        return len(self.nodes)


__all__ = ["CPU", "MEMORY", "NodeInfo", "Snapshot", "has_pod_affinity_terms", "host_ports", "is_terminal"]
