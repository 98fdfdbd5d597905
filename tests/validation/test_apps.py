from __future__ import annotations

import copy

from kctl.api.validation import validate
from tests.validation.conftest import DEPLOYMENT, messages


def dep(**spec):
    obj = copy.deepcopy(DEPLOYMENT)
    obj["spec"].update(spec)
    return obj


def test_selector_must_match_template_labels():
    obj = dep(selector={"matchLabels": {"app": "api"}})
    assert messages(validate(obj)) == [
        'spec.template.metadata.labels: Invalid value: {"app":"web","tier":"frontend"}: `selector` does not match template `labels`'
    ]


def test_selector_required_and_non_empty():
    obj = dep()
    del obj["spec"]["selector"]
    assert messages(validate(obj)) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: {"app":"web","tier":"frontend"}: `selector` does not match template `labels`',
    ]
    assert messages(validate(dep(selector={}))) == [
        "spec.selector: Invalid value: {}: empty selector is invalid for deployment"
    ]


def test_invalid_selector_skips_template_checks():
    sel = {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Near"}]}
    assert messages(validate(dep(selector=sel))) == [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        'spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"Near"}]}: '
        "invalid label selector",
    ]
    sel = {
        "matchExpressions": [
            {"key": "tier", "operator": "In"},
            {"key": "x", "operator": "Exists", "values": ["a"]},
        ]
    }
    assert messages(validate(dep(selector=sel)))[:2] == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]


def test_template_restart_policy_must_be_always():
    obj = dep()
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert messages(validate(obj)) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'
    ]
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    obj["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 30
    assert messages(validate(obj)) == [
        "spec.template.spec.activeDeadlineSeconds: Invalid value: 30: activeDeadlineSeconds in ReplicaSet is not Supported"
    ]


def test_template_labels_are_checked_at_template_labels():
    obj = dep(selector={"matchLabels": {"app": "web"}})
    obj["spec"]["template"]["metadata"]["labels"]["bad key!"] = "x"
    assert messages(validate(obj))[0].startswith(
        'spec.template.labels: Invalid value: "bad key!": name part must consist'
    )


def test_replicas_and_counters():
    assert messages(validate(dep(replicas=-1, minReadySeconds=-1, revisionHistoryLimit=-2))) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0",
    ]
    assert messages(validate(dep(minReadySeconds=600))) == [
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"
    ]
    assert messages(validate(dep(progressDeadlineSeconds=-1))) == [
        "spec.progressDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.progressDeadlineSeconds: Invalid value: -1: must be greater than minReadySeconds",
    ]


def test_strategy_rules():
    assert messages(validate(dep(strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}))) == [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"
    ]
    assert messages(
        validate(dep(strategy={"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}}))
    ) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'
    ]
    assert messages(validate(dep(strategy={"rollingUpdate": {"maxUnavailable": "150%"}}))) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'
    ]
    assert messages(validate(dep(strategy={"rollingUpdate": {"maxSurge": "x", "maxUnavailable": -1}}))) == [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0",
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: "x": a valid percent string must be a numeric '
        "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]
    assert messages(validate(dep(strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}))) == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
    ]
    assert validate(dep(strategy={"type": "Recreate"})) == []
    assert messages(validate(dep(strategy={"type": "BlueGreen"}))) == [
        'spec.strategy: Unsupported value: {"Type":"BlueGreen","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"'
    ]


def _workload(kind, **spec):
    obj = copy.deepcopy(DEPLOYMENT)
    obj["kind"] = kind
    for key in ("strategy",):
        obj["spec"].pop(key, None)
    obj["spec"].update(spec)
    return obj


def test_replica_set_and_stateful_set_and_daemon_set_are_valid():
    assert validate(_workload("ReplicaSet")) == []
    assert validate(_workload("StatefulSet", serviceName="web")) == []
    ds = _workload("DaemonSet")
    ds["spec"].pop("replicas")
    assert validate(ds) == []


def test_stateful_set_rules():
    obj = _workload(
        "StatefulSet",
        podManagementPolicy="Random",
        updateStrategy={"type": "OnDelete", "rollingUpdate": {"partition": 1}},
    )
    assert messages(validate(obj)) == [
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
        "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'",
    ]
    obj = _workload("StatefulSet", selector={"matchLabels": {"app": "db"}})
    assert messages(validate(obj)) == [
        'spec.template.metadata.labels: Invalid value: {"app":"web","tier":"frontend"}: `selector` does not match template `labels`'
    ]


def test_daemon_set_rules():
    ds = _workload("DaemonSet", updateStrategy={"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}})
    ds["spec"].pop("replicas")
    assert messages(validate(ds)) == [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
    ]
    ds["spec"]["updateStrategy"] = {"rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}}
    assert messages(validate(ds)) == [
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"
    ]
