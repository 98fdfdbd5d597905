"""kctl delete: kubectl's ``delete`` (k8s.io/kubectl/pkg/cmd/delete), over the API server's
garbage collector (dependents go with their owners; a namespace takes its contents)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import DryRun, FieldSelector, Namespace, Quiet, Recursive, Selector
from kctl.cli.output import dry_run_suffix, err, out

CASCADES = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")

IMMEDIATE_DELETION_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. "
    "The resource may continue to run on the cluster indefinitely."
)


def cascading_strategy(value: str) -> str:
    """cmdutil.GetCascadingStrategy: the propagation policy of ``--cascade``; the legacy
    booleans still work, with a deprecation warning."""
    if value in _TRUE or value in _FALSE:
        replacement = "background" if value in _TRUE else "orphan"
        err(f"W: --cascade={value} is deprecated (boolean value) and can be replaced with --cascade={replacement}.")
        return CASCADES[replacement]
    if value not in CASCADES:
        raise CommandError(f'invalid cascade value ({value}). Must be "background", "foreground", or "orphan"')
    return CASCADES[value]


def grace_period_for(grace_period: int, force: bool, now: bool) -> int:
    """DeleteOptions.Complete: ``--now`` is 1s; ``--grace-period=0`` without ``--force`` is
    turned into 1 (no accidental force deletion); ``--force`` alone means 0."""
    if now:
        if grace_period != -1:
            raise CommandError("--now and --grace-period cannot be specified together")
        grace_period = 1
    if grace_period == 0 and not force:
        grace_period = 1
    if force and grace_period < 0:
        grace_period = 0
    return grace_period


def deleted_message(rt, namespace: str | None, name: str, operation: str, output: str | None) -> str:
    """DeleteOptions.PrintObj (1.34: namespaced objects say which namespace)."""
    if output == "name":
        return f"{rt.kind_group}/{name}"
    if rt.namespaced and namespace:
        return f'{rt.kind_group} "{name}" {operation} from {namespace} namespace'
    return f'{rt.kind_group} "{name}" {operation}'


def delete(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE [NAME...] | TYPE/NAME...)"),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files or folders whose objects to delete."),
    recursive: Recursive = False,
    namespace: Namespace = None,
    all_namespaces: bool = typer.Option(False, "--all-namespaces", "-A", help="With -l or --all: in every namespace."),
    selector: Selector = None,
    field_selector: FieldSelector = None,
    all_: bool = typer.Option(False, "--all", help="Delete every object of the type in the namespace."),
    cascade: str = typer.Option("background", "--cascade", help="background, foreground or orphan."),
    ignore_not_found: bool = typer.Option(False, "--ignore-not-found", help="Treat a missing object as deleted."),
    grace_period: int = typer.Option(-1, "--grace-period", help="Seconds the object gets to stop (-1: its default)."),
    force: bool = typer.Option(False, "--force", help="Delete at once (grace period 0)."),
    now: bool = typer.Option(False, "--now", help="Grace period of 1 second."),
    dry_run: DryRun = None,
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Wait until the objects are gone (kctl deletes at once)."),
    output: str = typer.Option(None, "--output", "-o", help="name: print kind/name only."),
    quiet: Quiet = False,
) -> None:
    """Delete resources by file names, stdin, resources and names, or by resources and label selector.

    Dependents go with their owner (--cascade=background, the default), before it
    (foreground), or stay and lose the owner reference (orphan). Deleting a namespace
    deletes everything in it.

    Examples:
      # Delete the deployment web (its ReplicaSets and pods go too)
      kctl delete deployment web

      # Delete the objects in web.yaml
      kctl delete -f web.yaml

      # Delete pods labelled app=web, keeping nothing
      kctl delete pods -l app=web

      # Delete a ReplicaSet but keep its pods
      kctl delete rs web-6d8f9c7b5 --cascade=orphan
    """
    from kctl.api.errors import StatusError
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.dry_run import dry_run_session
    from kctl.cli.resource_builder import load_filenames, select_targets

    mode = dry_run_mode(dry_run)
    propagation = cascading_strategy(cascade)
    grace = grace_period_for(grace_period, force, now)
    if output not in (None, "name"):
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", allowed formats are: name')
    args = args or []
    if filenames and args:
        raise CommandError("You cannot provide both resource arguments and --filename at the same time")  # noqa: E501
    if all_ and (selector or field_selector):
        raise CommandError("cannot set --all and --selector/--field-selector at the same time")
    if all_:
        ignore_not_found = True
    loaded = load_filenames(filenames, recursive, partial=True)  # exit 1 at the end
    if grace == 0 and mode == "none":
        err(IMMEDIATE_DELETION_WARNING)
    operation = "force deleted" if grace == 0 else "deleted"
    operation += dry_run_suffix(mode)

    errors: list[str] = []
    with dry_run_session(ctx, mode, quiet) as s:
        targets = select_targets(
            s.api, loaded, args, namespace, selector=selector, all_=all_, all_namespaces=all_namespaces,
            field_selector=field_selector, require_names=True,
        )
        named = loaded is not None or not (selector or field_selector or all_)
        if not targets and not named:
            out("No resources found")
        for t in targets:
            if t.obj is None:
                if not ignore_not_found:
                    errors.append(_not_found(t))
                continue
            if mode != "client":
                try:
                    s.api.delete(t.rt, t.namespace, t.name, propagation=propagation, dry_run=mode == "server")
                except StatusError as e:
                    if e.reason == "NotFound" and ignore_not_found:
                        continue  # gone with an owner deleted just before
                    errors.append(e.with_source("deleting", _source(t)).render() if t.manifest else e.render())
                    continue
            out(deleted_message(t.rt, t.namespace, t.name, operation, output))
    for e in errors:
        err(e)
    if errors or (loaded is not None and loaded.failed):
        raise typer.Exit(1)
    del wait  # kctl's deletions are synchronous: nothing to wait for


def _source(t) -> str:
    from kctl.cli.files import display_file

    return display_file(t.manifest)


def _not_found(t) -> str:
    from kctl.api.errors import new_not_found

    e = new_not_found(t.rt, t.name)
    return e.with_source("deleting", _source(t)).render() if t.manifest else e.render()


__all__ = ["delete", "cascading_strategy", "grace_period_for", "deleted_message"]
