"""InterPodAffinity: required pod (anti-)affinity filters, preferred terms score.

A term is satisfied in a node's topology domain: the nodes sharing the node's value
for ``topologyKey``. Existing pods' required anti-affinity is symmetric: a pod may not
land where a running pod's anti-affinity would reject it.
"""

from __future__ import annotations

from kctl.api.labels import selector_from_label_selector
from kctl.scheduler.framework import MAX_NODE_SCORE, SKIP, Plugin, unresolvable, unschedulable

REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"


class _Term:
    __slots__ = ("key", "namespaces", "selector", "weight")

    def __init__(self, raw: dict, owner_namespace: str | None, weight: int = 0):
        self.key = raw.get("topologyKey", "")
        self.selector = selector_from_label_selector(raw.get("labelSelector"))
        self.namespaces = set(raw.get("namespaces") or ()) or {owner_namespace}
        if raw.get("namespaceSelector") == {}:
            self.namespaces = None  # an empty namespaceSelector means every namespace
        self.weight = weight

    def matches(self, pod: dict) -> bool:
        meta = pod.get("metadata") or {}
        if self.namespaces is not None and meta.get("namespace") not in self.namespaces:
            return False
        return self.selector.matches(meta.get("labels") or {})


def _terms(pod: dict, kind: str, which: str) -> list[_Term]:
    affinity = ((pod.get("spec") or {}).get("affinity") or {}).get(kind) or {}
    ns = (pod.get("metadata") or {}).get("namespace")
    if which == REQUIRED:
        return [_Term(t, ns) for t in affinity.get(REQUIRED) or ()]
    return [_Term(t.get("podAffinityTerm") or {}, ns, int(t.get("weight", 0))) for t in affinity.get(PREFERRED) or ()]


def _existing_terms(snapshot, pod: dict, kind: str, which: str) -> list[_Term]:
    """``_terms`` of a pod bound in the snapshot, parsed once per snapshot."""
    key = ("InterPodAffinity", id(pod), kind, which)
    terms = snapshot.cache.get(key)
    if terms is None:
        terms = snapshot.cache[key] = _terms(pod, kind, which)
    return terms


class InterPodAffinity(Plugin):
    name = "InterPodAffinity"

    def pre_filter(self, pod):
        self.affinity = _terms(pod, "podAffinity", REQUIRED)
        self.anti = _terms(pod, "podAntiAffinity", REQUIRED)
        # Existing pods whose required anti-affinity matches the incoming pod (only the
        # pods that carry terms at all, which the snapshot indexes).
        self.existing_anti: list[tuple[_Term, dict]] = []
        for other, ni in self.snapshot.affinity_pods:
            for term in _existing_terms(self.snapshot, other, "podAntiAffinity", REQUIRED):
                if term.matches(pod):
                    self.existing_anti.append((term, ni.labels))
        if not (self.affinity or self.anti or self.existing_anti):
            return SKIP
        self.affinity_counts = self._domain_counts(self.affinity)
        self.anti_counts = self._domain_counts(self.anti)
        labels = (pod.get("metadata") or {}).get("labels") or {}
        # The first pod of a group may satisfy its own affinity (no match anywhere yet).
        self.self_affinity_ok = bool(self.affinity) and not any(self.affinity_counts) and all(
            t.selector.matches(labels) for t in self.affinity
        )
        return None

    def _domain_counts(self, terms: list[_Term]) -> list[dict[str, int]]:
        out = []
        for term in terms:
            counts: dict[str, int] = {}
            for ni in self.snapshot.nodes:
                value = ni.labels.get(term.key)
                if value is None:
                    continue
                n = sum(1 for p in ni.pods if term.matches(p))
                if n:
                    counts[value] = counts.get(value, 0) + n
            out.append(counts)
        return out

    def filter(self, pod, ni):
        for term, counts in zip(self.affinity, self.affinity_counts, strict=True):
            value = ni.labels.get(term.key)
            if value is None or (not counts.get(value) and not self.self_affinity_ok):
                return unresolvable("node(s) didn't match pod affinity rules")
        for term, counts in zip(self.anti, self.anti_counts, strict=True):
            value = ni.labels.get(term.key)
            if value is not None and counts.get(value):
                return unschedulable("node(s) didn't match pod anti-affinity rules")
        for term, other_labels in self.existing_anti:
            value = other_labels.get(term.key)
            if value is not None and ni.labels.get(term.key) == value:
                return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules")
        return None

    def pre_score(self, pod, nodes):
        self.preferred = [(t, 1) for t in _terms(pod, "podAffinity", PREFERRED)]
        self.preferred += [(t, -1) for t in _terms(pod, "podAntiAffinity", PREFERRED)]
        # Symmetric: existing pods' preferred terms that match the incoming pod.
        self.domain_scores: dict[tuple[str, str], int] = {}
        if self.preferred:
            for ni in self.snapshot.nodes:
                for other in ni.pods:
                    for term, sign in self.preferred:
                        value = ni.labels.get(term.key)
                        if value is not None and term.matches(other):
                            self._add(term.key, value, sign * term.weight)
        for other, ni in self.snapshot.affinity_pods:
            for kind, sign in (("podAffinity", 1), ("podAntiAffinity", -1)):
                for term in _existing_terms(self.snapshot, other, kind, PREFERRED):
                    value = ni.labels.get(term.key)
                    if value is not None and term.matches(pod):
                        self._add(term.key, value, sign * term.weight)
        if not self.domain_scores:
            return SKIP
        return None

    def _add(self, key: str, value: str, weight: int) -> None:
        self.domain_scores[(key, value)] = self.domain_scores.get((key, value), 0) + weight

    def score(self, pod, ni):
        return sum(s for (key, value), s in self.domain_scores.items() if ni.labels.get(key) == value)

    def normalize_score(self, pod, scores):
        low, high = min(scores.values(), default=0), max(scores.values(), default=0)
        for name, s in scores.items():
            scores[name] = 0 if high == low else (s - low) * MAX_NODE_SCORE // (high - low)
