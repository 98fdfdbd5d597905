"""The Deployment controller, mirroring ``pkg/controller/deployment`` (Kubernetes 1.34)."""

from __future__ import annotations

from .controller import DeploymentController, sync_deployment

__all__ = ["DeploymentController", "sync_deployment"]
