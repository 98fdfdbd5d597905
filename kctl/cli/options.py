"""The flags several kctl verbs share, declared once: kubectl registers them through shared
helpers too (``cmdutil.AddDryRunFlag``, ``AddLabelSelectorFlagVar``, ``AddFilenameOptionFlags``...),
so a flag reads the same in every verb's ``--help``.

Each alias is an ``Annotated`` type carrying the typer option; the default stays in the
command's signature::

    def scale(..., namespace: Namespace = None, quiet: Quiet = False) -> None: ...

Only typer is imported here: command modules import this at start-up.
"""

from __future__ import annotations

from typing import Annotated

import typer

# -- which objects -------------------------------------------------------------------------------

#: ``-n``: the namespace of objects named on the command line (kubectl's ``--namespace``).
Namespace = Annotated[str, typer.Option("--namespace", "-n", help="Namespace of the objects.")]
#: ``-n`` for the verbs that act on exactly one object.
ObjectNamespace = Annotated[str, typer.Option("--namespace", "-n", help="Namespace of the object.")]
#: ``-n`` for the read verbs (get, describe, events).
ReadNamespace = Annotated[str, typer.Option("--namespace", "-n", help="The namespace to read from (default: default).")]
#: ``-A`` for the write verbs that select by label or ``--all``.
AllNamespaces = Annotated[bool, typer.Option("--all-namespaces", "-A", help="With -l or --all: every namespace.")]
#: ``--all``: every object of the type in the namespace.
AllInNamespace = Annotated[bool, typer.Option("--all", help="Every object of the type in the namespace.")]
#: ``-l``.
Selector = Annotated[str, typer.Option("--selector", "-l", help="Label selector.")]
#: ``-l`` of the node commands (cordon, uncordon, drain, taint).
NodeSelector = Annotated[str, typer.Option("--selector", "-l", help="Label selector for the nodes.")]
#: ``--field-selector``.
FieldSelector = Annotated[str, typer.Option("--field-selector", help="Field selector (=, ==, !=).")]
#: ``-R`` (with ``-f``).
Recursive = Annotated[bool, typer.Option("--recursive", "-R", help="Process folders recursively.")]

# -- how the verb writes and prints -------------------------------------------------------------

#: ``--dry-run``: none, client or server (``kctl.cli.apply.dry_run_mode`` reads it).
DryRun = Annotated[str, typer.Option("--dry-run", help="none, client or server.")]
#: ``-o`` of the write verbs (kubectl's ``PrintFlags`` without templates).
WriteOutput = Annotated[str, typer.Option("--output", "-o", help="name, json or yaml.")]
#: ``-q``: kctl's own flag, silencing the control-plane report on stderr.
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors (no control-plane report).")]

__all__ = [
    "AllInNamespace", "AllNamespaces", "DryRun", "FieldSelector", "Namespace", "NodeSelector", "ObjectNamespace",
    "Quiet", "ReadNamespace", "Recursive", "Selector", "WriteOutput",
]
