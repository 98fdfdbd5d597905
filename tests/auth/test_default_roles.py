"""The user-facing default ClusterRoles ``view``, ``edit`` and ``admin`` (1.34's bootstrap
policy, aggregated from ``system:aggregate-to-*`` and any ClusterRole carrying an
``rbac.authorization.k8s.io/aggregate-to-*`` label), through ``kctl auth can-i`` on a cluster
where they were never applied, plus unit checks of the aggregated rules."""

from __future__ import annotations

import pytest

from kctl.api.authorization import bootstrap
from kctl.api.authorization.policy import build_policy
from kctl.api.authorization.resolver import DefaultRuleResolver
from tests.auth.conftest import golden
from tests.scenarios.conftest import Kctl, new_cluster

RBAC = "rbac.authorization.k8s.io"

MANIFESTS = """\
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: vera-views, namespace: team-a}
subjects:
- {kind: User, name: vera, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ed-edits, namespace: team-a}
subjects:
- {kind: User, name: ed, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ada-admins, namespace: team-a}
subjects:
- {kind: User, name: ada, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
"""

#: extends view (and so edit and admin, which aggregate view)
RBAC_READER = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: rbac-reader
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, list, watch]
"""


@pytest.fixture(scope="module")
def k(tmp_path_factory) -> Kctl:
    kctl = new_cluster(tmp_path_factory.mktemp("default-roles"))
    kctl.apply(MANIFESTS, "-q")
    return kctl


VIEW = ("-n", "team-a", "--as=vera")
EDIT = ("-n", "team-a", "--as=ed")
ADMIN = ("-n", "team-a", "--as=ada")


@pytest.mark.parametrize(("args", "expected"), [
    # view: reads of non-escalating resources
    (("get", "pods", *VIEW), "yes"),
    (("list", "pods", *VIEW), "yes"),
    (("get", "pods", "--subresource=log", *VIEW), "yes"),
    (("get", "deployments.apps", *VIEW), "yes"),
    (("get", "deployments", "--subresource=scale", *VIEW), "yes"),
    (("watch", "endpointslices.discovery.k8s.io", *VIEW), "yes"),
    (("get", "namespaces/team-a", *VIEW), "yes"),
    (("get", "secrets", *VIEW), "no"),
    (("get", "pods", "--subresource=exec", *VIEW), "no"),
    (("create", "deployments", *VIEW), "no"),
    (("delete", "pods", *VIEW), "no"),
    (("get", "pods", "-n", "team-b", "--as=vera"), "no"),
    (("get", "pods", "-A", "--as=vera"), "no"),
    (("list", "roles", *VIEW), "no"),
    # edit: view plus writes of workloads, secrets, ...; no roles or bindings
    (("create", "deployments", *EDIT), "yes"),
    (("update", "deployments.apps", "--subresource=scale", *EDIT), "yes"),
    (("get", "secrets", *EDIT), "yes"),
    (("create", "secrets", *EDIT), "yes"),
    (("create", "pods", "--subresource=exec", *EDIT), "yes"),
    (("create", "serviceaccounts", "--subresource=token", *EDIT), "yes"),
    (("impersonate", "serviceaccounts", *EDIT), "yes"),
    (("delete", "leases.coordination.k8s.io", *EDIT), "yes"),
    (("get", "pods", *EDIT), "yes"),
    (("list", "roles", *EDIT), "no"),
    (("create", "roles", *EDIT), "no"),
    (("create", "rolebindings", *EDIT), "no"),
    (("update", "pods", "--subresource=status", *EDIT), "no"),
    (("create", "resourcequotas", *EDIT), "no"),
    (("create", "endpoints", *EDIT), "no"),
    (("create", "deployments", "-n", "team-b", "--as=ed"), "no"),
    # admin: edit plus roles/rolebindings and localsubjectaccessreviews, in its namespace only
    (("create", "rolebindings", *ADMIN), "yes"),
    (("delete", "roles", *ADMIN), "yes"),
    (("create", "localsubjectaccessreviews.authorization.k8s.io", *ADMIN), "yes"),
    (("create", "deployments", *ADMIN), "yes"),
    (("get", "secrets", *ADMIN), "yes"),
    (("create", "rolebindings", "-n", "team-b", "--as=ada"), "no"),
    (("create", "rolebindings", "-A", "--as=ada"), "no"),
    (("create", "clusterroles", *ADMIN), "no"),
    (("delete", "namespaces/team-a", *ADMIN), "no"),
    (("create", "resourcequotas", *ADMIN), "no"),
])
def test_answers(k, args, expected):
    r = k("auth", "can-i", *args)
    assert r.out == expected + "\n"
    assert r.code == (0 if expected == "yes" else 1)


def test_list_for_a_user_bound_to_view(k):
    """kubectl's table for a user bound to view by a RoleBinding: the defaults every
    authenticated user has, then view's rules in its namespace (compacted and sorted)."""
    golden("list_view_team_a.txt", k.ok("auth", "can-i", "--list", *VIEW))
    outside = k.ok("auth", "can-i", "--list", "-n", "team-b", "--as=vera")
    assert "pods " not in outside and "selfsubjectrulesreviews" in outside


def test_an_aggregate_to_view_cluster_role_extends_view_edit_and_admin(tmp_path):
    kctl = new_cluster(tmp_path)
    kctl.apply(MANIFESTS, "-q")
    for user in ("vera", "ed"):  # admin reads roles anyway (system:aggregate-to-admin)
        assert kctl("auth", "can-i", "list", "roles", "-n", "team-a", f"--as={user}").out == "no\n"
    kctl.apply(RBAC_READER, "-q")
    for user in ("vera", "ed", "ada"):
        r = kctl("auth", "can-i", "list", "roles", "-n", "team-a", f"--as={user}")
        assert (r.out, r.code) == ("yes\n", 0)
    assert kctl("auth", "can-i", "list", "roles", "-n", "team-b", "--as=vera").out == "no\n"
    assert kctl("auth", "can-i", "create", "roles", "-n", "team-a", "--as=vera").out == "no\n"
    listing = kctl.ok("auth", "can-i", "--list", *VIEW).splitlines()
    assert [line.split()[0] for line in listing if line.startswith("ro")] == [
        "rolebindings.rbac.authorization.k8s.io", "roles.rbac.authorization.k8s.io"]


def test_a_stored_object_replaces_a_default_role(tmp_path):
    kctl = new_cluster(tmp_path)
    kctl.apply(MANIFESTS, "-q")
    kctl.apply("""\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: view}
        rules:
        - apiGroups: [""]
          resources: [configmaps]
          verbs: [get]
        """, "-q")
    assert kctl("auth", "can-i", "get", "configmaps", *VIEW).out == "yes\n"
    assert kctl("auth", "can-i", "get", "pods", *VIEW).out == "no\n"
    assert kctl("auth", "can-i", "list", "roles", *VIEW).out == "no\n"  # no aggregationRule any more
    # the stored view lacks the aggregate-to-edit label: edit keeps system:aggregate-to-edit's rules only
    assert kctl("auth", "can-i", "get", "pods", *EDIT).out == "no\n"
    assert kctl("auth", "can-i", "create", "pods", *EDIT).out == "yes\n"


# -- the aggregated rules, without a store ---------------------------------------------------------


def _rules(policy, name):
    return DefaultRuleResolver(policy).cluster_role_rules(policy.get_cluster_role(name))


def test_aggregation_order_and_sizes():
    """Each aggregated role takes its selected roles in name order: edit = system:aggregate-to-edit
    then view; admin = edit then system:aggregate-to-admin (as on a 1.34 cluster)."""
    policy = build_policy()
    to_view = [r for r in bootstrap.cluster_roles() if r["metadata"]["name"] == "system:aggregate-to-view"][0]
    to_edit = [r for r in bootstrap.cluster_roles() if r["metadata"]["name"] == "system:aggregate-to-edit"][0]
    to_admin = [r for r in bootstrap.cluster_roles() if r["metadata"]["name"] == "system:aggregate-to-admin"][0]
    assert _rules(policy, "view") == to_view["rules"]
    assert _rules(policy, "edit") == to_edit["rules"] + to_view["rules"]
    assert _rules(policy, "admin") == to_edit["rules"] + to_view["rules"] + to_admin["rules"]
    assert (len(_rules(policy, "view")), len(_rules(policy, "edit")), len(_rules(policy, "admin"))) == (11, 25, 27)


def test_default_role_metadata():
    roles = {r["metadata"]["name"]: r for r in bootstrap.cluster_roles()}
    assert roles["edit"]["metadata"]["labels"] == {"kubernetes.io/bootstrapping": "rbac-defaults",
                                                  f"{RBAC}/aggregate-to-admin": "true"}
    assert roles["view"]["aggregationRule"] == {
        "clusterRoleSelectors": [{"matchLabels": {f"{RBAC}/aggregate-to-view": "true"}}]}
    assert roles["admin"]["rules"] is None
    assert "secrets" not in {res for rule in roles["system:aggregate-to-view"]["rules"] for res in rule["resources"]}
    # no default binding grants them
    assert not [b for b in bootstrap.cluster_role_bindings()
                if b["roleRef"]["name"] in ("admin", "edit", "view") or "aggregate" in b["roleRef"]["name"]]


def test_a_user_role_with_an_aggregate_label_extends_view_edit_and_admin():
    extra = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole",
             "metadata": {"name": "crontab-reader", "labels": {f"{RBAC}/aggregate-to-view": "true"}},
             "rules": [{"apiGroups": ["stable.example.com"], "resources": ["crontabs"], "verbs": ["get"]}]}
    policy = build_policy(cluster_roles=[extra])
    rule = extra["rules"][0]
    assert _rules(policy, "view")[0] == rule  # "crontab-reader" sorts before "system:aggregate-to-view"
    assert rule in _rules(policy, "edit")
    assert rule in _rules(policy, "admin")
