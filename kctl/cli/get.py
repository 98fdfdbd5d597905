"""kctl get: kubectl's ``get`` over the cluster (kubectl/pkg/cmd/get/get.go).

- Tables (default, ``-o wide``): one per kind, server order; ``-A`` adds NAMESPACE;
  several kinds (``get deploy,svc``, ``get all``) print ``kind.group/name`` NAME cells and
  a blank line between tables; nothing found -> ``No resources found in <ns> namespace.``
  on stderr (``No resources found`` with ``-A``), exit 0.
- ``-o json|yaml|name|jsonpath|custom-columns``: exactly one object named on the command
  line prints that object; anything else prints a ``List`` (also when 0 or 1 match).
- Errors: each missing name prints ``Error from server (NotFound): ...`` on stderr after
  the found objects are printed, and the command exits 1 (``--ignore-not-found``: silent).
  A single named object that is missing prints only the error (``printGeneric``).
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import ReadNamespace
from kctl.cli.output import err, out

#: What ``-o`` accepts, as kubectl lists it in its "unable to match a printer" error.
ALLOWED_FORMATS = (
    "custom-columns", "custom-columns-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file",
    "name", "wide", "yaml",
)
_TEMPLATE_FORMATS = ("jsonpath", "jsonpath-file", "jsonpath-as-json", "custom-columns", "custom-columns-file")


def unable_to_match_printer(output: str) -> CommandError:
    return CommandError(
        f'unable to match a printer suitable for the output format "{output}", '
        f"allowed formats are: {','.join(ALLOWED_FORMATS)}"
    )


def parse_output(output: str | None) -> tuple[str, str | None]:
    """``-o`` -> (format, template argument). ``None``/``""`` is the table."""
    if not output:
        return "", None
    fmt, sep, arg = output.partition("=")
    if fmt in ("wide", "name", "json", "yaml") and not sep:
        return fmt, None
    if fmt in _TEMPLATE_FORMATS:
        if not arg:
            if fmt.startswith("custom-columns"):
                raise CommandError("custom-columns format specified but no custom columns given")
            raise CommandError("template format specified but no template given")
        return fmt, arg
    raise unable_to_match_printer(output)


def missing_resource_type(verb: str) -> CommandError:
    """kubectl's answer to ``kubectl VERB`` without a type: a hint, then the error."""
    err(f'You must specify the type of resource to {verb}. Use "kctl api-resources" for a complete list of '
        "supported resources.\n")
    return CommandError(
        "Required resource not specified.\n"
        'Use "kctl explain <resource>" for a detailed description of that resource (e.g. kctl explain pods).\n'
        f"See 'kctl {verb} -h' for help and examples"
    )


def label_column_keys(values: list[str] | None) -> list[str]:
    """``-L a,b -L c`` -> ``[a, b, c]`` (kubectl splits each value on commas)."""
    keys: list[str] = []
    for v in values or ():
        keys.extend(k.strip() for k in v.split(",") if k.strip())
    return keys


def get(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ..."),
    namespace: ReadNamespace = None,
    all_namespaces: bool = typer.Option(False, "--all-namespaces", "-A", help="List the requested objects across all namespaces."),
    selector: str = typer.Option(None, "--selector", "-l", help="Label selector to filter on, e.g. -l app=web,tier!=db."),
    field_selector: str = typer.Option(None, "--field-selector", help="Field selector to filter on, e.g. --field-selector status.phase=Running."),
    output: str = typer.Option(None, "--output", "-o", help="wide, name, json, yaml, jsonpath=..., jsonpath-file=..., jsonpath-as-json=..., custom-columns=..., custom-columns-file=..."),
    sort_by: str = typer.Option(None, "--sort-by", help="Sort by a JSONPath expression, e.g. .metadata.name or {.status.startTime}."),
    show_labels: bool = typer.Option(False, "--show-labels", help="Show all labels as the last column."),
    label_columns: list[str] = typer.Option(None, "--label-columns", "-L", help="Label keys to show as columns (comma-separated, repeatable)."),
    no_headers: bool = typer.Option(False, "--no-headers", help="Don't print headers (tables and custom columns)."),
    show_kind: bool = typer.Option(False, "--show-kind", help="List the resource type with each name."),
    ignore_not_found: bool = typer.Option(False, "--ignore-not-found", help="Treat objects that are not found as a success."),
    show_managed_fields: bool = typer.Option(False, "--show-managed-fields", help="Keep managedFields in json and yaml output."),
    allow_missing_template_keys: bool = typer.Option(True, "--allow-missing-template-keys/--no-allow-missing-template-keys", help="Ignore missing keys in jsonpath templates."),
) -> None:
    """Display one or many resources.

    Prints a table of the most important information about the given resources. Filter
    with a label selector (-l) or a field selector (--field-selector). Types may be given
    by plural, singular, short name or Kind; several at once as deploy,svc; `all` lists
    the common workload kinds.

    Examples:
      # List all pods in the default namespace, with their node and IP
      kctl get pods -o wide

      # List deployments and services together, across all namespaces
      kctl get deploy,svc -A

      # Print one deployment as YAML
      kctl get deployment web -o yaml

      # Print the names of the running pods labelled app=web
      kctl get pods -l app=web --field-selector status.phase=Running -o name

      # Print each pod's name and node
      kctl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName
    """
    fmt, template = parse_output(output)
    from kctl.cli.args import parse_resource_args
    from kctl.cli.selection import effective_namespace, select
    from kctl.cli.session import read_session

    if not args:
        raise missing_resource_type("get")
    selection = parse_resource_args(args)
    with read_session(ctx) as s:
        found = select(
            s.api, selection, namespace=namespace, all_namespaces=all_namespaces,
            label_selector=selector, field_selector=field_selector, ignore_not_found=ignore_not_found,
        )
        now = s.now
    for w in found.warnings:
        err(w)
    errors = list(found.errors)
    if fmt in ("", "wide"):
        written = _print_human(
            found, now, sort_by=sort_by, wide=fmt == "wide", all_namespaces=all_namespaces,
            show_labels=show_labels, label_columns=label_column_keys(label_columns), no_headers=no_headers,
            show_kind=show_kind,
        )
        if not written and not ignore_not_found and not errors:
            # kubectl only looks at returned objects, so an empty `get nodes` still says
            # "in default namespace."
            err(_no_resources(effective_namespace(namespace), not all_namespaces))
    else:
        if found.single_named and errors:
            _fail(errors)
        if found.objects or not ignore_not_found:
            _print_generic(
                found, fmt, template, sort_by=sort_by, no_headers=no_headers,
                show_managed_fields=show_managed_fields, allow_missing_keys=allow_missing_template_keys,
            )
    if errors:
        _fail(errors)


def _no_resources(namespace: str, all_namespaced: bool) -> str:
    from kctl.printers.table import no_resources_message

    return no_resources_message(namespace if all_namespaced else None)


def _fail(errors: list) -> None:
    for e in errors:
        err(e.render() if hasattr(e, "render") else f"error: {e}")
    raise typer.Exit(1)


def _sorted(objects: list[dict], sort_by: str) -> list[dict]:
    from kctl.printers.sorting import SortError, sort_objects

    try:
        return sort_objects(objects, sort_by)
    except SortError as e:
        raise CommandError(str(e)) from None


def _print_human(found, now, *, sort_by, wide, all_namespaces, show_labels, label_columns, no_headers, show_kind) -> bool:
    """Tables as kubectl's human-readable printer writes them; True when anything was written."""
    from kctl.printers.table import print_table, print_tables

    if sort_by:
        # kubectl sorts every object found, then prints a new table whenever the kind changes.
        ordered = _sorted(found.objects, sort_by)
        type_by_id = {id(o): rt for rt, o in found.typed_objects()}
        groups: list = []
        for obj in ordered:
            rt = type_by_id[id(obj)]
            if groups and groups[-1][0] == rt:
                groups[-1][1].append(obj)
            else:
                groups.append((rt, [obj]))
    else:
        groups = [(rt, objs) for rt, objs in found.groups if objs]
    if not groups:
        return False
    kinds = {rt for rt, _ in groups}
    options = dict(now=now, wide=wide, all_namespaces=all_namespaces, show_labels=show_labels,
                   label_columns=label_columns, no_headers=no_headers)
    if found.multi_type or show_kind or len(kinds) > 1:
        text = print_tables(groups, show_kind=True, **options)
    else:
        text = print_table(groups[0][1], groups[0][0], **options)
    out(text)
    return bool(text)


def _print_generic(found, fmt, template, *, sort_by, no_headers, show_managed_fields, allow_missing_keys) -> None:
    """``printGeneric``: the single named object, or every object in one List."""
    objects = found.objects
    if sort_by:
        objects = _sorted(objects, sort_by)
    single = found.single_named and len(objects) == 1
    if fmt in ("json", "yaml", "name"):
        from kctl.printers.serialize import format_objects

        out(format_objects(objects, fmt, single=single, show_managed_fields=show_managed_fields))
        return
    from kctl.printers.serialize import list_wrapper

    obj = objects[0] if single else list_wrapper(objects)
    if fmt.startswith("jsonpath"):
        from kctl.printers.jsonpath import JSONPathError, JSONPathPrinter, read_template_file

        try:
            text = read_template_file(template) if fmt == "jsonpath-file" else template
            printer = JSONPathPrinter(text, allow_missing_keys=allow_missing_keys, json_output=fmt == "jsonpath-as-json")
            result = printer.print_obj(obj)
        except JSONPathError as e:
            raise CommandError(str(e).rstrip("\n")) from None
        import sys

        sys.stdout.write(result)
        return
    from kctl.printers.custom_columns import (
        CustomColumnsError,
        parse_custom_columns_spec,
        print_custom_columns,
        read_custom_columns_file,
    )

    try:
        columns = read_custom_columns_file(template) if fmt == "custom-columns-file" else parse_custom_columns_spec(template)
        text = print_custom_columns(obj, columns, no_headers=no_headers)
    except CustomColumnsError as e:
        raise CommandError(str(e).rstrip("\n")) from None
    out(text)


__all__ = ["ALLOWED_FORMATS", "get", "label_column_keys", "parse_output", "unable_to_match_printer"]
