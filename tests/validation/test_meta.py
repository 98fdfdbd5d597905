from __future__ import annotations

from kctl.api.validation import validate
from tests.validation.conftest import messages

SUBDOMAIN_RE = "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'"


def cm(metadata):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata}


def test_name_formats_by_kind():
    assert messages(validate(cm({"name": "Web"}))) == [
        'metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case '
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        f"'example.com', regex used for validation is {SUBDOMAIN_RE})"
    ]
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team.a"}}
    assert messages(validate(ns)) == ['metadata.name: Invalid value: "team.a": must not contain dots']
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "1web"},
        "spec": {"ports": [{"port": 80}]},
    }
    assert messages(validate(svc)) == [
        'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric '
        "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
        "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    ]


def test_name_required_unless_generate_name():
    assert messages(validate(cm({}))) == ["metadata.name: Required value: name or generateName is required"]
    assert messages(validate(cm({"generateName": "web-"}))) == []
    assert messages(validate(cm({"generateName": "Web-"})))[0].startswith(
        'metadata.generateName: Invalid value: "Web-": '
    )


def test_namespace_format():
    assert messages(validate(cm({"name": "a", "namespace": "Dev"})))[0].startswith(
        'metadata.namespace: Invalid value: "Dev": a lowercase RFC 1123 label must consist of'
    )


def test_labels_and_annotations():
    errs = messages(validate(cm({"name": "a", "labels": {"app": "-bad"}, "annotations": {"Foo_/x": "1"}})))
    assert errs == [
        'metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric '
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
        "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        'metadata.annotations: Invalid value: "Foo_/x": prefix part a lowercase RFC 1123 subdomain must consist of '
        "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
        f"(e.g. 'example.com', regex used for validation is {SUBDOMAIN_RE})",
    ]


def test_annotations_total_size():
    big = {"a": "x" * 262144}
    assert messages(validate(cm({"name": "a", "annotations": big}))) == [
        "metadata.annotations: Too long: may not be more than 262144 bytes"
    ]
    assert messages(validate(cm({"name": "a", "annotations": {"a": "x" * 262143}}))) == []


def test_owner_references():
    refs = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u1", "controller": True},
        {"apiVersion": "", "kind": "", "name": "", "uid": "", "controller": True},
    ]
    errs = messages(validate(cm({"name": "a", "ownerReferences": refs})))
    assert errs[:4] == [
        'metadata.ownerReferences[1].apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences[1].kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences[1].name: Invalid value: "": must not be empty',
        'metadata.ownerReferences[1].uid: Invalid value: "": must not be empty',
    ]
    assert errs[4].startswith("metadata.ownerReferences: Invalid value: [")
    assert errs[4].endswith(
        'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/web-1 and /'
    )


def test_finalizers():
    errs = messages(validate(cm({"name": "a", "finalizers": ["my-finalizer", "example.com/cleanup"]})))
    assert errs == [
        'metadata.finalizers[0]: Invalid value: "my-finalizer": name is neither a standard finalizer name nor is '
        "it fully qualified"
    ]


def test_unknown_kind_gets_object_meta_checks_only():
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "Bad_Name"},
        "spec": {"x": 1},
    }
    assert messages(validate(obj))[0].startswith(
        'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123'
    )
    assert len(validate(obj)) == 1
