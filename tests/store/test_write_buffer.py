"""The transaction's write buffer: staged writes are visible to the transaction's own reads,
each logical write takes its own revision, and the database gets the final state once."""

from __future__ import annotations

import pytest

from kctl.store.errors import KeyExists, KeyNotFound, ResourceVersionConflict

from .conftest import pod


def rows(store) -> list[tuple]:
    """What the database holds: (resource, namespace, name, uid, resource_version, data)."""
    with store.connection() as raw:
        cur = raw.cursor()
        cur.execute("SELECT resource, namespace, name, uid, resource_version, data FROM objects ORDER BY id")
        return [tuple(r) for r in cur.fetchall()]


def owner_rows(store) -> list[tuple]:
    with store.connection() as raw:
        cur = raw.cursor()
        cur.execute("SELECT owner_uid, dependent_uid FROM owner_references ORDER BY owner_uid, dependent_uid")
        return [tuple(r) for r in cur.fetchall()]


def test_reads_see_staged_writes_and_sql_waits_for_commit(store):
    with store.transaction() as tx:
        a = tx.create("", "pods", pod("a"))
        assert a["metadata"]["resourceVersion"] == "1"
        a["metadata"]["labels"] = {"x": "1"}  # the caller's dict stays the caller's
        assert tx.get("", "pods", "default", "a") == {**pod("a"), "metadata": {**pod("a")["metadata"], "resourceVersion": "1"}}
        got = tx.get("", "pods", "default", "a")
        got["spec"] = {"v": 1}
        assert tx.update("", "pods", got)["metadata"]["resourceVersion"] == "2"
        got["spec"] = {"v": 2}
        assert tx.update("", "pods", got, expected_rv="2")["metadata"]["resourceVersion"] == "3"
        with pytest.raises(ResourceVersionConflict):
            tx.update("", "pods", got, expected_rv="2")
        assert rows(store) == []  # nothing sent yet (and the write lock is ours)
        assert tx.get("", "pods", "default", "a")["spec"] == {"v": 2}
        assert tx.resource_version == 3
    # one row, in its final state, carrying the revision of its last write
    [(resource, ns, name, uid, rv, data)] = rows(store)
    assert (resource, ns, name, uid, rv) == ("pods", "default", "a", "uid-default-a", 3)
    assert data == '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"default","uid":"uid-default-a","resourceVersion":"3"},"spec":{"v":2}}'
    with store.snapshot() as tx:
        assert tx.resource_version == 3


def test_list_and_names_overlay_staged_writes(store):
    with store.transaction() as tx:
        for name in ("b", "d", "f"):
            tx.create("", "pods", pod(name))
        tx.create("", "pods", pod("x", "other"))
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
        tx.create("", "pods", pod("e"))
        tx.delete("", "pods", "default", "d")
        f = tx.get("", "pods", "default", "f")
        f["spec"] = {"changed": True}
        tx.update("", "pods", f)
        tx.create("", "configmaps", pod("c"))
        assert [p["metadata"]["name"] for p in tx.list("", "pods", "default")] == ["a", "b", "e", "f"]
        assert [p["metadata"]["name"] for p in tx.list("", "pods")] == ["a", "b", "e", "f", "x"]
        assert tx.list("", "pods", "default")[-1]["spec"] == {"changed": True}
        assert tx.names("", "pods", "default") == {"a", "b", "e", "f"}
        assert [c["metadata"]["name"] for c in tx.list("", "configmaps")] == ["c"]
    with store.snapshot() as tx:
        assert [p["metadata"]["name"] for p in tx.list("", "pods")] == ["a", "b", "e", "f", "x"]
        assert tx.get("", "pods", "default", "f")["metadata"]["resourceVersion"] == "8"


def test_create_delete_recreate_in_one_transaction(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("kept", uid="old"))
    with store.transaction() as tx:
        tx.create("", "pods", pod("gone"))
        assert tx.delete("", "pods", "default", "gone")["metadata"]["resourceVersion"] == "2"
        assert tx.get("", "pods", "default", "gone") is None
        with pytest.raises(KeyNotFound):
            tx.delete("", "pods", "default", "gone")
        tx.delete("", "pods", "default", "kept")
        with pytest.raises(KeyNotFound):
            tx.update("", "pods", pod("kept"))
        tx.create("", "pods", pod("kept", uid="new"))
        with pytest.raises(KeyExists):
            tx.create("", "pods", pod("kept", uid="newer"))
    assert [(r[2], r[3], r[4]) for r in rows(store)] == [("kept", "new", 5)]
    with store.snapshot() as tx:
        assert tx.resource_version == 5


def test_owner_index_follows_the_final_state(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("p", uid="p-uid", owners=["rs1"]))
        tx.create("", "pods", pod("q", uid="q-uid", owners=["rs1"]))
    with store.transaction() as tx:
        p = tx.get("", "pods", "default", "p")
        p["metadata"]["ownerReferences"] = [{"uid": "rs2"}, {"uid": "rs2"}, {"uid": "rs3"}]
        tx.update("", "pods", p)
        tx.delete("", "pods", "default", "q")
        tx.create("", "pods", pod("r", uid="r-uid", owners=["rs1"]))
        # queries the buffer cannot answer see the staged writes too
        assert [o["metadata"]["name"] for _, _, o in tx.dependents("rs1")] == ["r"]
        assert [o["metadata"]["name"] for _, _, o in tx.dependents("rs2")] == ["p"]
        assert tx.uid_exists("r-uid") and not tx.uid_exists("q-uid")
        tx.delete("", "pods", "default", "r")
        assert tx.dependents("rs1") == []
    assert owner_rows(store) == [("rs2", "p-uid"), ("rs3", "p-uid")]


def test_rollback_discards_staged_writes(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.create("", "pods", pod("b"))
        tx.delete("", "pods", "default", "a")
        raise RuntimeError("boom")
    with store.snapshot() as tx:
        assert [p["metadata"]["name"] for p in tx.list("", "pods")] == ["a"]
        assert tx.resource_version == 1


def test_wipe_drops_staged_writes(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
        tx.wipe()
        assert tx.get("", "pods", "default", "a") is None
        tx.create("", "pods", pod("b"))
    assert [(r[2], r[4]) for r in rows(store)] == [("b", 1)]


def test_many_creates_in_one_namespace_still_see_existing_names(store):
    from kctl.store.store import NAME_PROBES_BEFORE_LISTING

    count = NAME_PROBES_BEFORE_LISTING * 2
    with store.transaction() as tx:
        tx.create("", "events", pod("old-0"))
        tx.create("", "events", pod("old-1"))
    with store.transaction() as tx:
        tx.delete("", "events", "default", "old-1")
        for i in range(count):
            tx.create("", "events", pod(f"e-{i}"))
        with pytest.raises(KeyExists):
            tx.create("", "events", pod("old-0"))  # in the database only
        with pytest.raises(KeyExists):
            tx.create("", "events", pod("e-3"))  # staged only
        tx.create("", "events", pod("old-1", uid="again"))  # deleted in this transaction
        tx.dependents("nobody")  # flushes: the name sets follow the database
        with pytest.raises(KeyExists):
            tx.create("", "events", pod("e-4"))
        tx.delete("", "events", "default", "e-5")
        tx.dependents("nobody")
        tx.create("", "events", pod("e-5", uid="e-5-again"))
        with pytest.raises(KeyExists):
            tx.create("", "events", pod("old-1", uid="third"))
    with store.snapshot() as tx:
        names = [e["metadata"]["name"] for e in tx.list("", "events")]
        assert len(names) == count + 2 and "old-1" in names and "e-5" in names
        assert tx.get("", "events", "default", "e-5")["metadata"]["uid"] == "e-5-again"


def test_shared_writes_keep_the_object_and_serialize_it_at_commit(store):
    with store.transaction() as tx:
        a = pod("a")
        assert tx.create("", "pods", a, shared=True) is a
        assert tx.get("", "pods", "default", "a", shared=True) is a  # read-only readers share it
        copy = tx.get("", "pods", "default", "a")
        assert copy == a and copy is not a  # everyone else gets a copy
        b = {**a, "metadata": {**a["metadata"]}, "spec": {"v": 1}}
        tx.update("", "pods", b, shared=True)
        assert tx.get("", "pods", "default", "a", shared=True) is b
        assert [p["spec"] for p in tx.list("", "pods")] == [{"v": 1}]
        tx.update("", "pods", {**b, "metadata": {**b["metadata"]}, "spec": {"v": 2}})  # a snapshot write
        assert tx.get("", "pods", "default", "a", shared=True)["spec"] == {"v": 2}
        assert tx.get("", "pods", "default", "a", shared=True) is not b
    [(_, _, _, _, rv, data)] = rows(store)
    assert rv == 3 and '"spec":{"v":2}' in data
