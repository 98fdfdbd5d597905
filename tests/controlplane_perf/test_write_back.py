"""A control-plane pass stages its writes and sends each object to SQL once, in its final
state, at commit; revisions are still one per logical write, and events still aggregate."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from kctl.api.cluster import ensure_initialized
from kctl.api.server import APIServer
from kctl.controllers.base import Emit, Event, ObjectRef
from kctl.controllers.runner import run_control_plane
from kctl.store.store import Store

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store.open(str(tmp_path / "c.db"))
    ensure_initialized(s, now=NOW, seed="perf")
    yield s
    s.close()


def deployment(replicas: int) -> dict:
    labels = {"app": "web"}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}}}


def rows(path: str, resource: str, group: str = "") -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT name, resource_version FROM objects WHERE api_group = ? AND resource = ?",
                                (group, resource)))
    finally:
        con.close()


def test_pods_reach_sql_once_at_commit_with_the_revision_of_their_last_write(store, tmp_path):
    db = str(tmp_path / "c.db")
    revisions: list[int] = []
    statements: list[str] = []
    with store.transaction() as tx:
        tx._raw.driver_connection.set_trace_callback(statements.append)
        api = APIServer(tx)
        start = tx.resource_version
        api.create(deployment(3))
        result = run_control_plane(api)
        assert not [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]  # all staged
        pods = {c.name: c.after for c in result.changes if c.resource == "pods"}
        assert len(pods) == 3 and all(p["status"]["phase"] == "Running" for p in pods.values())
        end = tx.resource_version
        revisions = sorted(int(c.after["metadata"]["resourceVersion"]) for c in result.changes if c.after)
        events = result.events
    # at commit: one INSERT per new object, whatever the number of writes it had in the pass
    pod_inserts = [s for s in statements if s.startswith("INSERT INTO objects") and "VALUES ('', 'pods'" in s]
    assert len(pod_inserts) == 3
    assert not [s for s in statements if s.startswith("UPDATE objects")
                and "objects.api_group = '' AND objects.resource = 'pods'" in s]
    stored = rows(db, "pods")
    assert stored == {name: int(p["metadata"]["resourceVersion"]) for name, p in pods.items()}
    # each pod was created, bound and given its status: three revisions, the last one kept
    assert all(p["metadata"]["uid"] for p in pods.values())
    assert len(set(revisions)) == len(revisions) and start < revisions[0] and revisions[-1] <= end
    for name in pods:  # SuccessfulCreate (on the ReplicaSet), then the pod's own four
        assert [e["reason"] for e in events if e["involvedObject"]["name"] == name] == [
            "Scheduled", "Pulled", "Created", "Started"]
        assert sum(1 for e in events if e["message"] == f"Created pod: {name}") == 1
    assert set(rows(db, "events")) == {e["metadata"]["name"] for e in events}
    with store.snapshot() as tx:
        assert tx.resource_version == end
        for name, p in pods.items():
            assert APIServer(tx).get("pods", "default", name) == p


def test_repeated_events_aggregate_within_and_across_passes(store):
    node_ref = ObjectRef("v1", "Node", None, "node-1", "uid-node-1")
    warning = Event(node_ref, "Warning", "Rebooted", "Node node-1 has been rebooted", "kubelet", "node-1")

    class Noisy:
        name = "noisy"

        def __init__(self):
            self.rounds = 0

        def sync(self, cluster, now):
            self.rounds += 1
            return [Emit(warning)] if self.rounds <= 2 else []

    with store.transaction() as tx:
        api = APIServer(tx)
        first = run_control_plane(api, controllers=[Noisy()])
        assert [e["count"] for e in first.events] == [1]
    with store.transaction() as tx:
        api = APIServer(tx)
        second = run_control_plane(api, controllers=[Noisy()])
        assert [e["count"] for e in second.events] == [2]
        third = run_control_plane(api, controllers=[Noisy()])
        assert [e["count"] for e in third.events] == [3]
    with store.snapshot() as tx:
        [stored] = [e for e in APIServer(tx).list("events", "default") if e["reason"] == "Rebooted"]
        assert stored["count"] == 3 and stored["metadata"]["name"] == first.events[0]["metadata"]["name"]


def test_the_collector_is_as_it_was_after_a_pass(store):
    import gc

    from kctl.store.collector import automatic_gc_paused

    assert gc.isenabled()
    with store.transaction() as tx:
        run_control_plane(APIServer(tx))
    assert gc.isenabled()
    with automatic_gc_paused():
        assert not gc.isenabled()
        with store.transaction() as tx:
            run_control_plane(APIServer(tx))
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), automatic_gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
