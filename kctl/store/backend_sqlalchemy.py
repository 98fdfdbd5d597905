"""A cluster database through SQLAlchemy: any SQLAlchemy URL (PostgreSQL, ``sqlite+driver://``).

The portable path. The store's statements are compiled once for the engine's dialect
(``Statements.compile``) and run on the DBAPI cursor of a pooled connection; the tables are
created by ``metadata.create_all``.

- SQLite (``sqlite+pysqlite:///PATH``, ``sqlite:///:memory:``, URLs with options): the
  connection is set up as the stdlib path sets it (``backend_sqlite.configure``), and the
  transactions SQLAlchemy starts itself (schema creation) take the write lock too.
- PostgreSQL: writers serialise on ``SELECT ... FOR UPDATE`` of the revision counter row;
  snapshots run at REPEATABLE READ.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event

from kctl.store.backend_sqlite import configure
from kctl.store.location import Location
from kctl.store.schema import SCHEMA_VERSION, metadata
from kctl.store.statements import Statements


class SQLAlchemyBackend:
    """An SQLAlchemy engine, and the store's SQL compiled for its dialect."""

    def __init__(self, location: Location, busy_timeout: float):
        kwargs: dict[str, Any] = {}
        if location.is_sqlite:
            kwargs["connect_args"] = {"timeout": busy_timeout, "isolation_level": None}
        self.engine = engine = create_engine(location.url, **kwargs)
        self.dialect = engine.dialect.name
        if self.dialect == "sqlite":
            event.listen(engine, "connect", lambda dbapi_conn, _record: configure(dbapi_conn, busy_timeout))
            # Transactions SQLAlchemy itself starts (schema creation) take the write lock too.
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        self.statements = Statements.compile(engine.dialect)
        self.schema_version = SCHEMA_VERSION

    # -- connections ----------------------------------------------------------------------

    def connect(self):
        """A pooled DBAPI connection (SQLAlchemy's proxy); give it back with ``release``."""
        return self.engine.raw_connection()

    def release(self, conn) -> None:
        conn.close()  # back to the pool, rolled back

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions ---------------------------------------------------------------------

    def begin_write(self, conn) -> None:
        if self.dialect == "sqlite":
            conn.cursor().execute("BEGIN IMMEDIATE")

    def begin_read(self, conn) -> None:
        if self.dialect == "sqlite":
            conn.cursor().execute("BEGIN")
        elif self.dialect == "postgresql":
            conn.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def commit(self, conn) -> None:
        if self.dialect == "sqlite":
            conn.cursor().execute("COMMIT")
        else:
            conn.commit()

    def rollback(self, conn) -> None:
        if self.dialect == "sqlite":
            if conn.driver_connection.in_transaction:
                conn.cursor().execute("ROLLBACK")
        else:
            conn.rollback()

    # -- schema ---------------------------------------------------------------------------

    def create_tables(self) -> None:
        with self.engine.begin() as conn:
            metadata.create_all(conn)
