from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from kctl.api.cluster import ensure_initialized
from kctl.api.server import APIServer
from kctl.store.store import Store

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store.open(str(tmp_path / "cluster.db"))
    ensure_initialized(s, now=NOW)
    yield s
    s.close()


@pytest.fixture
def api(store):
    """An APIServer on one long transaction (committed at the end of the test)."""
    with store.transaction() as tx:
        yield APIServer(tx)


@contextmanager
def server(store):
    with store.transaction() as tx:
        yield APIServer(tx)


def deployment(name="web", replicas=None, image="nginx:1.27", ns=None, labels=None):
    labels = labels or {"app": name}
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": [{"name": "c", "image": image}]}},
        },
    }
    if replicas is not None:
        obj["spec"]["replicas"] = replicas
    if ns:
        obj["metadata"]["namespace"] = ns
    return obj


def configmap(name="cm", ns=None, data=None):
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data or {"k": "v"}}
    if ns:
        obj["metadata"]["namespace"] = ns
    return obj


def owned_by(obj: dict, owner: dict, controller=True) -> dict:
    ref = {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
    }
    if controller:
        ref.update(controller=True, blockOwnerDeletion=True)
    obj["metadata"].setdefault("ownerReferences", []).append(ref)
    return obj
