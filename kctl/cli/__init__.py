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
    ("set", "kctl.cli.set_cmd:set_app", "Deploy Commands"),
    ("expose", "kctl.cli.expose:expose", "Basic Commands"),
    ("run", "kctl.cli.run:run", "Basic Commands"),
    ("wait", "kctl.cli.wait:wait", "Advanced Commands"),
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
    ("auth", "kctl.cli.auth:auth_app", "Troubleshooting and Debugging Commands"),
    ("dns", "kctl.cli.dns:dns_app", "Troubleshooting and Debugging Commands"),
    ("route", "kctl.cli.route:route", "Troubleshooting and Debugging Commands"),
    ("graph", "kctl.cli.graph:graph", "Troubleshooting and Debugging Commands"),
    ("api-resources", "kctl.cli.api_resources:api_resources", "Other Commands"),
    ("version", "kctl.cli.version:version", "Other Commands"),
    ("completion", "kctl.cli.completion:completion", "Settings Commands"),
    ("lint", "kctl.cli.lint:lint", "Validation"),
]

def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every verb, or only ``only`` (what ``main`` runs: importing and
    introspecting forty command modules would cost every command its start-up time)."""
    app = typer.Typer(
        name="kctl",
        help="kctl controls a local, simulated Kubernetes cluster, the way kubectl controls a real one.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for verb, target, panel in COMMANDS:
        if only is not None and verb != only:
            continue
        module_name, _, func_name = target.partition(":")
        func = getattr(importlib.import_module(module_name), func_name)
        if isinstance(func, typer.Typer):  # a verb with subcommands (create, cluster)
            app.add_typer(func, name=verb, rich_help_panel=panel)
            continue
        app.command(name=verb, rich_help_panel=panel, context_settings={"help_option_names": ["-h", "--help"]})(func)
    return app


def _root(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", envvar="KCTL_DB", help="Cluster database: a path (SQLite) or an SQLAlchemy URL."),
) -> None:
    ctx.obj = Context(db=db)


def invoked_verb(argv: list[str]) -> str | None:
    """The verb of a command line (skipping the global ``--db`` option), if it is a known one."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--db":
            i += 2
            continue
        if arg.startswith("--db="):
            i += 1
            continue
        if arg.startswith("-"):
            return None  # --help and friends list every verb
        return arg if any(arg == verb for verb, _, _ in COMMANDS) else None
    return None


_full_app: typer.Typer | None = None


def __getattr__(name: str):
    """``kctl.cli.app``: the full app (tests and completion use it)."""
    global _full_app
    if name == "app":
        if _full_app is None:
            _full_app = build_app()
        return _full_app
    raise AttributeError(name)


__all__ = ["COMMANDS", "app", "build_app", "global_options", "main"]


def main() -> None:
    """Console entry point: run the app with kubectl's exit codes (see ``kctl.cli.errors``),
    never letting a Python traceback reach the user."""
    from kctl.cli.errors import run

    sys.exit(run(build_app(only=invoked_verb(sys.argv[1:]))))
