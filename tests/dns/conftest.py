"""CLI scenario fixtures shared with tests/scenarios (a fresh 3-node cluster, frozen clock)."""

from tests.scenarios.conftest import BOOT, Kctl, k, new_cluster  # noqa: F401
