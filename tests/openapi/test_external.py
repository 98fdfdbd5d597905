"""--schema-location: kubeconform-layout directories checked with jsonschema."""

from __future__ import annotations

from pathlib import Path

from kctl.api import field as fe
from kctl.api.openapi import ExternalSchema, SchemaSet
from kctl.api.openapi.external import candidate_files

from .conftest import messages

FIXTURES = Path(__file__).parent / "fixtures" / "kubeconform"


def widget(**spec):
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": spec}


def test_file_names_follow_kubeconform():
    assert candidate_files("networking.k8s.io/v1", "Ingress") == [
        "ingress-networking-v1.json", "ingress-networking.k8s.io-v1.json"]
    assert candidate_files("v1", "Pod") == ["pod-v1.json"]
    assert candidate_files("apps/v1", "Deployment") == ["deployment-apps-v1.json"]


def test_first_label_full_group_and_core_names_are_found():
    s = SchemaSet(locations=[FIXTURES])
    assert isinstance(s.find("example.com/v1", "Widget"), ExternalSchema)
    assert isinstance(s.find("example.com/v2", "Sprocket"), ExternalSchema)
    assert s.find("v1", "Gadget").path.name == "gadget-v1.json"
    assert s.find("example.com/v3", "Widget") is None


def test_built_ins_win_over_locations():
    s = SchemaSet(locations=[FIXTURES])
    assert s.find("apps/v1", "Deployment").source == "builtin:io.k8s.api.apps.v1.Deployment"


def test_errors_map_to_field_errors_through_refs():
    schema = SchemaSet(locations=[FIXTURES]).find("example.com/v1", "Widget")
    assert schema.validate(widget(size=3, color="red", port=80)) == []
    errs = schema.validate(widget(size="big", color="green", port=1.5, shape="round"))
    assert sorted(messages(errs)) == sorted([
        'spec.size: Invalid value: "big": spec.size in body must be of type integer: "string"',
        'spec.color: Unsupported value: "green": supported values: "red", "blue"',
        'spec.port: Invalid value: 1.5: spec.port in body must be of type string,integer: "number"',
        'spec.shape: unknown field "shape"',
    ])
    assert fe.unknown_field(("spec", "shape")) in errs


def test_required_and_non_strict():
    schema = SchemaSet(locations=[FIXTURES]).find("example.com/v1", "Widget")
    obj = widget(shape="round")
    obj["extra"] = 1
    assert sorted(messages(schema.validate(obj))) == [
        'extra: unknown field "extra"',
        'spec.shape: unknown field "shape"',
        "spec.size: Required value",
    ]
    assert messages(schema.validate(obj, strict=False)) == ["spec.size: Required value"]
