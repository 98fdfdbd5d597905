from __future__ import annotations

from kctl.api.validation import validate
from tests.validation.conftest import messages


def pdb(**spec):
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web"},
        "spec": spec,
    }


def test_pdb():
    assert validate(pdb(minAvailable=2, selector={"matchLabels": {"app": "web"}})) == []
    assert validate(pdb(maxUnavailable="25%", selector={"matchLabels": {"app": "web"}})) == []
    assert messages(validate(pdb(minAvailable=1, maxUnavailable=1))) == [
        'spec: Invalid value: {"MinAvailable":1,"Selector":null,"MaxUnavailable":1,"UnhealthyPodEvictionPolicy":null}: '
        "minAvailable and maxUnavailable cannot be both set"
    ]
    assert messages(validate(pdb(minAvailable="120%", unhealthyPodEvictionPolicy="Never"))) == [
        'spec.minAvailable: Invalid value: "120%": must not be greater than 100%',
        'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]
    assert messages(validate(pdb(maxUnavailable=-1))) == [
        "spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"
    ]


def rbac(kind, **fields):
    obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": "reader"}}
    obj.update(fields)
    return obj


def test_roles():
    rules = [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]
    assert validate(rbac("Role", rules=rules)) == []
    assert validate(rbac("ClusterRole", rules=[{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}])) == []
    bad = [{"resources": ["pods"]}, {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]
    assert messages(validate(rbac("Role", rules=bad))) == [
        "rules[0].verbs: Required value: verbs must contain at least one value",
        "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
        'rules[1].nonResourceURLs: Invalid value: ["/metrics"]: namespaced rules cannot apply to non-resource URLs',
    ]
    assert messages(validate(rbac("Role", metadata={"name": "a/b"}))) == [
        "metadata.name: Invalid value: \"a/b\": may not contain '/'"
    ]


def test_bindings():
    ok = rbac(
        "RoleBinding",
        roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
        subjects=[{"kind": "ServiceAccount", "name": "web"}, {"kind": "User", "name": "jane"}],
    )
    assert validate(ok) == []
    bad = rbac(
        "RoleBinding",
        roleRef={"apiGroup": "rbac", "kind": "Group", "name": ""},
        subjects=[{"kind": "Robot", "name": "r"}],
    )
    assert messages(validate(bad)) == [
        'roleRef.apiGroup: Unsupported value: "rbac": supported values: "rbac.authorization.k8s.io"',
        'roleRef.kind: Unsupported value: "Group": supported values: "Role", "ClusterRole"',
        "roleRef.name: Required value",
        'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]
    crb = rbac(
        "ClusterRoleBinding",
        roleRef={"kind": "Role", "name": "reader"},
        subjects=[{"kind": "ServiceAccount", "name": "web"}],
    )
    assert messages(validate(crb)) == [
        'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
        "subjects[0].namespace: Required value",
    ]
