"""Where a command's words go. Results (what kubectl prints) go to stdout, so scripts
written for kubectl keep working; the control plane's report of what it changed goes
to stderr, unless ``-q``."""

from __future__ import annotations

import sys

DRY_RUN_SUFFIX = {"client": " (dry run)", "server": " (server dry run)"}


def dry_run_suffix(mode: str) -> str:
    """What kubectl appends to a success message under ``--dry-run=client|server``."""
    return DRY_RUN_SUFFIX.get(mode, "")


def out(text: str) -> None:
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def err(text: str) -> None:
    if text:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")


def report_pass(result, quiet: bool = False) -> None:
    """The control-plane pass that followed a write."""
    if result is None:
        return
    if not (result.changes or result.events or result.errors):
        return  # nothing happened downstream: say nothing (a failed command prints only its error)
    if quiet:
        for e in result.errors:
            err(f"error: {e}")
        return
    from kctl.printers.changes import render_changes

    err(render_changes(result))


def exit_on_errors(errors: list[str]) -> None:
    """Print the errors a command collected (it went on past them, as kubectl does) and
    exit 1 if there were any."""
    for e in errors:
        err(e)
    if errors:
        import typer

        raise typer.Exit(1)
