"""kctl replace: kubectl's ``replace -f`` (a full PUT of each object; ``--force`` deletes
and re-creates it)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import dry_run_suffix, err, out, report_pass


def replace(
    ctx: typer.Context,
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files or folders to replace from, or - for stdin."),
    recursive: bool = typer.Option(False, "--recursive", "-R", help="Process folders recursively."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace for objects that do not name one."),
    force: bool = typer.Option(False, "--force", help="Delete the object, then create it again."),
    cascade: str = typer.Option("background", "--cascade", help="With --force: background, foreground or orphan."),
    grace_period: int = typer.Option(-1, "--grace-period", help="With --force: seconds the object gets to stop."),
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    dry_run: str = typer.Option(None, "--dry-run", help="none, client or server."),
    output: str = typer.Option(None, "--output", "-o", help="name, json or yaml."),
    validate: str = typer.Option("strict", "--validate", help="strict, warn or ignore."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors (no control-plane report)."),
) -> None:
    """Replace a resource by file name or stdin.

    The whole object is replaced (fields missing from the file are dropped); the object
    must exist. With --force it is deleted and created again.

    Examples:
      # Replace the deployment with the one in web.yaml
      kctl replace -f web.yaml

      # Delete and re-create it
      kctl replace --force -f web.yaml
    """
    from kctl.api.errors import StatusError
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output, _print_one, _with_saved_config
    from kctl.cli.delete import cascading_strategy, deleted_message
    from kctl.cli.files import InvalidDocument, check_namespace, display_file, load, validate_mode

    mode = dry_run_mode(dry_run)
    _check_output(output)
    propagation = cascading_strategy(cascade)
    if force and mode != "none":
        raise CommandError("--dry-run can not be used when --force is set")
    del grace_period  # deletions are immediate in kctl
    # The API server validates the replacement (kctl.cli.files explains the split);
    # --dry-run=client sends nothing, so the documents' server-side rules run up front there.
    loaded = load(filenames or [], recursive, validate_mode(validate), server_rules=mode == "client", verb="replace")
    failed = loaded.failed

    from kctl.cli.session import read_session, write_session

    opener = read_session(ctx) if mode == "client" else write_session(ctx, dry_run=mode == "server")
    with opener as s:
        for m in loaded.manifests:
            source = display_file(m)
            try:
                rt = s.api.resource_type(m.obj)
                ns = check_namespace(m, namespace, rt.namespaced)
                obj = _with_saved_config(m.obj, ns, rt.namespaced) if save_config else m.obj
                obj = {**obj, "metadata": {**(obj.get("metadata") or {})}}
                if rt.namespaced:
                    obj["metadata"]["namespace"] = ns
                name = obj["metadata"].get("name")
                if not name:
                    raise CommandError("resource name may not be empty")
                if force:
                    loaded.require_valid(m)  # before the delete: an invalid document deletes nothing
                    try:
                        s.api.delete(rt, ns, name, propagation=propagation)
                        out(deleted_message(rt, ns, name, "deleted", None))
                    except StatusError as e:
                        if e.reason != "NotFound":
                            raise
                    obj["metadata"].pop("resourceVersion", None)
                    stored = s.api.create(obj, namespace=ns)
                elif mode == "client":
                    stored = obj
                else:
                    stored = s.api.update(obj, dry_run=mode == "server")
            except InvalidDocument as e:
                err(e.text)
                failed = True
                continue
            except StatusError as e:
                # A refused document: its own problems (lint's FILE:LINE:COL report) come first.
                err(loaded.document_error(m)
                    or (e.render() if e.reason == "Invalid" else e.with_source("replacing", source).render()))
                failed = True
                continue
            except CommandError as e:
                err(loaded.document_error(m) or f"error: {e.message}")
                failed = True
                continue
            _print_replaced(stored, mode, output, _print_one)
        if mode == "none":
            s.reconcile()
    if mode == "none":
        report_pass(s.reconciled, quiet)
    if failed:
        raise typer.Exit(1)


def _print_replaced(obj: dict, mode: str, output: str | None, print_one) -> None:
    from kctl.printers.serialize import resource_name

    if output is None:
        suffix = dry_run_suffix(mode)
        out(f"{resource_name(obj)} replaced{suffix}")
    else:
        print_one(obj, mode, output, local=mode == "client")


__all__ = ["replace"]
