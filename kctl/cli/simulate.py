"""kctl simulate: run the whole control plane over simulated time against a load profile and
print the timeline (see ``kctl.metrics.simulate`` for the run, ``kctl.metrics.timeline`` for
the text, ``kctl.metrics.svg`` for ``--plot``). Everything happens in one write transaction:
the cluster keeps the result (its clock moved by ``--for``) unless ``--dry-run``."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out


def simulate(
    ctx: typer.Context,
    for_: str = typer.Option(None, "--for", help="How much cluster time to simulate (30s, 5m, 1h30m)."),
    step: str = typer.Option("15s", "--step", help="Sample (and apply the load profile) every STEP (default 15s, the HPA sync period)."),
    load: str = typer.Option(None, "--load", help="A load profile (YAML): usage over time per workload."),
    output: str = typer.Option("table", "--output", "-o", help="table (timeline, events and chart) or json."),
    plot: str = typer.Option(None, "--plot", help="Also write the timeline as an SVG plot to this file."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Run the simulation but keep nothing (the cluster is left as it was)."),
) -> None:
    """Run the control plane over simulated time and show what the autoscalers do.

    Every step the load profile's usage is applied, the clock moves (15 s sync periods)
    and every control loop runs to a fixed point; the timeline shows per workload its
    replicas, usage against requests and HPA targets, the Pending pods, the Nodes, and
    the events.

    Examples:
      # Half an hour under a load profile, with a plot
      kctl simulate --for 30m --load profile.yaml --plot timeline.svg

      # What would happen over the next 10 minutes, without keeping it
      kctl simulate --for 10m --dry-run -o json
    """
    from kctl.cli.reconcile import parse_duration
    from kctl.cli.session import write_session
    from kctl.metrics.profile import ProfileError, load_profile_file
    from kctl.metrics.simulate import SimulationError, run_simulation

    if for_ is None:
        raise CommandError('required flag(s) "for" not set')
    if output not in ("table", "json"):
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", '
                           "allowed formats are: table,json")
    duration = parse_duration(for_)
    step_seconds = parse_duration(step)
    if duration < 0:
        raise CommandError("--for must not be negative")
    if step_seconds < 1 or step_seconds != int(step_seconds) or duration != int(duration):
        raise CommandError("--for and --step must be whole seconds, and --step at least 1s")
    if plot and not plot.lower().endswith(".svg"):
        raise CommandError(f"--plot {plot}: only SVG plots are supported (name the file *.svg)")
    profile = None
    if load:
        try:
            profile = read_load_profile(load) if load != "-" else load_profile_file(load)
        except ProfileError as e:
            raise CommandError(f"load profile {load}: {e}") from None
    with write_session(ctx, dry_run=dry_run) as s:
        try:
            timeline = run_simulation(s.api, int(duration), int(step_seconds), profile)
        except SimulationError as e:
            raise CommandError(str(e)) from None
    if plot:
        from kctl.metrics.svg import render_svg

        try:
            with open(plot, "w", encoding="utf-8") as f:
                f.write(render_svg(timeline))
        except OSError as e:
            raise CommandError(f"cannot write {plot}: {e.strerror}") from None
    if output == "json":
        from kctl.printers.serialize import to_json

        out(to_json(timeline.as_dict()))
        return
    from kctl.metrics.timeline import render

    out(render(timeline))


__all__ = ["simulate"]


def read_load_profile(path: str):
    """A load profile file, each problem on one line: unreadable or not UTF-8 text, or YAML
    that does not parse (``load profile FILE:LINE:COL: ...``, as for manifests)."""
    import yaml

    from kctl.metrics.profile import parse_profile

    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except OSError as e:
        raise CommandError(f"load profile {path}: cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"load profile {path}: not UTF-8 text") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else path
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise CommandError(f"load profile {where}: invalid YAML: {problem}") from None
    return parse_profile(doc)
