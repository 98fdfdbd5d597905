"""How kubectl prints rules: ``k8s.io/kubectl/pkg/util/rbac`` (``BreakdownRule``,
``CompactRules``, ``SortableRuleSlice``) and ``describe.CombineResourceGroup``, as
``kubectl auth can-i --list`` and ``kubectl describe role`` use them.

The sort key is the generated ``PolicyRule.String()`` (fields in protobuf order: verbs,
apiGroups, resources, resourceNames, nonResourceURLs, each ``%v``-formatted), so rules sort
by verbs first. Compacted "simple" rules merge their verbs in the order met, duplicates
kept; non-resource rules are never merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def _strings(rule: Mapping, key: str) -> list[str]:
    values = rule.get(key)
    return list(values) if isinstance(values, list) else []


def go_list(values: Iterable[str]) -> str:
    """Go's ``%v`` of a ``[]string``: ``[a b]`` (an empty string element prints as nothing)."""
    return "[" + " ".join(values) + "]"


def breakdown_rule(rule: Mapping) -> list[dict]:
    """``BreakdownRule``: one rule per (group, resource, verb[, resourceName]) and per
    (nonResourceURL, verb)."""
    out: list[dict] = []
    names = _strings(rule, "resourceNames")
    for group in _strings(rule, "apiGroups"):
        for resource in _strings(rule, "resources"):
            for verb in _strings(rule, "verbs"):
                if names:
                    out.extend({"apiGroups": [group], "resources": [resource], "verbs": [verb],
                                "resourceNames": [n]} for n in names)
                else:
                    out.append({"apiGroups": [group], "resources": [resource], "verbs": [verb]})
    for url in _strings(rule, "nonResourceURLs"):
        for verb in _strings(rule, "verbs"):
            out.append({"nonResourceURLs": [url], "verbs": [verb]})
    return out


def _simple_key(rule: Mapping) -> tuple | None:
    """``isSimpleResourceRule``: one group, one resource, at most one name, no URLs."""
    names = _strings(rule, "resourceNames")
    if len(names) > 1 or _strings(rule, "nonResourceURLs"):
        return None
    groups, resources = _strings(rule, "apiGroups"), _strings(rule, "resources")
    if len(groups) != 1 or len(resources) != 1:
        return None
    return (groups[0], resources[0], bool(names), names[0] if names else "")


def compact_rules(rules: Iterable[Mapping]) -> list[dict]:
    """``CompactRules``: simple rules of the same group/resource/name merge their verbs."""
    compacted: list[dict] = []
    simple: dict[tuple, dict] = {}
    for rule in rules:
        key = _simple_key(rule)
        if key is None:
            compacted.append(dict(rule))
        elif key in simple:
            simple[key]["verbs"] = simple[key]["verbs"] + _strings(rule, "verbs")
        else:
            simple[key] = {k: list(v) for k, v in rule.items()}
            simple[key].setdefault("verbs", [])
    compacted.extend(simple.values())
    return compacted


def policy_rule_string(rule: Mapping) -> str:
    """The generated ``(*PolicyRule).String()``."""
    return ("&PolicyRule{"
            f"Verbs:{go_list(_strings(rule, 'verbs'))},"
            f"APIGroups:{go_list(_strings(rule, 'apiGroups'))},"
            f"Resources:{go_list(_strings(rule, 'resources'))},"
            f"ResourceNames:{go_list(_strings(rule, 'resourceNames'))},"
            f"NonResourceURLs:{go_list(_strings(rule, 'nonResourceURLs'))},"
            "}")


def sort_rules(rules: list[dict]) -> list[dict]:
    """``sort.Stable(SortableRuleSlice(rules))`` (byte-wise, as ``strings.Compare``)."""
    return sorted(rules, key=lambda r: policy_rule_string(r).encode())


def combine_resource_group(resources: list[str], groups: list[str]) -> str:
    """``CombineResourceGroup``: ``pods``, ``deployments.apps``, ``deployments.apps/scale``."""
    if not resources:
        return ""
    resource, sep, sub = resources[0].partition("/")
    combined = resource
    if groups and groups[0]:
        combined += "." + groups[0]
    if sep:
        combined += "/" + sub
    return combined
