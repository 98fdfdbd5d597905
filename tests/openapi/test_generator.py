"""The conversion rules of scripts/generate_schemas.py, on small synthetic definitions."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "generate_schemas.py"
spec = importlib.util.spec_from_file_location("generate_schemas", SCRIPT)
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


def test_descriptions_dropped_nullable_types_collapsed_refs_shortened():
    node = {
        "description": "Thing.",
        "type": ["object", "null"],
        "required": ["spec"],
        "properties": {
            "apiVersion": {"type": ["string", "null"], "enum": ["x.io/v1"], "description": "..."},
            "spec": {"$ref": "#/$defs/io.x.v1.ThingSpec", "description": "..."},
            "items": {"type": "array", "items": {"type": ["string", "null"]}, "x-kubernetes-list-type": "set"},
            "labels": {"type": ["object", "null"], "additionalProperties": {"type": ["string", "null"]}},
        },
        "x-kubernetes-group-version-kind": [{"group": "x.io", "kind": "Thing", "version": "v1"}],
    }
    assert gen.convert_definition("io.x.v1.Thing", node) == {
        "type": "object",
        "required": ["spec"],
        "properties": {
            "apiVersion": {"type": "string"},
            "spec": {"$ref": "io.x.v1.ThingSpec"},
            "items": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "x-kubernetes-group-version-kind": [{"group": "x.io", "kind": "Thing", "version": "v1"}],
    }


def test_special_definitions():
    assert gen.convert_definition(gen.INT_OR_STRING, {"oneOf": []}) == {"x-kubernetes-int-or-string": True}
    assert gen.convert_definition(gen.QUANTITY, {"oneOf": []}) == {"type": ["string", "number"], "format": "quantity"}
    assert gen.convert_definition("io.x.RawExtension", {"type": ["object", "null"], "description": "raw"}) == {
        "type": "object", "x-kubernetes-preserve-unknown-fields": True}
    assert gen.convert_definition("io.x.JSON", {"description": "any"}) == {"x-kubernetes-preserve-unknown-fields": True}


def test_only_stable_resource_kinds_are_indexed():
    defs = {
        "a.v1.Deployment": {"x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1", "kind": "Deployment"}]},
        "a.v1.DeploymentList": {"x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1", "kind": "DeploymentList"}]},
        "a.v1beta1.Thing": {"x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1beta1", "kind": "Thing"}]},
        "c.v1.Pod": {"x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Pod"}]},
        "m.v1.Status": {"x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Status"}]},
    }
    assert gen.stable_kinds(defs) == {"apps/v1/Deployment": "a.v1.Deployment", "v1/Pod": "c.v1.Pod"}
