"""The write buffer of one store transaction: an identity map of the rows it wrote.

A transaction's writes are staged here instead of being sent to the database one
statement at a time; ``Tx`` flushes them in a few ``executemany`` calls when it commits
(or before a query the buffer cannot answer). Each logical write still takes its own
revision when it happens (etcd's semantics: one revision per write, unique and increasing);
only the SQL is deferred, and an object written several times in one transaction is
written to SQL once, in its final state.

A staged row keeps its object as compact JSON text taken at write time, so the callers'
dicts stay theirs to change; reads decode that text (a fresh copy, like a database read).
A ``shared`` write (the control-plane pass: objects that nobody changes in place once
written) keeps the object itself instead and serializes it only when needed, so an object
written several times in a pass is serialized once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

#: The stored form of an object: compact JSON.
encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False).encode

#: A store key: (api_group, resource, namespace, name); namespace is "" when cluster-scoped.
Key = tuple[str, str, str, str]


class Staged:
    """One key's state after this transaction's writes."""

    __slots__ = ("uid", "rv", "_text", "obj", "owners", "in_db", "db_uid", "deleted")

    def __init__(self, uid: str, rv: int, text: str | None, obj: dict | None, owners: tuple[str, ...],
                 in_db: bool, db_uid: str | None):
        self.uid = uid
        self.rv = rv
        #: The object as stored (compact JSON), when taken at write time or computed since.
        self._text = text
        #: A shared object kept as the staged state instead of text (``shared`` writes: its
        #: writer and readers never change it); serialized when first needed.
        self.obj = obj
        #: Owner uids of ``metadata.ownerReferences``, first occurrence order, no repeats.
        self.owners = owners
        #: Whether the database holds a row for this key (from before this transaction).
        self.in_db = in_db
        #: That row's uid (its owner-reference rows are keyed by it).
        self.db_uid = db_uid
        #: This transaction deleted the key.
        self.deleted = text is None and obj is None

    @property
    def text(self) -> str | None:
        if self._text is None and self.obj is not None:
            self._text = encode(self.obj)
        return self._text


def owner_uids(refs) -> tuple[str, ...]:
    """The distinct owner uids of ``metadata.ownerReferences``, in order (the owner index)."""
    if not refs:
        return ()
    seen: list[str] = []
    for ref in refs:
        owner = ref.get("uid") if isinstance(ref, dict) else None
        if owner and owner not in seen:
            seen.append(owner)
    return tuple(seen)


class WriteBuffer:
    """Staged rows by key, and by (group, resource) for list overlays."""

    def __init__(self):
        self.rows: dict[Key, Staged] = {}
        self._by_resource: dict[tuple[str, str], dict[Key, Staged]] = {}

    def __bool__(self) -> bool:
        return bool(self.rows)

    def get(self, key: Key) -> Staged | None:
        return self.rows.get(key)

    def put(self, key: Key, row: Staged) -> None:
        self.rows[key] = row
        partition = self._by_resource.get(key[:2])
        if partition is None:
            partition = self._by_resource[key[:2]] = {}
        partition[key] = row

    def drop(self, key: Key) -> None:
        """Forget a key entirely (created and deleted within this transaction)."""
        self.rows.pop(key, None)
        partition = self._by_resource.get(key[:2])
        if partition is not None:
            partition.pop(key, None)

    def in_resource(self, group: str, resource: str) -> Iterable[tuple[Key, Staged]]:
        partition = self._by_resource.get((group, resource))
        return partition.items() if partition else ()

    def clear(self) -> None:
        self.rows.clear()
        self._by_resource.clear()

    def plan(self):
        """The SQL a flush runs, as parameter lists: (deletes, forget, inserts, updates, owners).

        - deletes: keys whose database row goes (deleted, or deleted and created again);
        - forget: uids whose owner-reference rows go (every key that had a row);
        - inserts: (key, uid, rv, text) of rows to add, in first-write order;
        - updates: (key, rv, text) of rows replaced in place;
        - owners: (owner uid, dependent uid) rows of the final objects.
        """
        deletes: list[Key] = []
        forget: list[str] = []
        inserts: list[tuple[Key, str, int, str]] = []
        updates: list[tuple[Key, int, str]] = []
        owners: list[tuple[str, str]] = []
        for key, row in self.rows.items():
            if row.in_db:
                forget.append(row.db_uid)
                if row.deleted or row.uid != row.db_uid:
                    deletes.append(key)
                    if not row.deleted:
                        inserts.append((key, row.uid, row.rv, row.text))
                else:
                    updates.append((key, row.rv, row.text))
            elif not row.deleted:
                inserts.append((key, row.uid, row.rv, row.text))
            if row.owners and not row.deleted:
                owners.extend((owner, row.uid) for owner in row.owners)
        return deletes, forget, inserts, updates, owners
