from __future__ import annotations

from tests.scenarios.conftest import Kctl, k, new_cluster  # noqa: F401
