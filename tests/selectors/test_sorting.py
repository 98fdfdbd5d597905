"""--sort-by: kubectl's ordering rules and error messages."""

from __future__ import annotations

import pytest

from kctl.printers.sorting import SortError, natural_less, parse_quantity_value, sort_objects


def names(objs):
    return [o["metadata"]["name"] for o in objs]


def obj(name, **fields):
    return {"metadata": {"name": name, **fields.pop("meta", {})}, **fields}


def test_names_sort_naturally():
    objs = [obj(n) for n in ("web-10", "web-2", "db", "web-1", "Web-3")]
    assert names(sort_objects(objs, ".metadata.name")) == ["Web-3", "db", "web-1", "web-2", "web-10"]
    assert names(sort_objects(objs, "{.metadata.name}")) == ["Web-3", "db", "web-1", "web-2", "web-10"]
    assert names(sort_objects(objs, "metadata.name")) == ["Web-3", "db", "web-1", "web-2", "web-10"]


def test_integers_numeric_and_missing_first_stable():
    objs = [
        obj("a", status={"restarts": 10}),
        obj("b", status={}),
        obj("c", status={"restarts": 9}),
        obj("d"),
        obj("e", status={"restarts": -1}),
    ]
    assert names(sort_objects(objs, ".status.restarts")) == ["b", "d", "e", "c", "a"]


def test_floats_numeric():
    objs = [obj("a", v=2.5), obj("b", v=-1.0), obj("c", v=10.25)]
    assert names(sort_objects(objs, ".v")) == ["b", "a", "c"]


def test_quantities_compare_as_quantities():
    objs = [obj(n, cpu=c) for n, c in (("a", "1"), ("b", "500m"), ("c", "2Ki"), ("d", "1.5"), ("e", "1e3"), ("f", "100M"))]
    assert names(sort_objects(objs, ".cpu")) == ["b", "a", "d", "e", "c", "f"]


def test_timestamps_sort_chronologically():
    stamps = ["2024-03-01T10:00:00Z", "2023-12-31T23:59:59Z", "2024-03-01T09:59:59Z", "2024-10-01T00:00:00Z"]
    objs = [obj(str(i), meta={"creationTimestamp": t}) for i, t in enumerate(stamps)]
    assert names(sort_objects(objs, ".metadata.creationTimestamp")) == ["1", "2", "0", "3"]


def test_only_first_result_counts():
    objs = [obj("a", items=[3, 1]), obj("b", items=[2, 9])]
    assert names(sort_objects(objs, "{.items[*]}")) == ["b", "a"]


def test_equal_keys_keep_input_order():
    objs = [obj(n, phase="Running") for n in ("z", "y", "x")]
    assert names(sort_objects(objs, ".phase")) == ["z", "y", "x"]


def test_empty_list_is_never_an_error():
    assert sort_objects([], ".does.not.exist") == []


@pytest.mark.parametrize(
    ("objs", "path", "message"),
    [
        ([obj("a"), obj("b")], ".spec.nope", 'couldn\'t find any field with path "{.spec.nope}" in the list of objects'),
        (
            [obj("a", v=1), obj("b", v="x")],
            ".v",
            "Field {.v} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable interface: interface",
        ),
        (
            [obj("a", v=1), obj("b", v=1.5)],
            ".v",
            "Field {.v} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable interface: interface",
        ),
        (
            [obj("a", v={"x": 1}), obj("b", v={"x": 2})],
            ".v",
            "Field {.v} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable type: map[string]interface {}",
        ),
        (
            [obj("a", v=True), obj("b", v=False)],
            ".v",
            "Field {.v} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable type: bool",
        ),
        (
            [obj("a")],
            "{.a}{.b}",
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
        ),
        ([obj("a")], ".a[", "unterminated array"),
    ],
)
def test_errors(objs, path, message):
    with pytest.raises(SortError) as err:
        sort_objects(objs, path)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("a", "b", "less"),
    [
        ("a", "b", True),
        ("b", "a", False),
        ("a2", "a10", True),
        ("a10", "a2", False),
        ("a02", "a2", False),
        ("a2", "a02", True),
        ("1x", "x", True),  # digits sort before other characters
        ("x", "1x", False),
        ("abc", "abcd", True),
        ("same", "same", False),
        ("Z", "a", True),  # bytewise
        ("é", "z", False),
    ],
)
def test_natural_less(a, b, less):
    assert natural_less(a, b) is less


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", "0"),
        ("1", "1"),
        ("500m", "0.5"),
        ("1.5Gi", str(1.5 * 2**30)),
        ("2Ki", "2048"),
        ("1e3", "1000"),
        ("1E-2", "0.01"),
        ("1E", "1000000000000000000"),
        ("-1k", "-1000"),
        ("+5", "5"),
        ("m", "0"),  # upstream accepts a bare suffix as zero
        ("-", "0"),
        (".5", "0.5"),
    ],
)
def test_quantity_values(text, value):
    from decimal import Decimal

    assert parse_quantity_value(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "Running", "1mk", "1K", "e", "1.2.3", "10 ", "web-1"])
def test_not_quantities(text):
    assert parse_quantity_value(text) is None
