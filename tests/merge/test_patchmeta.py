"""The static patch-metadata table against the upstream 1.34 OpenAPI definitions.

Ground truth is the v1.34.0 ``_definitions.json`` of the ``kubernetes-validate`` wheel (the
bench extra); those tests skip without it. kctl's generated ``schemas/`` are checked for
driving the same merge.
"""

from __future__ import annotations

import pytest

from kctl.api.merge import patch_meta_for, three_way_merge, uses_strategic_merge
from kctl.api.merge.builtin_types import TABLE, definition_name, definitions, full_name
from kctl.api.merge.patchmeta import PatchMeta, parse_strategy
from kctl.api.registry import RESOURCES


@pytest.fixture(scope="module")
def upstream_v134():
    """The raw upstream definitions (``$defs``), with patch strategies on $ref fields."""
    import json
    from pathlib import Path

    kv = pytest.importorskip("kubernetes_validate")
    path = Path(kv.__file__).parent / "kubernetes-json-schema" / "v1.34.0-local" / "_definitions.json"
    if not path.is_file():
        pytest.skip("kubernetes-validate has no v1.34.0 definitions")
    return json.loads(path.read_text())["$defs"]


@pytest.fixture(scope="module")
def upstream():
    from kctl.api.openapi.definitions import Definitions
    from kctl.api.openapi.locator import schemas_dir

    return Definitions(schemas_dir())


def _get(defs, name):
    try:
        return defs.get(name)
    except KeyError:
        return None


def _ref_name(node: dict) -> str:
    if "items" in node:
        node = node["items"]
    ref = node.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else node.get("type", "")


def test_every_table_field_matches_upstream(upstream_v134):
    upstream = upstream_v134
    mismatches = []
    for short, fields in TABLE.items():
        definition = _get(upstream, full_name(short))
        assert definition is not None, short
        ours = PatchMeta.for_definition(definitions(), full_name(short))
        for name in fields:
            prop = definition["properties"].get(name)
            assert prop is not None, (short, name)
            want = (
                parse_strategy(prop.get("x-kubernetes-patch-strategy", "")),
                prop.get("x-kubernetes-patch-merge-key", ""),
            )
            got = ours.lookup(name)
            if ((got.strategy, got.retain_keys), got.merge_key) != want:
                mismatches.append((short, name, want, got))
            spec = fields[name]
            type_name = spec if isinstance(spec, str) else spec[0]
            expected_type = _ref_name(prop)
            if type_name.removeprefix("[]") != "string":
                assert full_name(type_name.removeprefix("[]")) == expected_type, (short, name)
    assert mismatches == []


def _walk(defs, name, seen, found):
    """Every tagged field reachable from `name` through structs, maps and merging lists."""
    if name in seen:
        return
    seen.add(name)
    node = _get(defs, name) or {}
    for field, prop in (node.get("properties") or {}).items():
        strategy = prop.get("x-kubernetes-patch-strategy", "")
        if strategy or prop.get("x-kubernetes-patch-merge-key"):
            found.add((name, field))
        target = prop.get("items", prop) if "items" in prop else prop
        if "items" in prop and "merge" not in strategy:
            continue  # replaced whole: nothing below it matters
        if "replace" in strategy:
            continue
        extra = target.get("additionalProperties")
        if isinstance(extra, dict):
            target = extra
        ref = target.get("$ref")
        if ref:
            _walk(defs, ref.rsplit("/", 1)[-1], seen, found)


def test_table_covers_every_tagged_field_of_strategic_kinds(upstream_v134):
    upstream = upstream_v134
    tagged: set = set()
    for rt in RESOURCES:
        if not uses_strategic_merge(rt.api_version, rt.kind):
            continue
        name = definition_name(rt.api_version, rt.kind)
        if _get(upstream, name) is None:
            continue
        _walk(upstream, name, set(), tagged)
    ours = {(full_name(short), field) for short, fields in TABLE.items() for field in fields}
    assert sorted(tagged - ours) == []
    # and the path to each is in the table too: patch_meta_for finds it from the kind
    assert ("io.k8s.api.core.v1.Container", "ports") in tagged


def test_kinds_outside_kubectls_scheme_use_json_merge_patch():
    assert patch_meta_for("autoscaling.k8s.io/v1", "VerticalPodAutoscaler") is None
    assert patch_meta_for("kctl.io/v1alpha1", "NodeGroup") is None
    assert patch_meta_for("apiextensions.k8s.io/v1", "CustomResourceDefinition") is None
    assert patch_meta_for("example.com/v1", "Widget") is None
    assert patch_meta_for("apps/v1", "Deployment") is not None
    assert patch_meta_for("v1", "ConfigMap") is not None


def test_lookup_follows_pod_template_paths():
    meta = patch_meta_for("batch/v1", "CronJob")
    spec = meta.lookup("spec").meta.lookup("jobTemplate").meta.lookup("spec").meta
    pod = spec.lookup("template").meta.lookup("spec").meta
    containers = pod.lookup("containers")
    assert (containers.strategy, containers.merge_key) == ("merge", "name")
    ports = containers.meta.lookup("ports")
    assert (ports.strategy, ports.merge_key) == ("merge", "containerPort")
    volumes = pod.lookup("volumes")
    assert (volumes.strategy, volumes.retain_keys, volumes.merge_key) == ("merge", True, "name")
    tolerations = pod.lookup("tolerations")
    assert (tolerations.strategy, tolerations.merge_key) == ("", "")
    # map[string]string and unknown fields: no strategy, maps still recurse
    labels = meta.lookup("metadata").meta.lookup("labels")
    assert labels.strategy == "" and labels.meta.lookup("app").strategy == ""


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"])
def test_generated_schemas_drive_the_same_merge(upstream, kind):
    live = {
        "apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w", "finalizers": ["a", "x"]},
        "spec": {"template": {"spec": {
            "containers": [{"name": "app", "image": "i:1", "env": [{"name": "A", "value": "1"}, {"name": "B"}]},
                           {"name": "sidecar", "image": "s"}],
            "volumes": [{"name": "v", "configMap": {"name": "c"}}]}}},
    }
    original = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w", "finalizers": ["a"]},
                "spec": {"template": {"spec": {
                    "containers": [{"name": "app", "image": "i:1", "env": [{"name": "A", "value": "1"}]}],
                    "volumes": [{"name": "v", "configMap": {"name": "c"}}]}}}}
    modified = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w", "finalizers": ["b"]},
                "spec": {"template": {"spec": {
                    "containers": [{"name": "app", "image": "i:2"}],
                    "volumes": [{"name": "v", "secret": {"secretName": "s"}}]}}}}
    static = three_way_merge(original, modified, live, kind_info=patch_meta_for("apps/v1", kind))
    generated = three_way_merge(original, modified, live,
                                kind_info=patch_meta_for("apps/v1", kind, schema=upstream))
    assert static == generated
    patch, result = static
    assert result["metadata"]["finalizers"] == ["b", "x"]
    pod = result["spec"]["template"]["spec"]
    # env left the file entirely: the whole field goes, items others added included
    assert pod["containers"] == [{"name": "app", "image": "i:2"}, {"name": "sidecar", "image": "s"}]
    # $retainKeys drops the old volume source
    assert pod["volumes"] == [{"name": "v", "secret": {"secretName": "s"}}]


def test_raw_upstream_definitions_drive_retain_keys(upstream_v134):
    """`$ref` + `x-kubernetes-patch-strategy` siblings (upstream's shape) are read."""
    meta = PatchMeta.for_definition(upstream_v134, "io.k8s.api.apps.v1.Deployment")
    strategy = meta.lookup("spec").meta.lookup("strategy")
    assert strategy.retain_keys is True
    selector = PatchMeta.for_definition(upstream_v134, "io.k8s.api.policy.v1.PodDisruptionBudget")
    assert selector.lookup("spec").meta.lookup("selector").strategy == "replace"
