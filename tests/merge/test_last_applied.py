"""The last-applied-configuration annotation, byte for byte."""

from __future__ import annotations

import json

import pytest

from kctl.api.merge import (
    LAST_APPLIED_CONFIG_ANNOTATION,
    MergeError,
    last_applied,
    modified_configuration,
    original_configuration,
)
from kctl.api.merge.gojson import encode, format_float, marshal

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx:1.27",
                        "ports": [{"containerPort": 80}],
                        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
                    }
                ]
            },
        },
    },
}

DEPLOYMENT_LAST_APPLIED = (
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},'
    '"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},'
    '"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.27",'
    '"name":"web","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"500m","memory":"128Mi"}}}]}}}}\n'
)


def test_sample_deployment_exact_string():
    assert last_applied(DEPLOYMENT, namespace="default") == DEPLOYMENT_LAST_APPLIED


def test_input_is_not_modified():
    before = json.dumps(DEPLOYMENT, sort_keys=True)
    last_applied(DEPLOYMENT, namespace="default")
    modified_configuration(DEPLOYMENT, namespace="default")
    assert json.dumps(DEPLOYMENT, sort_keys=True) == before


def test_other_annotations_kept_and_own_annotation_excluded():
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "c",
            "namespace": "prod",
            "annotations": {"team": "a", LAST_APPLIED_CONFIG_ANNOTATION: '{"old":true}\n'},
        },
        "data": {"k": "v"},
    }
    assert last_applied(cm, namespace="default") == (
        '{"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap",'
        '"metadata":{"annotations":{"team":"a"},"name":"c","namespace":"prod"}}\n'
    )


def test_cluster_scoped_kind_gets_no_namespace():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}}
    assert last_applied(ns, namespace="default") == (
        '{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{},"name":"prod"}}\n'
    )


def test_unknown_kind_namespace_follows_the_flag():
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    assert '"namespace"' not in last_applied(widget, namespace="default")
    assert '"namespace":"default"' in last_applied(widget, namespace="default", namespaced=True)


def test_go_json_escaping_and_numbers():
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c", "annotations": {"note": "a<b> & c"}},
        "data": {"html": "<p>ü\u2028</p>", "tab": "a\tb"},
        "x": [1.0, 0.5, 1e-7, 2e21, True, None],
    }
    text = last_applied(cm, namespace="ns")
    assert text == (
        '{"apiVersion":"v1","data":{"html":"\\u003cp\\u003eü\\u2028\\u003c/p\\u003e","tab":"a\\tb"},'
        '"kind":"ConfigMap","metadata":{"annotations":{"note":"a\\u003cb\\u003e \\u0026 c"},'
        '"name":"c","namespace":"ns"},"x":[1,0.5,1e-7,2e+21,true,null]}\n'
    )
    assert json.loads(text)["data"]["html"] == "<p>ü\u2028</p>"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (-0.25, "-0.25"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
     (1.5e-7, "1.5e-7"), (1e-6, "0.000001"), (123456789.125, "123456789.125"), (3.2e-10, "3.2e-10")],
)
def test_float_formatting_matches_encoding_json(value, text):
    assert format_float(value) == text


def test_encode_appends_newline_marshal_does_not():
    assert marshal({"b": 1, "a": [2]}) == '{"a":[2],"b":1}'
    assert encode({}) == "{}\n"


def test_modified_configuration_embeds_the_annotation():
    modified = modified_configuration(DEPLOYMENT, namespace="default")
    assert modified["metadata"]["annotations"] == {LAST_APPLIED_CONFIG_ANNOTATION: DEPLOYMENT_LAST_APPLIED}
    assert modified["metadata"]["namespace"] == "default"
    plain = modified_configuration(DEPLOYMENT, namespace="default", annotate=False)
    assert plain["metadata"]["annotations"] == {}


def test_original_configuration():
    live = {"metadata": {"annotations": {LAST_APPLIED_CONFIG_ANNOTATION: DEPLOYMENT_LAST_APPLIED}}}
    assert original_configuration(live)["spec"]["replicas"] == 2
    assert original_configuration({"metadata": {"name": "x"}}) is None
    assert original_configuration({"metadata": {"annotations": {LAST_APPLIED_CONFIG_ANNOTATION: ""}}}) is None
    with pytest.raises(MergeError, match="invalid JSON document"):
        original_configuration({"metadata": {"annotations": {LAST_APPLIED_CONFIG_ANNOTATION: "{"}}})
