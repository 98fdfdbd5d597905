"""Cluster Autoscaler settings: upstream's flag defaults, overridable per cluster.

kctl has no command line for the autoscaler: its flags are the keys of the ConfigMap
``kube-system/cluster-autoscaler-config`` (flag names without the dashes), e.g.::

    data:
      expander: most-pods            # least-waste (default) | most-pods | least-nodes | random | priority, or a chain "priority,least-waste"
      scale-down-utilization-threshold: "0.5"
      scale-down-unneeded-time: 10m
      scale-down-unready-time: 20m
      scale-down-delay-after-add: 10m
      scale-down-enabled: "true"
      max-nodes-total: "0"           # 0 = unlimited
      expendable-pods-priority-cutoff: "-10"
      max-empty-bulk-delete: "10"
      random-seed: kctl              # the seed of the random expander (kctl is deterministic)

The priority expander reads ``kube-system/cluster-autoscaler-priority-expander`` key
``priorities`` as upstream: a YAML map of priority -> list of node-group name regexps.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

NAMESPACE = "kube-system"
CONFIG_MAP = "cluster-autoscaler-config"
PRIORITY_CONFIG_MAP = "cluster-autoscaler-priority-expander"
STATUS_CONFIG_MAP = "cluster-autoscaler-status"

def parse_duration(text: str) -> float | None:
    """Go's time.ParseDuration in seconds; None when malformed."""
    from kctl.api.duration import DurationError
    from kctl.api.duration import parse_duration as go_duration

    try:
        return go_duration(text.strip())
    except DurationError:
        return None


@dataclass(frozen=True)
class Settings:
    expander: tuple[str, ...] = ("least-waste",)
    scale_down_utilization_threshold: float = 0.5
    scale_down_unneeded_time: float = 600.0
    scale_down_unready_time: float = 1200.0
    scale_down_delay_after_add: float = 600.0
    scale_down_enabled: bool = True
    max_nodes_total: int = 0
    expendable_pods_priority_cutoff: int = -10
    max_empty_bulk_delete: int = 10
    random_seed: str = "kctl"
    #: priority -> regexps, from the priority expander's ConfigMap.
    priorities: dict[int, list[str]] = field(default_factory=dict)


def load_settings(cluster) -> Settings:
    """The settings in force: defaults overridden by the ConfigMaps (bad values are ignored)."""
    cm = cluster.get("configmaps", NAMESPACE, CONFIG_MAP)
    data = (cm or {}).get("data") or {}
    kwargs: dict = {}
    if data.get("expander"):
        kwargs["expander"] = tuple(e.strip() for e in str(data["expander"]).split(",") if e.strip())
    for key, attr in (("scale-down-unneeded-time", "scale_down_unneeded_time"),
                      ("scale-down-unready-time", "scale_down_unready_time"),
                      ("scale-down-delay-after-add", "scale_down_delay_after_add")):
        if key in data:
            seconds = parse_duration(str(data[key]))
            if seconds is not None:
                kwargs[attr] = seconds
    for key, attr, conv in (("scale-down-utilization-threshold", "scale_down_utilization_threshold", float),
                            ("max-nodes-total", "max_nodes_total", int),
                            ("expendable-pods-priority-cutoff", "expendable_pods_priority_cutoff", int),
                            ("max-empty-bulk-delete", "max_empty_bulk_delete", int)):
        if key in data:
            with contextlib.suppress(ValueError):
                kwargs[attr] = conv(str(data[key]))
    if "scale-down-enabled" in data:
        kwargs["scale_down_enabled"] = str(data["scale-down-enabled"]).lower() == "true"
    if data.get("random-seed"):
        kwargs["random_seed"] = str(data["random-seed"])
    kwargs["priorities"] = load_priorities(cluster)
    return Settings(**kwargs)


def load_priorities(cluster) -> dict[int, list[str]]:
    cm = cluster.get("configmaps", NAMESPACE, PRIORITY_CONFIG_MAP)
    text = ((cm or {}).get("data") or {}).get("priorities")
    if not text:
        return {}
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    out: dict[int, list[str]] = {}
    if isinstance(doc, dict):
        for prio, patterns in doc.items():
            try:
                p = int(prio)
            except (TypeError, ValueError):
                continue
            if isinstance(patterns, list):
                out[p] = [str(x) for x in patterns]
    return out
