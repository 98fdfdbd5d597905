"""A simulated cloud load-balancer: the cloud-provider service controller over a fake cloud.

Mirrors ``k8s.io/cloud-provider/controllers/service/controller.go`` (controller name
``service-controller``) with a cloud whose "load balancers" are addresses from a
simulated pool, by default ``172.18.255.0/24`` (usable ``.1``-``.254``): the range kind
users hand to MetalLB or cloud-provider-kind on the ``kind`` docker network.

- A Service *wants* a load balancer when ``type: LoadBalancer`` and no
  ``loadBalancerClass`` is set (classes belong to other controllers).
- Ensuring: event ``EnsuringLoadBalancer`` "Ensuring load balancer", the finalizer
  ``service.kubernetes.io/load-balancer-cleanup`` is added (metadata update), the address
  is published as ``status.loadBalancer.ingress: [{ip, ipMode: VIP}]`` (status update),
  then ``EnsuredLoadBalancer`` "Ensured load balancer".
- The address: the current one if still valid; else ``spec.loadBalancerIP`` when set (it
  must be in the pool and free, otherwise ``SyncLoadBalancerFailed`` (Warning) "Error
  syncing load balancer: failed to ensure load balancer: ..."); else the first free pool
  address probing from ``sha256("<namespace>/<name>")`` (deterministic, order-independent).
- Cleanup, when a Service holding the finalizer stops wanting a load balancer or is being
  deleted: ``Type`` "LoadBalancer -> ClusterIP" (on a type change), ``DeletingLoadBalancer``
  "Deleting load balancer" (when an address was published), the finalizer is removed and
  ``DeletedLoadBalancer`` "Deleted load balancer". The API server itself clears
  ``status.loadBalancer`` on the type change (``strategy.drop_type_dependent_fields``); the
  controller clears it too if it is still there.
- A Service that is already in the desired state produces no actions. Upstream also
  emits ``Type`` for other transitions (e.g. "ClusterIP -> LoadBalancer"); a level-triggered
  pass cannot see the old type, so kctl only reports the transition away from LoadBalancer.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime

from kctl.controllers.base import Action, ClusterView, Plan
from kctl.networking.ipam import probe_start

CONTROLLER_NAME = "service-controller"
LOAD_BALANCER_CLEANUP_FINALIZER = "service.kubernetes.io/load-balancer-cleanup"
DEFAULT_POOL = "172.18.255.0/24"


class LoadBalancerPool:
    """The simulated cloud's addresses: the usable hosts of a CIDR."""

    def __init__(self, cidr: str = DEFAULT_POOL):
        self.cidr = cidr
        self.network = ipaddress.ip_network(cidr, strict=False)
        self.first = int(self.network.network_address) + 1
        self.size = max(0, int(self.network.broadcast_address) - self.first)

    def contains(self, ip: str) -> bool:
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return self.first <= int(addr) < self.first + self.size and addr.version == self.network.version

    def allocate(self, key: str, used: set[str]) -> str | None:
        if self.size <= 0:
            return None
        start = probe_start(key, self.size)
        for step in range(self.size):
            ip = str(self.network.network_address + 1 + (start + step) % self.size)
            if ip not in used:
                return ip
        return None


def wants_load_balancer(svc: dict) -> bool:
    spec = svc.get("spec") or {}
    return spec.get("type") == "LoadBalancer" and spec.get("loadBalancerClass") is None


def has_lb_finalizer(svc: dict) -> bool:
    return LOAD_BALANCER_CLEANUP_FINALIZER in ((svc.get("metadata") or {}).get("finalizers") or ())


def ingress_ips(svc: dict) -> list[str]:
    lb = ((svc.get("status") or {}).get("loadBalancer") or {})
    return [i["ip"] for i in lb.get("ingress") or () if i.get("ip")]


class LoadBalancerController:
    """Controller name ``service-controller``."""

    name = CONTROLLER_NAME

    def __init__(self, pool: str = DEFAULT_POOL):
        self.pool = LoadBalancerPool(pool)

    def sync(self, cluster: ClusterView, now: datetime) -> list[Action]:
        plan = Plan()
        services = cluster.list("services")
        # Addresses already published for Services that keep them.
        used: set[str] = set()
        for svc in services:
            if wants_load_balancer(svc) and not (svc.get("metadata") or {}).get("deletionTimestamp"):
                used.update(ip for ip in ingress_ips(svc) if self.pool.contains(ip))
        for svc in services:
            deleting = bool((svc.get("metadata") or {}).get("deletionTimestamp"))
            if deleting or not wants_load_balancer(svc):
                if has_lb_finalizer(svc):
                    self._cleanup(plan, svc, deleting)
                continue
            self._ensure(plan, svc, used)
        return plan.actions

    def _event(self, plan: Plan, svc: dict, type_: str, reason: str, message: str) -> None:
        plan.event(svc, type_, reason, message, CONTROLLER_NAME)

    def _cleanup(self, plan: Plan, svc: dict, deleting: bool) -> None:
        spec = svc.get("spec") or {}
        if not deleting and spec.get("type") != "LoadBalancer":
            self._event(plan, svc, "Normal", "Type", f"LoadBalancer -> {spec.get('type') or 'ClusterIP'}")
        if ingress_ips(svc) or ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress"):
            self._event(plan, svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer")
        meta = dict(svc.get("metadata") or {})
        finalizers = [f for f in meta.get("finalizers") or () if f != LOAD_BALANCER_CLEANUP_FINALIZER]
        if finalizers:
            meta["finalizers"] = finalizers
        else:
            meta.pop("finalizers", None)
        plan.update({**svc, "metadata": meta})
        if not deleting and ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress"):
            plan.update_status(_without_rv({**svc, "metadata": meta, "status": {**svc["status"], "loadBalancer": {}}}))
        self._event(plan, svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer")

    def _ensure(self, plan: Plan, svc: dict, used: set[str]) -> None:
        meta = svc.get("metadata") or {}
        spec = svc.get("spec") or {}
        current = ingress_ips(svc)
        requested = spec.get("loadBalancerIP") or ""
        ip, problem = None, ""
        if len(current) == 1 and self.pool.contains(current[0]) and requested in ("", current[0]):
            ip = current[0]
        elif requested:
            if not self.pool.contains(requested):
                problem = f"requested load balancer IP {requested} is not in the pool {self.pool.cidr}"
            elif requested in used:
                problem = f"requested load balancer IP {requested} is already in use"
            else:
                ip = requested
        else:
            ip = self.pool.allocate(f"{meta.get('namespace') or 'default'}/{meta.get('name', '')}", used)
            if ip is None:
                problem = f"no available IPs in the pool {self.pool.cidr}"
        desired = {"ingress": [{"ip": ip, "ipMode": "VIP"}]} if ip else None
        if has_lb_finalizer(svc) and desired is not None and (svc.get("status") or {}).get("loadBalancer") == desired:
            return
        self._event(plan, svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer")
        obj = svc
        if not has_lb_finalizer(svc):
            new_meta = dict(meta)
            new_meta["finalizers"] = [*(meta.get("finalizers") or ()), LOAD_BALANCER_CLEANUP_FINALIZER]
            obj = {**svc, "metadata": new_meta}
            plan.update(obj)
            obj = _without_rv(obj)
        if desired is None:
            self._event(plan, svc, "Warning", "SyncLoadBalancerFailed",
                        f"Error syncing load balancer: failed to ensure load balancer: {problem}")
            return
        used.add(ip)
        plan.update_status({**obj, "status": {**(svc.get("status") or {}), "loadBalancer": desired}})
        self._event(plan, svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer")


def _without_rv(obj: dict) -> dict:
    """A second write to the same object in one plan must not carry the stale resourceVersion."""
    meta = dict(obj.get("metadata") or {})
    meta.pop("resourceVersion", None)
    return {**obj, "metadata": meta}
