from __future__ import annotations

from tests.scenarios.conftest import Kctl, k, names, new_cluster  # noqa: F401
