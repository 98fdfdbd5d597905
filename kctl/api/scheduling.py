"""Scheduling helpers shared by the scheduler, the DaemonSet controller, the taint
manager and the cluster autoscaler (k8s.io/component-helpers/scheduling/corev1 and
k8s.io/api/core/v1/toleration.go)."""

from __future__ import annotations


def tolerates_taint(toleration: dict, taint: dict) -> bool:
    """ToleratesTaint: effect empty or equal; key empty (with Exists) or equal;
    Exists ignores the value, Equal (the default) compares it."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    op = toleration.get("operator") or "Equal"
    if op == "Exists":
        return True
    if op == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return False


def tolerates(tolerations: list[dict], taint: dict) -> bool:
    return any(tolerates_taint(t, taint) for t in tolerations)


def find_untolerated_taint(taints: list[dict], tolerations: list[dict], effects: tuple[str, ...]) -> dict | None:
    """The first taint with one of ``effects`` that no toleration tolerates."""
    for taint in taints:
        if taint.get("effect") in effects and not tolerates(tolerations, taint):
            return taint
    return None


def format_taint(taint: dict) -> str:
    """``{key: value}`` as the scheduler prints an untolerated taint."""
    return "{" + f"{taint.get('key', '')}: {taint.get('value', '')}" + "}"


def _match_requirement(req: dict, labels: dict) -> bool:
    key, op = req.get("key", ""), req.get("operator", "")
    values = req.get("values") or []
    present = key in labels
    if op == "In":
        return present and labels[key] in values
    if op == "NotIn":
        return not present or labels[key] not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt"):
        if not present or len(values) != 1:
            return False
        try:
            have, want = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return have > want if op == "Gt" else have < want
    return False


def match_node_selector_term(term: dict, node: dict) -> bool:
    """A term matches when all of its matchExpressions (labels) and matchFields
    (``metadata.name``) do; an empty term matches nothing."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    meta = node.get("metadata") or {}
    labels = meta.get("labels") or {}
    if not all(_match_requirement(r, labels) for r in exprs):
        return False
    field_values = {"metadata.name": meta.get("name", "")}
    return all(_match_requirement(r, field_values) for r in fields)


def match_node_selector_terms(terms: list[dict], node: dict) -> bool:
    """Terms are ORed."""
    return any(match_node_selector_term(t, node) for t in terms)


def pod_matches_node_selector_and_affinity(pod: dict, node: dict) -> bool:
    """nodeSelector AND required node affinity (GetRequiredNodeAffinity().Match)."""
    spec = pod.get("spec") or {}
    labels = (node.get("metadata") or {}).get("labels") or {}
    for k, v in (spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = required.get("nodeSelectorTerms")
    if terms is None:
        return True
    return match_node_selector_terms(terms, node)
