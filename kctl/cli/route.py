"""kctl route TARGET: trace where a request would go (``kctl.networking.route``).

One line per step (``label  text``), then the endpoints that would receive the request
with their share; a trace that ends in a failure prints ``error: <reason>`` on stderr and
exits 1.
"""

from __future__ import annotations

import typer

from kctl.cli.output import err, out

RESOURCES = ("services", "endpointslices.discovery.k8s.io", "pods", "nodes", "secrets",
             "ingresses.networking.k8s.io", "ingressclasses.networking.k8s.io")


def route(
    ctx: typer.Context,
    target: str = typer.Argument(..., help="A URL (http[s]://host[:port]/path) or svc/NAME:PORT."),
    from_pod: str = typer.Option(None, "--from", help="Send the request from this pod (cluster DNS, traffic policies)."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace of svc/NAME and of --from (default: default)."),
) -> None:
    """Trace a request: the Ingress rule it matches, the Service, the endpoints that get it.

    Examples:
      # From outside, through the ingress controller
      kctl route https://shop.example.com/api/orders

      # From a pod, by cluster DNS name
      kctl route http://web.shop/ --from pod/client -n shop

      # A Service port from inside the cluster; a NodePort from outside
      kctl route svc/web:80 -n shop
      kctl route http://10.0.0.1:30080/
    """
    from kctl.cli.dns import pod_ref
    from kctl.cli.session import read_session
    from kctl.networking.ingress import api_view
    from kctl.networking.route import trace

    check_url(target)
    ns = namespace or "default"
    with read_session(ctx) as s:
        pod = s.api.get("pods", ns, pod_ref(from_pod)) if from_pod else None
        t = trace(api_view(s.api, list(RESOURCES)), target, namespace=ns, pod=pod, now=s.now)
    out(render(t))
    if t.error:
        err(f"error: {t.error}")
        raise typer.Exit(1)


def check_url(target: str) -> None:
    """Refuse a target no request could be sent to, in Go's words (``url.Parse``, then
    ``net/http``): ``parse "URL": missing ']' in host``, ``parse "URL": invalid character " "
    in host name``, ``unsupported protocol scheme "ftp"``, ``http: no Host in request URL``.
    ``svc/NAME:PORT`` targets and bad ports are left to the trace."""
    from urllib.parse import urlsplit

    from kctl.cli.errors import CommandError

    if "://" not in target and target.startswith(("svc/", "service/", "services/")):
        return
    url = target if "://" in target else "http://" + target
    try:
        parts = urlsplit(url)
    except ValueError:
        raise CommandError(f"parse \"{target}\": missing ']' in host") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise CommandError(f'unsupported protocol scheme "{parts.scheme}"')
    host = parts.hostname or ""
    if not host:
        raise CommandError("http: no Host in request URL")
    bad = next((c for c in host if c.isspace() or c in "<>\"{}|\\^`" or ord(c) < 0x20), None)
    if bad is not None:
        raise CommandError(f'parse "{target}": invalid character "{bad}" in host name')


def render(t) -> str:
    lines = [f"request     {t.request}"]
    for label, text in t.steps:
        lines.append(f"{label:<11} {text}" if label != "lost" else f"  lost      {text}")
    if t.endpoints:
        width = max(len(f"{e.ip}:{e.port}") for e, _ in t.endpoints)
        for e, share in t.endpoints:
            lines.append(f"  -> {f'{e.ip}:{e.port}':<{width}}  pod/{e.pod or '<none>'}  {e.node or '<none>'}  "
                         f"{share * 100:.1f}%")
    return "\n".join(lines)
