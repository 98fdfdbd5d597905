"""TaintToleration: NoSchedule/NoExecute taints filter, PreferNoSchedule ones score."""

from __future__ import annotations

from kctl.api.scheduling import find_untolerated_taint, format_taint, tolerates_taint
from kctl.scheduler.framework import MAX_NODE_SCORE, Plugin, unresolvable


class TaintToleration(Plugin):
    name = "TaintToleration"

    def filter(self, pod, ni):
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        taint = find_untolerated_taint(ni.taints, tolerations, ("NoSchedule", "NoExecute"))
        if taint is None:
            return None
        return unresolvable(f"node(s) had untolerated taint {format_taint(taint)}")

    def pre_score(self, pod, nodes):
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        self.prefer_tolerations = [t for t in tolerations if (t.get("effect") or "") in ("", "PreferNoSchedule")]
        return None

    def score(self, pod, ni):
        """Number of PreferNoSchedule taints the pod does not tolerate."""
        return sum(
            1
            for taint in ni.taints
            if taint.get("effect") == "PreferNoSchedule"
            and not any(tolerates_taint(t, taint) for t in self.prefer_tolerations)
        )

    def normalize_score(self, pod, scores):
        """DefaultNormalizeScore with reverse=true: fewer intolerable taints is better."""
        top = max(scores.values(), default=0)
        for name, s in scores.items():
            scores[name] = MAX_NODE_SCORE if top == 0 else MAX_NODE_SCORE - s * MAX_NODE_SCORE // top
