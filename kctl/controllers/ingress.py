"""A simulated ingress controller (ingress-nginx-like), controller name ``ingress-controller``.

It serves the Ingresses whose class (``spec.ingressClassName``, else the legacy
``kubernetes.io/ingress.class`` annotation) names an IngressClass with
``spec.controller`` ``k8s.io/ingress-nginx`` or ``kctl.io/ingress``; it creates no
IngressClass itself (install one, as the ingress-nginx manifests do). Ingresses of other
or missing classes are left alone, as a real controller leaves them.

- Like ingress-nginx with ``--publish-service``, every served Ingress gets the controller's
  address in ``status.loadBalancer.ingress``: ``[{ip: 172.18.0.100}]`` (``INGRESS_ADDRESS``,
  a fixed address on the simulated ``kind`` network outside the Service load-balancer pool
  ``172.18.255.0/24``, so the two never collide).
- When it publishes the address (the Ingress is first synced) it records ingress-nginx's
  ``Normal Sync "Scheduled for sync"`` event (source ``nginx-ingress-controller``) and one
  Warning event per problem the checks find at that moment (reason ``TLS`` or
  ``Backend``; the same messages ``kctl apply`` prints), so ``describe ing`` shows them.
  The controller is level-triggered and keeps no memory of earlier passes, so it does not
  re-announce an Ingress whose status is already right.
- An Ingress it stops serving (class changed or gone) loses the address it published.
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import Action, ClusterView, Plan
from kctl.networking.ingress import INGRESS, ingress_warnings, served_ingresses

CONTROLLER_NAME = "ingress-controller"
EVENT_SOURCE = "nginx-ingress-controller"
INGRESS_ADDRESS = "172.18.0.100"


def desired_load_balancer() -> dict:
    return {"ingress": [{"ip": INGRESS_ADDRESS}]}


class IngressController:
    name = CONTROLLER_NAME

    def sync(self, cluster: ClusterView, now: datetime) -> list[Action]:
        plan = Plan()
        served = served_ingresses(cluster)
        served_keys = set()
        for ing in served:
            meta = ing.get("metadata") or {}
            served_keys.add((meta.get("namespace"), meta.get("name")))
            if (ing.get("status") or {}).get("loadBalancer") == desired_load_balancer():
                continue
            plan.update_status({**ing, "status": {**(ing.get("status") or {}), "loadBalancer": desired_load_balancer()}})
            plan.event(ing, "Normal", "Sync", "Scheduled for sync", EVENT_SOURCE)
            for problem in ingress_warnings(cluster, ing, now):
                reason = "TLS" if problem.startswith("TLS ") else "Backend"
                plan.event(ing, "Warning", reason, problem, EVENT_SOURCE)
        for ing in cluster.list(INGRESS):
            meta = ing.get("metadata") or {}
            if (meta.get("namespace"), meta.get("name")) in served_keys:
                continue
            if (ing.get("status") or {}).get("loadBalancer") == desired_load_balancer():
                plan.update_status({**ing, "status": {**(ing.get("status") or {}), "loadBalancer": {}}})
        return plan.actions
