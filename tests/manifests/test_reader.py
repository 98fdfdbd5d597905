"""The manifest reader: formats, positions, and hostile input refused cleanly."""

from __future__ import annotations

import time

import pytest

from kctl.manifests import Manifest, ManifestError, expand_paths, read_sources
from kctl.manifests import sources as sources_mod
from kctl.manifests.reader import read_text


def read(text: str, name: str = "m.yaml") -> list:
    return list(read_text(text, name))


def test_multi_document_with_empty_and_comment_only_documents():
    out = read("# just a comment\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# end\n")
    assert [type(x) for x in out] == [Manifest]
    assert out[0].obj["metadata"]["name"] == "a"
    assert out[0].doc_index == 1  # the comment belongs to the first (empty) document


def test_comment_only_file_has_nothing_to_check():
    assert read("# nothing here\n") == []
    assert read("") == []


def test_json_document_is_read_with_positions():
    out = read('{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"}\n}\n', "p.json")
    assert out[0].kind == "Pod"
    assert out[0].position(("metadata", "name")) == (4, 24)


def test_list_wrapper_yields_its_items_with_item_paths():
    text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n"
    out = read(text)
    assert [m.kind for m in out] == ["ConfigMap", "Secret"]
    assert out[1].item_path == ("items", 1)
    assert out[1].position(("metadata", "name")) == (9, 20)


def test_typed_list_wrapper_such_as_deployment_list():
    out = read("apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: d}\n")
    assert [m.kind for m in out] == ["Deployment"]


def test_duplicate_keys_are_recorded_at_the_second_key():
    out = read("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n")
    m = out[0]
    assert m.obj["metadata"]["name"] == "b"
    assert [str(e) for e in m.decode_errors] == ['metadata.name: duplicate field "name"']
    assert m.position(m.decode_errors[0].path, at_key=True) == (5, 3)


def test_scalars_follow_kubernetes_yaml_not_yaml_timestamps():
    m = read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  day: 2024-01-01\n  t: 1:20\n  n: 0x1F\n")[0]
    assert m.obj["data"] == {"day": "2024-01-01", "t": "1:20", "n": 31}


def test_non_string_keys_become_strings():
    m = read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  1: one\n  true: yes\n")[0]
    assert m.obj["data"] == {"1": "one", "true": True}


def test_syntax_error_points_at_line_and_column():
    out = read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n")
    assert isinstance(out[0], ManifestError)
    assert out[0].line == 5 and out[0].message.startswith("yaml: ")


@pytest.mark.parametrize(
    ("text", "what"),
    [("just a string\n", "not a scalar"), ("- a\n- b\n", "not a list"), ("42\n", "not a scalar")],
)
def test_top_level_scalar_or_list_is_refused(text, what):
    (err,) = read(text)
    assert isinstance(err, ManifestError)
    assert err.message.endswith(what)
    assert (err.line, err.column) == (1, 1)


def test_billion_laughs_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n" + "\n".join("  " + line for line in lines) + "\n"
    start = time.perf_counter()
    (err,) = read(text)
    assert time.perf_counter() - start < 2  # a generous bound: the point is it does not explode
    assert isinstance(err, ManifestError)
    assert err.message == "yaml: document contains excessive aliasing"


def test_small_aliases_are_allowed():
    m = read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: &l {a: b}, annotations: *l}\n")[0]
    assert m.obj["metadata"]["annotations"] == {"a": "b"}


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "".join(" " * i + "a:\n" for i in range(3000)) + " " * 3000 + "x"])
def test_absurd_nesting_is_refused(text):
    (err,) = read(text)
    assert isinstance(err, ManifestError)
    assert "nesting depth" in err.message


def test_binary_and_non_utf8_files_are_refused(tmp_path):
    (tmp_path / "bin.yaml").write_bytes(b"apiVersion: v1\n\x00\x01\x02")
    (tmp_path / "latin1.yaml").write_bytes(b"apiVersion: v1\nkind: ConfigMap\ndata:\n  k: caf\xe9\n")
    errs = list(read_sources(expand_paths([str(tmp_path)])))
    assert [str(e) for e in errs] == [
        f"{tmp_path}/bin.yaml:2:1: binary data (a NUL byte) is not a manifest",
        f"{tmp_path}/latin1.yaml:4:9: invalid UTF-8 (byte 0xe9): manifests must be UTF-8 text",
    ]


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(sources_mod, "MAX_FILE_BYTES", 1024)
    (tmp_path / "big.yaml").write_text("a: b\n" * 1000)
    (err,) = list(read_sources(expand_paths([str(tmp_path / "big.yaml")])))
    assert err.message == "file is larger than the 0 MiB limit" or "limit" in err.message


def test_folders_and_recursion(tmp_path):
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "notes.txt").write_text("ignored")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.json").write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}')
    flat = [m.name for m in read_sources(expand_paths([str(tmp_path)]))]
    deep = [m.name for m in read_sources(expand_paths([str(tmp_path)], recursive=True))]
    assert flat == ["a"]
    assert deep == ["a", "b"]


def test_missing_path_is_an_error():
    (err,) = list(read_sources(expand_paths(["/no/such/file.yaml"])))
    assert str(err) == '/no/such/file.yaml: the path "/no/such/file.yaml" does not exist'
