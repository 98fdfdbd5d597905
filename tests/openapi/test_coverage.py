"""Every resource kctl serves from a built-in (or simulated) group has a schema."""

from __future__ import annotations

import json

import pytest

from kctl.api.openapi import builtin_definitions
from kctl.api.registry import RESOURCES

#: Kinds whose upstream spec has no schema. Empty: even the Binding subresource kind has one.
NO_UPSTREAM_SCHEMA: set[tuple[str, str]] = set()


@pytest.mark.parametrize("rt", RESOURCES, ids=lambda rt: f"{rt.api_version}/{rt.kind}")
def test_every_registry_kind_has_a_schema(rt):
    if (rt.api_version, rt.kind) in NO_UPSTREAM_SCHEMA:
        pytest.skip("no upstream schema")
    versions = rt.served_api_versions()
    for av in versions:
        assert builtin_definitions().find(av, rt.kind) is not None, f"{av} {rt.kind}"


def test_every_index_entry_resolves_and_compiles(deployment):
    b = builtin_definitions()
    for key in b.definitions.kinds():
        av, _, kind = key.rpartition("/")
        schema = b.find(av, kind)
        assert schema is not None
        schema.validate({"apiVersion": av, "kind": kind, "metadata": {"name": "x"}})


def test_stable_groups_are_all_present():
    groups = {k.rpartition("/")[0] for k in builtin_definitions().definitions.kinds()}
    for av in ("v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "autoscaling/v1", "autoscaling/v2",
               "rbac.authorization.k8s.io/v1", "policy/v1", "storage.k8s.io/v1", "discovery.k8s.io/v1",
               "events.k8s.io/v1", "resource.k8s.io/v1", "admissionregistration.k8s.io/v1",
               "apiextensions.k8s.io/v1", "certificates.k8s.io/v1", "coordination.k8s.io/v1",
               "flowcontrol.apiserver.k8s.io/v1", "node.k8s.io/v1", "scheduling.k8s.io/v1",
               "autoscaling.k8s.io/v1", "metrics.k8s.io/v1beta1", "kctl.io/v1alpha1"):
        assert av in groups
    assert sorted(g for g in groups if "alpha" in g or "beta" in g) == ["kctl.io/v1alpha1", "metrics.k8s.io/v1beta1"]


def test_schemas_carry_no_description_prose():
    root = builtin_definitions().definitions.root

    def prose(node):
        if isinstance(node, dict):
            # a string "description" is prose; a dict one is a property named so (JSONSchemaProps)
            return isinstance(node.get("description"), str) or any(prose(v) for v in node.values())
        return isinstance(node, list) and any(prose(v) for v in node)

    for path in (root / "defs").glob("*.json"):
        assert not prose(json.loads(path.read_text())), path.name
    assert json.loads((root / "index.json").read_text())["kubernetesVersion"] == "v1.34.0"


def test_list_and_patch_facts_are_kept():
    d = builtin_definitions().definitions
    containers = d.get("io.k8s.api.core.v1.PodSpec")["properties"]["containers"]
    assert containers["x-kubernetes-list-type"] == "map"
    assert containers["x-kubernetes-list-map-keys"] == ["name"]
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert containers["x-kubernetes-patch-strategy"] == "merge"
    assert d.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString") == {"x-kubernetes-int-or-string": True}
