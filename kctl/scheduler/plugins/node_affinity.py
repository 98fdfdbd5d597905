"""NodeAffinity: nodeSelector and required terms filter; preferred terms score."""

from __future__ import annotations

from kctl.api.scheduling import match_node_selector_term, pod_matches_node_selector_and_affinity
from kctl.scheduler.framework import MAX_NODE_SCORE, Plugin, unresolvable


class NodeAffinity(Plugin):
    name = "NodeAffinity"

    def filter(self, pod, ni):
        if pod_matches_node_selector_and_affinity(pod, ni.node):
            return None
        return unresolvable("node(s) didn't match Pod's node affinity/selector")

    def pre_score(self, pod, nodes):
        affinity = ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
        self.preferred = affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        return None

    def score(self, pod, ni):
        return sum(
            int(term.get("weight", 0))
            for term in self.preferred
            if match_node_selector_term(term.get("preference") or {}, ni.node)
        )

    def normalize_score(self, pod, scores):
        top = max(scores.values(), default=0)
        if top == 0:
            return
        for name, s in scores.items():
            scores[name] = s * MAX_NODE_SCORE // top
