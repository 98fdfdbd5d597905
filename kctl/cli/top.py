"""kctl top node|pod: resource usage from the metrics API (the PodMetrics / NodeMetrics that
kctl's metrics-server writes, or that a user applied), with kubectl's columns, sorting and
errors (see ``kctl.metrics.top``). On a terminal, ``top node`` adds a utilization bar per node
(colored unless NO_COLOR is set); ``--bars always|never`` forces it either way."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import err, out

top_app = typer.Typer(
    help="Display resource (CPU/memory) usage of nodes or pods.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: kubectl top pod: metrics are not expected before a pod is this old (metricsCreationDelay).
METRICS_CREATION_DELAY_SECONDS = 120


def _check_sort(sort_by: str | None) -> None:
    if sort_by and sort_by not in ("cpu", "memory"):
        raise CommandError("--sort-by accepts only cpu or memory")


def _selector(text: str | None):
    if not text:
        return None
    from kctl.api.labels import LabelSelectorError, parse

    try:
        sel = parse(text)
    except LabelSelectorError as e:
        raise CommandError(str(e)) from None
    return None if sel.empty() else sel


def _matches(sel, obj: dict) -> bool:
    return sel is None or sel.matches((obj.get("metadata") or {}).get("labels") or {})


def _bars_enabled(mode: str) -> tuple[bool, bool]:
    """(draw bars, use color) for ``--bars auto|always|never``."""
    import sys

    from kctl.cli.context import color_enabled

    if mode not in ("auto", "always", "never"):
        raise CommandError(f'invalid argument "{mode}" for "--bars" flag: must be auto, always or never')
    tty = bool(getattr(sys.stdout, "isatty", lambda: False)())
    draw = mode == "always" or (mode == "auto" and tty)
    return draw, draw and color_enabled(sys.stdout)


def top_node(
    ctx: typer.Context,
    name: str = typer.Argument(None, metavar="[NAME | -l label]"),
    selector: str = typer.Option(None, "--selector", "-l", help="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)."),
    sort_by: str = typer.Option(None, "--sort-by", help="If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'."),
    no_headers: bool = typer.Option(False, "--no-headers", help="If present, print output without headers."),
    show_capacity: bool = typer.Option(False, "--show-capacity", help="Print node resources based on Capacity instead of Allocatable(default) of the nodes."),
    bars: str = typer.Option("auto", "--bars", help="Utilization bars: auto (on a terminal), always, never."),
) -> None:
    """Display resource (CPU/memory) usage of nodes.

    The top-node command allows you to see the resource consumption of nodes.

    Examples:
      # Show metrics for all nodes
      kctl top node

      # Show metrics for a given node
      kctl top node NODE_NAME
    """
    from kctl.api import registry
    from kctl.api.errors import StatusError, new_not_found
    from kctl.cli.session import read_session
    from kctl.metrics.top import render_top_nodes

    _check_sort(sort_by)
    if name and selector:
        raise CommandError("only one of NAME or --selector can be provided")
    sel = _selector(selector)
    draw, color = _bars_enabled(bars)
    nodes_rt = registry.resolve("nodes")
    with read_session(ctx) as s:
        stored = _stored_or_computed(s)[1]
        if name:
            m = next((m for m in stored if m["metadata"]["name"] == name), None)
            if m is None:
                raise StatusError("NotFound", f'nodemetrics.metrics.k8s.io "{name}" not found')
            metrics = [m]
        else:
            metrics = [m for m in stored if _matches(sel, m)]
        if not metrics:
            raise CommandError("metrics not available yet")
        if name:
            node = s.api.try_get(nodes_rt, None, name)
            if node is None:
                raise new_not_found(nodes_rt, name)
            nodes = [node]
        else:
            nodes = [n for n in s.api.list(nodes_rt, None) if _matches(sel, n)]
    out(render_top_nodes(metrics, nodes, sort_by=sort_by, no_headers=no_headers, show_capacity=show_capacity,
                         bars=draw, color=color).rstrip("\n"))


def top_pod(
    ctx: typer.Context,
    name: str = typer.Argument(None, metavar="[NAME | -l label]"),
    namespace: str = typer.Option(None, "--namespace", "-n", help="If present, the namespace scope for this CLI request."),
    all_namespaces: bool = typer.Option(False, "--all-namespaces", "-A", help="If present, list the requested object(s) across all namespaces."),
    selector: str = typer.Option(None, "--selector", "-l", help="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)."),
    sort_by: str = typer.Option(None, "--sort-by", help="If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'."),
    containers: bool = typer.Option(False, "--containers", help="If present, print usage of containers within a pod."),
    no_headers: bool = typer.Option(False, "--no-headers", help="If present, print output without headers."),
    sum_: bool = typer.Option(False, "--sum", help="Print the sum of the resource usage"),
) -> None:
    """Display resource (CPU/memory) usage of pods.

    The 'top pod' command allows you to see the resource consumption of pods.

    Due to the metrics pipeline delay, they may be unavailable for a few minutes
    since pod creation.

    Examples:
      # Show metrics for all pods in the default namespace
      kctl top pod

      # Show metrics for all pods in the given namespace
      kctl top pod --namespace=NAMESPACE

      # Show metrics for a given pod and its containers
      kctl top pod POD_NAME --containers

      # Show metrics for the pods defined by label name=myLabel
      kctl top pod -l name=myLabel
    """
    from kctl.api import registry
    from kctl.api.errors import StatusError
    from kctl.cli.selection import effective_namespace
    from kctl.cli.session import read_session
    from kctl.metrics.top import render_top_pods

    _check_sort(sort_by)
    if name and selector:
        raise CommandError("only one of NAME or selector can be provided")
    sel = _selector(selector)
    ns = effective_namespace(namespace)
    pods_rt = registry.resolve("pods")
    scope = None if all_namespaces else ns
    with read_session(ctx) as s:
        stored = _stored_or_computed(s)[0]
        if name:
            m = next((m for m in stored if (m["metadata"].get("namespace"), m["metadata"]["name"]) == (ns, name)), None)
            if m is None:
                raise StatusError("NotFound", f'podmetrics.metrics.k8s.io "{ns}/{name}" not found')
            metrics = [m]
        else:
            metrics = [m for m in stored if (scope is None or m["metadata"].get("namespace") == scope)
                       and _matches(sel, m)]
        if not metrics:
            pods = [p for p in s.api.list(pods_rt, ns) if _matches(sel, p)]
            if pods:
                _verify_pod_ages(pods, s.now)
                raise CommandError("metrics not available yet")
            err("No resources found" if all_namespaces else f"No resources found in {ns} namespace.")
            return
    out(render_top_pods(metrics, containers=containers, with_namespace=all_namespaces, no_headers=no_headers,
                        sort_by=sort_by, sum_=sum_).rstrip("\n"))


def _stored_or_computed(s) -> tuple[list[dict], list[dict]]:
    """(PodMetrics, NodeMetrics): the stored ones, or, in a cluster that has none (the
    metrics-server stores them only once metrics are in use), what it would report now."""
    from kctl.api import registry

    pods = s.api.list(registry.for_kind("metrics.k8s.io/v1beta1", "PodMetrics"))
    nodes = s.api.list(registry.for_kind("metrics.k8s.io/v1beta1", "NodeMetrics"))
    if pods or nodes:
        return pods, nodes
    from kctl.metrics.server import metrics_from_api

    return metrics_from_api(s.api, s.now)


def _verify_pod_ages(pods: list[dict], now) -> None:
    """kubectl's checkPodAge: a pod older than 2 minutes without metrics is an error of its own."""
    from kctl.api.server.clock import parse_time
    from kctl.kubelet.images import go_duration

    for pod in pods:
        meta = pod.get("metadata") or {}
        try:
            created = parse_time(meta.get("creationTimestamp") or "")
        except ValueError:
            continue
        age = int((now - created).total_seconds())
        if age > METRICS_CREATION_DELAY_SECONDS:
            raise CommandError(f"Metrics not available for pod {meta.get('namespace')}/{meta.get('name')}, "
                               f"age: {go_duration(age)}")


for _verb, _fn, _hidden in (("node", top_node, False), ("nodes", top_node, True), ("no", top_node, True),
                            ("pod", top_pod, False), ("pods", top_pod, True), ("po", top_pod, True)):
    top_app.command(_verb, hidden=_hidden, context_settings={"help_option_names": ["-h", "--help"]})(_fn)

__all__ = ["top_app", "top_node", "top_pod"]
