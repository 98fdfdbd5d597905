"""Which rules apply to a user in a namespace: ``DefaultRuleResolver`` of
``pkg/registry/rbac/validation/rule.go`` (``VisitRulesFor``, ``RulesFor``,
``GetRoleReferenceRules``, ``appliesTo``, ``appliesToUser``, the binding describers).

Every ClusterRoleBinding that applies to the user contributes its role's rules; in a
namespace (``namespace != ""``), so does every RoleBinding of that namespace, whose
ClusterRole reference grants the ClusterRole's rules in that namespace only. A binding whose
role does not exist contributes an error (``role.rbac.authorization.k8s.io "x" not found``)
and no rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kctl.api.authorization.aggregation import aggregated_rules, aggregation_selectors
from kctl.api.authorization.policy import Policy
from kctl.api.authorization.user import UserInfo, matches_username

#: visitor(source, rule, error) -> keep visiting?
Visitor = Callable[[str | None, dict | None, str | None], bool]


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string (ASCII subset: backslash and double quote escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list(obj: Mapping, key: str) -> list:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _dicts(values: list) -> list[dict]:
    return [v for v in values if isinstance(v, dict)]


def applies_to_user(user: UserInfo, subject: Mapping, namespace: str) -> bool:
    """``appliesToUser``: User by name, Group by membership, ServiceAccount by its username
    (the subject's namespace defaulting to the binding's)."""
    kind, name = subject.get("kind"), subject.get("name") or ""
    if kind == "User":
        return user.name == name
    if kind == "Group":
        return name in user.groups
    if kind == "ServiceAccount":
        sa_namespace = subject.get("namespace") or namespace
        if not sa_namespace:
            return False
        return matches_username(sa_namespace, name, user.name)
    return False


def applies_to(user: UserInfo, subjects: list, namespace: str) -> int | None:
    """``appliesTo``: the index of the first subject that applies, or None."""
    for i, subject in enumerate(subjects):
        if isinstance(subject, dict) and applies_to_user(user, subject, namespace):
            return i
    return None


def describe_subject(subject: Mapping, binding_namespace: str) -> str:
    """``describeSubject``: ``ServiceAccount "name/ns"``, ``User "alice"``."""
    kind, name = subject.get("kind") or "", subject.get("name") or ""
    if kind == "ServiceAccount":
        return f"{kind} {go_quote(name + '/' + (subject.get('namespace') or binding_namespace))}"
    return f"{kind} {go_quote(name)}"


def describe_binding(binding: Mapping, subject: Mapping) -> str:
    """``clusterRoleBindingDescriber`` / ``roleBindingDescriber``: the source of an allow."""
    meta = binding.get("metadata") or {}
    ref = binding.get("roleRef") or {}
    name, namespace = meta.get("name") or "", meta.get("namespace") or ""
    kind = "RoleBinding" if binding.get("kind") == "RoleBinding" else "ClusterRoleBinding"
    shown = f"{name}/{namespace}" if kind == "RoleBinding" else name
    return (f"{kind} {go_quote(shown)} of {ref.get('kind') or ''} {go_quote(ref.get('name') or '')} "
            f"to {describe_subject(subject, namespace)}")


class DefaultRuleResolver:
    """``DefaultRuleResolver`` over a :class:`Policy`."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self._cluster_role_rules: dict[str, list[dict]] = {}

    # -- roles --------------------------------------------------------------------------------

    def cluster_role_rules(self, cluster_role: Mapping, _visiting: frozenset = frozenset()) -> list[dict]:
        """A ClusterRole's rules: its ``rules``, or the aggregated rules of an ``aggregationRule``."""
        name = (cluster_role.get("metadata") or {}).get("name") or ""
        if aggregation_selectors(cluster_role) is None:
            return _dicts(_list(cluster_role, "rules"))
        cached = self._cluster_role_rules.get(name)
        if cached is not None:
            return cached
        visiting = _visiting | {name}

        def effective(other: Mapping) -> list[dict]:
            other_name = (other.get("metadata") or {}).get("name") or ""
            if other_name in visiting:  # a cycle: what the other role holds before aggregation
                return _dicts(_list(other, "rules")) if aggregation_selectors(other) is None else []
            return self.cluster_role_rules(other, visiting)

        rules = aggregated_rules(cluster_role, self.policy.cluster_roles, effective)
        if not _visiting:
            self._cluster_role_rules[name] = rules
        return rules

    def get_role_reference_rules(self, role_ref: Mapping, binding_namespace: str) -> tuple[list[dict], str | None]:
        """``GetRoleReferenceRules``: (rules, error message)."""
        kind, name = role_ref.get("kind"), role_ref.get("name") or ""
        if kind == "Role":
            role = self.policy.get_role(binding_namespace, name)
            if role is None:
                return [], f"role.rbac.authorization.k8s.io {go_quote(name)} not found"
            return _dicts(_list(role, "rules")), None
        if kind == "ClusterRole":
            cluster_role = self.policy.get_cluster_role(name)
            if cluster_role is None:
                return [], f"clusterrole.rbac.authorization.k8s.io {go_quote(name)} not found"
            return self.cluster_role_rules(cluster_role), None
        return [], f"unsupported role reference kind: {go_quote(str(kind or ''))}"

    # -- visiting -----------------------------------------------------------------------------

    def _visit_bindings(self, user: UserInfo, bindings: list[dict], namespace: str, visitor: Visitor) -> bool:
        for binding in bindings:
            subjects = _list(binding, "subjects")
            index = applies_to(user, subjects, namespace)
            if index is None:
                continue
            rules, error = self.get_role_reference_rules(binding.get("roleRef") or {}, namespace)
            if error is not None:
                if not visitor(None, None, error):
                    return False
                continue
            source = describe_binding(binding, subjects[index])
            for rule in rules:
                if not visitor(source, rule, None):
                    return False
        return True

    def visit_rules_for(self, user: UserInfo, namespace: str, visitor: Visitor) -> None:
        """``VisitRulesFor``: ClusterRoleBindings first, then the namespace's RoleBindings;
        stops as soon as ``visitor`` returns False."""
        if not self._visit_bindings(user, self.policy.list_cluster_role_bindings(), "", visitor):
            return
        if namespace:
            self._visit_bindings(user, self.policy.list_role_bindings(namespace), namespace, visitor)

    def rules_for(self, user: UserInfo, namespace: str) -> tuple[list[dict], list[str]]:
        """``RulesFor``: every rule that applies, and the resolution errors met."""
        rules: list[dict] = []
        errors: list[str] = []

        def accumulate(_source, rule, error) -> bool:
            if rule is not None:
                rules.append(rule)
            if error is not None:
                errors.append(error)
            return True

        self.visit_rules_for(user, namespace, accumulate)
        return rules, errors
