"""Exit codes and error rendering, as kubectl does it.

- 0 success; 1 a command that failed (``error: ...`` or ``Error from server (...)``);
- 2 usage errors (bad flags), as click reports them.
No Python traceback ever reaches the user: an unexpected exception becomes a one-line
``error: internal error: ...`` with exit code 1 (``KCTL_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import os
import sys


def click_exceptions():
    """Click's exception module: typer >= 0.20 vendors click as ``typer._click``."""
    try:
        from typer._click import exceptions
    except ImportError:  # older typer on top of click
        from click import exceptions
    if not hasattr(exceptions, "Exit"):
        import typer

        exceptions.Exit, exceptions.Abort = typer.Exit, typer.Abort
    return exceptions


class CommandError(Exception):
    """A failure kubectl reports as ``error: <message>`` (exit 1 unless told)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def fail(message: str, exit_code: int = 1) -> CommandError:
    return CommandError(message, exit_code)


def run(app) -> int:
    exc = click_exceptions()
    try:
        rv = app(standalone_mode=False)
    except exc.Exit as e:
        return e.exit_code
    except exc.Abort:
        sys.stderr.write("Aborted!\n")
        return 1
    except exc.UsageError as e:
        sys.stderr.write(f"error: {e.format_message()}\n")
        if e.ctx is not None:
            sys.stderr.write(f"See '{e.ctx.command_path} --help' for usage.\n")
        return 2
    except exc.ClickException as e:
        sys.stderr.write(f"error: {e.format_message()}\n")
        return e.exit_code
    except CommandError as e:
        if e.message:
            sys.stderr.write(e.message if e.message.startswith(("error:", "Error ")) else f"error: {e.message}")
            sys.stderr.write("\n")
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except RecursionError:
        sys.stderr.write("error: input nested too deeply\n")
        return 1
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("KCTL_DEBUG"):
            raise
        render = getattr(e, "render", None)
        if callable(render):  # an API StatusError: kubectl's own wording
            sys.stderr.write(render().rstrip("\n") + "\n")
            return getattr(e, "exit_code", 1)
        if type(e).__module__.startswith("sqlalchemy"):
            sys.stderr.write(f"error: cluster database: {str(e).splitlines()[0]}\n")
            return 1
        sys.stderr.write(f"error: internal error: {type(e).__name__}: {e}\n")
        return 1
    return rv if isinstance(rv, int) else 0
