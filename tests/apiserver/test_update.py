import multiprocessing as mp

import pytest

from kctl.api.errors import StatusError
from tests.apiserver.conftest import configmap, deployment, server


def test_stale_resource_version_conflicts(api):
    d = api.create(deployment())
    fresh = api.get("deploy", "default", "web")
    fresh["spec"]["replicas"] = 2
    api.update(fresh)
    d["spec"]["replicas"] = 3
    with pytest.raises(StatusError) as e:
        api.update(d)
    assert e.value.render() == (
        'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": the object has been '
        "modified; please apply your changes to the latest version and try again"
    )


def test_update_without_resource_version_is_unconditional(api):
    api.create(deployment())
    d = deployment(replicas=4)
    out = api.update(d)
    assert out["spec"]["replicas"] == 4


def test_generation_moves_only_on_spec_changes(api):
    d = api.create(deployment())
    assert d["metadata"]["generation"] == 1
    d["metadata"]["labels"] = {"x": "y"}
    d = api.update(d)
    assert d["metadata"]["generation"] == 1
    d["spec"]["replicas"] = 5
    d = api.update(d)
    assert d["metadata"]["generation"] == 2
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    d = api.update(d)
    assert d["metadata"]["generation"] == 3
    # Deployment: annotations too (they are copied to ReplicaSets).
    d["metadata"]["annotations"] = {"a": "b"}
    d = api.update(d)
    assert d["metadata"]["generation"] == 4
    d["status"] = {"replicas": 9}
    d = api.update(d)
    assert d["metadata"]["generation"] == 4
    assert d["status"] == {}


def test_generation_not_settable_and_not_for_configmaps(api):
    d = api.create(deployment())
    d["metadata"]["generation"] = 42
    assert api.update(d)["metadata"]["generation"] == 1
    cm = api.create(configmap())
    assert "generation" not in cm["metadata"]
    cm["data"] = {"k": "2"}
    assert "generation" not in api.update(cm)["metadata"]


def test_annotations_do_not_bump_replicaset_generation(api):
    rs = api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "rs"},
            "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}},
        }
    )
    rs["metadata"]["annotations"] = {"x": "y"}
    assert api.update(rs)["metadata"]["generation"] == 1


def test_update_status_changes_only_status(api):
    d = api.create(deployment())
    d["spec"]["replicas"] = 7
    d["metadata"]["labels"] = {"sneaky": "yes"}
    d["status"] = {"replicas": 1, "observedGeneration": 1}
    out = api.update_status(d)
    assert out["status"] == {"replicas": 1, "observedGeneration": 1}
    assert out["spec"]["replicas"] == 1
    assert "labels" not in out["metadata"]
    assert out["metadata"]["generation"] == 1
    assert int(out["metadata"]["resourceVersion"]) > int(d["metadata"]["resourceVersion"])


def test_update_status_with_stale_version_conflicts(api):
    d = api.create(deployment())
    api.update_status({**d, "status": {"replicas": 1}})
    with pytest.raises(StatusError) as e:
        api.update_status({**d, "status": {"replicas": 2}})
    assert e.value.reason == "Conflict"


def test_immutable_metadata_comes_from_storage(api):
    d = api.create(deployment())
    changed = {**d, "metadata": {**d["metadata"], "creationTimestamp": "2000-01-01T00:00:00Z"}}
    out = api.update(changed)
    assert out["metadata"]["creationTimestamp"] == "2025-05-01T12:00:00Z"
    wrong_uid = {**d, "metadata": {**out["metadata"], "uid": "00000000-0000-4000-8000-000000000000"}}
    with pytest.raises(StatusError) as e:
        api.update(wrong_uid)
    assert e.value.reason == "Conflict"
    assert "Precondition failed: UID in precondition" in str(e.value)


def test_noop_update_writes_nothing(api):
    d = api.create(deployment())
    again = api.update(api.get("deploy", "default", "web"))
    assert again["metadata"]["resourceVersion"] == d["metadata"]["resourceVersion"]
    # The same manifest as first sent (defaults filled in again) is no change either.
    assert api.update(deployment())["metadata"]["resourceVersion"] == d["metadata"]["resourceVersion"]


def test_daemonset_template_generation_annotation(api):
    ds = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "ds"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}},
    }
    out = api.create(ds)
    assert out["metadata"]["annotations"] == {"deprecated.daemonset.template.generation": "1"}
    out["spec"]["template"]["spec"]["containers"][0]["image"] = "j"
    out = api.update(out)
    assert out["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "2"
    assert out["metadata"]["generation"] == 2


def _stale_writer(path, start, results):
    from kctl.api.server import APIServer
    from kctl.store.store import Store

    store = Store.open(path)
    with store.snapshot() as tx:
        cm = APIServer(tx).get("cm", "default", "shared")
    start.wait()  # both have read the same resourceVersion
    cm["data"] = {"writer": mp.current_process().name}
    try:
        with store.transaction() as tx:
            APIServer(tx).update(cm)
        results.put("ok")
    except StatusError as e:
        results.put(e.reason)
    store.close()


def test_two_processes_stale_read_modify_write(store):
    with server(store) as api:
        api.create(configmap("shared"))
    path = str(store.location.path)
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [ctx.Process(target=_stale_writer, args=(path, start, results), name=f"w{i}") for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert sorted(results.get(timeout=5) for _ in range(2)) == ["Conflict", "ok"]
