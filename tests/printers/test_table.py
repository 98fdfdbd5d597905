"""Table mechanics: several kinds, --show-kind, empty results, cell escaping, fallbacks."""

from __future__ import annotations

from kctl.api.registry import resolve
from kctl.printers.columns import table_def_for
from kctl.printers.table import (
    escape_cell,
    label_column_header,
    no_resources_message,
    print_table,
    print_tables,
)

from .golden import NOW, assert_golden, load_fixture


def test_no_resources_message() -> None:
    assert no_resources_message("default") == "No resources found in default namespace."
    assert no_resources_message("dev", all_namespaces=True) == "No resources found"


def test_empty_table_prints_nothing() -> None:
    assert print_table([], resolve("pods"), now=NOW) == ""
    assert print_tables([(resolve("pods"), []), (resolve("svc"), [])], now=NOW) == ""


def test_escape_cell() -> None:
    assert escape_cell("line1\nline2") == "line1..."
    assert escape_cell("a\rb\nc") == "a..."
    assert escape_cell("form\ffeed") == "form..."
    assert escape_cell("\x1b[31mred") == "^[[31mred"
    assert escape_cell(None) == ""
    assert escape_cell(True) == "true"
    assert escape_cell(3) == "3"


def test_label_column_header() -> None:
    assert label_column_header("app.kubernetes.io/name") == "NAME"
    assert label_column_header("tier") == "TIER"


def test_several_kinds_golden() -> None:
    groups = [
        (resolve("pods"), load_fixture("pods.yaml")[:2]),
        (resolve("services"), load_fixture("services.yaml")[:2]),
        (resolve("deployments"), load_fixture("workloads.yaml")),
        (resolve("replicasets"), []),
        (resolve("hpa"), load_fixture("hpas.yaml")[:1]),
    ]
    text = print_tables(groups, now=NOW)
    text += "### -A --no-headers\n" + print_tables(groups, now=NOW, all_namespaces=True, no_headers=True)
    assert_golden("tables/several-kinds.txt", text)
    assert "3h4m\n\nNAME " in text
    assert "\nservice/web " in text
    assert "deployment.apps/web " in text
    assert "horizontalpodautoscaler.autoscaling/web " in text


def test_show_kind_uses_kind_and_group() -> None:
    out = print_table(load_fixture("ingresses.yaml")[:1], resolve("ing"), now=NOW, show_kind=True)
    assert out.splitlines()[1].startswith("ingress.networking.k8s.io/web   ")


def test_namespace_column_not_added_for_cluster_scoped_kinds() -> None:
    out = print_table(load_fixture("nodes.yaml"), resolve("nodes"), now=NOW, all_namespaces=True)
    assert out.startswith("NAME ")


def test_resource_type_inferred_from_objects() -> None:
    objects = load_fixture("services.yaml")
    assert print_table(objects, None, now=NOW) == print_table(objects, resolve("svc"), now=NOW)


def test_fallback_tables() -> None:
    # built-in kind without a printer: the apiserver default table convertor
    assert [c.name for c in table_def_for("rbac.authorization.k8s.io", "Role").columns] == ["Name", "Created At"]
    # custom resource without printer columns: NAME AGE
    assert [c.name for c in table_def_for("stable.example.com", "CronTab").columns] == ["Name", "Age"]


def test_event_table_has_no_name_column_by_default() -> None:
    out = print_table(load_fixture("events.yaml")[:1], resolve("events"), now=NOW)
    assert out.splitlines()[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
