"""NodeUnschedulable, NodeName and NodePorts: the cheap yes/no filters."""

from __future__ import annotations

from kctl.api.scheduling import tolerates
from kctl.scheduler.framework import Plugin, unresolvable, unschedulable
from kctl.scheduler.nodeinfo import host_ports

UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeUnschedulable(Plugin):
    name = "NodeUnschedulable"

    def filter(self, pod, ni):
        if not ni.unschedulable:
            return None
        if tolerates((pod.get("spec") or {}).get("tolerations") or [], UNSCHEDULABLE_TAINT):
            return None
        return unresolvable("node(s) were unschedulable")


class NodeName(Plugin):
    name = "NodeName"

    def filter(self, pod, ni):
        wanted = (pod.get("spec") or {}).get("nodeName")
        if wanted and wanted != ni.name:
            return unresolvable("node(s) didn't match the requested node name")
        return None


class NodePorts(Plugin):
    name = "NodePorts"

    def pre_filter(self, pod):
        self.wanted = host_ports(pod)
        return None

    def filter(self, pod, ni):
        for ip, proto, port in self.wanted:
            for used_ip, used_proto, used_port in ni.used_ports:
                if used_port == port and used_proto == proto and (ip == used_ip or "0.0.0.0" in (ip, used_ip)):
                    return unschedulable("node(s) didn't have free ports for the requested pod ports")
        return None
