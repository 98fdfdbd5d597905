"""CustomResourceDefinitions: each served version's openAPIV3Schema, apiextensions rules."""

from __future__ import annotations

import pytest

from kctl.api import field as fe
from kctl.api.openapi import SchemaSet

from .conftest import messages

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "crontabs.stable.example.com"},
    "spec": {
        "group": "stable.example.com",
        "names": {"kind": "CronTab", "plural": "crontabs"},
        "scope": "Namespaced",
        "versions": [
            {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {
                    "spec": {
                        "type": "object",
                        "required": ["cronSpec"],
                        "properties": {
                            "cronSpec": {"type": "string", "pattern": "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$"},
                            "image": {"type": "string", "maxLength": 10, "minLength": 2},
                            "replicas": {"type": "integer", "minimum": 1, "maximum": 10},
                            "mode": {"type": "string", "enum": ["Fast", "Slow"]},
                            "port": {"x-kubernetes-int-or-string": True},
                            "note": {"type": "string", "nullable": True},
                            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2,
                                     "x-kubernetes-list-type": "set"},
                            "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                            "env": {"type": "object", "additionalProperties": {"type": "string"}},
                            "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                                         "x-kubernetes-preserve-unknown-fields": True},
                        },
                    }
                },
            }}},
            {"name": "v0", "served": False, "storage": False,
             "schema": {"openAPIV3Schema": {"type": "object"}}},
        ],
    },
}


@pytest.fixture
def crontab_schema():
    s = SchemaSet()
    assert s.add_crd(CRD) == [("stable.example.com/v1", "CronTab")]
    return s.find("stable.example.com/v1", "CronTab")


def cr(**spec):
    base = {"cronSpec": "*/5 * * * *"}
    base.update(spec)
    return {"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": "c"}, "spec": base}


def test_valid_custom_resource(crontab_schema):
    obj = cr(image="nginx", replicas=3, mode="Fast", port="http", note=None, tags=["a", "b"],
             extra={"x": {"y": 1}}, env={"A": "b"},
             template={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}})
    assert crontab_schema.validate(obj) == []


def test_unserved_version_is_not_registered():
    s = SchemaSet()
    s.add_crd(CRD)
    assert s.find("stable.example.com/v0", "CronTab") is None


def test_keyword_failures_use_apiextensions_field_errors(crontab_schema):
    obj = cr(cronSpec="bad", image="a-very-long-image", replicas=0, mode="Medium", port=True,
             tags=["a", "b", "a"], env={"A": 1})
    assert messages(crontab_schema.validate(obj)) == [
        "spec.cronSpec: Invalid value: \"bad\": spec.cronSpec in body should match "
        "'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
        'spec.image: Too long: may not be more than 10 bytes',
        "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
        'spec.mode: Unsupported value: "Medium": supported values: "Fast", "Slow"',
        'spec.port: Invalid value: true: spec.port in body must be of type integer,string: "boolean"',
        "spec.tags: Too many: 3: must have at most 2 items",
        'spec.tags[2]: Duplicate value: "a"',
        'spec.env.A: Invalid value: 1: spec.env.A in body must be of type string: "integer"',
    ]


def test_min_length_and_maximum(crontab_schema):
    assert messages(crontab_schema.validate(cr(image="x", replicas=11))) == [
        'spec.image: Invalid value: "x": spec.image in body should be at least 2 chars long',
        "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
    ]


def test_required_and_nullable(crontab_schema):
    obj = cr(note=None, mode=None)
    del obj["spec"]["cronSpec"]
    errs = crontab_schema.validate(obj)
    assert messages(errs) == [
        'spec.mode: Invalid value: null: spec.mode in body must be of type string: "null"',
        "spec.cronSpec: Required value",
    ]
    assert errs[1] == fe.required(("spec", "cronSpec"))


def test_metadata_is_object_meta_and_unknown_fields(crontab_schema):
    obj = cr(bogus=1)
    obj["metadata"]["labels"] = {"a": 1}
    obj["status"] = {}
    assert messages(crontab_schema.validate(obj)) == [
        'metadata.labels.a: Invalid value: 1: metadata.labels.a in body must be of type string: "integer"',
        'spec.bogus: unknown field "bogus"',
        'status: unknown field "status"',
    ]
    assert messages(crontab_schema.validate(obj, strict=False)) == [
        'metadata.labels.a: Invalid value: 1: metadata.labels.a in body must be of type string: "integer"',
    ]


def test_embedded_resource_metadata_is_checked(crontab_schema):
    obj = cr(template={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": 5}})
    assert messages(crontab_schema.validate(obj)) == [
        'spec.template.metadata.name: Invalid value: 5: spec.template.metadata.name in body must be of type string: "integer"'
    ]


def test_crd_without_schema_accepts_anything():
    crd = {"spec": {"group": "x.io", "names": {"kind": "Thing"}, "versions": [{"name": "v1", "served": True}]}}
    s = SchemaSet()
    s.add_crd(crd)
    assert s.find("x.io/v1", "Thing").validate({"anything": [1]}) == []


def test_any_of_and_all_of():
    crd = {"spec": {"group": "x.io", "names": {"kind": "Thing"}, "versions": [{"name": "v1", "served": True, "schema": {
        "openAPIV3Schema": {"type": "object", "properties": {"spec": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
        }}}}}]}}
    s = SchemaSet()
    s.add_crd(crd)
    schema = s.find("x.io/v1", "Thing")
    assert schema.validate({"spec": {"a": "x"}}) == []
    assert messages(schema.validate({"spec": {}})) == [
        "spec: Invalid value: {}: spec in body must validate at least one schema (anyOf)"
    ]
