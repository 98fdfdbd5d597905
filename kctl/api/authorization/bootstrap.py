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
  ``system:serviceaccounts``;
- the user-facing roles ``admin``, ``edit`` and ``view`` (no bindings: grant them with a
  RoleBinding or ClusterRoleBinding). They are aggregated ClusterRoles, as upstream: ``view``
  gathers every ClusterRole labelled ``rbac.authorization.k8s.io/aggregate-to-view: "true"``
  (``system:aggregate-to-view`` and any of the user's), ``edit`` those labelled
  ``aggregate-to-edit`` (``system:aggregate-to-edit`` and ``view``), ``admin`` those labelled
  ``aggregate-to-admin`` (``edit`` and ``system:aggregate-to-admin``). The rules of the three
  ``system:aggregate-to-*`` roles are 1.34's, as rendered in
  ``bootstrappolicy/testdata/cluster-roles.yaml`` (lists sorted by the rule builder), with the
  ``resource.k8s.io`` rules that ``DynamicResourceAllocation`` (on by default since 1.34) adds.

kctl does not store these objects (``kctl get clusterroles`` lists only what was applied):
:mod:`kctl.api.authorization.policy` evaluates them under any stored object of the same name,
the way the API server's RBAC bootstrap hook leaves edited defaults alone.
"""

from __future__ import annotations

RBAC_GROUP = "rbac.authorization.k8s.io"
BOOTSTRAP_LABELS = {"kubernetes.io/bootstrapping": "rbac-defaults"}
AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate"
AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin"
AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit"
AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view"

# the verb sets of bootstrappolicy (``Read``, ``Write``, ``ReadWrite``), in the sorted order
# the rule builder stores them
READ = ("get", "list", "watch")
WRITE = ("create", "delete", "deletecollection", "patch", "update")
READ_WRITE = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


def _rule(verbs, groups=None, resources=None, urls=None) -> dict:
    rule: dict = {"verbs": list(verbs)}
    if groups is not None:
        rule["apiGroups"] = list(groups)
    if resources is not None:
        rule["resources"] = list(resources)
    if urls is not None:
        rule["nonResourceURLs"] = list(urls)
    return rule


def _meta(name: str, labels: dict | None = None) -> dict:
    """``addDefaultMetadata``: the bootstrapping label joins the role's own labels."""
    return {"name": name, "labels": {**BOOTSTRAP_LABELS, **(labels or {})},
            "annotations": {AUTOUPDATE_ANNOTATION: "true"}}


def _cluster_role(name: str, rules: list[dict], labels: dict | None = None) -> dict:
    return {"apiVersion": f"{RBAC_GROUP}/v1", "kind": "ClusterRole", "metadata": _meta(name, labels), "rules": rules}


def _aggregated_role(name: str, aggregate_label: str, labels: dict | None = None) -> dict:
    """An aggregated ClusterRole (``rules: null`` until the aggregation controller fills it)."""
    return {"apiVersion": f"{RBAC_GROUP}/v1", "kind": "ClusterRole", "metadata": _meta(name, labels),
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {aggregate_label: "true"}}]},
            "rules": None}


def _aggregate_to_admin_rules() -> list[dict]:
    """``system:aggregate-to-admin``: what ``admin`` has over ``edit``."""
    return [
        _rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
        _rule(READ_WRITE, [RBAC_GROUP], ["rolebindings", "roles"]),
    ]


def _aggregate_to_edit_rules() -> list[dict]:
    """``system:aggregate-to-edit``: what ``edit`` has over ``view`` (reads of the escalating
    resources, writes of the user-level ones; no ``/status``, quota, limits or endpoints)."""
    return [
        _rule(READ, [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
        _rule(["impersonate"], [""], ["serviceaccounts"]),
        _rule(WRITE, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
        _rule(["create"], [""], ["pods/eviction"]),
        _rule(WRITE, [""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                            "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
                            "services/proxy"]),
        _rule(["create"], [""], ["serviceaccounts/token"]),
        _rule(WRITE, ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                                "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"]),
        _rule(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
        _rule(WRITE, ["batch"], ["cronjobs", "jobs"]),
        _rule(WRITE, ["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                                      "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                                      "replicationcontrollers/scale"]),
        _rule(WRITE, ["policy"], ["poddisruptionbudgets"]),
        _rule(WRITE, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
        _rule(READ_WRITE, ["coordination.k8s.io"], ["leases"]),
        _rule(WRITE, ["resource.k8s.io"], ["resourceclaims", "resourceclaimtemplates"]),
    ]


def _aggregate_to_view_rules() -> list[dict]:
    """``system:aggregate-to-view``: reads of the non-escalating namespaced resources
    (not secrets, not the pods' exec/attach/portforward/proxy subresources)."""
    return [
        _rule(READ, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status",
                           "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                           "services", "services/status"]),
        _rule(READ, [""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                           "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
        _rule(READ, [""], ["namespaces"]),
        _rule(READ, ["discovery.k8s.io"], ["endpointslices"]),
        _rule(READ, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
                               "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
                               "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
        _rule(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
        _rule(READ, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
        _rule(READ, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                                     "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
                                     "replicasets", "replicasets/scale", "replicasets/status",
                                     "replicationcontrollers/scale"]),
        _rule(READ, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        _rule(READ, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
        _rule(READ, ["resource.k8s.io"], ["resourceclaims", "resourceclaims/status", "resourceclaimtemplates"]),
    ]


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
        _aggregated_role("admin", AGGREGATE_TO_ADMIN),
        _aggregated_role("edit", AGGREGATE_TO_EDIT, {AGGREGATE_TO_ADMIN: "true"}),
        _aggregated_role("view", AGGREGATE_TO_VIEW, {AGGREGATE_TO_EDIT: "true"}),
        _cluster_role("system:aggregate-to-admin", _aggregate_to_admin_rules(), {AGGREGATE_TO_ADMIN: "true"}),
        _cluster_role("system:aggregate-to-edit", _aggregate_to_edit_rules(), {AGGREGATE_TO_EDIT: "true"}),
        _cluster_role("system:aggregate-to-view", _aggregate_to_view_rules(), {AGGREGATE_TO_VIEW: "true"}),
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
