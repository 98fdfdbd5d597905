"""Exit codes and error rendering, as kubectl does it.

- 0 success; 1 a command that failed (``error: ...`` or ``Error from server (...)``),
  usage errors (bad flags, unknown commands) included: kubectl's ``CheckErr`` exits 1 for
  everything (``DefaultErrorExitCode``); only ``diff`` adds one (its 1 means "differences"),
  and kctl's own ``lint`` keeps 2 for usage errors (its 1 means "invalid manifests").
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


def database_error(db: str | None, e: BaseException) -> CommandError:
    """A cluster database that cannot be opened, as one ``error: cluster database: ...``
    line: a path that is a directory or cannot be created (in Go's ``open PATH: reason``
    words), or a URL whose driver is not installed."""
    if isinstance(e, ImportError):
        return CommandError(f"cluster database: the driver for this URL is not installed ({e})")
    if isinstance(e, OSError):
        where = e.filename or db or ""
        return CommandError(f"cluster database: open {where}: {(e.strerror or str(e)).lower()}")
    reason = (str(e).splitlines() or [type(e).__name__])[0]
    if db and "://" not in db:  # a path (a URL may hold a password: never echoed)
        return CommandError(f"cluster database: {db}: {reason}")
    return CommandError(f"cluster database: {reason}")


def is_database_error(e: BaseException) -> bool:
    """An error of the database layer (the stdlib sqlite3 driver or SQLAlchemy)."""
    return type(e).__module__.startswith(("sqlite3", "sqlalchemy"))


_PFLAG_SYNTAX = {"integer": "strconv.ParseInt", "float": "strconv.ParseFloat"}


def _flag_name(opts) -> str:
    """pflag's name of a flag in messages: ``-r, --replicas`` or ``--replicas``."""
    short = [o for o in opts if not o.startswith("--")]
    long = [o for o in opts if o.startswith("--")]
    return ", ".join(short[:1] + long[:1]) or ", ".join(opts)


def _flag_ref(option: str) -> str:
    """pflag's reference to a flag as typed: ``--bogus``, or ``'x' in -x`` for a shorthand."""
    return option if option.startswith("--") else f"'{option.lstrip('-')}' in {option}"


def usage_message(e) -> str:
    """A click usage error in the words of kubectl's flag parser (spf13/pflag, cobra):
    ``unknown flag: --foo``, ``unknown shorthand flag: 'x' in -x``, ``flag needs an
    argument: --replicas``, ``invalid argument "abc" for "-r, --replicas" flag:
    strconv.ParseInt: parsing "abc": invalid syntax``, ``unknown command "foo" for "kctl"``;
    click's own text for the rest."""
    import re

    exc = click_exceptions()
    message = e.format_message()
    if isinstance(e, exc.NoSuchOption):
        name = e.option_name
        return f"unknown flag: {name}" if name.startswith("--") else f"unknown shorthand flag: {_flag_ref(name)}"
    if isinstance(e, exc.BadOptionUsage) and message.endswith("requires an argument."):
        return f"flag needs an argument: {_flag_ref(e.option_name)}"
    if isinstance(e, exc.BadParameter) and getattr(e.param, "opts", None):
        m = re.fullmatch(r"'(.*)' is not a valid (integer|float)\.", e.message, re.S)
        if m:
            value, kind = m.groups()
            return (f'invalid argument "{value}" for "{_flag_name(e.param.opts)}" flag: '
                    f'{_PFLAG_SYNTAX[kind]}: parsing "{value}": invalid syntax')
    if isinstance(e, exc.BadParameter) and e.message.startswith("invalid argument "):
        return e.message  # already in pflag's words
    m = re.fullmatch(r"No such command '(.*)'\.", message, re.S)
    if m and e.ctx is not None:
        return f'unknown command "{m.group(1)}" for "{e.ctx.command_path}"'
    return message


#: strconv.ParseBool's spellings, as pflag accepts them after a boolean flag's ``=``.
PARSE_BOOL = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
              "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


class _BoolValueError(Exception):
    def __init__(self, message: str, command_path: str):
        super().__init__(message)
        self.message, self.command_path = message, command_path


def _command_of(app, args: list[str]):
    """The click command a command line runs (following group names), and its path."""
    import typer.main

    command, path = typer.main.get_command(app), ["kctl"]
    for token in args:
        sub = getattr(command, "commands", {}).get(token) if not token.startswith("-") else None
        if sub is not None:
            command = sub
            path.append(token)
    return command, " ".join(path)


def with_bool_values(app, e, args: list[str]) -> list[str] | None:
    """pflag lets a boolean flag take a value (``--overwrite=true``, ``--show-labels=false``,
    ``--allow-missing-template-keys=false``), which scripts written for kubectl use; click
    refuses it (``Option '--x' does not take a value.``). ``args`` with the first such
    ``--x=VALUE`` rewritten to the flag (true) or its ``--no-x`` form / nothing (false), or
    None when the error is something else."""
    import re

    m = re.fullmatch(r"Option '(--[^']+)' does not take a value\.", e.format_message())
    if not m:
        return None
    name = m.group(1)
    command, path = _command_of(app, args)
    param = next((p for p in command.params
                  if getattr(p, "is_bool_flag", False) and name in (*p.opts, *p.secondary_opts)), None)
    index = next((i for i, a in enumerate(args) if a.startswith(name + "=")), None)
    if param is None or index is None:
        return None
    value = args[index].split("=", 1)[1]
    if value not in PARSE_BOOL:
        raise _BoolValueError(f'invalid argument "{value}" for "{_flag_name(param.opts)}" flag: '
                              f'strconv.ParseBool: parsing "{value}": invalid syntax', path)
    on = PARSE_BOOL[value] != (name in param.secondary_opts)
    if on:
        replacement = [param.opts[0]]
    elif param.secondary_opts:
        replacement = [param.secondary_opts[0]]
    elif param.default in (False, None):
        replacement = []
    else:
        return None
    return [*args[:index], *replacement, *args[index + 1:]]


def _invoke(app, exc):
    """Run the app on the command line, accepting pflag's ``--flag=true|false``."""
    args = sys.argv[1:]
    for _ in range(len(args) + 1):
        try:
            return app(args=args, standalone_mode=False, prog_name="kctl")  # "kctl", however it was started
        except exc.BadOptionUsage as e:
            rewritten = with_bool_values(app, e, args)
            if rewritten is None:
                raise
            args = rewritten
    return app(args=args, standalone_mode=False, prog_name="kctl")


def usage_exit_code() -> int:
    """1, as kubectl's ``CheckErr``; 2 for ``diff`` (``CheckDiffErr``: kubectl's code + 1)
    and ``lint`` (whose 1 means invalid manifests)."""
    from kctl.cli import invoked_verb

    return 2 if invoked_verb(sys.argv[1:]) in ("diff", "lint") else 1


def run(app) -> int:
    exc = click_exceptions()
    try:
        rv = _invoke(app, exc)
    except _BoolValueError as e:
        sys.stderr.write(f"error: {e.message}\n")
        sys.stderr.write(f"See '{e.command_path} --help' for usage.\n")
        return usage_exit_code()
    except exc.Exit as e:
        return e.exit_code
    except exc.Abort:
        sys.stderr.write("Aborted!\n")
        return 1
    except exc.UsageError as e:
        sys.stderr.write(f"error: {usage_message(e)}\n")
        if e.ctx is not None:
            sys.stderr.write(f"See '{e.ctx.command_path} --help' for usage.\n")
        return usage_exit_code()
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
        if is_database_error(e):
            sys.stderr.write(f"error: cluster database: {(str(e).splitlines() or [type(e).__name__])[0]}\n")
            return 1
        sys.stderr.write(f"error: internal error: {type(e).__name__}: {e}\n")
        return 1
    return rv if isinstance(rv, int) else 0
