import pytest

from kctl.api.errors import StatusError
from tests.apiserver.conftest import configmap, deployment, owned_by


def _rs(name, labels):
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "labels": dict(labels)},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": [{"name": "c", "image": "i"}]}},
        },
    }


def _pod(name, labels):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": dict(labels)}, "spec": {"containers": [{"name": "c", "image": "i"}]}}


def _tree(api):
    """Deployment web -> ReplicaSet web-1 -> pods web-1-a, web-1-b (as the controllers make them)."""
    d = api.create(deployment())
    rs = api.create(owned_by(_rs("web-1", {"app": "web"}), d))
    pods = [api.create(owned_by(_pod(f"web-1-{x}", {"app": "web"}), rs)) for x in "ab"]
    return d, rs, pods


def _names(objs):
    return [f'{o["kind"]}/{o["metadata"]["name"]}' for o in objs]


def test_background_cascade(api):
    _tree(api)
    gone = api.delete("deployments", "default", "web")
    assert _names(gone) == ["Deployment/web", "ReplicaSet/web-1", "Pod/web-1-a", "Pod/web-1-b"]
    assert api.list("rs", "default") == []
    assert api.list("pods", "default") == []


def test_foreground_cascade(api):
    _tree(api)
    gone = api.delete("deployments", "default", "web", propagation="Foreground")
    assert sorted(_names(gone)) == ["Deployment/web", "Pod/web-1-a", "Pod/web-1-b", "ReplicaSet/web-1"]
    assert api.list("rs", "default") == [] and api.list("pods", "default") == []


def test_orphan_keeps_dependents_without_the_reference(api):
    _d, rs, _pods = _tree(api)
    gone = api.delete("deployments", "default", "web", propagation="Orphan")
    assert _names(gone) == ["Deployment/web"]
    left = api.get("rs", "default", "web-1")
    assert "ownerReferences" not in left["metadata"]
    assert int(left["metadata"]["resourceVersion"]) > int(rs["metadata"]["resourceVersion"])
    # The pods keep their ReplicaSet owner.
    assert all(p["metadata"]["ownerReferences"][0]["name"] == "web-1" for p in api.list("pods", "default"))


def test_dependent_with_another_live_owner_survives(api):
    a = api.create(configmap("owner-a"))
    b = api.create(configmap("owner-b"))
    dep = api.create(owned_by(owned_by(configmap("dep"), a, controller=False), b, controller=False))
    gone = api.delete("cm", "default", "owner-a")
    assert _names(gone) == ["ConfigMap/owner-a"]
    left = api.get("cm", "default", "dep")
    assert [r["name"] for r in left["metadata"]["ownerReferences"]] == ["owner-b"]
    assert left["metadata"]["uid"] == dep["metadata"]["uid"]
    assert _names(api.delete("cm", "default", "owner-b")) == ["ConfigMap/owner-b", "ConfigMap/dep"]


def test_dry_run_delete_reports_without_deleting(api):
    _tree(api)
    gone = api.delete("deployments", "default", "web", dry_run=True)
    assert _names(gone) == ["Deployment/web", "ReplicaSet/web-1", "Pod/web-1-a", "Pod/web-1-b"]
    assert len(api.list("pods", "default")) == 2


def test_namespace_deletion_deletes_its_content(api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    api.create(deployment(ns="dev"))
    api.create(configmap(ns="dev"))
    api.create(configmap("stay"))
    gone = api.delete("namespaces", None, "dev")
    assert _names(gone) == ["Namespace/dev", "ConfigMap/cm", "Deployment/web"]
    assert api.list("cm", "dev") == [] and api.try_get("ns", None, "dev") is None
    assert api.get("cm", "default", "stay")
    with pytest.raises(StatusError) as e:
        api.create(configmap(ns="dev"))
    assert e.value.render() == 'Error from server (NotFound): namespaces "dev" not found'


def test_immortal_namespaces(api):
    for name in ("default", "kube-system", "kube-public"):
        with pytest.raises(StatusError) as e:
            api.delete("ns", None, name)
        assert e.value.render() == f'Error from server (Forbidden): namespaces "{name}" is forbidden: this namespace may not be deleted'


def test_finalizers_hold_deletion_until_removed(api):
    cm = configmap()
    cm["metadata"]["finalizers"] = ["example.com/hold"]
    api.create(cm)
    gone = api.delete("cm", "default", "cm")
    assert gone[0]["metadata"]["deletionTimestamp"] == "2025-05-01T12:00:00Z"
    held = api.get("cm", "default", "cm")
    assert held["metadata"]["deletionTimestamp"] == "2025-05-01T12:00:00Z"
    held["metadata"]["finalizers"] = []
    api.update(held)
    assert api.try_get("cm", "default", "cm") is None


def test_delete_with_stale_resource_version(api):
    cm = api.create(configmap())
    api.update({**cm, "data": {"k": "new"}})
    with pytest.raises(StatusError) as e:
        api.delete("cm", "default", "cm", resource_version=cm["metadata"]["resourceVersion"])
    assert e.value.reason == "Conflict"


def test_bad_propagation(api):
    api.create(configmap())
    with pytest.raises(StatusError) as e:
        api.delete("cm", "default", "cm", propagation="Sideways")
    assert e.value.reason == "BadRequest"
