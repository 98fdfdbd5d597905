"""kctl autoscale: kubectl's ``autoscale`` (kubectl 1.34): create an autoscaling/v2
HorizontalPodAutoscaler for a deployment, replica set, stateful set or replication
controller, falling back to autoscaling/v1 when the v2 create fails, as kubectl does
(including its quirks: the fallback needs a parsable ``--cpu``)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import err, exit_on_errors, out, report_pass

CPU_PERCENT_DEPRECATION = ("Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity "
                           "format (e.g., '70%' for utilization or '500m' for milliCPU).")


class InputError(ValueError):
    pass


def _go_g(value: float) -> str:
    """``fmt.Sprintf("%g", f)`` (shortest digits; exponent form below 1e-4 or from 1e21)."""
    from decimal import Decimal

    if value != value or value in (float("inf"), float("-inf")):
        return {True: "+Inf", False: "-Inf"}.get(value > 0, "NaN") if value == value else "NaN"
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    point = len(text) + exponent  # digits before the decimal point
    x = point - 1
    prefix = "-" if sign else ""
    if x < -4 or x >= 21:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if x < 0 else '+'}{abs(x):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return f"{prefix}{text}{'0' * (point - len(text))}"
    return f"{prefix}{text[:point]}.{text[point:]}"


def parse_resource_input(value: str, resource: str) -> tuple[str | None, int, str]:
    """``parseResourceInput``: ``70%`` -> Utilization 70; ``500m`` / ``2Gi`` -> AverageValue;
    a bare number takes the default unit (cpu ``m``, memory ``Mi``). Returns
    (quantity, percent, target type)."""
    from kctl.api.quantity import QuantityError, parse_quantity

    value = value.strip()
    if not value:
        raise InputError("empty input")
    if value.endswith("%"):
        number = value[:-1]
        try:
            percent = int(number, 10) if number.lstrip("+-").isdigit() else None
        except ValueError:
            percent = None
        if percent is None or percent < 0 or percent > 2**31 - 1:
            raise InputError(f"invalid percentage value: {number}")
        return None, percent, "Utilization"
    try:
        number = float(value) if "_" not in value else None
    except ValueError:
        number = None
    if number is not None:
        unit = {"cpu": "m", "memory": "Mi"}[resource]
        text = f"{_go_g(number)}{unit}"
        try:
            return str(parse_quantity(text)), 0, "AverageValue"
        except QuantityError as e:
            raise InputError(str(e)) from None
    try:
        return str(parse_quantity(value)), 0, "AverageValue"
    except QuantityError:
        raise InputError(f"invalid resource {resource} value: {value}") from None


def _metric(resource: str, value: str) -> dict:
    quantity, percent, kind = parse_resource_input(value, resource)
    target = {"type": kind, "averageUtilization": percent} if kind == "Utilization" else \
        {"type": kind, "averageValue": quantity}
    return {"type": "Resource", "resource": {"name": resource, "target": target}}


def hpa_v2(name: str, target_kind: str, target_api_version: str, target_name: str, min_: int, max_: int,
           cpu_percent: int, cpu: str, memory: str, namespace: str | None) -> dict:
    """``createHorizontalPodAutoscalerV2`` (Go field order, as a locally built object)."""
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta["creationTimestamp"] = None
    spec: dict = {"scaleTargetRef": {"kind": target_kind, "name": target_name, "apiVersion": target_api_version}}
    if min_ > 0:
        spec["minReplicas"] = min_
    spec["maxReplicas"] = max_
    metrics = []
    if cpu_percent > 0:
        metrics.append({"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization", "averageUtilization": cpu_percent}}})
    if cpu:
        metrics.append(_metric("cpu", cpu))
    if memory:
        metrics.append(_metric("memory", memory))
    if metrics:
        spec["metrics"] = metrics
    return {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2", "metadata": meta, "spec": spec,
            "status": {"desiredReplicas": 0}}


def hpa_v1(name: str, target_kind: str, target_api_version: str, target_name: str, min_: int, max_: int,
           cpu_percent: int, namespace: str | None) -> dict:
    """``createHorizontalPodAutoscalerV1``."""
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta["creationTimestamp"] = None
    spec: dict = {"scaleTargetRef": {"kind": target_kind, "name": target_name, "apiVersion": target_api_version}}
    if min_ > 0:
        spec["minReplicas"] = min_
    spec["maxReplicas"] = max_
    if cpu_percent >= 0:
        spec["targetCPUUtilizationPercentage"] = cpu_percent
    return {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v1", "metadata": meta, "spec": spec,
            "status": {"currentReplicas": 0, "desiredReplicas": 0}}


def can_create_hpa_v1(cpu_percent: int, cpu: str, memory: str) -> tuple[bool, str]:
    """``canCreateHPAV1`` with its quirk: an empty ``--cpu`` does not parse, so the fallback
    is refused even for ``--cpu-percent``. The error text is Go's ``%w`` of the parse
    error (``%!w(<nil>)`` when there was none)."""
    try:
        _, _, kind = parse_resource_input(cpu, "cpu")
    except InputError as e:
        return False, str(e)
    return (cpu_percent >= 0 and memory == "") or (memory == "" and kind == "Utilization"), "%!w(<nil>)"


def autoscale(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME)"),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files identifying the resource to autoscale."),
    recursive: bool = typer.Option(False, "--recursive", "-R", help="Process folders recursively."),
    min_: int = typer.Option(-1, "--min", help="The lower limit for the number of pods (default: the server's, 1)."),
    max_: int = typer.Option(None, "--max", help="The upper limit for the number of pods. Required."),
    cpu_percent: int = typer.Option(None, "--cpu-percent", help="Deprecated: use --cpu=N%.", hidden=True),
    cpu: str = typer.Option("", "--cpu", help="Target CPU: '70%' (average utilization) or a quantity such as "
                                              "'500m' (average value); a bare number means milliCPU."),
    memory: str = typer.Option("", "--memory", help="Target memory: '60%' (average utilization) or a quantity "
                                                    "such as '200Mi'; a bare number means MiB."),
    name: str = typer.Option("", "--name", help="The name of the new autoscaler (default: the resource's name)."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace of the resource and the autoscaler."),
    dry_run: str = typer.Option(None, "--dry-run", help="none, client or server."),
    output: str = typer.Option(None, "--output", "-o", help="name, json or yaml."),
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    field_manager: str = typer.Option("kubectl-autoscale", "--field-manager", help="Name of the manager."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors (no control-plane report)."),
) -> None:
    """Auto-scale a deployment, replica set, stateful set, or replication controller.

    Creates an autoscaler (autoscaling/v2, falling back to autoscaling/v1) that
    automatically chooses and sets the number of pods of the named resource.

    Examples:
      # Auto scale a deployment "foo", with the number of pods between 2 and 10, no target
      # CPU utilization specified so a default autoscaling policy will be used
      kctl autoscale deployment foo --min=2 --max=10

      # Auto scale a replication controller "foo", with the number of pods between 1 and 5,
      # target CPU utilization at 80%
      kctl autoscale rc foo --max=5 --cpu=80%

      # Auto scale a deployment "bar", between 3 and 6 pods, target average CPU of 500m
      # and memory of 200Mi
      kctl autoscale deployment bar --min=3 --max=6 --cpu=500m --memory=200Mi
    """
    from kctl.api.errors import StatusError
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output
    from kctl.controllers.podautoscaler.horizontal import SCALABLE

    if max_ is None:
        raise CommandError('required flag(s) "max" not set')
    if cpu_percent is not None:
        err(CPU_PERCENT_DEPRECATION)
    cpu_percent = -1 if cpu_percent is None else cpu_percent
    mode = dry_run_mode(dry_run)
    _check_output(output)
    if max_ < 1:
        raise CommandError(f"--max=MAXPODS is required and must be at least 1, max: {max_}")
    if max_ < min_:
        raise CommandError(f"--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max_}, min: {min_}")
    if cpu_percent > 0 and cpu:
        raise CommandError("--cpu-percent and --cpu are mutually exclusive")
    for resource, value in (("cpu", cpu), ("memory", memory)):
        if value:
            try:
                parse_resource_input(value, resource)
            except InputError as e:
                raise CommandError(str(e)) from None
    if not args and not filenames:
        from kctl.cli.targets import RESOURCE_REQUIRED

        raise CommandError(RESOURCE_REQUIRED)
    loaded = None
    if filenames:
        from kctl.cli.files import load

        loaded = load(filenames, recursive, "ignore")

    from kctl.cli.session import read_session, write_session
    from kctl.cli.targets import find_targets, targets_from_manifests

    opener = read_session(ctx) if mode == "client" else write_session(ctx, dry_run=mode == "server")
    errors: list[str] = []
    count = 0
    with opener as s:
        if loaded is not None:
            targets = targets_from_manifests(s.api, loaded.manifests, namespace)
        else:
            targets = find_targets(s.api, args or [], namespace=namespace, require_names=True)
        for t in targets:
            if t.obj is None:
                from kctl.cli.targets import not_found_text

                errors.append(not_found_text(t.rt, t.name))
                continue
            if t.rt.group_resource not in SCALABLE:
                gvr = f"{t.rt.group}/{t.rt.version}, Resource={t.rt.name}"
                errors.append(f"error: cannot autoscale a {t.rt.kind}: could not find scale subresource for {gvr} "
                              "in discovery information")
                continue
            hpa_name = name or t.name
            request_ns = t.namespace or "default"
            hpa = hpa_v2(hpa_name, t.rt.kind, t.rt.api_version, t.name, min_, max_, cpu_percent, cpu, memory,
                         namespace)
            try:
                _create(s, hpa, mode, output, save_config, request_ns)
            except StatusError:
                ok, why = can_create_hpa_v1(cpu_percent, cpu, memory)
                if not ok:
                    errors.append(f"error: failed to create autoscaling/v2 HPA and the configuration is "
                                  f"incompatible with autoscaling/v1: {why}")
                    continue
                v1 = hpa_v1(hpa_name, t.rt.kind, t.rt.api_version, t.name, min_, max_, cpu_percent, namespace)
                try:
                    _create(s, v1, mode, output, save_config, request_ns)
                except StatusError as e2:
                    errors.append(e2.render())
                    continue
            count += 1
        if mode == "none" and count:
            s.reconcile()
    if mode == "none" and count:
        report_pass(s.reconciled, quiet)
    exit_on_errors(errors)
    if count == 0:
        raise CommandError("no objects passed to autoscale")


def _create(s, hpa: dict, mode: str, output: str | None, save_config: bool, namespace: str) -> None:
    from kctl.cli.create import _print_one, _with_saved_config

    if mode == "client":
        _print_one(hpa, mode, output, local=True)
        return
    if save_config:
        hpa = _with_saved_config(hpa, namespace, True)
    body = {k: v for k, v in hpa.items() if k != "status"}
    stored = s.api.create(body, dry_run=mode == "server", namespace=namespace)
    _print_autoscaled(stored, mode, output)


def _print_autoscaled(obj: dict, mode: str, output: str | None) -> None:
    from kctl.printers.serialize import resource_name, to_json, to_yaml

    if output is None:
        suffix = {"server": " (server dry run)"}.get(mode, "")
        out(f"{resource_name(obj)} autoscaled{suffix}")
    elif output == "name":
        out(resource_name(obj))
    elif output == "json":
        out(to_json(obj, sort_keys=True))
    else:
        out(to_yaml(obj))


__all__ = ["autoscale", "parse_resource_input", "hpa_v2", "hpa_v1"]
