"""The SQLite file of a cluster through the stdlib ``sqlite3`` module, without SQLAlchemy.

The default for a SQLite file (``--db PATH``, ``sqlite:///PATH``): a read command's start-up
does not pay for importing SQLAlchemy. It runs the very SQL SQLAlchemy compiles for its SQLite
dialect (``Statements.precompiled()``, tables created with the DDL of
``kctl.store.sqlite_sql``) and sets the connection up as the SQLAlchemy path does: a 30 s busy
timeout, WAL, ``synchronous = NORMAL``, autocommit mode so that the store issues ``BEGIN
[IMMEDIATE]`` / ``COMMIT`` itself.

Connections are reused across the store's transactions (a small pool, as SQLAlchemy's
``QueuePool`` does for file databases).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kctl.store.sqlite_sql import DDL, SCHEMA_VERSION
from kctl.store.statements import Statements

#: Connections kept open for reuse (SQLAlchemy's QueuePool default size).
POOL_SIZE = 5


class Connection(sqlite3.Connection):
    """A stdlib connection that also answers ``driver_connection`` (itself), as the pooled
    connections of the SQLAlchemy backend do, so code holding a transaction's connection
    (``Tx._raw``) reaches the driver's connection the same way on both backends."""

    @property
    def driver_connection(self) -> sqlite3.Connection:
        return self


class SQLiteBackend:
    """Connections to one SQLite file, and the store's SQL for them."""

    dialect = "sqlite"

    def __init__(self, path: Path, busy_timeout: float):
        self.path = path
        self.busy_timeout = busy_timeout
        self.statements = Statements.precompiled()
        self.schema_version = SCHEMA_VERSION
        self._idle: list[Connection] = []

    # -- connections ----------------------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        """A connection outside any transaction; give it back with ``release``."""
        if self._idle:
            return self._idle.pop()
        # check_same_thread=False as SQLAlchemy's pysqlite dialect sets for pooled file databases.
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False, factory=Connection
        )
        try:
            configure(conn, self.busy_timeout)
        except BaseException:
            conn.close()
            raise
        return conn

    def release(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction:  # pool "reset on return"
            conn.execute("ROLLBACK")
        if len(self._idle) < POOL_SIZE:
            self._idle.append(conn)
        else:
            conn.close()

    def close(self) -> None:
        while self._idle:
            self._idle.pop().close()

    # -- transactions ---------------------------------------------------------------------

    def begin_write(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def begin_read(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN")

    def commit(self, conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    def rollback(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            conn.execute("ROLLBACK")

    # -- schema ---------------------------------------------------------------------------

    def create_tables(self) -> None:
        """Create the tables that are missing, with their indexes, in one write transaction
        (what ``metadata.create_all`` does, with SQLAlchemy's own DDL text)."""
        conn = self.connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table, statements in DDL.items():
                if table not in existing:
                    for sql in statements:
                        conn.execute(sql)
            conn.execute("COMMIT")
        finally:
            self.release(conn)


def configure(conn, busy_timeout: float) -> None:
    """A new SQLite connection as the store uses it (both paths)."""
    conn.isolation_level = None  # the store issues BEGIN/COMMIT itself
    cur = conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()
