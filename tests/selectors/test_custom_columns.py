"""-o custom-columns / custom-columns-file: exact output and kubectl's spec errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kctl.printers.custom_columns import (
    Column,
    CustomColumnsError,
    _minimal_tabwrite,
    parse_custom_columns_spec,
    parse_custom_columns_template,
    print_custom_columns,
    print_custom_columns_spec,
    read_custom_columns_file,
)

GOLDEN = Path(__file__).parent / "golden"

POD_LIST = {
    "apiVersion": "v1",
    "kind": "List",
    "metadata": {"resourceVersion": ""},
    "items": [
        {
            "kind": "Pod",
            "metadata": {"name": "web-7c5ddbdf54-2xkqz", "resourceVersion": "1024"},
            "spec": {"nodeName": "node-1", "containers": [{"image": "nginx:1.25"}, {"image": "busybox"}]},
        },
        {
            "kind": "Pod",
            "metadata": {"name": "web-7c5ddbdf54-9hq2d", "resourceVersion": "10"},
            "spec": {"containers": [{"image": "nginx:1.25"}]},
        },
        {"kind": "Pod", "metadata": {"name": "x"}},
    ],
}

SPEC = "NAME:.metadata.name,RSRC:.metadata.resourceVersion,NODE:{.spec.nodeName},IMAGES:spec.containers[*].image"


def test_golden_table():
    assert print_custom_columns_spec(POD_LIST, SPEC) == (GOLDEN / "custom_columns_pods.txt").read_text()


def test_no_headers_and_header_case_kept():
    out = print_custom_columns_spec(POD_LIST["items"][:1], "name:.metadata.name,Node Name:.spec.nodeName", True)
    assert out == "web-7c5ddbdf54-2xkqz   node-1\n"
    out = print_custom_columns_spec(POD_LIST["items"][:1], "name:.metadata.name,Node Name:.spec.nodeName")
    assert out.splitlines()[0] == "name                   Node Name"


def test_single_object_and_empty_list():
    assert print_custom_columns_spec(POD_LIST["items"][2], "N:.metadata.name") == "N\nx\n"
    # Upstream prints the header even when the list is empty.
    assert print_custom_columns_spec({"kind": "List", "items": []}, "NAME:.metadata.name") == "NAME\n"
    assert print_custom_columns_spec({"kind": "List", "items": []}, "NAME:.metadata.name", no_headers=True) == ""


def test_values_print_as_go_v():
    obj = {
        "metadata": {"name": "a", "labels": {"b": "2", "a": "1"}},
        "spec": {"ports": [{"port": 80, "protocol": "TCP"}], "ratio": 0.5, "big": 1e6, "flag": False, "nil": None},
    }
    spec = "L:.metadata.labels,P:.spec.ports,R:.spec.ratio,B:.spec.big,F:.spec.flag,N:.spec.nil,E:.metadata.name"
    row = print_custom_columns_spec(obj, spec, no_headers=True)
    assert row == "map[a:1 b:2]   [map[port:80 protocol:TCP]]   0.5   1e+06   false   <nil>   a\n"


def test_terminal_escapes_are_neutralised():
    obj = {"metadata": {"name": "evil\x1b[31m\r"}}
    assert print_custom_columns_spec(obj, "N:.metadata.name", True) == "evil^[[31m\\r\n"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "custom-columns format specified but no custom columns given"),
        ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
        ("NAME:.metadata.name,BAD", "unexpected custom-columns spec: BAD, expected <header>:<json-path-expr>"),
        (
            "N:{.a}{.b}",
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
        ),
    ],
)
def test_spec_errors(spec, message):
    with pytest.raises(CustomColumnsError) as err:
        parse_custom_columns_spec(spec)
    assert str(err.value) == message


def test_path_errors_surface_from_the_printer():
    with pytest.raises(CustomColumnsError) as err:
        print_custom_columns_spec(POD_LIST, "N:.spec.containers[")
    assert str(err.value) == "unterminated array"
    with pytest.raises(CustomColumnsError) as err:
        print_custom_columns_spec(POD_LIST, "N:.metadata[0]")
    assert str(err.value) == "map[string]interface {} is not array or slice"


def test_header_split_on_first_colon_only():
    assert parse_custom_columns_spec("A:B:.x") == [Column("A", "{.B:.x}")]


def test_template_form():
    cols = parse_custom_columns_template("NAME   RSRC\n.metadata.name   {.metadata.resourceVersion}\n")
    assert cols == [Column("NAME", "{.metadata.name}"), Column("RSRC", "{.metadata.resourceVersion}")]
    assert print_custom_columns(POD_LIST["items"][:2], cols) == (
        "NAME                   RSRC\nweb-7c5ddbdf54-2xkqz   1024\nweb-7c5ddbdf54-9hq2d   10\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "invalid template, missing header line. Expected format is one line of space separated headers, "
            "one line of space separated column specs.",
        ),
        (
            "NAME\n",
            "invalid template, missing spec line. Expected format is one line of space separated headers, "
            "one line of space separated column specs.",
        ),
        ("NAME RSRC\n.metadata.name\n", "number of headers (2) and field specifications (1) don't match"),
    ],
)
def test_template_errors(text, message):
    with pytest.raises(CustomColumnsError) as err:
        parse_custom_columns_template(text)
    assert str(err.value) == message


def test_template_file(tmp_path):
    path = tmp_path / "cols.txt"
    path.write_text("NAME\r\n{.metadata.name}\r\n")
    assert read_custom_columns_file(str(path)) == [Column("NAME", "{.metadata.name}")]
    with pytest.raises(CustomColumnsError) as err:
        read_custom_columns_file(str(tmp_path / "missing"))
    assert str(err.value).startswith(f"error reading template {tmp_path / 'missing'}, open ")


def test_private_tabwriter_fallback_matches_kubectl_spacing():
    rows = [["NAME", "RSRC", "X"], ["a", "1024", "y"]]
    assert _minimal_tabwrite(rows) == "NAME   RSRC   X\na      1024   y\n"
