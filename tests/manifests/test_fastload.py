"""The event-stream builder gives exactly what PyYAML's safe constructor (with
kctl's scalar rules) gives, on every sample and on YAML's tricky corners."""

from __future__ import annotations

from pathlib import Path

import pytest

from kctl.manifests.fastload import iter_documents, resolve_plain
from kctl.manifests.yamlload import ManifestLoader

ROOT = Path(__file__).resolve().parents[2]

CASES = [
    'a: [1, "x", {b: c}]\nd: &x yes\ne: *x\nf: 2024-01-01\ng: 0x1F\nh: 1:20\ni: ~\nj: "1"\nk: 1.5\n---\nz: 1\n',
    "a: &m {x: 1, y: 2}\nb:\n  <<: *m\n  y: 3\n",
    "b:\n  <<: [{x: 1}, {y: 2, x: 5}]\n  y: 3\n",
    "a: &a {p: 1}\nb: {<<: [*a, {q: 2}], r: 3}\n",
    "m: [[1, [2]], 3]\nn: {}\no: []\np: ''\nq: null\nr: -0.5e3\ns: .inf\nt: 0o17\nu: 017\nv: +12\nw: 1_000\n",
    "x: |\n  multi\n  line\ny: >\n  folded\n  text\nz: !!str 12\nzz: !!int '7'\n",
    "k: on\nl: Off\nm: y\nn: NO\n",
    "1: one\ntrue: yes\n~: nothing\n",
]


def slow(text: str) -> list:
    loader = ManifestLoader(text)
    out = []
    try:
        while loader.check_node():
            out.append(loader.construct_document(loader.get_node()))
    finally:
        loader.dispose()
    return out


@pytest.mark.parametrize("text", CASES)
def test_same_data_as_the_constructor(text):
    assert [d.data for d in iter_documents(text)] == slow(text)


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "samples").rglob("*") if p.suffix in (".yaml", ".yml", ".json")))
def test_same_data_on_samples(path):
    text = path.read_text()
    assert [d.data for d in iter_documents(text)] == slow(text)


def test_duplicates_are_reported_with_paths():
    docs = list(iter_documents("a: 1\na: 2\nb: {c: 1, c: 2}\nl: [{q: 1}, {q: 2, q: 3}]\n"))
    assert docs[0].duplicates == [("a",), ("b", "c"), ("l", 1, "q")]
    assert docs[0].data == {"a": 2, "b": {"c": 2}, "l": [{"q": 1}, {"q": 3}]}


def test_document_spans_and_root_marks():
    text = "# head\n---\na: 1\n---\n\nb: 2\n"
    first, second = iter_documents(text)
    assert text[first.start:first.end].startswith("---\na: 1")
    assert first.root_mark == (3, 1) and second.root_mark == (6, 1)


@pytest.mark.parametrize(("plain", "value"), [("12", 12), ("1.5", 1.5), ("yes", True), ("~", None), ("web", "web"),
                                                ("2024-01-01", "2024-01-01"), ("0x10", 16), ("1e3", 1000.0), ("-", "-")])
def test_plain_scalar_resolution(plain, value):
    assert resolve_plain(plain) == value
