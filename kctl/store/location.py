"""Where the cluster's database lives.

``--db URL_OR_PATH`` wins, then the ``KCTL_DB`` environment variable, then a per-user
file under the XDG data directory: ``$XDG_DATA_HOME/kctl/cluster.db`` (XDG's default
``~/.local/share``). A value containing ``://`` is a SQLAlchemy URL (``postgresql+psycopg://...``,
``sqlite:///...``); anything else is the path of a SQLite file.

A SQLite file named by a bare path or a plain ``sqlite:///PATH`` URL is opened with the
stdlib ``sqlite3`` module; naming a driver or options (``sqlite+pysqlite:///PATH``,
``sqlite:///PATH?timeout=5``) goes through SQLAlchemy, like every other URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ENV_DB = "KCTL_DB"


@dataclass(frozen=True)
class Location:
    #: The SQLAlchemy URL to connect with.
    url: str
    #: The SQLite file, when the database is one (None for other dialects and ``:memory:``).
    path: Path | None
    #: The SQLite file is named without driver or options (a bare path, ``sqlite:///PATH``):
    #: the store opens it with the stdlib ``sqlite3`` module instead of SQLAlchemy.
    uses_stdlib_sqlite: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def default_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or ""
    # The XDG spec says relative values are invalid and must be ignored.
    root = Path(base) if base and os.path.isabs(base) else Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return root / "kctl" / "cluster.db"


def resolve(db: str | None = None, env: Mapping[str, str] | None = None) -> Location:
    """The database location for ``--db`` (may be None) in environment ``env``."""
    env = os.environ if env is None else env
    value = db or env.get(ENV_DB) or ""
    if not value:
        return _sqlite_file(default_path(env))
    if "://" in value:
        path = _sqlite_url_path(value)
        return Location(value, path, path is not None and value.startswith("sqlite://") and "?" not in value)
    return _sqlite_file(Path(value).expanduser())


def _sqlite_file(path: Path) -> Location:
    path = path.absolute()
    return Location(f"sqlite:///{path}", path, True)


def _sqlite_url_path(url: str) -> Path | None:
    """The file of a ``sqlite[+driver]:///path`` URL (four slashes: absolute path), %-decoded
    as SQLAlchemy decodes it."""
    scheme, _, rest = url.partition("://")
    if scheme.split("+", 1)[0] != "sqlite" or not rest.startswith("/"):
        return None
    file = rest[1:].split("?", 1)[0]
    if not file or file == ":memory:" or file.startswith("file:"):
        return None
    return Path(unquote(file))
