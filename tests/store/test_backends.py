"""The two backends of a SQLite file run the same SQL on the same tables: the stdlib path's SQL
is what SQLAlchemy compiles from ``kctl.store.schema`` (so the two cannot drift), a file either
one created is the other's too, and a read command on a default cluster never imports
SQLAlchemy."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kctl.store import sqlite_sql
from kctl.store.statements import NAMES, Statements, render_sqlite_module, sqlite_ddl, sqlite_dialect
from kctl.store.store import Store
from tests.store.conftest import BACKENDS, pod
from tests.store.test_concurrency import PER_WRITER, _writer


def test_precompiled_statements_are_what_sqlalchemy_compiles_for_sqlite():
    from sqlalchemy import create_engine

    precompiled = Statements.precompiled().as_dict()
    assert list(precompiled) == list(NAMES)
    assert precompiled == Statements.compile(sqlite_dialect()).as_dict()
    # ... and what an engine for a SQLite file compiles (the SQLAlchemy backend's statements).
    engine = create_engine("sqlite://")
    try:
        assert precompiled == Statements.compile(engine.dialect).as_dict()
    finally:
        engine.dispose()
    assert precompiled["get"].sql == (
        "SELECT objects.data \nFROM objects \nWHERE objects.api_group = ? AND objects.resource = ? "
        "AND objects.namespace = ? AND objects.name = ?"
    )
    assert precompiled["get"].params({"k_group": "", "k_resource": "pods", "k_namespace": "d", "k_name": "n"}) == (
        "", "pods", "d", "n"
    )
    assert precompiled["count_namespace"].params({"k_namespace": "d"}) == ("d", 1, 0)


def test_generated_module_is_up_to_date():
    """Regenerate with: .venv/bin/python -m kctl.store.statements > kctl/store/sqlite_sql.py"""
    from kctl.store.schema import SCHEMA_VERSION

    assert Path(sqlite_sql.__file__).read_text() == render_sqlite_module()
    assert sqlite_ddl() == sqlite_sql.DDL
    assert sqlite_sql.SCHEMA_VERSION == SCHEMA_VERSION


def _sqlite_master(path: Path) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


def test_both_backends_create_the_same_tables(tmp_path):
    masters = []
    for backend, url in BACKENDS.items():
        path = tmp_path / f"{backend}.db"
        with Store.open(url(path)) as s:
            assert type(s.backend).__name__ == backend
            with s.snapshot() as tx:
                assert tx.meta_get("schemaVersion") == "1" and tx.resource_version == 0
        masters.append(_sqlite_master(path))
    assert masters[0] == masters[1]
    names = {(t, n) for t, n, _, _ in masters[0]}
    assert {("table", "objects"), ("table", "owner_references"), ("table", "meta"),
            ("index", "ix_objects_uid"), ("index", "ix_objects_namespace"),
            ("index", "ix_owner_references_owner"), ("index", "ix_owner_references_dependent")} <= names


@pytest.mark.parametrize("first,second", [("SQLiteBackend", "SQLAlchemyBackend"), ("SQLAlchemyBackend", "SQLiteBackend")])
def test_a_file_written_by_one_backend_is_read_by_the_other(tmp_path, first, second):
    path = tmp_path / "c.db"
    with Store.open(BACKENDS[first](path)) as s, s.transaction() as tx:
        tx.create("", "pods", pod("a", owners=["rs"]))
        tx.create("", "pods", pod("b"))
    with Store.open(BACKENDS[second](path)) as s:
        assert type(s.backend).__name__ == second
        with s.transaction() as tx:
            assert [p["metadata"]["name"] for p in tx.list("", "pods")] == ["a", "b"]
            assert [o["metadata"]["name"] for _, _, o in tx.dependents("rs")] == ["a"]
            tx.delete("", "pods", "default", "b")
            assert tx.resource_version == 3


def test_which_backend_opens_what(tmp_path):
    path = tmp_path / "c.db"
    for db, backend in [
        (str(path), "SQLiteBackend"),
        (f"sqlite:///{path}", "SQLiteBackend"),
        (f"sqlite+pysqlite:///{path}", "SQLAlchemyBackend"),
        (f"sqlite:///{path}?timeout=5", "SQLAlchemyBackend"),
        ("sqlite:///:memory:", "SQLAlchemyBackend"),
    ]:
        with Store.open(db) as s:
            assert (db, type(s.backend).__name__) == (db, backend)
            assert s.is_sqlite


def test_writers_on_both_backends_at_once_lose_nothing(tmp_path):
    path = tmp_path / "cluster.db"
    Store.open(str(path)).close()
    urls = [url(path) for url in BACKENDS.values()] * 2
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(len(urls))
    procs = [ctx.Process(target=_writer, args=(url, i, start)) for i, url in enumerate(urls)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * len(urls)
    with Store.open(str(path)) as s, s.snapshot() as tx:
        versions = sorted(int(p["metadata"]["resourceVersion"]) for p in tx.list("", "pods"))
        assert versions == list(range(1, len(urls) * PER_WRITER + 1))


def _kctl_imports(db: Path, *args: str) -> set[str]:
    """The modules ``python -X importtime -m kctl --db DB ARGS`` imports."""
    env = {**os.environ, "KCTL_FROZEN_CLOCK": "1", "NO_COLOR": "1"}
    env.pop("KCTL_DB", None)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kctl", "--db", str(db), *args],
        capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {
        line.split("|")[2].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }


def test_a_read_command_on_a_sqlite_cluster_does_not_import_sqlalchemy(tmp_path):
    db = tmp_path / "cluster.db"
    first = _kctl_imports(db, "get", "ns")  # creates and bootstraps the cluster
    assert "kctl.store.backend_sqlite" in first and "sqlalchemy" not in first
    modules = _kctl_imports(db, "get", "pods")
    assert "kctl.store.backend_sqlite" in modules  # (the probe sees the store's imports)
    assert not {m for m in modules if m.split(".")[0] == "sqlalchemy"}
    assert "kctl.store.schema" not in modules


def test_a_transactions_connection_reaches_the_driver_connection_on_both_backends(store):
    import sqlite3

    seen: list[str] = []
    with store.transaction() as tx:
        driver = tx._raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.set_trace_callback(seen.append)
        tx.get("", "pods", "default", "a")
        driver.set_trace_callback(None)
    assert seen == [
        "SELECT objects.data \nFROM objects \nWHERE objects.api_group = '' AND objects.resource = 'pods' "
        "AND objects.namespace = 'default' AND objects.name = 'a'"
    ]


def test_a_bare_path_is_opened_as_named(tmp_path):
    path = tmp_path / "odd?name%20.db"
    with Store.open(str(path)) as s, s.transaction() as tx:
        tx.create("", "pods", pod("a"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odd?name%20.db"]  # (WAL checkpointed at close)
    with Store.open(str(path)) as s, s.snapshot() as tx:
        assert tx.get("", "pods", "default", "a")["metadata"]["resourceVersion"] == "1"
