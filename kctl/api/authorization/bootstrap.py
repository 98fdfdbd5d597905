"""The default RBAC policy every cluster starts with (``plugin/pkg/auth/authorizer/rbac/
bootstrappolicy``, ``ClusterRoles`` / ``ClusterRoleBindings``): the part that concerns users
and service accounts.

- ``cluster-admin`` (everything), bound to the ``system:masters`` group;
- ``system:basic-user`` (create SelfSubjectAccessReviews, SelfSubjectRulesReviews,
  SelfSubjectReviews) and ``system:discovery`` (GET the discovery and health URLs), bound to
  ``system:authenticated``;
- ``system:public-info-viewer`` (GET health and version URLs), bound to ``system:authenticated``
  and ``system:unauthenticated``;
- ``system:service-account-issuer-discovery`` (GET the OIDC discovery URLs), bound to
  ``system:serviceaccounts``.

kctl does not store these objects (``kctl get clusterroles`` lists only what was applied):
:mod:`kctl.api.authorization.policy` evaluates them under any stored object of the same name,
the way the API server's RBAC bootstrap hook leaves edited defaults alone.
"""

from __future__ import annotations

RBAC_GROUP = "rbac.authorization.k8s.io"
BOOTSTRAP_LABELS = {"kubernetes.io/bootstrapping": "rbac-defaults"}
AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate"


def _rule(verbs, groups=None, resources=None, urls=None) -> dict:
    rule: dict = {"verbs": list(verbs)}
    if groups is not None:
        rule["apiGroups"] = list(groups)
    if resources is not None:
        rule["resources"] = list(resources)
    if urls is not None:
        rule["nonResourceURLs"] = list(urls)
    return rule


def _meta(name: str) -> dict:
    return {"name": name, "labels": dict(BOOTSTRAP_LABELS), "annotations": {AUTOUPDATE_ANNOTATION: "true"}}


def _cluster_role(name: str, rules: list[dict]) -> dict:
    return {"apiVersion": f"{RBAC_GROUP}/v1", "kind": "ClusterRole", "metadata": _meta(name), "rules": rules}


def _binding(name: str, groups: tuple[str, ...]) -> dict:
    return {
        "apiVersion": f"{RBAC_GROUP}/v1", "kind": "ClusterRoleBinding", "metadata": _meta(name),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": name},
        "subjects": [{"apiGroup": RBAC_GROUP, "kind": "Group", "name": g} for g in groups],
    }


def cluster_roles() -> list[dict]:
    """The default ClusterRoles kctl evaluates (fresh dicts on every call)."""
    return [
        _cluster_role("cluster-admin", [_rule(["*"], ["*"], ["*"]), _rule(["*"], urls=["*"])]),
        _cluster_role("system:basic-user", [
            _rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            _rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]),
        _cluster_role("system:discovery", [_rule(["get"], urls=[
            "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz",
            "/version", "/version/",
        ])]),
        _cluster_role("system:public-info-viewer", [_rule(["get"], urls=[
            "/healthz", "/livez", "/readyz", "/version", "/version/",
        ])]),
        _cluster_role("system:service-account-issuer-discovery", [_rule(["get"], urls=[
            "/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks",
            "/openid/v1/jwks/",
        ])]),
    ]


def cluster_role_bindings() -> list[dict]:
    """The default ClusterRoleBindings kctl evaluates (fresh dicts on every call)."""
    return [
        _binding("cluster-admin", ("system:masters",)),
        _binding("system:basic-user", ("system:authenticated",)),
        _binding("system:discovery", ("system:authenticated",)),
        _binding("system:public-info-viewer", ("system:authenticated", "system:unauthenticated")),
        _binding("system:service-account-issuer-discovery", ("system:serviceaccounts",)),
    ]
