"""The cluster's store: kctl's etcd.

One ``Store`` per database (SQLite file or any SQLAlchemy URL). Every command's writes are one
transaction (``Store.transaction()``); reads go through a snapshot (``Store.snapshot()``).

Semantics mirrored from etcd as the API server uses it (k8s.io/apiserver/pkg/storage/etcd3):

- one cluster-wide revision counter, incremented by every write (create, update, delete); the
  object's ``metadata.resourceVersion`` is the revision of its last write, as a string;
- create fails on an existing key (``KeyExists``), update/delete on a missing one
  (``KeyNotFound``), and a resourceVersion precondition that does not hold raises
  ``ResourceVersionConflict``;
- lists come back in key order (namespace, then name, bytewise).

Implementation notes:

- Tables and statements are SQLAlchemy Core (``kctl.store.schema``, ``kctl.store.statements``:
  portable SQL, SQLite and PostgreSQL), compiled once per dialect and run on a DBAPI cursor:
  that keeps a 10,000-object apply or list within a small factor of bare ``sqlite3``.
- Two backends. A SQLite file (a bare path, or a ``sqlite:///PATH`` URL without driver or
  options) goes through the stdlib ``sqlite3`` module (``kctl.store.backend_sqlite``) and never
  imports SQLAlchemy, so a read command starts fast; it runs the SQL text SQLAlchemy compiles
  for SQLite, kept in the generated ``kctl.store.sqlite_sql`` (a test checks it against
  SQLAlchemy). Any other URL (``postgresql+psycopg://...``, ``sqlite+pysqlite:///PATH``,
  ``sqlite:///:memory:``) goes through SQLAlchemy (``kctl.store.backend_sqlalchemy``).
- A write transaction stages its writes in a write buffer (``kctl.store.buffer``): each write is
  checked and takes its revision at once, reads in the transaction see it, and the rows go to
  SQL in a few ``executemany`` calls at commit (or before a query the buffer cannot answer:
  namespace contents, uid and owner lookups), so an object written N times in one command is
  written to SQL once, in its final state.
- SQLite (both backends): the file is created mode 0600 before it is opened (it holds
  Secrets), WAL mode, a 30 s busy timeout, and ``BEGIN IMMEDIATE`` for write transactions, so
  concurrent kctl processes queue for the write lock instead of failing. SQLite pragmas are
  only sent to SQLite.
- PostgreSQL: writers serialise on ``SELECT ... FOR UPDATE`` of the revision counter row;
  snapshots run at REPEATABLE READ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kctl.store.buffer import Key, Staged, WriteBuffer, encode, owner_uids
from kctl.store.collector import automatic_gc_paused
from kctl.store.errors import KeyExists, KeyNotFound, ReadOnlyTransaction, ResourceVersionConflict
from kctl.store.location import Location, resolve
from kctl.store.statements import Compiled

#: How long a SQLite writer waits for another process's write transaction (seconds).
BUSY_TIMEOUT = 30.0

#: Creates in one (group, resource, namespace) that look keys up one by one before the
#: transaction reads that partition's names once (see ``Tx._exists``).
NAME_PROBES_BEFORE_LISTING = 32

META_RESOURCE_VERSION = "resourceVersion"
META_SCHEMA_VERSION = "schemaVersion"

_dumps = encode
_loads = json.loads


def dumps(obj: Any) -> str:
    """The stored form of an object: compact JSON."""
    return _dumps(obj)


def create_private_file(path: Path) -> None:
    """Create ``path`` (and its directory) readable by its owner only, if it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)


class Tx:
    """One transaction: reads see one snapshot plus this transaction's own (staged) writes.

    Keys are (api_group, resource, namespace, name); ``namespace`` is ``""`` for
    cluster-scoped resources. Objects go in and come out as plain dicts (JSON documents);
    what comes out is a fresh copy the caller may change.
    """

    def __init__(self, store: Store, raw, writable: bool):
        self.store = store
        self._raw = raw
        self._cur = raw.cursor()
        self._s = store._stmts
        self.writable = writable
        self._revision: int | None = None
        self._start_revision: int | None = None
        self._meta_cache: dict[str, str | None] = {}
        #: This transaction's staged writes (flushed at commit).
        self._buffer = WriteBuffer()
        #: Names in the database per (group, resource, namespace), for partitions that creates
        #: probe often (``_exists``), and how often each partition was probed.
        self._db_names: dict[tuple[str, str, str], set[str]] = {}
        self._probes: dict[tuple[str, str, str], int] = {}

    # -- the revision counter -------------------------------------------------------------

    @property
    def resource_version(self) -> int:
        """The cluster's current revision (including this transaction's writes)."""
        if self._revision is None:
            value = self.meta_get(META_RESOURCE_VERSION, lock=self.writable)
            self._revision = self._start_revision = int(value or 0)
        return self._revision

    def _next_revision(self) -> int:
        if not self.writable:
            raise ReadOnlyTransaction("write in a read-only snapshot")
        self._revision = self.resource_version + 1
        return self._revision

    # -- meta -----------------------------------------------------------------------------

    def meta_get(self, key: str, lock: bool = False) -> str | None:
        if key in self._meta_cache:
            return self._meta_cache[key]
        stmt = self._s.meta_lock if lock else self._s.meta_get
        self._cur.execute(stmt.sql, stmt.params({"k_key": key}))
        row = self._cur.fetchone()
        value = row[0] if row else None
        self._meta_cache[key] = value
        return value

    def meta_set(self, key: str, value: str) -> None:
        if not self.writable:
            raise ReadOnlyTransaction("write in a read-only snapshot")
        exists = self.meta_get(key) is not None
        stmt = self._s.meta_update if exists else self._s.meta_insert
        params = {"k_key": key, "v_value": value} if exists else {"v_key": key, "v_value": value}
        self._cur.execute(stmt.sql, stmt.params(params))
        self._meta_cache[key] = value

    # -- reads ----------------------------------------------------------------------------

    def _exec(self, stmt: Compiled, params: dict):
        self._cur.execute(stmt.sql, stmt.params(params))
        return self._cur

    def get(self, group: str, resource: str, namespace: str, name: str, *, shared: bool = False) -> dict | None:
        """The object at a key, as a fresh copy; ``shared=True``: possibly the object a shared
        write kept (see ``create``), which the caller must not change."""
        key = (group, resource, namespace or "", name)
        row = self._buffer.get(key)
        if row is not None:
            if row.deleted:
                return None
            if shared and row.obj is not None:
                return row.obj
            return _loads(row.text)
        found = self._exec(
            self._s.get, {"k_group": group, "k_resource": resource, "k_namespace": key[2], "k_name": name}
        ).fetchone()
        return _loads(found[0]) if found else None

    def list(self, group: str, resource: str, namespace: str | None = None) -> list[dict]:
        """Objects of one resource, in one namespace or (``None``) all, in key order."""
        if namespace is None:
            rows = self._exec(self._s.list_all, {"k_group": group, "k_resource": resource}).fetchall()
        else:
            rows = self._exec(
                self._s.list_namespace, {"k_group": group, "k_resource": resource, "k_namespace": namespace}
            ).fetchall()
        staged = self._buffer.in_resource(group, resource)
        if staged:
            texts = {(r[0], r[1]): r[2] for r in rows}
            for key, row in staged:
                if namespace is not None and key[2] != namespace:
                    continue
                if row.deleted:
                    texts.pop(key[2:], None)
                else:
                    texts[key[2:]] = row.text
            return [_loads(texts[k]) for k in sorted(texts)]
        rows.sort(key=_row_key)
        return [_loads(r[2]) for r in rows]

    def names(self, group: str, resource: str, namespace: str) -> set[str]:
        namespace = namespace or ""
        rows = self._exec(
            self._s.names, {"k_group": group, "k_resource": resource, "k_namespace": namespace}
        ).fetchall()
        out = {r[0] for r in rows}
        for key, row in self._buffer.in_resource(group, resource):
            if key[2] == namespace:
                if row.deleted:
                    out.discard(key[3])
                else:
                    out.add(key[3])
        return out

    def in_namespace(self, namespace: str) -> list[tuple[str, str, dict]]:
        """Every object in ``namespace``: (group, resource, object), sorted by key."""
        self.flush()
        rows = self._exec(self._s.in_namespace, {"k_namespace": namespace}).fetchall()
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        return [(r[0], r[1], _loads(r[3])) for r in rows]

    def namespace_empty(self, namespace: str) -> bool:
        self.flush()
        return self._exec(self._s.count_namespace, {"k_namespace": namespace}).fetchone() is None

    def uid_exists(self, uid: str) -> bool:
        self.flush()
        return self._exec(self._s.uid_exists, {"k_uid": uid}).fetchone() is not None

    def dependents(self, owner_uid: str) -> list[tuple[str, str, dict]]:
        """Objects listing ``owner_uid`` in their ownerReferences: (group, resource, object)."""
        self.flush()
        rows = self._exec(self._s.dependents, {"k_owner": owner_uid}).fetchall()
        out = [(r[0], r[1], _loads(r[2])) for r in rows]
        out.sort(key=lambda t: (t[0], t[1], t[2]["metadata"].get("namespace", ""), t[2]["metadata"]["name"]))
        return out

    # -- writes ---------------------------------------------------------------------------
    #
    # Writes are staged in the transaction's write buffer (``kctl.store.buffer``): checked and
    # given their revision now, sent to SQL by ``flush`` (at commit, or before a query that
    # needs the rows in the database).

    def _stored_version(self, key: Key) -> tuple[int | str, str] | None:
        """(resourceVersion, uid) of ``key`` as this transaction sees it, or None."""
        row = self._buffer.get(key)
        if row is not None:
            return None if row.deleted else (row.rv, row.uid)
        found = self._exec(
            self._s.get_version, {"k_group": key[0], "k_resource": key[1], "k_namespace": key[2], "k_name": key[3]}
        ).fetchone()
        return None if found is None else (found[0], found[1])

    def _stage(self, key: Key, uid: str, rv: int, obj: dict | None, shared: bool, db_uid: str | None) -> None:
        """Stage the key's new state (``obj`` None: deleted). ``db_uid``: the uid of its
        database row (None: no row), as the write just found it; only used when the key is
        not staged yet."""
        previous = self._buffer.get(key)
        if previous is not None:
            db_uid = previous.db_uid if previous.in_db else None
        if obj is None:
            if db_uid is None:
                self._buffer.drop(key)  # created and deleted in this transaction
            else:
                self._buffer.put(key, Staged(uid, rv, None, None, (), True, db_uid))
            return
        owners = owner_uids(obj["metadata"].get("ownerReferences"))
        if shared:
            row = Staged(uid, rv, None, obj, owners, db_uid is not None, db_uid)
        else:
            row = Staged(uid, rv, _dumps(obj), None, owners, db_uid is not None, db_uid)
        self._buffer.put(key, row)

    def _exists(self, key: Key) -> bool:
        """Whether ``key`` holds an object (for create). A partition that many creates probe
        (events, a ReplicaSet's pods) has its names read from SQL once instead of once each."""
        row = self._buffer.get(key)
        if row is not None:
            return not row.deleted
        partition = key[:3]
        names = self._db_names.get(partition)
        if names is None:
            probes = self._probes[partition] = self._probes.get(partition, 0) + 1
            if probes < NAME_PROBES_BEFORE_LISTING:
                return self._stored_version(key) is not None
            rows = self._exec(
                self._s.names, {"k_group": key[0], "k_resource": key[1], "k_namespace": key[2]}
            ).fetchall()
            names = self._db_names[partition] = {r[0] for r in rows}
        return key[3] in names

    def create(self, group: str, resource: str, obj: dict, *, shared: bool = False) -> dict:
        """Store a new object; sets its ``metadata.resourceVersion``. ``KeyExists`` if taken.

        The store takes a snapshot of ``obj`` (the caller may go on changing it), unless
        ``shared=True``: then the store keeps ``obj`` itself, which nobody may change from
        now on (the control-plane pass, whose objects are read-only once written)."""
        md = obj["metadata"]
        key = (group, resource, md.get("namespace") or "", md["name"])
        if self._exists(key):
            raise KeyExists(key)
        rv = self._next_revision()
        md["resourceVersion"] = str(rv)
        self._stage(key, md["uid"], rv, obj, shared, None)
        return obj

    def update(
        self, group: str, resource: str, obj: dict, expected_rv: int | str | None = None, *, shared: bool = False
    ) -> dict:
        """Replace an object; sets its ``metadata.resourceVersion``.

        ``expected_rv`` (when given) must equal the stored resourceVersion, else
        ``ResourceVersionConflict``; a missing key raises ``KeyNotFound``. ``shared``: as
        for ``create``.
        """
        md = obj["metadata"]
        key = (group, resource, md.get("namespace") or "", md["name"])
        found = self._stored_version(key)
        if found is None:
            raise KeyNotFound(key)
        if expected_rv not in (None, "") and str(expected_rv) != str(found[0]):
            raise ResourceVersionConflict(key)
        rv = self._next_revision()
        md["resourceVersion"] = str(rv)
        md["uid"] = uid = found[1]
        self._stage(key, uid, rv, obj, shared, uid)
        return obj

    def delete(
        self, group: str, resource: str, namespace: str, name: str, expected_rv: int | str | None = None
    ) -> dict:
        """Remove an object and return it as it was stored."""
        key = (group, resource, namespace or "", name)
        obj = self.get(*key)
        if obj is None:
            raise KeyNotFound(key)
        if expected_rv not in (None, "") and str(expected_rv) != obj["metadata"].get("resourceVersion"):
            raise ResourceVersionConflict(key)
        uid = obj["metadata"]["uid"]
        self._stage(key, uid, self._next_revision(), None, False, uid)
        return obj

    def flush(self) -> None:
        """Send the staged writes to SQL (a few ``executemany``), in one go."""
        if not self._buffer:
            return
        with automatic_gc_paused():
            self._flush()

    def _flush(self) -> None:
        deletes, forget, inserts, updates, owners = self._buffer.plan()
        s, cur = self._s, self._cur

        def many(stmt: Compiled, rows: list[dict]) -> None:
            if rows:
                cur.executemany(stmt.sql, [stmt.params(r) for r in rows])

        many(s.owner_forget, [{"k_dependent": uid} for uid in forget])
        many(s.delete, [{"k_group": k[0], "k_resource": k[1], "k_namespace": k[2], "k_name": k[3]} for k in deletes])
        many(s.update, [{"k_group": k[0], "k_resource": k[1], "k_namespace": k[2], "k_name": k[3],
                         "v_rv": rv, "v_data": text} for k, rv, text in updates])
        many(s.insert, [{"v_group": k[0], "v_resource": k[1], "v_namespace": k[2], "v_name": k[3],
                         "v_uid": uid, "v_rv": rv, "v_data": text} for k, uid, rv, text in inserts])
        many(s.owner_insert, [{"v_owner": o, "v_dependent": d} for o, d in owners])
        self._buffer.clear()
        if self._db_names:  # the name sets describe the database: keep them current
            for k in deletes:
                names = self._db_names.get(k[:3])
                if names is not None:
                    names.discard(k[3])
            for k, *_ in inserts:
                names = self._db_names.get(k[:3])
                if names is not None:
                    names.add(k[3])

    def wipe(self) -> None:
        """Remove every object and every meta value but the schema version (cluster reset)."""
        if not self.writable:
            raise ReadOnlyTransaction("write in a read-only snapshot")
        self._buffer.clear()
        self._db_names.clear()
        self._exec(self._s.wipe_objects, {})
        self._exec(self._s.wipe_owners, {})
        self._exec(self._s.wipe_meta, {"k_key": META_SCHEMA_VERSION})
        schema = self._meta_cache.get(META_SCHEMA_VERSION)
        self._meta_cache = {META_SCHEMA_VERSION: schema} if schema is not None else {}
        self._revision = 0
        self._start_revision = None
        self.meta_set(META_RESOURCE_VERSION, "0")
        self._start_revision = 0

    # -- end ------------------------------------------------------------------------------

    def _finish(self, commit: bool) -> None:
        try:
            if commit and self.writable:
                self.flush()
            if commit and self.writable and self._revision is not None and self._revision != self._start_revision:
                self.meta_set(META_RESOURCE_VERSION, str(self._revision))
            self._cur.close()
            if commit and self.writable:
                self.store.backend.commit(self._raw)
            else:
                self.store.backend.rollback(self._raw)
        finally:
            self.store.backend.release(self._raw)


def _row_key(row):
    return (row[0], row[1])


class Store:
    """A cluster database. Open with ``Store.open(db)``; see the module docstring."""

    def __init__(self, backend, location: Location):
        #: ``SQLiteBackend`` (stdlib sqlite3) or ``SQLAlchemyBackend``.
        self.backend = backend
        self.location = location
        self.dialect: str = backend.dialect
        self._stmts = backend.statements

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @classmethod
    def open(cls, db: str | None = None, env: Mapping[str, str] | None = None) -> Store:
        """Open (creating if needed) the database named by ``--db``/``KCTL_DB``/the XDG default."""
        return cls.open_location(resolve(db, env))

    @classmethod
    def open_location(cls, location: Location) -> Store:
        if location.is_sqlite and location.path is not None:
            create_private_file(location.path)
        if location.uses_stdlib_sqlite:
            from kctl.store.backend_sqlite import SQLiteBackend

            backend = SQLiteBackend(location.path, BUSY_TIMEOUT)
        else:
            from kctl.store.backend_sqlalchemy import SQLAlchemyBackend

            backend = SQLAlchemyBackend(location, BUSY_TIMEOUT)
        store = cls(backend, location)
        try:
            store._ensure_schema()
        except BaseException:
            backend.close()
            raise
        return store

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A DBAPI connection outside the store's transactions (tests, maintenance)."""
        conn = self.backend.connect()
        try:
            yield conn
        finally:
            self.backend.release(conn)

    # -- schema ---------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        try:
            with self.snapshot() as tx:
                if tx.meta_get(META_SCHEMA_VERSION) is not None:
                    return
        except Exception as e:  # noqa: BLE001 - "no such table" differs per driver
            if not _is_missing_table(e):
                raise
        self.backend.create_tables()
        with self.transaction() as tx:
            if tx.meta_get(META_SCHEMA_VERSION) is None:
                tx.meta_set(META_SCHEMA_VERSION, self.backend.schema_version)
                tx.meta_set(META_RESOURCE_VERSION, "0")

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A write transaction: everything inside commits together or not at all."""
        raw = self.backend.connect()
        try:
            self.backend.begin_write(raw)
        except BaseException:
            self.backend.release(raw)
            raise
        tx = Tx(self, raw, writable=True)
        try:
            tx.resource_version  # noqa: B018 - takes the counter lock on PostgreSQL
            yield tx
        except BaseException:
            tx._finish(commit=False)
            raise
        tx._finish(commit=True)

    @contextmanager
    def snapshot(self) -> Iterator[Tx]:
        """A read-only transaction: one consistent view of the cluster."""
        raw = self.backend.connect()
        try:
            self.backend.begin_read(raw)
        except BaseException:
            self.backend.release(raw)
            raise
        tx = Tx(self, raw, writable=False)
        try:
            yield tx
        finally:
            tx._finish(commit=False)


def _is_missing_table(exc: Exception) -> bool:
    text = str(exc).lower()
    return "no such table" in text or "does not exist" in text or "undefinedtable" in text
