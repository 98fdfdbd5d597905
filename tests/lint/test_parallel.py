"""Linting on several processes gives the same results, in the same order, as one."""

from __future__ import annotations

from kctl.lint import parallel
from kctl.lint.runner import Linter, LintOptions
from kctl.manifests import expand_paths, read_sources

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
"""


def test_parallel_matches_sequential_including_crds_in_other_files(tmp_path, monkeypatch):
    for i in range(40):
        (tmp_path / f"a{i:03d}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\ndata: {{k: v}}\n")
    (tmp_path / "b-widget.yaml").write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n")
    for i in range(40):
        (tmp_path / f"c{i:03d}.yaml").write_text(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: Bad_{i}}}\n")
    (tmp_path / "z-crd.yaml").write_text(CRD)
    sources = expand_paths([str(tmp_path)])
    monkeypatch.setattr(parallel, "MIN_FILES", 10)
    assert parallel.worker_count(sources) >= 1
    sequential = list(Linter(LintOptions()).run(read_sources(sources)))
    parallel_results = parallel.lint_sources(sources, LintOptions())
    key = [(r.filename, r.kind, r.name, r.status, [(f.path, f.message, f.line, f.column) for f in r.findings])
           for r in sequential]
    assert [(r.filename, r.kind, r.name, r.status, [(f.path, f.message, f.line, f.column) for f in r.findings])
            for r in parallel_results] == key
    widget = next(r for r in parallel_results if r.kind == "Widget")
    assert widget.status == "statusInvalid"
    assert [(f.path, f.line, f.column) for f in widget.findings] == [("spec.size", 4, 14)]
