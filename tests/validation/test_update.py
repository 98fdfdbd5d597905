from __future__ import annotations

import copy

from kctl.api.validation import validate_update
from tests.validation.conftest import DEPLOYMENT, messages


def test_deployment_selector_is_immutable():
    old = copy.deepcopy(DEPLOYMENT)
    new = copy.deepcopy(DEPLOYMENT)
    new["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "frontend"}}
    assert messages(validate_update(new, old)) == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"frontend"}}: field is immutable'
    ]
    new = copy.deepcopy(DEPLOYMENT)
    new["spec"]["replicas"] = 5
    assert validate_update(new, old) == []


def test_selector_immutable_for_replica_sets_and_daemon_sets():
    for kind in ("ReplicaSet", "DaemonSet"):
        old = copy.deepcopy(DEPLOYMENT)
        old["kind"] = kind
        old["spec"].pop("strategy")
        new = copy.deepcopy(old)
        new["spec"]["selector"] = {"matchLabels": {"tier": "frontend"}}
        assert (
            'spec.selector: Invalid value: {"matchLabels":{"tier":"frontend"}}: field is immutable'
            in messages(validate_update(new, old))
        )


def test_name_is_immutable():
    old = copy.deepcopy(DEPLOYMENT)
    new = copy.deepcopy(DEPLOYMENT)
    new["metadata"]["name"] = "web2"
    assert messages(validate_update(new, old)) == ['metadata.name: Invalid value: "web2": field is immutable']


def test_stateful_set_spec_is_mostly_immutable():
    old = copy.deepcopy(DEPLOYMENT)
    old["kind"] = "StatefulSet"
    old["spec"].pop("strategy")
    old["spec"]["serviceName"] = "web"
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 7
    assert validate_update(new, old) == []
    new["spec"]["serviceName"] = "other"
    assert messages(validate_update(new, old)) == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
        "are forbidden"
    ]


def test_service_cluster_ip():
    old = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"], "ports": [{"port": 80}]}}  # fmt: skip
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"] = "10.96.0.6"
    new["spec"]["clusterIPs"] = ["10.96.0.6"]
    assert messages(validate_update(new, old)) == [
        'spec.clusterIPs[0]: Invalid value: ["10.96.0.6"]: may not change once set'
    ]
    # an apply that omits the IP keeps the allocated one
    new = copy.deepcopy(old)
    del new["spec"]["clusterIP"]
    del new["spec"]["clusterIPs"]
    assert validate_update(new, old) == []


def test_immutable_config_maps_and_secrets():
    old = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c"},
        "data": {"a": "1"},
        "immutable": True,
    }
    new = copy.deepcopy(old)
    new["data"]["a"] = "2"
    assert messages(validate_update(new, old)) == [
        "data: Forbidden: field is immutable when `immutable` is set"
    ]
    new = copy.deepcopy(old)
    new["immutable"] = False
    assert messages(validate_update(new, old)) == [
        "immutable: Forbidden: field is immutable when `immutable` is set"
    ]
    old_s = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "stringData": {"a": "1"},
        "immutable": True,
    }
    new_s = copy.deepcopy(old_s)
    new_s["type"] = "kubernetes.io/basic-auth"
    new_s["stringData"] = {"username": "u"}
    assert messages(validate_update(new_s, old_s)) == [
        'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
        "data: Forbidden: field is immutable when `immutable` is set",
    ]
    # same content, base64 or stringData: no change
    same = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "data": {"a": "MQ=="},
        "immutable": True,
    }
    assert validate_update(same, old_s) == []


def test_job_and_pvc():
    old = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
           "spec": {"completions": 3, "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x:1"}]}}}}  # fmt: skip
    new = copy.deepcopy(old)
    new["spec"]["completions"] = 4
    assert messages(validate_update(new, old)) == ["spec.completions: Invalid value: 4: field is immutable"]
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}  # fmt: skip
    grown = copy.deepcopy(pvc)
    grown["spec"]["resources"]["requests"]["storage"] = "2Gi"
    assert validate_update(grown, pvc) == []
    changed = copy.deepcopy(pvc)
    changed["spec"]["accessModes"] = ["ReadWriteMany"]
    assert messages(validate_update(changed, pvc)) == [
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
    ]
