"""kctl graph: Ingress -> Service -> Pods -> Nodes (``kctl.networking.graph``)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out

RESOURCES = ("services", "endpointslices.discovery.k8s.io", "pods", "ingresses.networking.k8s.io")


def graph(
    ctx: typer.Context,
    namespace: str = typer.Option(None, "--namespace", "-n", help="Only this namespace (default: default)."),
    all_namespaces: bool = typer.Option(False, "--all-namespaces", "-A", help="Every namespace."),
    output: str = typer.Option("tree", "--output", "-o", help="tree, dot (Graphviz) or mermaid."),
) -> None:
    """Draw how traffic flows: Ingress -> Service -> Pods -> Nodes.

    Examples:
      # A terminal tree of the shop namespace
      kctl graph -n shop

      # Render with Graphviz
      kctl graph -n shop -o dot | dot -Tsvg > shop.svg
    """
    from kctl.cli.session import read_session
    from kctl.networking.graph import FORMATS, build, render
    from kctl.networking.ingress import api_view

    if output not in FORMATS:
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", '
                           f"allowed formats are: {','.join(FORMATS)}")
    with read_session(ctx) as s:
        g = build(api_view(s.api, list(RESOURCES)), None if all_namespaces else (namespace or "default"))
    text = render(g, output)
    if text:
        out(text)
