"""The control plane of a kctl cluster: which loops run, in which order, and one pass."""

from __future__ import annotations

from kctl.controllers.manager import ControllerManager, PassResult


def default_controllers() -> list:
    """kube-controller-manager's loops, the scheduler, the simulated kubelet and the
    cloud controller, in the order one round runs them (``CONTROLLERS``): owners before
    what they own, then placement, then the node agent, then what observes running pods."""
    import importlib

    out = []
    for target in CONTROLLERS:
        module, _, cls = target.partition(":")
        out.append(getattr(importlib.import_module(module), cls)())
    return out


CONTROLLERS = (
    "kctl.controllers.nodelease:APIServerEndpointsController",
    "kctl.controllers.serviceaccount:ServiceAccountController",
    "kctl.controllers.nodelease:NodeLeaseController",
    "kctl.controllers.nodelifecycle:NodeLifecycleController",
    "kctl.controllers.cronjob:CronJobController",
    "kctl.controllers.job:JobController",
    "kctl.controllers.deployment:DeploymentController",
    "kctl.controllers.replicaset:ReplicaSetController",
    "kctl.controllers.statefulset:StatefulSetController",
    "kctl.controllers.daemonset:DaemonSetController",
    "kctl.scheduler.controller:SchedulerController",
    "kctl.kubelet:Kubelet",
    "kctl.controllers.endpoints:EndpointsController",
    "kctl.controllers.endpointslice:EndpointSliceController",
    "kctl.networking.loadbalancer:LoadBalancerController",
)


def run_control_plane(api, *, advance_seconds: float = 0, controllers=None) -> PassResult:
    """Advance the cluster clock (if asked), then run every loop to a fixed point."""
    if advance_seconds:
        api.clock.advance(advance_seconds)
    manager = ControllerManager(api, controllers if controllers is not None else default_controllers(), api.clock.now())
    return manager.run()
