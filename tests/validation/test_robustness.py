"""Odd shapes never raise; nodes and PVCs; realistic manifests validate clean."""

from __future__ import annotations

import copy
import random

from kctl.api.validation import validate, validate_update, validator_for
from kctl.api.validation.update import validate_immutable
from tests.validation.conftest import DEPLOYMENT, messages

ODD_VALUES = [None, 0, -1, 1.5, "", "x", True, [], {}, [None], {"a": None}, [[1]], {"x": {"y": []}}]


def _mutations(obj, rng, depth=0):
    """Replace random nodes of a manifest with values of the wrong type."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            out[k] = rng.choice(ODD_VALUES) if rng.random() < 0.15 else _mutations(v, rng, depth + 1)
        return out
    if isinstance(obj, list):
        return [rng.choice(ODD_VALUES) if rng.random() < 0.15 else _mutations(v, rng, depth + 1) for v in obj]
    return obj


def test_wrongly_typed_values_never_raise():
    rng = random.Random(1234)
    kinds = [("apps/v1", k) for k in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")] + [
        ("v1", "Pod"),
        ("batch/v1", "Job"),
        ("v1", "Service"),
        ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ]
    for _ in range(300):
        api_version, kind = rng.choice(kinds)
        obj = copy.deepcopy(DEPLOYMENT)
        obj["apiVersion"], obj["kind"] = api_version, kind
        mutated = _mutations(obj, rng)
        mutated["apiVersion"], mutated["kind"] = api_version, kind
        # call the kind's validator directly: validate() would hide an exception behind its fallback
        validator_for(api_version, kind)(mutated)
        validate_immutable(mutated, obj)
        validate_update(mutated, obj)


def test_top_level_oddities():
    assert messages(validate({})) == ["metadata.name: Required value: name or generateName is required"]
    assert validate([]) == []
    assert validate({"apiVersion": "v1", "kind": "Pod", "metadata": None, "spec": "x"}) != []
    for kind in (
        "Secret",
        "ConfigMap",
        "Ingress",
        "NetworkPolicy",
        "CronJob",
        "Node",
        "Namespace",
        "Role",
        "PodDisruptionBudget",
    ):
        obj = {
            "apiVersion": "v1",
            "kind": kind,
            "metadata": {"name": "a"},
            "data": "x",
            "spec": [],
            "rules": "x",
        }
        for api_version in (
            "v1",
            "networking.k8s.io/v1",
            "batch/v1",
            "rbac.authorization.k8s.io/v1",
            "policy/v1",
        ):
            validator_for(api_version, kind)(dict(obj, apiVersion=api_version))


def test_node():
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"},
            "spec": {"podCIDR": "10.244.1.0/24", "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}}  # fmt: skip
    assert validate(node) == []
    node["spec"] = {
        "podCIDR": "10.244.1.0",
        "taints": [{"key": "a", "effect": "Sometimes"}, {"key": "b", "effect": ""}],
    }
    assert messages(validate(node)) == [
        'spec.podCIDRs[0]: Invalid value: "10.244.1.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        "spec.taints[1].effect: Required value",
    ]
    node["spec"] = {"podCIDRs": ["10.244.1.0/24", "10.244.2.0/24"]}
    assert messages(validate(node)) == [
        'spec.podCIDRs: Invalid value: ["10.244.1.0/24","10.244.2.0/24"]: may specify no more than one CIDR for each IP family'
    ]
    node["spec"] = {"taints": [{"key": "a", "effect": "NoSchedule"}, {"key": "a", "effect": "NoSchedule"}]}
    assert messages(validate(node)) == [
        'spec.taints[1]: Duplicate value: {"Key":"a","Value":"","Effect":"NoSchedule","TimeAdded":null}: '
        "taints must be unique by key and effect pair"
    ]


def test_pvc():
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}}}  # fmt: skip
    assert validate(pvc) == []
    pvc["spec"] = {"accessModes": ["ReadWriteSometimes"], "resources": {"requests": {"storage": "0"}}}
    assert messages(validate(pvc)) == [
        'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", '
        '"ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ]
    pvc["spec"] = {}
    assert messages(validate(pvc)) == [
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value",
    ]


def test_duplicate_causes_are_reported_once():
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "a"},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "a"}, "maxReplicas": 2, "metrics": [{"type": "Custom"}]}}  # fmt: skip
    assert len(validate(hpa)) == 1
