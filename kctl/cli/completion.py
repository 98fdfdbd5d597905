"""kctl completion: print a shell completion script for kctl (``kubectl completion``).

The scripts are click's shell completion as typer words them: the shell calls ``kctl``
back with ``_KCTL_COMPLETE=complete_<shell>`` set, and typer answers with the
candidates (commands, flags), so completion follows whatever commands kctl has.
The app is built with ``add_completion=False`` (no ``--install-completion`` flags), which
also leaves typer's answer formats unregistered; they are registered here, and only
when a shell is asking, so ordinary start-up pays nothing.
"""

from __future__ import annotations

import os

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out

SHELLS = ("bash", "zsh", "fish")
PROG_NAME = "kctl"
COMPLETE_VAR = "_KCTL_COMPLETE"


def enable_completion_answers() -> None:
    """Register typer's completion formats (the ones its scripts parse) with click."""
    from typer._completion_classes import completion_init

    completion_init()


if os.environ.get(COMPLETE_VAR):
    enable_completion_answers()


def completion_script(shell: str) -> str:
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell)


def completion(args: list[str] = typer.Argument(None, metavar="SHELL")) -> None:
    """Output shell completion code for the specified shell (bash, zsh or fish).

    Examples:
      # Load kctl completion into the current bash shell
      source <(kctl completion bash)

      # Install it for zsh
      kctl completion zsh > "${fpath[1]}/_kctl"

      # Install it for fish
      kctl completion fish > ~/.config/fish/completions/kctl.fish
    """
    if not args:
        raise CommandError("Shell not specified.")
    if len(args) > 1:
        raise CommandError("Too many arguments. Expected only the shell type.")
    if args[0] not in SHELLS:
        raise CommandError(f'Unsupported shell type "{args[0]}".')
    out(completion_script(args[0]))


__all__ = ["completion", "completion_script"]
