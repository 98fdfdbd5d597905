"""kctl cluster init | reset | info: the simulated cluster's life cycle (``kubeadm init`` /
``kubeadm reset`` for a file-backed cluster) and a ``kubectl cluster-info``-like summary."""

from __future__ import annotations

from typing import Annotated

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out

cluster_app = typer.Typer(
    help="Create, reset or describe the local simulated cluster.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: ``init`` and ``reset``: the generators' seed and the clock's start.
Seed = Annotated[str, typer.Option("--seed", help="Seed for the uid and name generators (default: kctl).")]
StartTime = Annotated[str, typer.Option("--now", help="Start the cluster clock at this time (RFC 3339, UTC).")]


def _parse_now(value: str | None):
    if value is None:
        return None
    from kctl.api.server.clock import parse_time

    try:
        return parse_time(value)
    except ValueError:
        raise CommandError(f'invalid --now "{value}": want an RFC 3339 UTC time like 2025-01-01T00:00:00Z') from None


def _store(ctx):
    from kctl.cli.context import global_options
    from kctl.cli.errors import database_error, is_database_error
    from kctl.store.store import Store

    db = global_options(ctx).db
    try:
        return Store.open(db)
    except Exception as e:
        if isinstance(e, (OSError, ImportError)) or is_database_error(e):
            raise database_error(db, e) from None
        raise


def _where(store) -> str:
    location = store.location
    return str(location.path) if location.path is not None else location.url


@cluster_app.command("init")
def init(
    ctx: typer.Context,
    seed: Seed = None,
    now: StartTime = None,
) -> None:
    """Create a new cluster: namespaces, the kubernetes Service and three Ready worker nodes.

    Examples:
      kctl cluster init
      kctl --db ./demo.db cluster init --now 2025-01-01T00:00:00Z
    """
    from kctl.api import cluster

    when = _parse_now(now)
    store = _store(ctx)
    try:
        try:
            cluster.init(store, now=when, seed=seed)
        except RuntimeError as e:
            raise CommandError(f"{e} ({_where(store)}); use 'kctl cluster reset' to start again") from None
        out(f"Cluster initialized at {_where(store)}")
        _summary(store)
    finally:
        store.close()


@cluster_app.command("reset")
def reset(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", "-f", help="Do not ask for confirmation."),
    seed: Seed = None,
    now: StartTime = None,
) -> None:
    """Delete every object and start again as a new cluster.

    Examples:
      kctl cluster reset -f
    """
    from kctl.api import cluster

    when = _parse_now(now)
    store = _store(ctx)
    try:
        if not force and not typer.confirm(f"Delete every object in the cluster at {_where(store)}?", default=False):
            raise CommandError("reset cancelled")
        cluster.reset(store, now=when, seed=seed)
        out(f"Cluster reset at {_where(store)}")
        _summary(store)
    finally:
        store.close()


@cluster_app.command("info")
def info(ctx: typer.Context) -> None:
    """Show where the cluster lives, its clock and its nodes (like kubectl cluster-info).

    Examples:
      kctl cluster info
    """
    from kctl.api.cluster import ensure_initialized

    store = _store(ctx)
    try:
        ensure_initialized(store)
        out(f"Kubernetes control plane (simulated) is running at {_where(store)}")
        _summary(store)
    finally:
        store.close()


def _summary(store) -> None:
    from kctl.api.cluster import KUBERNETES_VERSION
    from kctl.api.server import APIServer

    with store.snapshot() as tx:
        api = APIServer(tx)
        nodes = api.list("nodes")
        clock = api.clock.timestamp()
        revision = tx.resource_version
        pods = len(api.list("pods"))
        namespaces = len(api.list("namespaces"))
    out(f"Kubernetes version: {KUBERNETES_VERSION}")
    out(f"Cluster clock: {clock}")
    out(f"Resource version: {revision}")
    out(f"Namespaces: {namespaces}, pods: {pods}")
    out(f"Nodes: {len(nodes)}")
    for node in nodes:
        out(f"  {node['metadata']['name']}  {_node_state(node)}")


def _node_state(node: dict) -> str:
    ready = next((c.get("status") for c in (node.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"), None)
    state = "Ready" if ready == "True" else "NotReady"
    if (node.get("spec") or {}).get("unschedulable"):
        state += ",SchedulingDisabled"
    return state


__all__ = ["cluster_app"]
