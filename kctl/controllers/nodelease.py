"""Node heartbeats: each node's kubelet holds a Lease in ``kube-node-lease`` and renews
it every 10 s of cluster time (a quarter of the 40 s lease duration)."""

from __future__ import annotations

from datetime import timedelta

from kctl.controllers.base import Plan, clone, owner_reference

NAMESPACE = "kube-node-lease"
LEASE_DURATION_SECONDS = 40
RENEW_INTERVAL = timedelta(seconds=LEASE_DURATION_SECONDS // 4)


def _micro(now) -> str:
    """Leases use metav1.MicroTime: RFC 3339 with microseconds."""
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class NodeLeaseController:
    name = "kubelet"

    def sync(self, cluster, now):
        from kctl.api.server.clock import parse_time

        plan = Plan()
        if cluster.get("namespaces", None, NAMESPACE) is None:
            return plan.actions
        for node in cluster.list("nodes"):
            name = node["metadata"]["name"]
            ready = next((c for c in (node.get("status") or {}).get("conditions") or () if c.get("type") == "Ready"), None)
            if ready is None or ready.get("status") != "True":
                continue  # a kubelet that is not running does not renew its lease
            lease = cluster.get("leases.coordination.k8s.io", NAMESPACE, name)
            if lease is None:
                ref = owner_reference(node, block_owner_deletion=False)
                ref["controller"] = False
                plan.create({
                    "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": {"name": name, "namespace": NAMESPACE, "ownerReferences": [ref]},
                    "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_DURATION_SECONDS,
                             "renewTime": _micro(now)},
                })
                continue
            renewed = (lease.get("spec") or {}).get("renewTime") or ""
            try:
                last = parse_time(renewed.split(".")[0] + "Z" if "." in renewed else renewed)
            except ValueError:
                last = None
            if last is None or now - last >= RENEW_INTERVAL:
                updated = clone(lease)
                updated["spec"]["renewTime"] = _micro(now)
                plan.update(updated)
        return plan.actions


class APIServerEndpointsController:
    """The API server's endpoint reconciler: ``default/kubernetes`` Endpoints and
    EndpointSlice point at the (simulated) API server, 10.0.0.100:6443."""

    name = "kube-apiserver"
    ADDRESS = "10.0.0.100"

    def sync(self, cluster, now):
        plan = Plan()
        if cluster.get("services", "default", "kubernetes") is None:
            return plan.actions
        if cluster.get("endpoints", "default", "kubernetes") is None:
            plan.create({
                "apiVersion": "v1", "kind": "Endpoints",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
                "subsets": [{"addresses": [{"ip": self.ADDRESS}],
                             "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}],
            })
        if cluster.get("endpointslices.discovery.k8s.io", "default", "kubernetes") is None:
            plan.create({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"kubernetes.io/service-name": "kubernetes"}},
                "addressType": "IPv4",
                "endpoints": [{"addresses": [self.ADDRESS], "conditions": {"ready": True}}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
            })
        return plan.actions
