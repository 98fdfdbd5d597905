from __future__ import annotations

from kctl.api.validation import validate
from tests.validation.conftest import messages

REF = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}


def hpa(**spec):
    s = {"scaleTargetRef": REF, "minReplicas": 2, "maxReplicas": 10}
    s.update(spec)
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": s,
    }


def cpu(**target):
    t = {"type": "Utilization", "averageUtilization": 70}
    t.update(target)
    return {"type": "Resource", "resource": {"name": "cpu", "target": t}}


def test_valid_hpas():
    assert (
        validate(
            hpa(
                metrics=[
                    cpu(),
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "memory",
                            "target": {"type": "AverageValue", "averageValue": "500Mi"},
                        },
                    },
                ]
            )
        )
        == []
    )
    behavior = {
        "scaleDown": {
            "stabilizationWindowSeconds": 300,
            "policies": [{"type": "Percent", "value": 10, "periodSeconds": 60}],
        },
        "scaleUp": {"selectPolicy": "Max"},
    }
    assert validate(hpa(behavior=behavior)) == []
    v1 = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
          "spec": {"scaleTargetRef": REF, "maxReplicas": 5, "targetCPUUtilizationPercentage": 80}}  # fmt: skip
    assert validate(v1) == []


def test_replica_bounds():
    assert messages(validate(hpa(minReplicas=0))) == [
        "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"
    ]
    assert messages(validate(hpa(minReplicas=2, maxReplicas=1))) == [
        "spec.maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`"
    ]
    obj = hpa(maxReplicas=0)
    del obj["spec"]["minReplicas"]
    assert messages(validate(obj)) == [
        "spec.maxReplicas: Invalid value: 0: must be greater than 0",
        "spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`",
    ]


def test_scale_target_ref():
    assert messages(validate(hpa(scaleTargetRef={"apiVersion": "apps/v1", "name": "web/x"}))) == [
        "spec.scaleTargetRef.kind: Required value",
        "spec.scaleTargetRef.name: Invalid value: \"web/x\": may not contain '/'",
    ]


def test_metrics():
    assert messages(validate(hpa(metrics=[{"type": "Resource"}]))) == [
        "spec.metrics[0].resource: Required value: must populate information for the given metric source"
    ]
    assert messages(validate(hpa(metrics=[cpu(averageUtilization=0)]))) == [
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"
    ]
    assert messages(
        validate(hpa(metrics=[cpu(type="AverageValue", averageUtilization=None, averageValue="-1")]))
    ) == ['spec.metrics[0].resource.target.averageValue: Invalid value: "-1": must be positive']
    both = cpu(averageValue="100m")
    assert messages(validate(hpa(metrics=[both]))) == [
        "spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization"
    ]
    none = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization"}}}
    assert messages(validate(hpa(metrics=[none]))) == [
        "spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization"
    ]
    pods = {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {"type": "Value", "value": "0"}}}
    assert messages(validate(hpa(metrics=[pods]))) == [
        'spec.metrics[0].pods.target.value: Invalid value: "0": must be positive',
        "spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue",
    ]
    mixed = {
        "type": "Pods",
        "pods": {"metric": {"name": "rps"}, "target": {"type": "AverageValue", "averageValue": "10"}},
        "resource": {"name": "cpu"},
    }
    assert messages(validate(hpa(metrics=[mixed]))) == [
        "spec.metrics[0].resource: Forbidden: must populate the given metric source only"
    ]
    assert messages(validate(hpa(metrics=[{"type": "Custom"}]))) == [
        'spec.metrics[0].type: Unsupported value: "Custom": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'
    ]
    bad_type = cpu(type="Percent")
    assert messages(validate(hpa(metrics=[bad_type]))) == [
        'spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue'
    ]


def test_behavior():
    behavior = {
        "scaleUp": {"stabilizationWindowSeconds": 3601, "selectPolicy": "Fastest", "policies": []},
        "scaleDown": {
            "stabilizationWindowSeconds": -1,
            "policies": [{"type": "Nodes", "value": 0, "periodSeconds": 1801}],
        },
    }
    assert messages(validate(hpa(behavior=behavior))) == [
        "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600",
        'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Fastest": supported values: "Disabled", "Max", "Min"',
        "spec.behavior.scaleUp.policies: Required value: must specify at least one Policy",
        "spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero",
        'spec.behavior.scaleDown.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"',
        "spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero",
        "spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800",
    ]


def test_hpa_v1_paths_are_the_converted_ones():
    v1 = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
          "spec": {"scaleTargetRef": REF, "minReplicas": 0, "maxReplicas": 5, "targetCPUUtilizationPercentage": 0}}  # fmt: skip
    assert messages(validate(v1)) == [
        "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0",
    ]


def test_vpa():
    vpa = {
        "apiVersion": "autoscaling.k8s.io/v1",
        "kind": "VerticalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {
            "targetRef": REF,
            "updatePolicy": {"updateMode": "Recreate", "minReplicas": 2},
            "resourcePolicy": {
                "containerPolicies": [
                    {"containerName": "*", "minAllowed": {"cpu": "100m"}, "maxAllowed": {"cpu": "2"}}
                ]
            },
        },
    }
    assert validate(vpa) == []
    vpa["spec"]["updatePolicy"] = {"updateMode": "Sometimes", "minReplicas": 0}
    vpa["spec"]["resourcePolicy"]["containerPolicies"] = [
        {"containerName": "", "mode": "On", "minAllowed": {"cpu": "2"}, "maxAllowed": {"cpu": "1"}}
    ]
    del vpa["spec"]["targetRef"]
    assert messages(validate(vpa)) == [
        'spec.updatePolicy.updateMode: Invalid value: "Sometimes": unexpected UpdateMode value Sometimes',
        "spec.updatePolicy.minReplicas: Invalid value: 0: MinReplicas has to be positive, got 0",
        "spec.resourcePolicy.containerPolicies[0].containerName: Required value: ContainerPolicies.ContainerName is required",
        'spec.resourcePolicy.containerPolicies[0].mode: Invalid value: "On": unexpected Mode value On',
        'spec.resourcePolicy.containerPolicies[0].maxAllowed[cpu]: Invalid value: "1": max resource for cpu is lower than min',
        "spec.targetRef: Required value: TargetRef is required. If you're using v1beta1 version of the API, please migrate to v1",
    ]
