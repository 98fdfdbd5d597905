"""Golden outputs: what the API server stores (and ``get -o json`` shows) for typical manifests.

Regenerate after an intended change with ``KCTL_UPDATE_GOLDEN=1 pytest tests/apiserver``
and review the diff against upstream behaviour.
"""

import json
import os
from pathlib import Path

import pytest

from kctl.api.defaulting import apply_defaults
from kctl.api.defaulting.core import image_pull_policy

GOLDEN = Path(__file__).parent / "golden"

_TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]},
}

INPUTS = {
    "pod": {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx",
                    "ports": [{"containerPort": 80, "name": "http"}],
                    "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
                    "readinessProbe": {"httpGet": {"port": 80}},
                    "livenessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5},
                    "env": [{"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
                    "volumeMounts": [{"name": "cfg", "mountPath": "/cfg"}, {"name": "scratch", "mountPath": "/tmp"}],
                }
            ],
            "volumes": [{"name": "cfg", "configMap": {"name": "cfg"}}, {"name": "scratch"}],
        },
    },
    "deployment": {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": _TEMPLATE},
    },
    "statefulset": {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "web"}},
            "template": _TEMPLATE,
            "volumeClaimTemplates": [
                {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
            ],
        },
    },
    "daemonset": {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": _TEMPLATE},
    },
    "job": {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "pi"},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34.0"}]}}},
    },
    "cronjob": {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "hello"},
        "spec": {
            "schedule": "*/5 * * * *",
            "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox:1.36"}]}}}},
        },
    },
    "service": {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"name": "web", "port": 80}, {"name": "alt", "port": 8080, "targetPort": "http"}]},
    },
    "hpa": {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 5,
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}},
        },
    },
    "namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}},
    "secret": {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}, "stringData": {"user": "admin"}},
    "networkpolicy": {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "deny"},
        "spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]},
    },
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_created_object_matches_golden(api, name):
    out = api.create(INPUTS[name])
    text = json.dumps(out, indent=2, sort_keys=True) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("KCTL_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


@pytest.mark.parametrize(
    "image,policy",
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("registry:5000/team/app", "Always"),
        ("registry:5000/team/app:v2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
    ],
)
def test_image_pull_policy(image, policy):
    assert image_pull_policy(image) == policy


def test_explicit_values_are_kept():
    d = apply_defaults(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "spec": {"replicas": 0, "strategy": {"type": "Recreate"}, "revisionHistoryLimit": 2},
        }
    )
    assert d["spec"]["replicas"] == 0
    assert d["spec"]["strategy"] == {"type": "Recreate"}
    assert d["spec"]["revisionHistoryLimit"] == 2


def test_templates_do_not_get_pod_only_defaults():
    d = apply_defaults(json.loads(json.dumps(INPUTS["deployment"])))
    spec = d["spec"]["template"]["spec"]
    assert "enableServiceLinks" not in spec
    assert d["spec"]["template"]["metadata"]["creationTimestamp"] is None


def test_service_defaults_by_type():
    ext = apply_defaults({"apiVersion": "v1", "kind": "Service", "spec": {"type": "ExternalName", "externalName": "x.example"}})
    assert "internalTrafficPolicy" not in ext["spec"] and "ipFamilies" not in ext["spec"]
    lb = apply_defaults({"apiVersion": "v1", "kind": "Service", "spec": {"type": "LoadBalancer", "ports": [{"port": 443}]}})
    assert lb["spec"]["allocateLoadBalancerNodePorts"] is True
    assert lb["spec"]["externalTrafficPolicy"] == "Cluster"
    sticky = apply_defaults({"apiVersion": "v1", "kind": "Service", "spec": {"sessionAffinity": "ClientIP"}})
    assert sticky["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_unknown_kinds_untouched():
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}}
    assert apply_defaults(dict(obj)) == obj


def test_pod_admission_keeps_existing_tolerations(api):
    pod = json.loads(json.dumps(INPUTS["pod"]))
    pod["spec"]["tolerations"] = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5}]
    out = api.create(pod)
    assert out["spec"]["tolerations"] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    ]


def test_priority_class_admission(api):
    from kctl.api.errors import StatusError

    pod = json.loads(json.dumps(INPUTS["pod"]))
    pod["spec"]["priorityClassName"] = "system-node-critical"
    assert api.create(pod)["spec"]["priority"] == 2000001000
    api.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"}, "value": 1000})
    pod["metadata"]["name"] = "web2"
    pod["spec"]["priorityClassName"] = "high"
    assert api.create(pod)["spec"]["priority"] == 1000
    pod["metadata"]["name"] = "web3"
    pod["spec"]["priorityClassName"] = "nope"
    with pytest.raises(StatusError) as e:
        api.create(pod)
    assert e.value.render() == 'Error from server (Forbidden): pods "web3" is forbidden: no PriorityClass with name nope was found'


def test_no_token_volume_when_automount_is_off(api):
    pod = json.loads(json.dumps(INPUTS["pod"]))
    pod["spec"]["automountServiceAccountToken"] = False
    out = api.create(pod)
    assert not any(v["name"].startswith("kube-api-access-") for v in out["spec"]["volumes"])
    assert out["spec"]["serviceAccountName"] == "default"
