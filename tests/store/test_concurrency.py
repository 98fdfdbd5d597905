"""Several OS processes writing one SQLite file: BEGIN IMMEDIATE + busy timeout serialise them
(on both backends)."""

import multiprocessing as mp

from kctl.store.store import Store
from tests.store.conftest import pod

WRITERS = 8
PER_WRITER = 50


def _writer(path: str, index: int, start) -> None:
    start.wait()
    store = Store.open(path)
    for i in range(PER_WRITER):
        # One transaction per object: many small concurrent transactions.
        with store.transaction() as tx:
            tx.create("", "pods", pod(f"w{index}-{i}", uid=f"{index}-{i}"))
    store.close()


def test_parallel_writers_lose_nothing(tmp_path, db_url):
    path = db_url(tmp_path / "cluster.db")
    Store.open(path).close()
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=_writer, args=(path, i, start)) for i in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    with Store.open(path) as s, s.snapshot() as tx:
        pods = tx.list("", "pods")
        assert len(pods) == WRITERS * PER_WRITER
        versions = sorted(int(p["metadata"]["resourceVersion"]) for p in pods)
        assert versions == list(range(1, WRITERS * PER_WRITER + 1))
        assert tx.resource_version == WRITERS * PER_WRITER


def _first_use(path: str, start, queue) -> None:
    start.wait()
    store = Store.open(path)
    with store.transaction() as tx:
        tx.create("", "pods", pod(f"p{mp.current_process().name}", uid=mp.current_process().name))
    store.close()
    queue.put("ok")


def test_concurrent_first_open_of_a_new_file(tmp_path, db_url):
    path = db_url(tmp_path / "new.db")
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(4)
    queue = ctx.Queue()
    procs = [ctx.Process(target=_first_use, args=(path, start, queue), name=f"n{i}") for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 4
    with Store.open(path) as s, s.snapshot() as tx:
        assert len(tx.list("", "pods")) == 4
