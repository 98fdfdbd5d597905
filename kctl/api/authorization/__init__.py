"""Authorization: what the API server would decide for a request (``kubectl auth can-i``).

Mirrors the kube-apiserver authorizer chain of a kubeadm cluster (``--authorization-mode=Node,RBAC``
behind the ``system:masters`` superuser authorizer) over the RBAC objects in the store:

- :mod:`.user`: ``user.Info``, the service-account username/group helpers
  (``k8s.io/apiserver/pkg/authentication/serviceaccount``) and the impersonation filter's
  identity (``--as`` / ``--as-group``);
- :mod:`.attributes`: ``authorizer.Attributes`` of a resource or non-resource request;
- :mod:`.rules`: rule matching (``pkg/apis/rbac/v1/evaluation_helpers.go``, ``RuleAllows``);
- :mod:`.aggregation`: ClusterRole ``aggregationRule`` (the clusterrole-aggregation controller);
- :mod:`.bootstrap`: the default ClusterRoles/ClusterRoleBindings every cluster has;
- :mod:`.policy`: the RBAC objects an evaluation reads (store objects over the defaults);
- :mod:`.resolver`: ``DefaultRuleResolver.VisitRulesFor`` / ``RulesFor`` / ``GetRoleReferenceRules``;
- :mod:`.authorizer`: ``RBACAuthorizer.Authorize`` and the union with the privileged-group
  authorizer; ``rules_for`` for SelfSubjectRulesReview;
- :mod:`.compact`: kubectl's ``util/rbac`` (BreakdownRule, CompactRules, the rule sort).

All modules are pure (no store, no I/O) except :func:`.policy.policy_from_api`, which reads an API server.
"""
