"""kctl reconcile: run the control plane alone, optionally after moving the cluster clock
forward (``--advance 30s``, ``5m``, ``1h30m``): what time-driven loops do (CronJobs, Job
deadlines, progress deadlines, back-off, node heartbeats) shows up here."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out, report_pass


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration (``1h30m``, ``90s``, ``0``) in seconds; a signed duration is
    refused here (the clock only moves forward)."""
    from kctl.api.duration import DurationError
    from kctl.api.duration import parse_duration as go_duration

    try:
        if text[:1] in "+-":
            raise DurationError(text)
        return go_duration(text)
    except DurationError as e:
        raise CommandError(e.message) from None


def reconcile(
    ctx: typer.Context,
    advance: str = typer.Option("0", "--advance", help="Move the cluster clock forward first (30s, 5m, 1h30m)."),
    output: str = typer.Option(None, "--output", "-o", help="json: the pass as data on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Run the control plane to a fixed point (after advancing the cluster clock).

    Examples:
      # Let five minutes pass in the cluster
      kctl reconcile --advance 5m

      # What changed, as JSON
      kctl reconcile -o json
    """
    from kctl.cli.session import write_session

    seconds = parse_duration(advance)
    if seconds < 0:
        raise CommandError("--advance must not be negative")
    if output not in (None, "json"):
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", allowed formats are: json')
    with write_session(ctx) as s:
        result = s.reconcile(advance_seconds=seconds)
    if output == "json":
        from kctl.printers.changes import changes_as_data
        from kctl.printers.serialize import to_json

        out(to_json(changes_as_data(result)))
        return
    report_pass(result, quiet)


__all__ = ["reconcile", "parse_duration"]
