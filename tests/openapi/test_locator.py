from __future__ import annotations

from pathlib import Path

import kctl
from kctl.api.openapi import locator


def test_wheel_location_is_tried_before_the_repository():
    package = Path(kctl.__file__).resolve().parent
    assert locator.candidate_dirs() == [package / "_schemas", package.parent / "schemas"]


def test_repository_schemas_are_found_from_a_checkout():
    found = locator.schemas_dir()
    assert (found / "index.json").is_file()
    assert (found / "defs" / "io.k8s.api.apps.v1.json").is_file()


def test_first_candidate_with_an_index_wins(tmp_path, monkeypatch):
    wheel, repo = tmp_path / "_schemas", tmp_path / "schemas"
    for d in (wheel, repo):
        d.mkdir()
    (repo / "index.json").write_text("{}")
    monkeypatch.setattr(locator, "candidate_dirs", lambda: [wheel, repo])
    locator.schemas_dir.cache_clear()
    try:
        assert locator.schemas_dir() == repo
        (wheel / "index.json").write_text("{}")
        locator.schemas_dir.cache_clear()
        assert locator.schemas_dir() == wheel
    finally:
        locator.schemas_dir.cache_clear()


def test_missing_schemas_raise(tmp_path, monkeypatch):
    monkeypatch.setattr(locator, "candidate_dirs", lambda: [tmp_path / "nope"])
    locator.schemas_dir.cache_clear()
    try:
        try:
            locator.schemas_dir()
        except locator.SchemasNotFound as e:
            assert "nope" in str(e)
        else:
            raise AssertionError("expected SchemasNotFound")
    finally:
        locator.schemas_dir.cache_clear()
