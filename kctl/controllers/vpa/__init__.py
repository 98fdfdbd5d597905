"""kctl's VerticalPodAutoscaler (autoscaling.k8s.io/v1): the recommender, the updater and
the admission step (see each module)."""

from __future__ import annotations

from kctl.controllers.vpa.recommender import VPARecommender
from kctl.controllers.vpa.updater import VPAUpdater

__all__ = ["VPARecommender", "VPAUpdater"]
