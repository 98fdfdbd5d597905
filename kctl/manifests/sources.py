"""Where manifests come from: files, folders (``-R`` recursive) and ``-`` for stdin.

Folders contribute their ``.yaml``, ``.yml`` and ``.json`` files in name order (as
kubectl's visitor does); a file named explicitly is read whatever its extension.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

EXTENSIONS = (".yaml", ".yml", ".json")

#: Larger files are refused before they are read (bounded memory on hostile input).
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """One input: a path, or ``-`` for stdin. ``error`` is set when it cannot be read."""

    name: str
    error: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.name == "-"

    def read_bytes(self) -> bytes:
        if self.is_stdin:
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with open(self.name, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise OSError(f"file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit")
        return data


def expand_paths(paths: list[str], recursive: bool = False) -> list[Source]:
    """Expand the command-line paths into sources, keeping the order given."""
    out: list[Source] = []
    for path in paths:
        if path == "-":
            out.append(Source("-"))
        elif os.path.isdir(path):
            out.extend(_walk(path, recursive))
        elif os.path.exists(path):
            out.append(Source(path))
        else:
            out.append(Source(path, error=f'the path "{path}" does not exist'))
    return out


def _walk(root: str, recursive: bool) -> list[Source]:
    found: list[Source] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as e:
        return [Source(root, error=f"cannot read directory: {e.strerror}")]
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if recursive:
                found.extend(_walk(entry.path, recursive))
        elif entry.name.endswith(EXTENSIONS):
            found.append(Source(entry.path))
    return found
