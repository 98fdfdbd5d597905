"""The HPA fed by kctl's simulated metrics-server loop (when the cluster has one)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.hpa.conftest import cpu_utilization, hpa

pytestmark = pytest.mark.skipif(importlib.util.find_spec("kctl.metrics.server") is None,
                                reason="no simulated metrics-server")


@pytest.fixture
def without_metrics_server():
    """Keep the metrics-server loop in this module."""


def test_idle_pods_report_zero_percent_and_scale_down_after_the_window(cluster):
    from kctl.controllers import runner

    if not any(c.startswith("kctl.metrics.") for c in runner.CONTROLLERS):
        pytest.skip("the metrics-server loop is not registered")
    cluster.start()
    cluster.advance("15s")  # a scrape covering a full window since the pods became Ready
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    # idle pods: 1m of 200m -> (2 * 100) // 400 = 0 %
    assert "cpu: 0%/60%" in cluster.k.ok("get", "hpa")
    assert cluster.replicas() == 2
    cluster.advance("5m15s")
    assert cluster.replicas() == 1
