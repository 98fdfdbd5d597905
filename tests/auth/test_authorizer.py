"""The rule resolver and authorizer (rule.go VisitRulesFor/appliesTo, rbac.go Authorize),
aggregation, impersonated identities and kubectl's --list compaction, without a store."""

from __future__ import annotations

from kctl.api.authorization.attributes import non_resource_attributes, resource_attributes
from kctl.api.authorization.authorizer import authorize, rules_for
from kctl.api.authorization.compact import breakdown_rule, combine_resource_group, compact_rules, sort_rules
from kctl.api.authorization.policy import build_policy
from kctl.api.authorization.resolver import DefaultRuleResolver
from kctl.api.authorization.user import DEFAULT_USER, UserInfo, impersonate, split_username

RBAC = "rbac.authorization.k8s.io"


def role(name, rules, namespace=None, labels=None, aggregate=None):
    kind = "Role" if namespace else "ClusterRole"
    meta = {"name": name, **({"namespace": namespace} if namespace else {}), **({"labels": labels} if labels else {})}
    obj = {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": meta, "rules": rules}
    if aggregate is not None:
        obj["aggregationRule"] = {"clusterRoleSelectors": aggregate}
    return obj


def binding(name, ref_kind, ref_name, subjects, namespace=None):
    kind = "RoleBinding" if namespace else "ClusterRoleBinding"
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    subs = []
    for s in subjects:
        k, _, rest = s.partition(":")
        if k == "ServiceAccount":
            ns, _, n = rest.partition("/")
            subs.append({"kind": k, "name": n, **({"namespace": ns} if ns else {})})
        else:
            subs.append({"kind": k, "name": rest, "apiGroup": RBAC})
    return {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": meta,
            "roleRef": {"apiGroup": RBAC, "kind": ref_kind, "name": ref_name}, "subjects": subs}


def can(policy, user, verb, resource, namespace="", group="", subresource="", name=""):
    return authorize(policy, resource_attributes(user, verb, namespace=namespace, api_group=group, resource=resource,
                                                 subresource=subresource, name=name))


READ_PODS = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}


def test_role_binding_to_cluster_role_is_scoped_to_its_namespace():
    policy = build_policy(cluster_roles=[role("reader", [READ_PODS])],
                          role_bindings=[binding("rb", "ClusterRole", "reader", ["User:alice"], namespace="ns1")])
    alice = impersonate("alice")
    assert can(policy, alice, "get", "pods", "ns1").allowed
    assert not can(policy, alice, "get", "pods", "ns2").allowed
    assert not can(policy, alice, "get", "pods", "").allowed  # cluster-wide: RoleBindings do not count


def test_cluster_role_binding_applies_everywhere_and_cluster_wide():
    policy = build_policy(cluster_roles=[role("reader", [READ_PODS])],
                          cluster_role_bindings=[binding("crb", "ClusterRole", "reader", ["Group:readers"])])
    user = impersonate("bob", ["readers"])
    assert can(policy, user, "list", "pods", "any").allowed
    assert can(policy, user, "list", "pods", "").allowed
    assert not can(policy, user, "delete", "pods", "any").allowed
    assert not can(policy, impersonate("bob"), "list", "pods", "any").allowed


def test_service_account_subjects_and_groups():
    sa = impersonate("system:serviceaccount:dev:ci")
    assert sa.groups == ("system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated")
    policy = build_policy(
        roles=[role("r", [READ_PODS], namespace="dev")],
        role_bindings=[
            # a ServiceAccount subject without a namespace means the binding's namespace
            binding("by-sa", "Role", "r", ["ServiceAccount:/ci"], namespace="dev"),
        ],
        cluster_roles=[role("cm", [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}])],
        cluster_role_bindings=[binding("all-sa-in-dev", "ClusterRole", "cm", ["Group:system:serviceaccounts:dev"])],
    )
    assert can(policy, sa, "get", "pods", "dev").allowed
    assert not can(policy, impersonate("system:serviceaccount:prod:ci"), "get", "pods", "dev").allowed
    assert can(policy, sa, "get", "configmaps", "anywhere").allowed
    assert not can(policy, impersonate("system:serviceaccount:prod:ci"), "get", "configmaps", "x").allowed
    # explicit groups are the authority: the SA groups are not added
    assert impersonate("system:serviceaccount:dev:ci", ["g"]).groups == ("g", "system:authenticated")


def test_impersonated_groups():
    assert impersonate("alice").groups == ("system:authenticated",)
    assert impersonate("alice", ["system:unauthenticated"]).groups == ("system:unauthenticated",)
    assert impersonate("system:anonymous").groups == ("system:unauthenticated",)
    assert split_username("system:serviceaccount:dev:ci") == ("dev", "ci")
    assert split_username("system:serviceaccount:dev") is None
    assert split_username("system:serviceaccount:Dev:ci") is None  # not a DNS label


def test_system_masters_is_a_superuser_and_authenticated_users_get_discovery():
    policy = build_policy()
    assert can(policy, DEFAULT_USER, "frobnicate", "anything", "ns").allowed
    alice = impersonate("alice")
    assert not can(policy, alice, "get", "pods", "default").allowed
    assert can(policy, alice, "create", "selfsubjectaccessreviews", group="authorization.k8s.io").allowed
    assert authorize(policy, non_resource_attributes(alice, "get", "/apis/apps/v1")).allowed
    assert not authorize(policy, non_resource_attributes(alice, "get", "/metrics")).allowed
    anonymous = impersonate("system:anonymous")
    assert authorize(policy, non_resource_attributes(anonymous, "get", "/healthz")).allowed
    assert not authorize(policy, non_resource_attributes(anonymous, "get", "/api")).allowed


def test_missing_roles_are_the_reason_of_a_denial():
    policy = build_policy(
        role_bindings=[binding("rb", "Role", "gone", ["User:alice"], namespace="ns")],
        cluster_role_bindings=[binding("crb", "ClusterRole", "missing", ["User:alice"])], defaults=False)
    decision = can(policy, UserInfo("alice"), "get", "pods", "ns")
    assert not decision.allowed
    assert decision.reason == ('RBAC: [clusterrole.rbac.authorization.k8s.io "missing" not found, '
                               'role.rbac.authorization.k8s.io "gone" not found]')
    assert can(policy, UserInfo("alice"), "get", "pods", "").reason == (
        'RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found')


def test_allow_reason_names_the_binding():
    policy = build_policy(roles=[role("r", [READ_PODS], namespace="dev")],
                          role_bindings=[binding("rb", "Role", "r", ["ServiceAccount:/ci"], namespace="dev")],
                          defaults=False)
    from kctl.api.authorization.authorizer import RBACAuthorizer

    decision = RBACAuthorizer(policy).authorize(
        resource_attributes(impersonate("system:serviceaccount:dev:ci"), "get", namespace="dev", resource="pods"))
    assert decision.reason == 'RBAC: allowed by RoleBinding "rb/dev" of Role "r" to ServiceAccount "ci/dev"'


def test_aggregation_collects_selected_roles_in_name_order_without_duplicates():
    monitoring = {"apiGroups": ["monitoring.coreos.com"], "resources": ["prometheuses"], "verbs": ["get"]}
    policy = build_policy(cluster_roles=[
        role("monitoring", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["*"]}],
             aggregate=[{"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}}]),
        role("b-extra", [READ_PODS, monitoring], labels={"rbac.example.com/aggregate-to-monitoring": "true"}),
        role("a-extra", [monitoring], labels={"rbac.example.com/aggregate-to-monitoring": "true"}),
        role("unlabelled", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]),
        # a nested aggregated role contributes what it aggregates
        role("nested", [], labels={"rbac.example.com/aggregate-to-monitoring": "true"},
             aggregate=[{"matchLabels": {"leaf": "true"}}]),
        role("leaf", [{"apiGroups": [""], "resources": ["events"], "verbs": ["list"]}], labels={"leaf": "true"}),
    ], defaults=False)
    resolver = DefaultRuleResolver(policy)
    rules = resolver.cluster_role_rules(policy.get_cluster_role("monitoring"))
    assert rules == [monitoring, READ_PODS, {"apiGroups": [""], "resources": ["events"], "verbs": ["list"]}]


def test_aggregation_cycle_terminates():
    policy = build_policy(cluster_roles=[
        role("a", [], labels={"x": "a"}, aggregate=[{"matchLabels": {"x": "b"}}]),
        role("b", [], labels={"x": "b"}, aggregate=[{"matchLabels": {"x": "a"}}]),
    ], defaults=False)
    assert DefaultRuleResolver(policy).cluster_role_rules(policy.get_cluster_role("a")) == []


def test_rules_for_splits_resource_and_non_resource_rules():
    status = rules_for(build_policy(), DEFAULT_USER, "default")
    assert status.resource_rules[0] == {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "resourceNames": []}
    assert status.non_resource_rules[0] == {"verbs": ["*"], "nonResourceURLs": ["*"]}
    assert status.evaluation_error == ""


def test_kubectl_compaction_and_sort():
    rules = [{"apiGroups": ["", "apps"], "resources": ["pods"], "verbs": ["get", "list"]},
             {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
             {"nonResourceURLs": ["/b", "/a"], "verbs": ["get"]}]
    broken = [r for rule in rules for r in breakdown_rule(rule)]
    assert len(broken) == 7
    out = sort_rules(compact_rules(broken))
    # merged verbs keep duplicates, in the order met; rules sort by their verbs first
    assert [(r.get("resources"), r.get("apiGroups"), r.get("nonResourceURLs"), r["verbs"]) for r in out] == [
        (["pods"], [""], None, ["get", "list", "get"]),  # "[get list get]" < "[get list]"
        (["pods"], ["apps"], None, ["get", "list"]),
        (None, None, ["/a"], ["get"]),
        (None, None, ["/b"], ["get"]),
    ]
    assert combine_resource_group(["deployments/scale"], ["apps"]) == "deployments.apps/scale"
    assert combine_resource_group(["pods"], [""]) == "pods"
    assert combine_resource_group([], ["apps"]) == ""
