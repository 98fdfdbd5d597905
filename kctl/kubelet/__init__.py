"""The simulated kubelet: pod status, container lifecycle, pod IPs and kubelet events.

``Kubelet`` (controller name ``kubelet``) is the entry point for the manager; the pure
function ``generate_pod_status`` does the work per pod (see ``status`` for the simulation
annotations ``kctl.io/run-seconds``, ``kctl.io/exit-code``, ``kctl.io/init-run-seconds`` and
``kctl.io/image-pull``).
"""

from __future__ import annotations

from kctl.kubelet.controller import Kubelet
from kctl.kubelet.status import Lookups, PodSyncResult, generate_pod_status

__all__ = ["Kubelet", "Lookups", "PodSyncResult", "generate_pod_status"]
