"""kctl dns resolve NAME: what a pod's resolver would get from the cluster DNS (CoreDNS).

Output is dig's answer section (``NAME TTL IN TYPE DATA``; ``--short``: the data only),
after a ``;;`` comment naming the absolute name that answered when the search list
expanded a short name. NXDOMAIN prints ``** server can't find NAME: NXDOMAIN`` on stderr,
with the names tried, and exits 1; a name without records of the asked type prints
``;; NOERROR: no <TYPE> records for <name>`` and exits 0.
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import err, out

dns_app = typer.Typer(
    help="Ask the cluster DNS (CoreDNS) as a pod would.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def pod_ref(value: str) -> str:
    """``pod/NAME``, ``pods/NAME``, ``po/NAME`` or ``NAME`` -> NAME."""
    kind, sep, name = value.partition("/")
    if not sep:
        return value
    if kind not in ("pod", "pods", "po"):
        raise CommandError(f"--from must name a pod (pod/NAME), not {value}")
    return name


@dns_app.command("resolve")
def resolve_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The name to look up (short names go through the search list)."),
    qtype: str = typer.Option("A", "--type", "-t", help="A, AAAA, SRV, CNAME or PTR (PTR accepts a plain IP)."),
    from_pod: str = typer.Option(None, "--from", help="Resolve from this pod (its namespace and dnsConfig)."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace of the asking pod (default: default)."),
    short: bool = typer.Option(False, "--short", help="Print only the record data (dig +short)."),
) -> None:
    """Resolve a name with the cluster DNS, as a pod's resolver would.

    Examples:
      # The ClusterIP of service web in namespace shop, from a pod in shop
      kctl dns resolve web -n shop

      # SRV records of the named port http
      kctl dns resolve _http._tcp.web.shop --type SRV

      # Which Service owns an IP
      kctl dns resolve 10.96.0.1 --type PTR
    """
    from kctl.cli.session import read_session
    from kctl.networking.dns import RECORD_TYPES, resolve
    from kctl.networking.ingress import api_view

    qtype = qtype.upper()
    if qtype not in RECORD_TYPES:
        raise CommandError(f'invalid --type "{qtype}": must be one of {", ".join(RECORD_TYPES)}')
    with read_session(ctx) as s:
        pod = None
        ns = namespace or "default"
        if from_pod:
            pod = s.api.get("pods", ns, pod_ref(from_pod))
        view = api_view(s.api, ["services", "endpointslices.discovery.k8s.io", "namespaces"])
        result = resolve(view, name, qtype, ns, pod)
    final = result.final
    if result.rcode == "NXDOMAIN":
        tried = ", ".join(a.name for a in result.tried)
        err(f"** server can't find {result.query}: NXDOMAIN (tried {tried})")
        raise typer.Exit(1)
    if not short and final.name != _absolute(name).lower():
        out(f";; {name} -> {final.name} (search {' '.join(result.search) or '<none>'}, ndots:{result.ndots})")
    if not final.records:
        if not short:
            out(f";; NOERROR: no {qtype} records for {final.name}")
        return
    for r in final.records:
        out(r.data if short else r.line())


def _absolute(name: str) -> str:
    return name if name.endswith(".") else name + "."
