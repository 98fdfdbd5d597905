"""`kctl lint` as users run it: exit codes, stdin, options, hostile input, big files."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from kctl.cli import app
from tests.lint.test_parallel import CRD

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""


def lint(*args, input=None):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["lint", *args], input=input)
    return result.exit_code, result.stdout


def test_valid_file_exits_0_and_prints_nothing(tmp_path):
    (tmp_path / "d.yaml").write_text(DEPLOYMENT)
    assert lint(str(tmp_path / "d.yaml")) == (0, "")


def test_invalid_file_exits_1_with_file_line_column(tmp_path):
    (tmp_path / "d.yaml").write_text(DEPLOYMENT.replace("replicas", "x").replace("image: nginx:1.27", "image: nginx:1.27\n        imagePolicy: x"))
    code, out = lint(str(tmp_path / "d.yaml"))
    assert code == 1
    assert out == f'{tmp_path}/d.yaml:15:9: Deployment/web: spec.template.spec.containers[0].imagePolicy: unknown field "imagePolicy"\n'


def test_no_strict_lets_unknown_and_duplicate_fields_pass(tmp_path):
    (tmp_path / "d.yaml").write_text(DEPLOYMENT.replace("image: nginx:1.27", "image: nginx:1.27\n        image: nginx:1.28\n        bogus: 1"))
    assert lint(str(tmp_path / "d.yaml"))[0] == 1
    assert lint("--no-strict", str(tmp_path / "d.yaml")) == (0, "")


def test_stdin_and_summary():
    code, out = lint("-", "--summary", input=DEPLOYMENT)
    assert code == 0
    assert out == "Summary: 1 resource found parsing stdin - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n"


@pytest.mark.parametrize("args", [[], ["-o", "xml", "x.yaml"], ["--bogus-flag", "x.yaml"]])
def test_usage_errors_exit_2(args):
    proc = subprocess.run([sys.executable, "-m", "kctl", "lint", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ")


def test_missing_file_and_missing_kind_are_errors(tmp_path):
    (tmp_path / "nokind.yaml").write_text("apiVersion: v1\nmetadata: {name: x}\n")
    code, out = lint(str(tmp_path / "nokind.yaml"), str(tmp_path / "nope.yaml"), "-o", "json")
    assert code == 1
    report = json.loads(out)
    assert [(r["status"], r["msg"]) for r in report["resources"]] == [
        ("statusError", "kind not set"),
        ("statusError", f'the path "{tmp_path}/nope.yaml" does not exist'),
    ]


def test_unknown_kinds_skip_and_ignore_missing_schemas(tmp_path):
    (tmp_path / "w.yaml").write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")
    assert lint(str(tmp_path / "w.yaml"))[0] == 1
    assert lint("--ignore-missing-schemas", str(tmp_path / "w.yaml")) == (0, "")
    assert lint("--skip", "Widget", str(tmp_path / "w.yaml")) == (0, "")


def test_crd_in_the_same_run_validates_its_resources(tmp_path):
    (tmp_path / "a-widget.yaml").write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n")
    (tmp_path / "b-crd.yaml").write_text(CRD)
    code, out = lint(str(tmp_path))
    assert code == 1
    assert "a-widget.yaml:4:14: Widget/w: spec.size: Invalid value: \"big\"" in out


def test_schema_location_kubeconform_layout(tmp_path):
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "widget-example-v1.json").write_text(json.dumps({
        "type": "object", "required": ["spec"],
        "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}},
    }))
    (tmp_path / "w.yaml").write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")
    code, out = lint("--schema-location", str(schemas), str(tmp_path / "w.yaml"))
    assert code == 1 and "Required value" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01binary", "binary data (a NUL byte) is not a manifest"),
        (b"kind: ConfigMap\ndata: {k: caf\xe9}\n", "invalid UTF-8"),
        (b"just a scalar\n", "not a scalar"),
        (b"- a\n- b\n", "not a list"),
        (b"[" * 100000 + b"]" * 100000, "nesting depth"),
    ],
)
def test_hostile_input_is_one_line_exit_1_no_traceback(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "kctl", "lint", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert message in proc.stdout
    assert len(proc.stdout.strip().splitlines()) == 1
    assert "Traceback" not in proc.stdout + proc.stderr


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{','.join(['*' + chr(96 + i)] * 9)}]")
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kctl", "lint", str(tmp_path / "bomb.yaml")], capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - start < 30
    assert proc.returncode == 1
    assert "document contains excessive aliasing" in proc.stdout


def test_a_20_mb_multi_document_file_lints_fine(tmp_path):
    doc = DEPLOYMENT.replace("name: web\n", "name: web-{i}\n", 1)
    parts, size, i = [], 0, 0
    while size < 20 * 1024 * 1024:
        text = doc.replace("{i}", str(i)) + "    # " + "x" * 1500 + "\n"
        parts.append(text)
        size += len(text) + 4
        i += 1
    path = tmp_path / "big.yaml"
    path.write_text("---\n".join(parts))
    proc = subprocess.run([sys.executable, "-m", "kctl", "lint", "--summary", str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-500:] + proc.stderr[-500:]
    assert proc.stdout.startswith(f"Summary: {i} resources found in 1 file - Valid: {i}")
