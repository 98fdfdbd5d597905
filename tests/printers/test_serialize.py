"""-o json / -o yaml / -o name and the List wrapper (kubectl-behavior.md section 2)."""

from __future__ import annotations

import json

import pytest
import yaml

from kctl.printers import goyaml
from kctl.printers.serialize import (
    format_objects,
    list_wrapper,
    output_object,
    resource_name,
    strip_managed_fields,
    to_json,
    to_yaml,
    to_yaml_stream,
)

from .golden import FIXTURES, assert_golden, load_fixture

LAST_APPLIED = (
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web",'
    '"namespace":"default"},"spec":{"replicas":3}}\n'
)


def deployment() -> dict:
    obj = load_fixture("workloads.yaml")[0]
    obj["metadata"]["annotations"] = {
        "deployment.kubernetes.io/revision": "1",
        "kubectl.kubernetes.io/last-applied-configuration": LAST_APPLIED,
        "example.com/url": "https://example.com/?a=1&b=<2>",
        "example.com/note": "a long note " * 10,
    }
    obj["metadata"]["managedFields"] = [{"manager": "kubectl", "operation": "Apply"}]
    obj["metadata"]["uid"] = "6f1c7e4e-1111-2222-3333-444455556666"
    obj["metadata"]["generation"] = 1
    obj["spec"]["template"]["spec"]["containers"][0]["env"] = [
        {"name": "ENABLED", "value": "true"},
        {"name": "PORT", "value": "8080"},
        {"name": "EMPTY", "value": ""},
        {"name": "RATIO", "value": "0.5"},
        {"name": "NONE", "value": "null"},
        {"name": "YES", "value": "y"},
    ]
    return obj


def test_json_golden() -> None:
    assert_golden("serialize/deployment.json", format_objects([deployment()], "json", single=True))


def test_yaml_golden() -> None:
    assert_golden("serialize/deployment.yaml", format_objects([deployment()], "yaml", single=True))


def test_list_golden() -> None:
    pods = load_fixture("pods.yaml")[:2]
    assert_golden("serialize/pod-list.yaml", format_objects(pods, "yaml"))
    assert_golden("serialize/pod-list.json", format_objects(pods, "json"))


def test_json_matches_go_encoding() -> None:
    out = to_json({"b": "<a&b>", "a": [1, 2.5, True, None, {}], "c": "é\u2028\x08\x0c\x01"})
    assert out.endswith("}\n")
    assert '"b": "\\u003ca\\u0026b\\u003e"' in out
    assert '"c": "é\\u2028\\u0008\\u000c\\u0001"' in out
    assert out.index('"a"') < out.index('"b"') < out.index('"c"')
    assert json.loads(out)["c"] == "é\u2028\x08\x0c\x01"
    assert to_json({}) == "{}\n"
    assert to_json({"k": [], "v": 3.0}) == '{\n    "k": [],\n    "v": 3\n}\n'


def test_json_keeps_order_for_client_side_objects() -> None:
    out = to_json({"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"creationTimestamp": None}},
                  sort_keys=False)
    assert out.splitlines()[1:3] == ['    "kind": "Deployment",', '    "apiVersion": "apps/v1",']
    assert '"creationTimestamp": null' in out


def test_list_wrapper_rules() -> None:
    pod = load_fixture("pods.yaml")[0]
    # exactly one object named -> the object itself
    assert output_object([pod], single=True)["kind"] == "Pod"
    # anything else -> List, even with one or zero matches
    assert output_object([pod], single=False)["kind"] == "List"
    empty = format_objects([], "yaml")
    assert empty == 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n'
    assert json.loads(format_objects([], "json")) == list_wrapper([])
    assert format_objects([], "json").startswith('{\n    "apiVersion": "v1",\n    "items": [],')


def test_managed_fields_hidden_unless_asked() -> None:
    obj = deployment()
    assert "managedFields" not in format_objects([obj], "yaml", single=True)
    assert "managedFields" in format_objects([obj], "yaml", single=True, show_managed_fields=True)
    assert "managedFields" in obj["metadata"]  # the input is not modified
    assert strip_managed_fields({"metadata": {"name": "x"}}) == {"metadata": {"name": "x"}}


def test_name_output() -> None:
    objs = (load_fixture("workloads.yaml")[:1] + load_fixture("pods.yaml")[:1] + load_fixture("services.yaml")[:1]
            + load_fixture("ingresses.yaml")[:1] + load_fixture("endpointslices.yaml")[:1]
            + load_fixture("hpas.yaml")[:1] + load_fixture("vpas.yaml")[:1] + load_fixture("events.yaml")[:1]
            + load_fixture("customresources.yaml"))
    assert format_objects(objs, "name").splitlines() == [
        "deployment.apps/web",
        "pod/web-7c5ddbdf54-2xkqz",
        "service/web",
        "ingress.networking.k8s.io/web",
        "endpointslice.discovery.k8s.io/web-abc12",
        "horizontalpodautoscaler.autoscaling/web",
        "verticalpodautoscaler.autoscaling.k8s.io/web",
        "event/web-7c5d-x2.17c5a1b2c3d4e5f6",
        "crontab.stable.example.com/my-new-cron-object",
    ]
    assert resource_name({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}) == "namespace/dev"


def test_yaml_stream_separator() -> None:
    a = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}
    b = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}
    assert to_yaml_stream([a, b]) == to_yaml(a) + "---\n" + to_yaml(b)


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("web", "web"),
        ("1", '"1"'),
        ("08", '"08"'),
        ("1e3", '"1e3"'),
        ("0x1F", '"0x1F"'),
        ("1_000", '"1_000"'),
        ("true", '"true"'),
        ("y", '"y"'),
        ("Off", '"Off"'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("", '""'),
        (".5", '".5"'),
        ("1:20", '"1:20"'),
        ("2024-05-01", '"2024-05-01"'),
        ("2024-05-01T12:00:00Z", '"2024-05-01T12:00:00Z"'),
        ("a: b", "'a: b'"),
        ("#x", "'#x'"),
        ("- x", "'- x'"),
        ("-x", "-x"),
        ("a,b[c]", "a,b[c]"),
        ("it's", "it's"),
        ("=", '"="'),  # deliberate: PyYAML cannot load a plain "="
        ("é", "é"),
        ("trailing ", "'trailing '"),
        ("tab\there", '"tab\\there"'),
        ("one\ntwo\n", "|\n  one\n  two"),
        ("one\ntwo", "|-\n  one\n  two"),
    ],
)
def test_yaml_scalar_quoting(value: str, rendered: str) -> None:
    out = to_yaml({"k": value})
    assert out == f"k: {rendered}\n"
    assert yaml.safe_load(out)["k"] == value  # round-trips as a string


def test_yaml_key_order_is_go_natural_order() -> None:
    keys = ["b_c", "bZ", "a10", "a9", "a", "A", "app.kubernetes.io/name", "app", "x-1", "x1"]
    assert goyaml.go_sorted_keys(dict.fromkeys(keys)) == [
        "A", "a", "a9", "a10", "app", "app.kubernetes.io/name", "b_c", "bZ", "x-1", "x1",
    ]


def test_yaml_lists_not_indented_and_empty_collections() -> None:
    out = to_yaml({"spec": {"containers": [{"name": "a", "args": ["x", "y"]}], "volumes": [], "x": {}}})
    assert out == (
        "spec:\n"
        "  containers:\n"
        "  - args:\n"
        "    - x\n"
        "    - \"y\"\n"
        "    name: a\n"
        "  volumes: []\n"
        "  x: {}\n"
    )


def test_yaml_long_strings_fold_at_80_columns() -> None:
    out = to_yaml({"metadata": {"annotations": {"note": "word " * 20 + "end"}}})
    lines = out.splitlines()
    assert lines[2] == "    note: word word word word word word word word word word word word word word word"
    assert lines[3] == "      word word word word word end"


def test_yaml_no_anchors_for_shared_objects() -> None:
    shared = {"a": 1}
    assert "&" not in to_yaml({"x": shared, "y": shared})


def _all_fixture_objects() -> list[dict]:
    return [o for p in sorted(FIXTURES.glob("*.yaml")) for o in load_fixture(p.name)]


def test_fast_yaml_emitter_matches_libyaml_reference() -> None:
    docs = [*_all_fixture_objects(), deployment(), list_wrapper(_all_fixture_objects())]
    weird = {
        "a": "x" * 100, "b": "word " * 30, "c": "multi\nline\n", "d": " lead", "e": "k:v", "f": "x:",
        "g": "a #b", "h": "a#b", "i": "...x", "j": "---x", "k": "*star", "l": "quote\"in", "m": "back\\slash",
        "key with space": "v", "k: colon": "v", "long" * 40: "v", "10": {"9": []},
        "nested": [[1, [2, []]], {}, {"a": [{"b": "c" * 90 + " d"}]}],
        "floats": [0.5, 1e-7, 1234567.5, 3.0, True, None, -3], "dq": "2024-01-01T00:00:00Z long " * 4,
        "deep": {"d": {"d": {"d": {"d": {"d": {"d": {"d": {"v": "the quick brown fox " * 5}}}}}}}},
    }
    docs.append({"metadata": {"annotations": weird}, "list": [weird]})
    for doc in docs:
        assert goyaml.dump(doc) == goyaml.dump_reference(doc)
