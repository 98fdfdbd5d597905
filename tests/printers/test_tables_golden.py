"""Golden tables for every kind: default, -o wide, -A, --show-labels, -L (plus
--show-kind / --no-headers), from hand-written fixtures (``fixtures/*.yaml``)."""

from __future__ import annotations

import pytest

from kctl.api.registry import for_kind
from kctl.printers.table import print_table

from .golden import FIXTURES, NOW, assert_golden, load_fixture

FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("*.yaml"))

VARIANTS = [
    ("default", {}),
    ("wide", {"wide": True}),
    ("all-namespaces", {"all_namespaces": True}),
    ("show-labels", {"show_labels": True}),
    ("label-columns app,app.kubernetes.io/tier", {"label_columns": ("app", "app.kubernetes.io/tier")}),
    ("wide all-namespaces show-labels -L app", {"wide": True, "all_namespaces": True, "show_labels": True,
                                                "label_columns": ("app",)}),
    ("show-kind no-headers", {"show_kind": True, "no_headers": True}),
]


def render(objects: list[dict]) -> str:
    rt = for_kind(objects[0]["apiVersion"], objects[0]["kind"])
    out = []
    for title, kwargs in VARIANTS:
        out.append(f"### {title}\n")
        out.append(print_table(objects, rt, now=NOW, **kwargs))
    return "".join(out)


@pytest.mark.parametrize("fixture", FIXTURE_FILES)
def test_table_golden(fixture: str) -> None:
    objects = load_fixture(fixture)
    by_kind: dict[tuple[str, str], list[dict]] = {}
    for o in objects:
        by_kind.setdefault((o["apiVersion"], o["kind"]), []).append(o)
    text = "".join(render(group) for group in by_kind.values())
    assert_golden(f"tables/{fixture.removesuffix('.yaml')}.txt", text)
