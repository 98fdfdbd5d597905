"""Every store test runs on both backends of a SQLite file: the stdlib ``sqlite3`` path (a bare
path, kctl's default) and the SQLAlchemy path (forced by naming the driver in the URL)."""

import pytest

from kctl.store.store import Store

#: backend class name -> how to name a SQLite file so that the store opens it with that backend
BACKENDS = {
    "SQLiteBackend": str,
    "SQLAlchemyBackend": lambda path: f"sqlite+pysqlite:///{path}",
}


@pytest.fixture(params=sorted(BACKENDS), ids=["sqlalchemy", "sqlite3"])
def backend(request):
    """The name of the backend under test."""
    return request.param


@pytest.fixture
def db_url(backend):
    """Names a SQLite file for the backend under test: ``db_url(path) -> --db value``."""
    return BACKENDS[backend]


@pytest.fixture
def store(tmp_path, backend, db_url):
    s = Store.open(db_url(tmp_path / "cluster.db"))
    assert type(s.backend).__name__ == backend
    yield s
    s.close()


def pod(name: str, ns: str = "default", uid: str | None = None, owners=()) -> dict:
    md = {"name": name, "namespace": ns, "uid": uid or f"uid-{ns}-{name}"}
    if owners:
        md["ownerReferences"] = [{"uid": o} for o in owners]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md}
