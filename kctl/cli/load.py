"""kctl load: set the simulated usage of a workload (or one pod), which the metrics-server
then reports in PodMetrics/NodeMetrics (see ``kctl.metrics.load`` for the model).

The load is stored on the workload as the annotation ``kctl.io/load``; flags given replace
those parts of the current load, the others are kept; ``--clear`` removes it (pods go back
to idle usage). Without flags the current load is printed."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import exit_on_errors, out, report_pass

#: What can carry a load (resources, as group_resource).
LOADABLE = ("deployments.apps", "statefulsets.apps", "daemonsets.apps", "replicasets.apps",
            "replicationcontrollers", "jobs.batch", "pods")


def load(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME)"),
    cpu: str = typer.Option(None, "--cpu", help="CPU usage, e.g. 180m or 1.5 (the workload's total unless --per-pod)."),
    memory: str = typer.Option(None, "--memory", help="Memory usage, e.g. 300Mi (the workload's total unless --per-pod)."),
    per_pod: bool = typer.Option(None, "--per-pod/--total", help="Usage of every pod (--per-pod) or of the workload, split over its pods (--total, the default)."),
    spread: str = typer.Option(None, "--spread", help="Multipliers over the pods sorted by name, e.g. 0.8,1.0,1.2 ('none' removes them)."),
    clear: bool = typer.Option(False, "--clear", help="Remove the load: the pods go back to idle usage."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace of the objects."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors (no control-plane report)."),
) -> None:
    """Set the simulated CPU/memory usage of a workload or pod.

    The metrics-server reports it (kctl top, the HPA, the VPA read it); pods created later
    inherit it. By default the usage is the workload's total, split over its running pods.

    Examples:
      # web uses 180m CPU and 300Mi in total, spread over its pods
      kctl load deployment/web --cpu 180m --memory 300Mi

      # Every pod of db uses 500m, the pods (by name) 80 %, 100 % and 120 % of it
      kctl load statefulset/db --cpu 500m --per-pod --spread 0.8,1.0,1.2

      # Back to idle
      kctl load deployment/web --clear
    """
    from kctl.api.errors import StatusError
    from kctl.api.server.apiserver import deep_copy
    from kctl.cli.session import write_session
    from kctl.cli.targets import find_targets
    from kctl.metrics.load import LOAD_ANNOTATION, Load, LoadError, check_quantity, load_of, parse_spread
    from kctl.printers.serialize import resource_name

    changing = any(v is not None for v in (cpu, memory, per_pod, spread))
    if clear and changing:
        raise CommandError("--clear cannot be combined with --cpu, --memory, --per-pod/--total or --spread")
    try:
        cpu = None if cpu is None else check_quantity(cpu, "cpu")
        memory = None if memory is None else check_quantity(memory, "memory")
        spread_value = None if spread is None else parse_spread(spread)
    except LoadError as e:
        raise CommandError(str(e)) from None
    errors: list[str] = []
    wrote = False
    with write_session(ctx) as s:
        targets = find_targets(s.api, args or [], namespace=namespace, require_names=True)
        for t in targets:
            if t.obj is None:
                errors.append(f'Error from server (NotFound): {t.rt.group_resource} "{t.name}" not found')
                continue
            if t.rt.group_resource not in LOADABLE:
                errors.append(f"error: {resource_name(t.obj)} cannot carry a load (only pods and workloads do)")
                continue
            current = load_of(t.obj)
            if not clear and not changing:
                out(f"{resource_name(t.obj)}: " + (current.describe() if current else "no load (idle: 1m cpu, 8Mi memory per container)"))
                continue
            annotations = dict((t.obj.get("metadata") or {}).get("annotations") or {})
            if clear:
                if LOAD_ANNOTATION not in annotations:
                    out(f"{resource_name(t.obj)} load not set")
                    continue
                annotations.pop(LOAD_ANNOTATION)
                message = "load cleared"
            else:
                base = current or Load()
                new = Load(cpu=cpu if cpu is not None else base.cpu,
                           memory=memory if memory is not None else base.memory,
                           per_pod=per_pod if per_pod is not None else base.per_pod,
                           spread=spread_value if spread_value is not None else base.spread)
                annotations[LOAD_ANNOTATION] = new.to_annotation()
                message = f"load set: {new.describe()}"
            obj = deep_copy(t.obj)
            obj["metadata"]["annotations"] = annotations
            if not annotations:
                obj["metadata"].pop("annotations")
            try:
                s.api.update(obj)
            except StatusError as e:
                errors.append(e.render())
                continue
            wrote = True
            out(f"{resource_name(t.obj)} {message}")
        if wrote:
            s.reconcile()
    if wrote:
        report_pass(s.reconciled, quiet)
    exit_on_errors(errors)


__all__ = ["load"]
