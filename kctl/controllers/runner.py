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
    "kctl.controllers.nodeipam:NodeIpamController",
    "kctl.controllers.nodelifecycle:NodeLifecycleController",
    "kctl.metrics.server:MetricsServer",
    "kctl.controllers.cronjob:CronJobController",
    "kctl.controllers.job:JobController",
    "kctl.controllers.podautoscaler.horizontal:HorizontalController",
    "kctl.controllers.deployment:DeploymentController",
    "kctl.controllers.replicaset:ReplicaSetController",
    "kctl.controllers.statefulset:StatefulSetController",
    "kctl.controllers.daemonset:DaemonSetController",
    "kctl.scheduler.controller:SchedulerController",
    "kctl.controllers.clusterautoscaler:ClusterAutoscaler",
    "kctl.kubelet:Kubelet",
    "kctl.controllers.endpoints:EndpointsController",
    "kctl.controllers.endpointslice:EndpointSliceController",
    "kctl.networking.loadbalancer:LoadBalancerController",
    "kctl.controllers.vpa:VPARecommender",
    "kctl.controllers.vpa:VPAUpdater",
    "kctl.controllers.ingress:IngressController",
)


#: The cluster clock moves in steps of the shortest controller period (the HPA's sync
#: period, 15 s), so every time-driven loop runs at its upstream cadence over an interval.
STEP_SECONDS = 15


def run_control_plane(api, *, advance_seconds: float = 0, controllers=None, until=None) -> PassResult:
    """Run every loop to a fixed point; with ``advance_seconds``, move the clock forward
    step by step and reach a fixed point at each step. The result covers the whole run.

    ``until``: a predicate asked after each step; the run stops early once it holds
    (``kctl wait``: time passes only until the awaited condition is met)."""
    make = (lambda: controllers) if controllers is not None else default_controllers
    manager = ControllerManager(api, make(), api.clock.now())
    if advance_seconds <= 0:
        return manager.run()
    return _advance(api, manager, make, advance_seconds, until)


def _advance(api, manager: ControllerManager, make, advance_seconds: float, until=None) -> PassResult:
    """Move the clock in sync periods, a fixed point at each; the result covers them all."""
    rounds, events, errors = 0, [], []
    remaining = float(advance_seconds)
    while remaining > 0:
        step = min(STEP_SECONDS, remaining)
        remaining -= step
        now = api.clock.advance(step)
        manager.now = manager.recorder.now = now
        manager.controllers = make()  # a fresh sync period for every loop
        result = manager.run()
        rounds += result.rounds
        events = result.events
        errors = result.errors
        if until is not None and until():
            break
    return PassResult(manager.changes(), events, errors, rounds)


class ControlPlane:
    """The control plane of one command that runs it pass after pass (``kctl simulate``: a
    pass per sampled step). Each ``run`` is ``run_control_plane``'s (same loops, same steps,
    same result), but over one ``ControllerManager`` whose view and event index are carried
    from run to run instead of listed again from the store, as kube-controller-manager's
    informer caches live across sync periods. The view stays current because every write of
    a pass goes through it; a caller that writes through the API server between two runs
    reports the written object with ``observe`` (the informer's watch event)."""

    def __init__(self, api, *, controllers=None):
        self.api = api
        self._make = (lambda: controllers) if controllers is not None else default_controllers
        self.manager = ControllerManager(api, (), api.clock.now())

    @property
    def view(self):
        """The objects as the control plane sees them (read-only, current after each run)."""
        return self.manager.view

    def observe(self, obj: dict, resource: str | None = None) -> None:
        self.manager.observe(obj, resource)

    def run(self, *, advance_seconds: float = 0, until=None) -> PassResult:
        """``run_control_plane(api, advance_seconds=..., until=...)`` over the carried view."""
        manager = self.manager
        manager.rebase(self.api.clock.now())
        if advance_seconds <= 0:
            manager.controllers = self._make()
            return manager.run()
        return _advance(self.api, manager, self._make, advance_seconds, until)
