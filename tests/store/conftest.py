import pytest

from kctl.store.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store.open(str(tmp_path / "cluster.db"))
    yield s
    s.close()


def pod(name: str, ns: str = "default", uid: str | None = None, owners=()) -> dict:
    md = {"name": name, "namespace": ns, "uid": uid or f"uid-{ns}-{name}"}
    if owners:
        md["ownerReferences"] = [{"uid": o} for o in owners]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md}
