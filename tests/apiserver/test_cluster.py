import multiprocessing as mp
from datetime import UTC, datetime

from kctl.api.cluster import ensure_initialized, init, open_cluster, reset
from kctl.api.server import APIServer, Clock
from kctl.store.store import Store
from tests.apiserver.conftest import NOW, configmap, server


def _names(api, resource, ns=None):
    return [o["metadata"]["name"] for o in api.list(resource, ns)]


def test_new_cluster_contents(store):
    with store.snapshot() as tx:
        api = APIServer(tx)
        assert _names(api, "namespaces") == ["default", "kube-node-lease", "kube-public", "kube-system"]
        assert all(ns["status"] == {"phase": "Active"} for ns in api.list("ns"))
        assert _names(api, "serviceaccounts") == ["default"] * 4
        assert _names(api, "nodes") == ["node-1", "node-2", "node-3"]
        svc = api.get("svc", "default", "kubernetes")
        assert svc["spec"]["clusterIP"] == "10.96.0.1"
        assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]
        assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
        assert tx.resource_version == 21  # 16 objects, then the first pass: 3 node leases, kubernetes Endpoints + slice
        assert Clock(tx).now() == NOW


def test_nodes(store):
    with store.snapshot() as tx:
        nodes = APIServer(tx).list("nodes")
    zones = [n["metadata"]["labels"]["topology.kubernetes.io/zone"] for n in nodes]
    assert zones == ["zone-a", "zone-b", "zone-c"]
    n2 = nodes[1]
    assert n2["metadata"]["labels"]["kubernetes.io/hostname"] == "node-2"
    assert n2["metadata"]["labels"]["kubernetes.io/os"] == "linux"
    assert n2["metadata"]["labels"]["kubernetes.io/arch"] == "amd64"
    assert n2["spec"]["podCIDR"] == "10.244.2.0/24"
    assert n2["status"]["addresses"] == [
        {"type": "InternalIP", "address": "10.0.0.2"},
        {"type": "Hostname", "address": "node-2"},
    ]
    assert n2["status"]["capacity"]["cpu"] == "4" and n2["status"]["capacity"]["pods"] == "110"
    assert n2["status"]["allocatable"]["cpu"] == "3800m"
    assert n2["status"]["nodeInfo"]["kubeletVersion"] == "v1.34.0"
    ready = [c for c in n2["status"]["conditions"] if c["type"] == "Ready"]
    assert ready[0]["status"] == "True" and ready[0]["lastTransitionTime"] == "2025-05-01T12:00:00Z"
    assert "generation" not in n2["metadata"]


def test_bootstrap_happens_once(store):
    assert ensure_initialized(store) is False
    with store.snapshot() as tx:
        assert tx.resource_version == 21  # 16 objects, then the first pass: 3 node leases, kubernetes Endpoints + slice


def test_init_refuses_an_initialized_cluster(store):
    import pytest

    with pytest.raises(RuntimeError):
        init(store)


def test_reset_is_a_new_cluster(store, tmp_path):
    with server(store) as api:
        api.create(configmap())
        first_uid = api.get("ns", None, "default")["metadata"]["uid"]
    reset(store, now=NOW)
    with store.snapshot() as tx:
        api = APIServer(tx)
        assert api.try_get("cm", "default", "cm") is None
        assert tx.resource_version == 21  # 16 objects, then the first pass: 3 node leases, kubernetes Endpoints + slice
        assert api.get("ns", None, "default")["metadata"]["uid"] == first_uid


def test_open_cluster_uses_the_environment(tmp_path):
    path = tmp_path / "env.db"
    with open_cluster(None, {"KCTL_DB": str(path)}) as s, s.snapshot() as tx:
        assert len(APIServer(tx).list("nodes")) == 3
    assert path.exists()


def test_clock_moves_only_forward(store):
    with store.transaction() as tx:
        clock = Clock(tx)
        assert clock.advance(90) == datetime(2025, 5, 1, 12, 1, 30, tzinfo=UTC)
        assert clock.sync(datetime(2025, 1, 1, tzinfo=UTC)) == datetime(2025, 5, 1, 12, 1, 30, tzinfo=UTC)
        assert clock.sync(datetime(2025, 6, 1, 0, 0, 0, 500, tzinfo=UTC)) == datetime(2025, 6, 1, tzinfo=UTC)
        api = APIServer(tx)
        assert api.create(configmap())["metadata"]["creationTimestamp"] == "2025-06-01T00:00:00Z"


def _open(path, start):
    start.wait()
    open_cluster(path).close()


def test_concurrent_first_use_bootstraps_once(tmp_path):
    path = str(tmp_path / "fresh.db")
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(4)
    procs = [ctx.Process(target=_open, args=(path, start)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 4
    with Store.open(path) as s, s.snapshot() as tx:
        assert len(APIServer(tx).list("ns")) == 4
        assert tx.resource_version == 21  # 16 objects, then the first pass: 3 node leases, kubernetes Endpoints + slice
