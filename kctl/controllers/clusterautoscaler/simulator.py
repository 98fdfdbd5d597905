"""The autoscaler's scheduling simulation (cluster-autoscaler/simulator/clustersnapshot):
would a pod fit a node, with the scheduler's own PreFilter/Filter plugins (default profile).

``ClusterSimulation`` holds the nodes and bound pods of a what-if cluster. The scheduler's
``Snapshot`` assumes a fixed node set, so adding a (template) node or undoing placements
builds a new one; placements on an unchanged node set go through ``Snapshot.assume``.
"""

from __future__ import annotations

from kctl.scheduler.framework import Code, Status, run_filters
from kctl.scheduler.nodeinfo import Snapshot, is_terminal
from kctl.scheduler.profile import DEFAULT_PROFILE


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name", "")


class ClusterSimulation:
    def __init__(self, nodes: list[dict], pods: list[dict], profile=DEFAULT_PROFILE):
        self.nodes = list(nodes)
        self.pods = [p for p in pods if (p.get("spec") or {}).get("nodeName") and not is_terminal(p)]
        self.profile = profile
        self._snapshot: Snapshot | None = None

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = Snapshot(self.nodes, self.pods)
        return self._snapshot

    def node_names(self) -> list[str]:
        return sorted(_name(n) for n in self.nodes)

    # -- what-if changes ----------------------------------------------------------------
    def add_node(self, node: dict) -> None:
        self.nodes.append(node)
        self._snapshot = None

    def remove_node(self, name: str) -> None:
        self.nodes = [n for n in self.nodes if _name(n) != name]
        self.pods = [p for p in self.pods if p["spec"].get("nodeName") != name]
        self._snapshot = None

    def assume(self, pod: dict, node_name: str) -> None:
        bound = {**pod, "spec": {**(pod.get("spec") or {}), "nodeName": node_name}}
        self.pods.append(bound)
        if self._snapshot is not None:
            self._snapshot.assume(bound, node_name)

    def checkpoint(self) -> int:
        return len(self.pods)

    def rollback(self, mark: int) -> None:
        if mark < len(self.pods):
            self.pods = self.pods[:mark]
            self._snapshot = None

    # -- predicates ---------------------------------------------------------------------
    def _filters(self, pod: dict) -> list | Status:
        filters = []
        snapshot = self.snapshot
        for cls, _weight in self.profile.plugins:
            plugin = cls(snapshot)
            pre = getattr(plugin, "pre_filter", None)
            status = pre(pod) if pre else None
            if status is not None and status.code == Code.SKIP:
                continue
            if status is not None and not status.ok:
                status.plugin = plugin.name
                return status
            if hasattr(plugin, "filter"):
                filters.append(plugin)
        return filters

    def check(self, pod: dict, node_name: str) -> Status | None:
        """None when ``pod`` fits ``node_name``, else the first failing plugin's verdict."""
        filters = self._filters(pod)
        if isinstance(filters, Status):
            return filters
        return run_filters(filters, pod, self.snapshot.get(node_name))

    def first_fit(self, pod: dict, node_names: list[str]) -> str | None:
        """The first node (in the given order) the pod fits."""
        if not node_names:
            return None
        filters = self._filters(pod)
        if isinstance(filters, Status):
            return None
        for name in node_names:
            if run_filters(filters, pod, self.snapshot.get(name)) is None:
                return name
        return None
