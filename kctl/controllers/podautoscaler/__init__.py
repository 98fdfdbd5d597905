"""The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler).

- ``replica_calculator``: the per-metric replica calculation (utilization, tolerance,
  missing and unready pods);
- ``metrics``: where metric values come from in a kctl cluster (PodMetrics, annotations,
  ConfigMaps) — the documented sources for Pods, Object and External metrics;
- ``behavior``: stabilization windows, legacy limits and scaling policies;
- ``history``: the recommendations and scale events kept on the HPA between passes;
- ``conditions``: status conditions;
- ``horizontal``: the controller (``HorizontalController``);
- ``conversion``: autoscaling/v1 -> v2 (``convert_v1_to_v2``), used by the API server.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "HorizontalController":
        from kctl.controllers.podautoscaler.horizontal import HorizontalController

        return HorizontalController
    raise AttributeError(name)
