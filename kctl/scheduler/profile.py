"""The plugin registry (what exists) and the default profile (what runs, with which
score weight), as kube-scheduler's default_plugins.go."""

from __future__ import annotations

from kctl.scheduler.framework import Profile
from kctl.scheduler.plugins.inter_pod_affinity import InterPodAffinity
from kctl.scheduler.plugins.node_affinity import NodeAffinity
from kctl.scheduler.plugins.node_basics import NodeName, NodePorts, NodeUnschedulable
from kctl.scheduler.plugins.node_resources import NodeResourcesBalancedAllocation, NodeResourcesFit
from kctl.scheduler.plugins.pod_topology_spread import PodTopologySpread
from kctl.scheduler.plugins.taint_toleration import TaintToleration

REGISTRY = {
    cls.name: cls
    for cls in (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
                PodTopologySpread, InterPodAffinity, NodeResourcesBalancedAllocation)
}

#: (plugin, score weight) in upstream's MultiPoint order; filters run in this order.
DEFAULT_PLUGINS = (
    ("NodeUnschedulable", 0),
    ("NodeName", 0),
    ("TaintToleration", 3),
    ("NodeAffinity", 2),
    ("NodePorts", 0),
    ("NodeResourcesFit", 1),
    ("PodTopologySpread", 2),
    ("InterPodAffinity", 2),
    ("NodeResourcesBalancedAllocation", 1),
)

DEFAULT_PROFILE = Profile("default-scheduler", tuple((REGISTRY[name], weight) for name, weight in DEFAULT_PLUGINS))
