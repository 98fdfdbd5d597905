"""One command's view of the cluster: the store transaction, the API server on top of
it, and (for writes) the control-plane pass that follows, all committed together."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kctl.cli.context import global_options

#: Freeze the cluster clock instead of following the wall clock (tests, reproducible demos).
FROZEN_CLOCK_ENV = "KCTL_FROZEN_CLOCK"


@dataclass
class Session:
    api: object
    store: object
    tx: object
    writable: bool
    reconciled: object | None = field(default=None)

    @property
    def now(self):
        return self.api.clock.now()

    def reconcile(self, advance_seconds: float = 0):
        """Run the control plane to a fixed point (after advancing the clock)."""
        from kctl.controllers.runner import run_control_plane

        self.reconciled = run_control_plane(self.api, advance_seconds=advance_seconds)
        return self.reconciled


def _open_store(ctx):
    from kctl.api.cluster import open_cluster
    from kctl.cli.errors import database_error, is_database_error

    db = global_options(ctx).db
    try:
        return open_cluster(db)
    except Exception as e:
        if isinstance(e, (OSError, ImportError)) or is_database_error(e):
            raise database_error(db, e) from None
        raise


@contextmanager
def read_session(ctx) -> Iterator[Session]:
    from kctl.api.server import APIServer

    store = _open_store(ctx)
    try:
        with store.snapshot() as tx:
            yield Session(APIServer(tx), store, tx, writable=False)
    finally:
        store.close()


@contextmanager
def write_session(ctx, *, dry_run: bool = False) -> Iterator[Session]:
    """A write transaction; everything commits when the block ends without an error.

    ``dry_run`` rolls it all back (kubectl diff, --dry-run=server): the API server and
    the control plane run for real, and nothing is kept."""
    from kctl.api.server import APIServer

    store = _open_store(ctx)
    try:
        with store.transaction() as tx:
            api = APIServer(tx)
            if not os.environ.get(FROZEN_CLOCK_ENV):
                api.clock.sync()
            session = Session(api, store, tx, writable=True)
            yield session
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        store.close()


class _Rollback(Exception):
    pass
