"""kubectl's interface. One verb per module, all registered in ``COMMANDS`` below.

Command modules stay cheap to import: heavy modules (the store, jsonschema, the control
plane) are imported inside the command functions, so ``kctl lint`` never pays for
SQLAlchemy and every command starts fast.
"""

from __future__ import annotations

import importlib
import sys

import typer

from kctl.cli.context import Context, global_options

#: (verb, "module:function", help panel). The order is the order of `kctl --help`.
COMMANDS: list[tuple[str, str, str]] = [
    ("apply", "kctl.cli.apply:apply", "Basic Commands"),
    ("create", "kctl.cli.create:create_app", "Basic Commands"),
    ("delete", "kctl.cli.delete:delete", "Basic Commands"),
    ("replace", "kctl.cli.replace:replace", "Advanced Commands"),
    ("diff", "kctl.cli.diff:diff", "Advanced Commands"),
    ("label", "kctl.cli.metadata_edit:label", "Settings Commands"),
    ("annotate", "kctl.cli.metadata_edit:annotate", "Settings Commands"),
    ("scale", "kctl.cli.scale:scale", "Deploy Commands"),
    ("autoscale", "kctl.cli.autoscale:autoscale", "Deploy Commands"),
    ("rollout", "kctl.cli.rollout:rollout_app", "Deploy Commands"),
    ("patch", "kctl.cli.patch:patch", "Advanced Commands"),
    ("edit", "kctl.cli.edit:edit", "Basic Commands"),
    ("cordon", "kctl.cli.node_commands:cordon", "Cluster Management Commands"),
    ("uncordon", "kctl.cli.node_commands:uncordon", "Cluster Management Commands"),
    ("drain", "kctl.cli.node_commands:drain", "Cluster Management Commands"),
    ("taint", "kctl.cli.node_commands:taint", "Cluster Management Commands"),
    ("cluster", "kctl.cli.cluster:cluster_app", "Cluster Management Commands"),
    ("reconcile", "kctl.cli.reconcile:reconcile", "Cluster Management Commands"),
    ("top", "kctl.cli.top:top_app", "Cluster Management Commands"),
    ("load", "kctl.cli.load:load", "Cluster Management Commands"),
    ("simulate", "kctl.cli.simulate:simulate", "Cluster Management Commands"),
    ("get", "kctl.cli.get:get", "Basic Commands"),
    ("explain", "kctl.cli.explain:explain", "Basic Commands"),
    ("describe", "kctl.cli.describe:describe", "Troubleshooting and Debugging Commands"),
    ("events", "kctl.cli.events:events", "Troubleshooting and Debugging Commands"),
    ("dns", "kctl.cli.dns:dns_app", "Troubleshooting and Debugging Commands"),
    ("route", "kctl.cli.route:route", "Troubleshooting and Debugging Commands"),
    ("graph", "kctl.cli.graph:graph", "Troubleshooting and Debugging Commands"),
    ("api-resources", "kctl.cli.api_resources:api_resources", "Other Commands"),
    ("version", "kctl.cli.version:version", "Other Commands"),
    ("completion", "kctl.cli.completion:completion", "Settings Commands"),
    ("lint", "kctl.cli.lint:lint", "Validation"),
]

app = typer.Typer(
    name="kctl",
    help="kctl controls a local, simulated Kubernetes cluster, the way kubectl controls a real one.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", envvar="KCTL_DB", help="Cluster database: a path (SQLite) or an SQLAlchemy URL."),
) -> None:
    ctx.obj = Context(db=db)


def _register() -> None:
    for verb, target, panel in COMMANDS:
        module_name, _, func_name = target.partition(":")
        func = getattr(importlib.import_module(module_name), func_name)
        if isinstance(func, typer.Typer):  # a verb with subcommands (create, cluster)
            app.add_typer(func, name=verb, rich_help_panel=panel)
            continue
        app.command(name=verb, rich_help_panel=panel, context_settings={"help_option_names": ["-h", "--help"]})(func)


_register()

__all__ = ["app", "main", "global_options"]


def main() -> None:
    """Console entry point: run the app, turning usage errors into kubectl's exit code 2...
    and never letting a Python traceback reach the user."""
    from kctl.cli.errors import run

    sys.exit(run(app))
