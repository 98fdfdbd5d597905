"""Does a PolicyRule allow a request? ``pkg/apis/rbac/v1/evaluation_helpers.go``
(``VerbMatches``, ``APIGroupMatches``, ``ResourceMatches``, ``ResourceNameMatches``,
``NonResourceURLMatches``) and ``RuleAllows`` of ``plugin/pkg/auth/authorizer/rbac/rbac.go``.

Rules are the API's dicts (``verbs``, ``apiGroups``, ``resources``, ``resourceNames``,
``nonResourceURLs``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kctl.api.authorization.attributes import Attributes

VERB_ALL = "*"
API_GROUP_ALL = "*"
RESOURCE_ALL = "*"
NON_RESOURCE_ALL = "*"


def _strings(rule: Mapping, key: str) -> list[str]:
    values = rule.get(key)
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def verb_matches(rule: Mapping, requested_verb: str) -> bool:
    """``VerbMatches``: ``*`` or the verb itself."""
    return any(v in (VERB_ALL, requested_verb) for v in _strings(rule, "verbs"))


def api_group_matches(rule: Mapping, requested_group: str) -> bool:
    """``APIGroupMatches``: ``*`` or the group itself (``""`` is the core group)."""
    return any(g in (API_GROUP_ALL, requested_group) for g in _strings(rule, "apiGroups"))


def resource_matches(rule: Mapping, combined_requested_resource: str, requested_subresource: str) -> bool:
    """``ResourceMatches``: ``*``, the exact ``resource[/subresource]``, or ``*/subresource``."""
    for r in _strings(rule, "resources"):
        if r in (RESOURCE_ALL, combined_requested_resource):
            return True
        if not requested_subresource:
            continue
        if len(r) == len(requested_subresource) + 2 and r.startswith("*/") and r.endswith(requested_subresource):
            return True
    return False


def resource_name_matches(rule: Mapping, requested_name: str) -> bool:
    """``ResourceNameMatches``: no resourceNames matches every name (and none); otherwise
    the name must be listed (so a list or create, which has no name, does not match)."""
    names = _strings(rule, "resourceNames")
    return not names or requested_name in names


def non_resource_url_matches(rule: Mapping, requested_url: str) -> bool:
    """``NonResourceURLMatches``: ``*``, the exact path, or a prefix ending in ``*``."""
    for u in _strings(rule, "nonResourceURLs"):
        if u in (NON_RESOURCE_ALL, requested_url):
            return True
        if u.endswith("*") and requested_url.startswith(u.rstrip("*")):
            return True
    return False


def rule_allows(attrs: Attributes, rule: Mapping) -> bool:
    """``RuleAllows``."""
    if attrs.resource_request:
        combined = attrs.resource + "/" + attrs.subresource if attrs.subresource else attrs.resource
        return (verb_matches(rule, attrs.verb) and api_group_matches(rule, attrs.api_group)
                and resource_matches(rule, combined, attrs.subresource)
                and resource_name_matches(rule, attrs.name))
    return verb_matches(rule, attrs.verb) and non_resource_url_matches(rule, attrs.path)


def rules_allow(attrs: Attributes, rules: Iterable[Mapping]) -> bool:
    """``RulesAllow``."""
    return any(rule_allows(attrs, r) for r in rules)
