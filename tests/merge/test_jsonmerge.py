"""RFC 7386 JSON merge patch and the three-way variant kubectl uses for custom resources."""

from __future__ import annotations

import pytest

from kctl.api.merge import (
    PreconditionFailed,
    create_merge_patch,
    create_three_way_json_merge_patch,
    json_merge_patch,
)


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": ["b"]}, {"a": ["c", "d"]}, {"a": ["c", "d"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
        ({"a": "x"}, ["list"], ["list"]),
    ],
)
def test_json_merge_patch(target, patch, result):
    assert json_merge_patch(target, patch) == result


def test_create_merge_patch_round_trips():
    before = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "gone": True}
    after = {"a": 1, "b": {"c": [2], "d": "x", "e": {}}, "new": None}
    patch = create_merge_patch(before, after)
    assert patch == {"b": {"c": [2], "e": {}}, "gone": None, "new": None}


def test_three_way_keeps_fields_only_in_current():
    original = {"spec": {"a": 1, "list": [1, 2]}}
    modified = {"spec": {"list": [3]}}
    current = {"spec": {"a": 1, "list": [1, 2, 9], "other": "x"}, "status": {"s": 1}}
    patch = create_three_way_json_merge_patch(original, modified, current)
    assert patch == {"spec": {"a": None, "list": [3]}}
    assert json_merge_patch(current, patch) == {"spec": {"list": [3], "other": "x"}, "status": {"s": 1}}


def test_three_way_no_change_is_empty():
    doc = {"metadata": {"name": "x"}, "spec": {"l": [{"k": 1}]}}
    assert create_three_way_json_merge_patch(doc, doc, {**doc, "status": {}}) == {}


def test_three_way_kind_change_fails_precondition():
    with pytest.raises(PreconditionFailed):
        create_three_way_json_merge_patch({"kind": "A"}, {"kind": "B"}, {"kind": "A"})
