"""kctl's simulated Cluster Autoscaler over kctl.io/v1alpha1 NodeGroups (see ``controller``)."""

from __future__ import annotations

from kctl.controllers.clusterautoscaler.controller import ClusterAutoscaler

__all__ = ["ClusterAutoscaler"]
