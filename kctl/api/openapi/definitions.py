"""The built-in API definitions, loaded lazily one package file at a time.

``schemas/index.json`` maps ``apiVersion/Kind`` to an upstream definition name such as
``io.k8s.api.apps.v1.Deployment``; the definition lives in
``schemas/defs/io.k8s.api.apps.v1.json`` under its short name. A Deployment touches four
small files (apps/v1, core/v1, meta/v1, intstr), so start-up reads only what it needs.
"""

from __future__ import annotations

import json
from pathlib import Path


class Definitions:
    __slots__ = ("root", "_index", "_packages")

    def __init__(self, root: Path):
        self.root = root
        self._index: dict | None = None
        self._packages: dict[str, dict] = {}

    @property
    def index(self) -> dict:
        if self._index is None:
            self._index = json.loads((self.root / "index.json").read_text())
        return self._index

    def kinds(self) -> dict[str, str]:
        """``{"apps/v1/Deployment": "io.k8s.api.apps.v1.Deployment", ...}``."""
        return self.index["kinds"]

    def name_for(self, api_version: str, kind: str) -> str | None:
        return self.index["kinds"].get(f"{api_version}/{kind}")

    def get(self, name: str) -> dict:
        package, _, short = name.rpartition(".")
        defs = self._packages.get(package)
        if defs is None:
            path = self.root / "defs" / f"{package}.json"
            try:
                defs = json.loads(path.read_text())
            except FileNotFoundError:
                raise KeyError(name) from None
            self._packages[package] = defs
        return defs[short]
