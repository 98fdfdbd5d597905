import os
import stat

import pytest

from kctl.store import KeyExists, KeyNotFound, ReadOnlyTransaction, ResourceVersionConflict
from kctl.store.store import Store
from tests.store.conftest import pod


def test_create_get_list_delete(store):
    with store.transaction() as tx:
        created = tx.create("", "pods", pod("a"))
        assert created["metadata"]["resourceVersion"] == "1"
        tx.create("", "pods", pod("b", ns="other"))
    with store.snapshot() as tx:
        assert tx.get("", "pods", "default", "a")["metadata"]["uid"] == "uid-default-a"
        assert tx.get("", "pods", "default", "missing") is None
        assert [p["metadata"]["name"] for p in tx.list("", "pods")] == ["a", "b"]
        assert [p["metadata"]["name"] for p in tx.list("", "pods", "other")] == ["b"]
        assert tx.list("apps", "deployments") == []
    with store.transaction() as tx:
        gone = tx.delete("", "pods", "default", "a")
        assert gone["metadata"]["name"] == "a"
        assert tx.resource_version == 3
    with store.snapshot() as tx:
        assert tx.get("", "pods", "default", "a") is None


def test_resource_version_is_one_counter_for_every_write(store):
    seen = []
    with store.transaction() as tx:
        seen.append(tx.create("", "pods", pod("a"))["metadata"]["resourceVersion"])
        seen.append(tx.create("", "configmaps", pod("c"))["metadata"]["resourceVersion"])
    with store.transaction() as tx:
        obj = tx.get("", "pods", "default", "a")
        obj["spec"] = {"x": 1}
        seen.append(tx.update("", "pods", obj)["metadata"]["resourceVersion"])
        tx.delete("", "configmaps", "default", "c")
        seen.append(str(tx.resource_version))
        seen.append(tx.create("", "pods", pod("d"))["metadata"]["resourceVersion"])
    assert seen == ["1", "2", "3", "4", "5"]
    with store.snapshot() as tx:
        assert tx.resource_version == 5


def test_list_is_in_key_order(store):
    with store.transaction() as tx:
        for ns, name in [("b", "x"), ("a", "z"), ("a", "B"), ("a", "a")]:
            tx.create("", "pods", pod(name, ns))
    with store.snapshot() as tx:
        got = [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in tx.list("", "pods")]
    assert got == [("a", "B"), ("a", "a"), ("a", "z"), ("b", "x")]


def test_errors(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
    with pytest.raises(KeyExists), store.transaction() as tx:
        tx.create("", "pods", pod("a", uid="other"))
    with pytest.raises(KeyNotFound), store.transaction() as tx:
        tx.update("", "pods", pod("zzz"))
    with pytest.raises(KeyNotFound), store.transaction() as tx:
        tx.delete("", "pods", "default", "zzz")
    with pytest.raises(ResourceVersionConflict), store.transaction() as tx:
        tx.update("", "pods", pod("a"), expected_rv="0")
    with pytest.raises(ReadOnlyTransaction), store.snapshot() as tx:
        tx.create("", "pods", pod("b"))


def test_update_keeps_uid_and_checks_resource_version(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
    with store.transaction() as tx:
        obj = pod("a", uid="ignored")
        out = tx.update("", "pods", obj, expected_rv="1")
        assert out["metadata"]["uid"] == "uid-default-a"
        assert out["metadata"]["resourceVersion"] == "2"


def test_exception_inside_transaction_writes_nothing(store):
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.create("", "pods", pod("a"))
        tx.create("", "pods", pod("b"))
        raise RuntimeError("boom")
    with store.snapshot() as tx:
        assert tx.list("", "pods") == []
        assert tx.resource_version == 0
    with store.transaction() as tx:
        assert tx.create("", "pods", pod("c"))["metadata"]["resourceVersion"] == "1"


def test_failed_write_in_transaction_rolls_back_earlier_writes(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
    with pytest.raises(KeyExists), store.transaction() as tx:
        tx.create("", "pods", pod("b"))
        tx.create("", "pods", pod("a", uid="dup"))
    with store.snapshot() as tx:
        assert [p["metadata"]["name"] for p in tx.list("", "pods")] == ["a"]


def test_owner_index(store):
    with store.transaction() as tx:
        tx.create("apps", "replicasets", pod("rs", uid="rs-uid"))
        tx.create("", "pods", pod("p1", owners=["rs-uid"]))
        tx.create("", "pods", pod("p2", owners=["rs-uid", "rs-uid"]))
        tx.create("", "pods", pod("p3"))
    with store.transaction() as tx:
        assert [o["metadata"]["name"] for _, _, o in tx.dependents("rs-uid")] == ["p1", "p2"]
        p1 = tx.get("", "pods", "default", "p1")
        del p1["metadata"]["ownerReferences"]
        tx.update("", "pods", p1)
        tx.delete("", "pods", "default", "p2")
        assert tx.dependents("rs-uid") == []
        assert tx.uid_exists("rs-uid") and not tx.uid_exists("nope")


def test_namespace_listing(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("p", "dev"))
        tx.create("", "configmaps", pod("c", "dev"))
        tx.create("", "pods", pod("q", "prod"))
    with store.snapshot() as tx:
        assert [(g, r, o["metadata"]["name"]) for g, r, o in tx.in_namespace("dev")] == [
            ("", "configmaps", "c"),
            ("", "pods", "p"),
        ]
        assert not tx.namespace_empty("dev") and tx.namespace_empty("nothing")


def test_wipe(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
        tx.meta_set("clock", "x")
    with store.transaction() as tx:
        tx.wipe()
    with store.snapshot() as tx:
        assert tx.list("", "pods") == [] and tx.resource_version == 0 and tx.meta_get("clock") is None
        assert tx.meta_get("schemaVersion") == "1"


def test_sqlite_file_is_private_and_in_wal_mode(tmp_path, db_url):
    path = tmp_path / "sub" / "cluster.db"
    old = os.umask(0)
    try:
        s = Store.open(db_url(path))
    finally:
        os.umask(old)
    try:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        with s.connection() as raw:
            cur = raw.cursor()
            assert cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cur.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
            assert cur.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        s.close()


def test_write_transactions_take_the_write_lock_at_begin(store):
    """BEGIN IMMEDIATE: a second writer waits (here: gives up after its busy timeout) before
    it has read anything, instead of failing later on a stale snapshot."""
    import sqlite3

    path = store.location.path
    with store.transaction():
        other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.execute("BEGIN")  # readers are not blocked (WAL)
            assert other.execute("SELECT COUNT(*) FROM objects").fetchone()[0] == 0
            other.execute("ROLLBACK")
        finally:
            other.close()


def test_existing_file_keeps_its_data_on_reopen(tmp_path, db_url):
    path = db_url(tmp_path / "c.db")
    with Store.open(path) as s, s.transaction() as tx:
        tx.create("", "pods", pod("a"))
    with Store.open(path) as s, s.snapshot() as tx:
        assert tx.get("", "pods", "default", "a") is not None
        assert tx.resource_version == 1


def test_stored_json_is_compact(store):
    with store.transaction() as tx:
        tx.create("", "pods", pod("a"))
    with store.connection() as raw:
        data = raw.cursor().execute("SELECT data FROM objects").fetchone()[0]
    assert ", " not in data and ": " not in data


def test_statements_compile_for_postgresql():
    """The same Core statements render for PostgreSQL (named parameters, FOR UPDATE lock)."""
    from sqlalchemy.dialects import postgresql

    from kctl.store.statements import Statements, sqlite_dialect

    s = Statements.compile(postgresql.dialect())
    assert s.meta_lock.sql.endswith("FOR UPDATE")
    assert s.get.names is None  # pyformat: parameters go by name
    assert s.get.params({"k_group": "", "k_resource": "pods", "k_namespace": "d", "k_name": "n"})["k_name"] == "n"
    assert "%(k_namespace)s" in s.list_namespace.sql
    sqlite = Statements.compile(sqlite_dialect())
    assert "FOR UPDATE" not in sqlite.meta_lock.sql


def test_importing_the_store_package_does_not_load_sqlalchemy():
    import subprocess
    import sys

    code = "import sys, kctl.store, kctl.api.server, kctl.api.cluster; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
