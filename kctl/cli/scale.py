"""kctl scale: kubectl's ``scale`` through the scale subresource (only ``spec.replicas``
changes), with the ``--current-replicas`` and ``--resource-version`` preconditions."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import (
    AllInNamespace,
    AllNamespaces,
    DryRun,
    Namespace,
    Quiet,
    Recursive,
    Selector,
    WriteOutput,
)
from kctl.cli.output import exit_on_errors

#: Resources that serve a ``scale`` subresource.
SCALABLE = {"deployments.apps", "replicasets.apps", "statefulsets.apps", "replicationcontrollers"}


def scale(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME)"),
    replicas: int = typer.Option(None, "--replicas", help="The new number of replicas (required)."),
    current_replicas: int = typer.Option(-1, "--current-replicas", help="Precondition: the current size."),
    resource_version: str = typer.Option(None, "--resource-version", help="Precondition: the current resourceVersion."),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files naming the objects to scale."),
    recursive: Recursive = False,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    selector: Selector = None,
    all_: AllInNamespace = False,
    dry_run: DryRun = None,
    output: WriteOutput = None,
    quiet: Quiet = False,
) -> None:
    """Set a new size for a deployment, replica set, replication controller, or stateful set.

    Only spec.replicas changes (the scale subresource). --current-replicas and
    --resource-version make the change conditional.

    Examples:
      # Scale the deployment web to 3 replicas
      kctl scale --replicas=3 deployment/web

      # Scale it to 5 only if it has 3 now
      kctl scale --current-replicas=3 --replicas=5 deployment web
    """
    from kctl.api.errors import StatusError, new_conflict
    from kctl.api.server.apiserver import deep_copy
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output
    from kctl.cli.dry_run import dry_run_session
    from kctl.cli.resource_builder import load_filenames, select_targets
    from kctl.cli.results import OperationPrinter
    from kctl.cli.targets import not_found_text

    if replicas is None:
        raise CommandError('required flag(s) "replicas" not set')
    if replicas < 0:
        raise CommandError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    mode = dry_run_mode(dry_run)
    _check_output(output)
    if not args and not filenames:
        raise CommandError("You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                           "   '<resource> <name>'\n   '<resource>'")
    loaded = load_filenames(filenames, recursive)
    errors: list[str] = []
    printer = OperationPrinter(output, mode)
    with dry_run_session(ctx, mode, quiet) as s:
        targets = select_targets(s.api, loaded, args, namespace, selector=selector, all_=all_,
                                 all_namespaces=all_namespaces, require_names=True)
        if len(targets) > 1 and (resource_version or current_replicas >= 0):
            raise CommandError("cannot use --resource-version or --current-replicas with multiple resources")
        for t in targets:
            if t.obj is None:
                errors.append(not_found_text(t.rt, t.name))
                continue
            if t.rt.group_resource not in SCALABLE:
                errors.append("Error from server (NotFound): the server could not find the requested resource")
                continue
            current = int((t.obj.get("spec") or {}).get("replicas", 1))
            if current_replicas >= 0 and current_replicas != current:
                errors.append(f"error: Expected replicas to be {current_replicas}, was {current}")
                continue
            if resource_version and resource_version != t.obj["metadata"].get("resourceVersion"):
                errors.append(new_conflict(t.rt, t.name).render())
                continue
            obj = deep_copy(t.obj)
            obj.setdefault("spec", {})["replicas"] = replicas
            stored = obj
            if mode != "client":
                try:
                    stored = s.api.update(obj, dry_run=mode == "server")
                except StatusError as e:
                    errors.append(e.render())
                    continue
            printer.print(stored, "scaled")
        printer.flush()
    exit_on_errors(errors)


__all__ = ["scale", "SCALABLE"]
