"""Where kctl's generated API schemas live.

An installed wheel carries them as ``kctl/_schemas`` (pyproject force-includes the
repository's ``schemas/`` there); a source checkout has them at ``<repo>/schemas``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


class SchemasNotFound(FileNotFoundError):
    pass


def candidate_dirs() -> list[Path]:
    import kctl

    package = Path(kctl.__file__).resolve().parent
    return [package / "_schemas", package.parent / "schemas"]


@cache
def schemas_dir() -> Path:
    """The first candidate that holds an ``index.json``."""
    for d in candidate_dirs():
        if (d / "index.json").is_file():
            return d
    raise SchemasNotFound("kctl API schemas not found in: " + ", ".join(str(d) for d in candidate_dirs()))
