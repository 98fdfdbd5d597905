import base64
import re

import pytest

from kctl.api.errors import StatusError
from kctl.api.registry import resolve
from kctl.api.server import APIServer
from tests.apiserver.conftest import configmap, deployment, server


def test_create_sets_server_metadata(api):
    d = api.create(deployment())
    md = d["metadata"]
    assert md["namespace"] == "default"
    assert md["generation"] == 1
    assert md["creationTimestamp"] == "2025-05-01T12:00:00Z"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", md["uid"])
    assert int(md["resourceVersion"]) > 0
    assert d["status"] == {}
    assert api.get("deploy", "default", "web") == d


def test_create_does_not_touch_the_callers_object(api):
    obj = deployment()
    api.create(obj)
    assert obj == deployment()


def test_uids_are_deterministic(tmp_path):
    from kctl.api.cluster import ensure_initialized
    from kctl.store.store import Store
    from tests.apiserver.conftest import NOW

    uids = []
    for name in ("a.db", "b.db"):
        with Store.open(str(tmp_path / name)) as s:
            ensure_initialized(s, now=NOW)
            with server(s) as api:
                uids.append(api.create(deployment())["metadata"]["uid"])
                uids.append(api.create(configmap())["metadata"]["uid"])
    assert uids[0:2] == uids[2:4]
    assert uids[0] != uids[1]


def test_resource_version_increases_per_write(api):
    a = int(api.create(configmap("a"))["metadata"]["resourceVersion"])
    b = int(api.create(configmap("b"))["metadata"]["resourceVersion"])
    cm = api.get("cm", "default", "a")
    cm["data"] = {"k": "changed"}
    c = int(api.update(cm)["metadata"]["resourceVersion"])
    api.delete("cm", "default", "b")
    d = int(api.create(configmap("d"))["metadata"]["resourceVersion"])
    assert a < b < c < d and d == c + 2


def test_not_found_messages(api):
    with pytest.raises(StatusError) as e:
        api.get("deployments", "default", "web")
    assert e.value.render() == 'Error from server (NotFound): deployments.apps "web" not found'
    with pytest.raises(StatusError) as e:
        api.delete("pods", "default", "x")
    assert e.value.render() == 'Error from server (NotFound): pods "x" not found'
    with pytest.raises(StatusError) as e:
        api.update(configmap("nope"))
    assert e.value.render() == 'Error from server (NotFound): configmaps "nope" not found'


def test_already_exists(api):
    api.create(deployment())
    with pytest.raises(StatusError) as e:
        api.create(deployment())
    assert e.value.reason == "AlreadyExists"
    assert e.value.render() == 'Error from server (AlreadyExists): deployments.apps "web" already exists'


def test_namespace_must_exist(api):
    with pytest.raises(StatusError) as e:
        api.create(deployment(ns="dev"))
    assert e.value.render() == 'Error from server (NotFound): namespaces "dev" not found'
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert api.create(deployment(ns="dev"))["metadata"]["namespace"] == "dev"


def test_request_namespace(api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert api.create(configmap("a"), namespace="dev")["metadata"]["namespace"] == "dev"
    with pytest.raises(StatusError) as e:
        api.create(configmap("b", ns="default"), namespace="dev")
    assert e.value.render() == (
        "Error from server (BadRequest): the namespace of the provided object does not match the namespace sent on the request"
    )


def test_cluster_scoped_objects_have_no_namespace(api):
    ns = api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev", "namespace": "x"}})
    assert "namespace" not in ns["metadata"]
    assert ns["status"] == {"phase": "Active"}
    assert ns["spec"] == {"finalizers": ["kubernetes"]}
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}
    assert "generation" not in ns["metadata"]
    assert api.get("ns", "whatever", "dev")["metadata"]["uid"] == ns["metadata"]["uid"]


def test_list_by_namespace_and_all(api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    api.create(configmap("b"))
    api.create(configmap("a", ns="dev"))
    names = [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in api.list("cm")]
    assert names == [
        ("default", "b"),
        ("default", "kube-root-ca.crt"),
        ("dev", "a"),
        ("kube-node-lease", "kube-root-ca.crt"),
        ("kube-public", "kube-root-ca.crt"),
        ("kube-system", "kube-root-ca.crt"),
    ]
    assert [o["metadata"]["name"] for o in api.list("cm", "dev")] == ["a"]
    assert [o["metadata"]["name"] for o in api.list("nodes", "dev")] == ["node-1", "node-2", "node-3"]


def test_generate_name_is_seeded_and_retries(api):
    pods = [
        api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "web-"}, "spec": {"containers": [{"name": "c", "image": "x"}]}})
        for _ in range(3)
    ]
    names = [p["metadata"]["name"] for p in pods]
    assert len(set(names)) == 3
    for n in names:
        assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{5}", n)


def test_generate_name_same_in_two_clusters(tmp_path):
    from kctl.api.cluster import ensure_initialized
    from kctl.store.store import Store
    from tests.apiserver.conftest import NOW

    got = []
    for name in ("a.db", "b.db"):
        with Store.open(str(tmp_path / name)) as s:
            ensure_initialized(s, now=NOW)
            with server(s) as api:
                got.append(api.create({**configmap(), "metadata": {"generateName": "cm-"}})["metadata"]["name"])
    assert got[0] == got[1]


def test_secret_string_data_is_folded_into_data(api):
    s = api.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "s"},
            "data": {"a": base64.b64encode(b"old").decode(), "b": base64.b64encode(b"keep").decode()},
            "stringData": {"a": "new", "c": "plain"},
        }
    )
    assert "stringData" not in s
    assert s["type"] == "Opaque"
    assert {k: base64.b64decode(v).decode() for k, v in s["data"].items()} == {"a": "new", "b": "keep", "c": "plain"}


def test_dry_run_create_writes_nothing(store):
    with server(store) as api:
        before = api.tx.resource_version
        out = api.create(deployment(), dry_run=True)
        assert "resourceVersion" not in out["metadata"]
        assert out["metadata"]["uid"]
        assert api.try_get("deploy", "default", "web") is None
        assert api.tx.resource_version == before


def test_resource_version_on_create_is_rejected(api):
    obj = configmap()
    obj["metadata"]["resourceVersion"] = "12"
    with pytest.raises(StatusError) as e:
        api.create(obj)
    assert e.value.render() == "Error from server: resourceVersion should not be set on objects to be created"
    obj["metadata"]["resourceVersion"] = "-1"  # unparsable: ignored, as upstream does
    assert api.create(obj)["metadata"]["resourceVersion"] != "-1"


def test_unknown_kind(api):
    with pytest.raises(StatusError) as e:
        api.create({"apiVersion": "v1", "kind": "Foo", "metadata": {"name": "x"}})
    assert e.value.reason == "NotFound"


def test_status_is_reset_on_create(api):
    d = deployment()
    d["status"] = {"replicas": 5}
    assert api.create(d)["status"] == {}
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "rs"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}},
        "status": {"replicas": 3},
    }
    assert api.create(rs)["status"] == {"replicas": 0}
    svc = api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}})
    assert svc["status"] == {"loadBalancer": {}}
    cm = configmap()
    assert "status" not in api.create(cm)


def test_pod_status_on_create(api):
    p = api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i", "resources": {"requests": {"cpu": "1"}}}]}, "status": {"phase": "Running"}})
    assert p["status"] == {"phase": "Pending", "qosClass": "Burstable"}


def test_validation_hook_raises_invalid(api, monkeypatch):
    from kctl.api.field import invalid
    from kctl.api.server import apiserver

    def fake(new, old):
        replicas = new.get("spec", {}).get("replicas")
        return [invalid(("spec", "replicas"), replicas, "must be greater than or equal to 0")] if replicas == -1 else []

    monkeypatch.setattr(apiserver, "validate_object", fake)
    with pytest.raises(StatusError) as e:
        api.create(deployment(replicas=-1))
    assert e.value.render() == (
        'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )
    assert api.try_get("deploy", "default", "web") is None


def test_snapshot_reads(store):
    with server(store) as api:
        api.create(configmap())
    with store.snapshot() as tx:
        assert APIServer(tx).get(resolve("cm"), "default", "cm")["data"] == {"k": "v"}
