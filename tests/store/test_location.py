from pathlib import Path

from kctl.store.location import default_path, resolve


def test_flag_wins_over_env():
    loc = resolve("/tmp/a.db", {"KCTL_DB": "/tmp/b.db", "HOME": "/home/u"})
    assert loc.url == "sqlite:////tmp/a.db"
    assert loc.path == Path("/tmp/a.db")
    assert loc.is_sqlite


def test_env_then_xdg_default():
    assert resolve(None, {"KCTL_DB": "/tmp/b.db"}).path == Path("/tmp/b.db")
    assert resolve(None, {"XDG_DATA_HOME": "/data", "HOME": "/home/u"}).path == Path("/data/kctl/cluster.db")
    assert resolve(None, {"HOME": "/home/u"}).path == Path("/home/u/.local/share/kctl/cluster.db")


def test_relative_xdg_data_home_is_ignored():
    assert default_path({"XDG_DATA_HOME": "rel", "HOME": "/home/u"}) == Path("/home/u/.local/share/kctl/cluster.db")


def test_relative_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve("c.db", {}).path == tmp_path / "c.db"


def test_urls_pass_through():
    pg = resolve("postgresql+psycopg://u@h/db", {})
    assert pg.url == "postgresql+psycopg://u@h/db"
    assert pg.path is None and not pg.is_sqlite
    assert resolve("sqlite:////var/x.db", {}).path == Path("/var/x.db")
    assert resolve("sqlite:///:memory:", {}).path is None


def test_which_locations_use_the_stdlib_sqlite_module():
    cases = {
        "/tmp/a.db": True,
        "/tmp/odd?name%20.db": True,  # a bare path is a file name, never parsed as a URL
        "sqlite:////tmp/a.db": True,
        "sqlite:///rel.db": True,
        "sqlite+pysqlite:////tmp/a.db": False,  # a driver named: SQLAlchemy
        "sqlite:////tmp/a.db?timeout=5": False,  # options: SQLAlchemy
        "sqlite:///:memory:": False,
        "postgresql+psycopg://u@h/db": False,
    }
    assert {db: resolve(db, {}).uses_stdlib_sqlite for db in cases} == cases
    assert resolve("/tmp/odd?name%20.db", {}).path == Path("/tmp/odd?name%20.db")
    assert resolve("sqlite:////tmp/a%20b.db?timeout=5", {}).path == Path("/tmp/a b.db")  # as SQLAlchemy reads it
