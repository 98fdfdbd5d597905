"""The cluster store (kctl's etcd): a SQLite file or any SQLAlchemy database.

``Store.open(db)`` / ``Store.transaction()`` / ``Store.snapshot()``; see ``kctl.store.store``.
Importing this package is cheap, and so is opening a SQLite file named by its path (the stdlib
``sqlite3`` backend): SQLAlchemy is only imported for the other URLs (PostgreSQL,
``sqlite+pysqlite:///PATH``, ...).
"""

from __future__ import annotations

from kctl.store.errors import (
    KeyExists,
    KeyNotFound,
    ReadOnlyTransaction,
    ResourceVersionConflict,
    StorageError,
)
from kctl.store.location import Location, default_path, resolve

__all__ = [
    "KeyExists",
    "KeyNotFound",
    "Location",
    "ReadOnlyTransaction",
    "ResourceVersionConflict",
    "StorageError",
    "Store",
    "Tx",
    "default_path",
    "resolve",
]


def __getattr__(name: str):
    if name in ("Store", "Tx"):
        from kctl.store import store

        return getattr(store, name)
    raise AttributeError(name)
