"""The session a write verb runs in, by its ``--dry-run`` mode (kubectl's ``DryRunStrategy``):

- ``client``: a read; nothing is sent to the API server;
- ``server``: a write transaction the API server and the control plane run in for real,
  rolled back at the end;
- ``none``: a write, then the control-plane pass to a fixed point inside the same
  transaction; its report goes to stderr once the transaction has committed (``-q``
  silences it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def dry_run_session(ctx, mode: str, quiet: bool = False, *, writes: bool = True) -> Iterator:
    """Open the session for ``mode``; ``writes=False`` (``label --list``) only reads, whatever
    the mode. An error raised in the block skips the pass and its report."""
    from kctl.cli.output import report_pass
    from kctl.cli.session import read_session, write_session

    if mode == "client" or not writes:
        with read_session(ctx) as s:
            yield s
        return
    with write_session(ctx, dry_run=mode == "server") as s:
        yield s
        if mode == "none":
            s.reconcile()
    if mode == "none":
        report_pass(s.reconciled, quiet)


__all__ = ["dry_run_session"]
