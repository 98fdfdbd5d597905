"""kctl label / kctl annotate: kubectl's ``label`` and ``annotate`` (k8s.io/kubectl/pkg/cmd/label,
pkg/cmd/annotate): ``key=value`` sets, ``key-`` removes, ``--overwrite`` guards existing
values, ``--resource-version`` makes the update conditional."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import (
    AllInNamespace,
    AllNamespaces,
    DryRun,
    FieldSelector,
    Namespace,
    Quiet,
    Recursive,
    Selector,
    WriteOutput,
)
from kctl.cli.output import exit_on_errors, out

MSG_NOT_LABELED = "not labeled"
MSG_LABELED = "labeled"
MSG_UNLABELED = "unlabeled"
MSG_LABELS_CHANGED = "label(s) changed"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"


def resources_and_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: resource arguments first, then ``k=v`` / ``k-`` pairs."""
    resources: list[str] = []
    pairs: list[str] = []
    for s in args:
        is_pair = ("=" in s and not s.startswith("=")) or (s.endswith("-") and s != "-")
        if is_pair:
            pairs.append(s)
        elif pairs:
            raise CommandError(f"all resources must be specified before {pair_type} changes: {s}")
        else:
            resources.append(s)
    return resources, pairs


def parse_labels(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label's parseLabels: ``k=v`` (exactly one ``=``, valid label value), ``k-``."""
    from kctl.api.labels import is_valid_label_value

    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise CommandError(f"invalid label spec: {spec}")
            problems = is_valid_label_value(parts[1])
            if problems:
                raise CommandError(f'invalid label value: "{spec}": {";".join(problems)}')
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise CommandError(f"unknown label spec: {spec}")
    if any(key in labels for key in remove):
        raise CommandError("can not both modify and remove a label in the same command")
    return labels, remove


def parse_annotations(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """annotate's parseAnnotations: ``k=v`` (the value may hold ``=``), ``k-``."""
    annotations: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            key, _, value = spec.partition("=")
            if not key:
                raise CommandError(f"invalid annotation spec: {spec}")
            annotations[key] = value
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise CommandError(f"unknown annotation spec: {spec}")
    if any(key in annotations for key in remove):
        raise CommandError("can not both modify and remove an annotation in the same command")
    return annotations, remove


def label_change_message(old: dict, new: dict) -> str:
    """updateDataChangeMsg."""
    unlabeled = any(k not in new for k in old)
    labeled = any(k in new and new[k] != v for k, v in old.items()) or any(k not in old for k in new)
    if labeled and unlabeled:
        return MSG_LABELS_CHANGED
    if labeled:
        return MSG_LABELED
    if unlabeled:
        return MSG_UNLABELED
    return MSG_NOT_LABELED


def overwrite_errors_labels(current: dict, wanted: dict) -> list[str]:
    return [f"'{k}' already has a value ({current[k]}), and --overwrite is false"
            for k, v in wanted.items() if k in current and current[k] != v]


def overwrite_error_annotations(current: dict, wanted: dict) -> str | None:
    found = [f"'{k}' already has a value ({current[k]})" for k, v in wanted.items()
             if k != CHANGE_CAUSE_ANNOTATION and k in current and current[k] != v]
    if not found:
        return None
    return "--overwrite is false but found the following declared annotation(s): " + "; ".join(found)


def label_edit(labels: dict[str, str], remove: list[str], overwrite: bool):
    """label's update of one object: ``(object, message, notes)``; a removed key the object
    lacks is a note (``label "k" not found.``), a changed value without ``--overwrite`` an error."""

    def edit(obj: dict) -> tuple[dict | None, str, list[str]]:
        meta = obj.setdefault("metadata", {})
        current = dict(meta.get("labels") or {})
        notes = [f'label "{k}" not found.' for k in remove if k not in current]
        if not overwrite:
            problems = overwrite_errors_labels(current, labels)
            if problems:
                raise CommandError("\nerror: ".join(problems))
        new = {**current, **labels}
        for k in remove:
            new.pop(k, None)
        meta["labels"] = new
        return obj, label_change_message(current, new), notes

    return edit


def annotation_edit(annotations: dict[str, str], remove: list[str], overwrite: bool):
    """annotate's update of one object: ``(object, "annotated", [])``; an emptied map is dropped."""

    def edit(obj: dict) -> tuple[dict | None, str, list[str]]:
        meta = obj.setdefault("metadata", {})
        current = dict(meta.get("annotations") or {})
        if not overwrite:
            problem = overwrite_error_annotations(current, annotations)
            if problem:
                raise CommandError(problem)
        new = {**current, **annotations}
        for k in remove:
            new.pop(k, None)
        meta["annotations"] = new
        if not new:
            meta.pop("annotations")
        return obj, "annotated", []

    return edit


def _metadata_verb(verb: str, what: str, pair_type: str, parse, make_edit, doc: str):
    """``kctl label`` / ``kctl annotate``: the same flags (their help naming ``what``), checks and
    flow; ``parse`` reads the ``k=v`` / ``k-`` pairs, ``make_edit(changes, remove, overwrite)``
    updates one object."""

    def command(
        ctx: typer.Context,
        args: list[str] = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME) KEY_1=VAL_1 ... KEY_N=VAL_N"),
        overwrite: bool = typer.Option(False, "--overwrite", help=f"Allow existing {what} to be overwritten."),
        list_: bool = typer.Option(False, "--list", help=f"Show the {what} of the objects."),
        resource_version: str = typer.Option(None, "--resource-version", help="Only update if this is the current resourceVersion."),
        filenames: list[str] = typer.Option(None, "--filename", "-f", help=f"Files naming the objects to {verb}."),
        recursive: Recursive = False,
        namespace: Namespace = None,
        all_namespaces: AllNamespaces = False,
        selector: Selector = None,
        field_selector: FieldSelector = None,
        all_: AllInNamespace = False,
        dry_run: DryRun = None,
        output: WriteOutput = None,
        quiet: Quiet = False,
    ) -> None:
        resources, pairs = resources_and_pairs(args or [], pair_type)
        changes, remove = parse(pairs)
        if list_ and output:
            raise CommandError("--list and --output may not be specified together")
        _check_selection(resources, filenames, all_, selector, field_selector)
        if not changes and not remove and not list_:
            raise CommandError(f"at least one {pair_type} update is required")
        _run(ctx, what, resources, filenames, recursive, namespace, all_namespaces, selector, field_selector, all_,
             dry_run, output, quiet, resource_version, list_, make_edit(changes, remove, overwrite))

    command.__name__ = command.__qualname__ = verb
    command.__doc__ = doc
    return command


label = _metadata_verb("label", "labels", "label", parse_labels, label_edit, """Update the labels on a resource.

    A key=value pair sets a label; key- removes it. Existing values are only replaced
    with --overwrite. With --resource-version the update only happens if the object is
    still at that version.

    Examples:
      # Label the deployment web with tier=frontend
      kctl label deployment web tier=frontend

      # Replace an existing value, and remove the label 'canary'
      kctl label --overwrite deployment web tier=backend canary-
    """)

annotate = _metadata_verb("annotate", "annotations", "annotation", parse_annotations, annotation_edit,
                          """Update the annotations on a resource.

    A key=value pair sets an annotation (the value may contain '='); key- removes it.
    Existing values are only replaced with --overwrite.

    Examples:
      # Record why the deployment changed
      kctl annotate deployment web kubernetes.io/change-cause="nginx 1.26"

      # Remove the annotation 'owner'
      kctl annotate deployment web owner-
    """)


def _check_selection(resources, filenames, all_, selector, field_selector) -> None:
    if all_ and selector:
        raise CommandError("cannot set --all and --selector at the same time")
    if all_ and field_selector:
        raise CommandError("cannot set --all and --field-selector at the same time")
    if not resources and not filenames:
        raise CommandError("one or more resources must be specified as <resource> <name> or <resource>/<name>")


def _run(ctx, what, resources, filenames, recursive, namespace, all_namespaces, selector, field_selector, all_,
         dry_run, output, quiet, resource_version, list_, edit) -> None:
    """Resolve the objects, edit each one's metadata, write the changed ones, print kubectl's lines."""
    from kctl.api.errors import StatusError
    from kctl.api.server.apiserver import deep_copy
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output
    from kctl.cli.dry_run import dry_run_session
    from kctl.cli.resource_builder import load_filenames, select_targets
    from kctl.cli.results import OperationPrinter
    from kctl.cli.targets import not_found_text

    mode = dry_run_mode(dry_run)
    _check_output(output)
    loaded = load_filenames(filenames, recursive)
    writes = mode != "client" and not list_
    errors: list[str] = []
    printer = OperationPrinter(output, mode)
    with dry_run_session(ctx, mode, quiet, writes=writes) as s:
        targets = select_targets(s.api, loaded, resources, namespace, selector=selector, all_=all_,
                                 all_namespaces=all_namespaces, field_selector=field_selector)
        one = len(targets) == 1 and not (selector or field_selector or all_)
        if resource_version and not one:
            raise CommandError("--resource-version may only be used with a single resource")
        for t in targets:
            if t.obj is None:
                errors.append(not_found_text(t.rt, t.name))
                continue
            if list_:
                _list_metadata(t, what, one)
                continue
            try:
                obj, message, notes = edit(deep_copy(t.obj))
            except CommandError as e:
                errors.append(f"error: {e.message}")
                continue
            if resource_version:
                obj["metadata"]["resourceVersion"] = resource_version
            for note in notes:
                out(note)
            stored = obj
            if writes:
                try:
                    stored = s.api.update(obj, dry_run=mode == "server")
                except StatusError as e:
                    errors.append(e.render())
                    continue
            printer.print(stored, message)
        printer.flush()
    exit_on_errors(errors)


def _list_metadata(t, what: str, one: bool) -> None:
    values = (t.obj.get("metadata") or {}).get(what) or {}
    indent = ""
    if not one:
        indent = " "
        out(f"Listing {what} for {t.rt.kind}.{t.rt.group}/{t.name}:")
    for k in sorted(values):
        out(f"{indent}{k}={values[k]}")


__all__ = ["label", "annotate", "parse_labels", "parse_annotations", "label_change_message", "resources_and_pairs"]
