"""kctl set selector: kubectl's ``set selector`` (``kubectl/pkg/cmd/set/set_selector.go``)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import AllInNamespace, DryRun, Namespace, Quiet, Recursive, Selector, WriteOutput
from kctl.cli.set_cmd.common import LOCAL_RESOURCE_ERROR, Filenames, Local, visit_objects, write

# -- set selector ------------------------------------------------------------------------------


def parse_to_label_selector(text: str) -> tuple[dict[str, str], list[dict]]:
    """``metav1.ParseToLabelSelector``: (matchLabels, matchExpressions)."""
    from kctl.api import labels

    try:
        selector = labels.parse(text)
    except labels.LabelSelectorError as e:
        raise CommandError(str(e)) from None
    match_labels: dict[str, str] = {}
    expressions: list[dict] = []
    operators = {labels.IN: "In", labels.NOT_IN: "NotIn", labels.NOT_EQUALS: "NotIn",
                 labels.EXISTS: "Exists", labels.DOES_NOT_EXIST: "DoesNotExist"}
    for r in selector.requirements:
        if r.operator in (labels.EQUALS, labels.DOUBLE_EQUALS):
            match_labels[r.key] = r.values[0]
        elif r.operator in operators:
            expressions.append({"key": r.key, "operator": operators[r.operator], "values": list(r.values)})
        else:
            raise CommandError(f'"{r.operator}" isn\'t supported in label selectors')
    return match_labels, expressions


def selector_(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(-f FILENAME | TYPE NAME) EXPRESSIONS"),
    filenames: list[str] = Filenames,
    recursive: Recursive = False,
    namespace: Namespace = None,
    selector: Selector = None,
    all_: AllInNamespace = False,
    local: bool = Local,
    resource_version: str = typer.Option("", "--resource-version", help="Precondition: the current resourceVersion "
                                                                        "(a single object only)."),
    dry_run: DryRun = None,
    output: WriteOutput = None,
    quiet: Quiet = False,
) -> None:
    """Set the selector on a resource.

    The new selector replaces the old one. Only Services take a selector this way, and only
    an equality-based one.

    Examples:
      # Point the service web at the pods labeled app=web,track=canary
      kctl set selector service web 'app=web,track=canary'
    """
    from kctl.api.server.apiserver import deep_copy
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output

    mode = dry_run_mode(dry_run)
    _check_output(output)
    args = list(args or [])
    resources_, expression = args[:-1], (args[-1] if args else None)
    match_labels, expressions = parse_to_label_selector(expression) if expression is not None else ({}, [])
    if expression is None:
        raise CommandError("one selector is required")
    if local and resources_:
        raise CommandError(LOCAL_RESOURCE_ERROR)

    def updated(obj: dict) -> dict:
        if obj.get("kind") != "Service":
            raise CommandError("setting a selector is only supported for Services")
        if expressions:
            text = " ".join(f"{{{e['key']} {e['operator']} [{' '.join(e['values'])}]}}" for e in expressions)
            raise CommandError(f"match expression [{text}] not supported on this object")
        obj = deep_copy(obj)
        spec = obj.setdefault("spec", {})
        if match_labels:
            spec["selector"] = dict(match_labels)
        else:
            spec.pop("selector", None)
        return obj

    def visit(t, api, printer) -> None:  # upstream's Visit: the first error ends the command
        from kctl.api.errors import StatusError, new_conflict
        from kctl.cli.targets import not_found_text

        if t.obj is None:
            raise CommandError(not_found_text(t.rt, t.name))
        obj = updated(t.obj)
        if api is not None and resource_version and resource_version != t.obj["metadata"].get("resourceVersion"):
            raise new_conflict(t.rt, t.name)
        try:
            stored = write(api, obj, mode)
        except StatusError:
            printer.flush()
            raise
        printer.print(stored, "selector updated")

    visit_objects(ctx, args=resources_, filenames=filenames, recursive=recursive, namespace=namespace,
                  selector=selector, all_=all_, local=local, mode=mode, output=output, quiet=quiet, visit=visit,
                  missing_first=False)
