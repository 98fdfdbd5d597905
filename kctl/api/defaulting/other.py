"""Defaults of the smaller groups: autoscaling/v2, networking.k8s.io/v1, rbac, storage,
scheduling, discovery (pkg/apis/<group>/v1*/defaults.go)."""

from __future__ import annotations

import copy

#: pkg/apis/autoscaling/v2/defaults.go
HPA_SCALE_UP = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ],
}
#: No stabilizationWindowSeconds: the controller's --horizontal-pod-autoscaler-downscale-stabilization
#: (300 s) applies when it is unset.
HPA_SCALE_DOWN = {
    "selectPolicy": "Max",
    "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
}
HPA_DEFAULT_CPU_UTILIZATION = 80


def horizontal_pod_autoscaler(obj: dict) -> None:
    """minReplicas 1; no metrics -> CPU 80% utilization; a given behavior gets both rule sets,
    their unset fields from the defaults (GenerateHPAScaleUpRules/GenerateHPAScaleDownRules)."""
    spec = obj.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": HPA_DEFAULT_CPU_UTILIZATION}},
            }
        ]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        for key, rules in (("scaleUp", HPA_SCALE_UP), ("scaleDown", HPA_SCALE_DOWN)):
            given = behavior.get(key)
            if not isinstance(given, dict):
                behavior[key] = copy.deepcopy(rules)
                continue
            for field, value in rules.items():
                if given.get(field) is None:
                    given[field] = copy.deepcopy(value)


def network_policy(obj: dict) -> None:
    """SetDefaults_NetworkPolicy: port protocol TCP; policyTypes from the rules present."""
    spec = obj.setdefault("spec", {})
    for direction in ("ingress", "egress"):
        for rule in spec.get(direction) or []:
            for port in (rule or {}).get("ports") or []:
                if isinstance(port, dict) and not port.get("protocol"):
                    port["protocol"] = "TCP"
    if not spec.get("policyTypes"):
        types = ["Ingress"]
        if spec.get("egress"):
            types.append("Egress")
        spec["policyTypes"] = types


def role_binding(obj: dict) -> None:
    """SetDefaults_Subject: apiGroup for User/Group subjects."""
    for subject in obj.get("subjects") or []:
        if not isinstance(subject, dict) or subject.get("apiGroup"):
            continue
        if subject.get("kind") == "ServiceAccount":
            subject["apiGroup"] = ""
        elif subject.get("kind") in ("User", "Group"):
            subject["apiGroup"] = "rbac.authorization.k8s.io"
    ref = obj.get("roleRef")
    if isinstance(ref, dict) and not ref.get("apiGroup"):
        ref["apiGroup"] = "rbac.authorization.k8s.io"


def storage_class(obj: dict) -> None:
    obj.setdefault("reclaimPolicy", "Delete")
    obj.setdefault("volumeBindingMode", "Immediate")


def priority_class(obj: dict) -> None:
    obj.setdefault("preemptionPolicy", "PreemptLowerPriority")


def endpoint_slice(obj: dict) -> None:
    for port in obj.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("name", "")
            if not port.get("protocol"):
                port["protocol"] = "TCP"
