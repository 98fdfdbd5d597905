"""Decisions: ``RBACAuthorizer`` (``plugin/pkg/auth/authorizer/rbac/rbac.go``: ``Authorize``,
``RulesFor``) behind the API server's superuser authorizer (``authorizerfactory.NewPrivilegedGroups
(system:masters)``, first in the chain kube-apiserver builds), joined as the union authorizer
joins them (``apiserver/pkg/authorization/union``).

``authorize`` answers a SubjectAccessReview: (allowed, reason). A denial's reason is empty,
or ``RBAC: <errors>`` when some binding's role could not be resolved (utilerrors' aggregate:
one message, or ``[m1, m2]``). ``rules_for`` answers a SelfSubjectRulesReview: the resource
and non-resource rules RBAC grants (the superuser authorizer resolves no rules, so a
``system:masters`` member lists what the ``cluster-admin`` binding grants).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kctl.api.authorization.attributes import Attributes
from kctl.api.authorization.policy import Policy
from kctl.api.authorization.resolver import DefaultRuleResolver
from kctl.api.authorization.rules import rule_allows
from kctl.api.authorization.user import SYSTEM_PRIVILEGED_GROUP, UserInfo

DECISION_ALLOW = "Allow"
DECISION_NO_OPINION = "NoOpinion"


def aggregate_error(messages: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: duplicates shown once, brackets for several."""
    if not messages:
        return ""
    if len(messages) == 1:
        return messages[0]
    seen: list[str] = []
    for m in messages:
        if m not in seen:
            seen.append(m)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


@dataclass
class Decision:
    decision: str
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.decision == DECISION_ALLOW


@dataclass
class SubjectRulesReviewStatus:
    """``SubjectRulesReviewStatus``: rules as PolicyRule dicts."""

    resource_rules: list[dict] = field(default_factory=list)
    non_resource_rules: list[dict] = field(default_factory=list)
    incomplete: bool = False
    evaluation_error: str = ""


class RBACAuthorizer:
    """``RBACAuthorizer`` over a policy."""

    def __init__(self, policy: Policy):
        self.resolver = DefaultRuleResolver(policy)

    def authorize(self, attrs: Attributes) -> Decision:
        """``Authorize``: allowed by the first rule that matches, else no opinion."""
        allowed: list[str] = []
        errors: list[str] = []

        def visit(source, rule, error) -> bool:
            if rule is not None and rule_allows(attrs, rule):
                allowed.append(f"RBAC: allowed by {source}")
                return False
            if error is not None:
                errors.append(error)
            return True

        self.resolver.visit_rules_for(attrs.user, attrs.namespace, visit)
        if allowed:
            return Decision(DECISION_ALLOW, allowed[0])
        return Decision(DECISION_NO_OPINION, f"RBAC: {aggregate_error(errors)}" if errors else "")

    def rules_for(self, user: UserInfo, namespace: str) -> SubjectRulesReviewStatus:
        """``RulesFor`` as the SelfSubjectRulesReview REST handler returns it."""
        rules, errors = self.resolver.rules_for(user, namespace)
        status = SubjectRulesReviewStatus(evaluation_error=aggregate_error(errors))
        for rule in rules:
            if rule.get("resources"):
                status.resource_rules.append({k: list(rule.get(k) or []) for k in
                                              ("verbs", "apiGroups", "resources", "resourceNames")})
            if rule.get("nonResourceURLs"):
                status.non_resource_rules.append({k: list(rule.get(k) or []) for k in ("verbs", "nonResourceURLs")})
        return status


def authorize(policy: Policy, attrs: Attributes) -> Decision:
    """The API server's chain: ``system:masters`` is allowed everything, then RBAC decides
    (the Node authorizer has no opinion on anyone but nodes, and kctl has no node identities)."""
    if SYSTEM_PRIVILEGED_GROUP in attrs.user.groups:
        return Decision(DECISION_ALLOW)
    return RBACAuthorizer(policy).authorize(attrs)


def rules_for(policy: Policy, user: UserInfo, namespace: str) -> SubjectRulesReviewStatus:
    """A SelfSubjectRulesReview's status (RBAC is the only rule resolver in the chain)."""
    return RBACAuthorizer(policy).rules_for(user, namespace)
