"""ClusterRole ``aggregationRule``: the rules the clusterrole-aggregation controller
(``pkg/controller/clusterroleaggregation``, ``syncClusterRole``) writes into an aggregated
ClusterRole, computed when a policy is evaluated instead of by a controller.

For each ``clusterRoleSelectors`` entry in order, the ClusterRoles it selects, sorted by name
and skipping the aggregated role itself, contribute their rules; a rule already collected is
not added again. The aggregated role's own ``rules`` are replaced. A selected role that is
itself aggregated contributes its aggregated rules (the fixed point the controller reaches
over successive syncs); a cycle contributes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def aggregation_selectors(cluster_role: Mapping) -> list | None:
    """The role's ``clusterRoleSelectors``, or None when it has no ``aggregationRule``."""
    rule = cluster_role.get("aggregationRule")
    if not isinstance(rule, dict):
        return None
    selectors = rule.get("clusterRoleSelectors")
    return selectors if isinstance(selectors, list) else []


def aggregated_rules(cluster_role: Mapping, cluster_roles: Mapping[str, Mapping],
                     effective: Callable[[Mapping], list[dict]]) -> list[dict]:
    """``syncClusterRole``'s new rules for an aggregated ``cluster_role``; ``effective`` gives
    a selected role's own (possibly aggregated) rules."""
    from kctl.api.labels import selector_from_label_selector

    name = (cluster_role.get("metadata") or {}).get("name")
    rules: list[dict] = []
    for raw in aggregation_selectors(cluster_role) or []:
        try:
            selector = selector_from_label_selector(raw if isinstance(raw, dict) else None)
        except Exception:  # an invalid selector selects nothing (the controller logs and skips it)
            continue
        for other_name in sorted(cluster_roles):
            if other_name == name:
                continue
            other = cluster_roles[other_name]
            if not selector.matches((other.get("metadata") or {}).get("labels") or {}):
                continue
            for rule in effective(other):
                if rule not in rules:
                    rules.append(rule)
    return rules
