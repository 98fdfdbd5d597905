"""A new cluster: what ``kubeadm init`` plus three joined workers leave in the API.

- Namespaces ``default``, ``kube-system``, ``kube-public``, ``kube-node-lease``, each with its
  ``default`` ServiceAccount and the ``kube-root-ca.crt`` ConfigMap (what the serviceaccount
  and root-ca-cert-publisher controllers create in every namespace).
- The ``kubernetes`` Service in ``default``: ClusterIP 10.96.0.1 (the first address of
  kubeadm's 10.96.0.0/12 service CIDR), port ``https`` 443 -> 6443.
- Three worker Nodes ``node-1`` .. ``node-3``: 4 CPUs, 16 GiB, 110 pods; allocatable 3800m CPU
  and 16 GiB minus 900 MiB (system reservation and the 100Mi eviction threshold); zones
  ``zone-a`` / ``zone-b`` / ``zone-c`` of region ``kctl-local``; podCIDR ``10.244.N.0/24``;
  InternalIP ``10.0.0.N``; kubelet v1.34.0 on containerd; Ready.

``open_cluster(db)`` opens the store and bootstraps it on first use (exactly once, even with
concurrent first commands: the check and the creation share one write transaction).
``init(store)`` / ``reset(store)`` do it explicitly; both take ``now`` (default: the wall
clock) and ``seed`` (default ``kctl``) for the cluster clock and the uid/name generators.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from kctl.api.server.clock import META_CLOCK, format_time, wall_now
from kctl.api.server.names import DEFAULT_SEED, META_SEED

META_INITIALIZED = "initialized"

KUBERNETES_VERSION = "v1.34.0"
SERVICE_CLUSTER_IP = "10.96.0.1"
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
NODE_COUNT = 3
ZONES = ("zone-a", "zone-b", "zone-c")
REGION = "kctl-local"
INSTANCE_TYPE = "kctl.standard-4"

#: kctl's standard worker machine (what its kubelet registers when a Node states no capacity).
NODE_CAPACITY = {
    "cpu": "4",
    "ephemeral-storage": "104857600Ki",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    "memory": "16777216Ki",
    "pods": "110",
}
NODE_ALLOCATABLE = {
    "cpu": "3800m",
    "ephemeral-storage": "94371840Ki",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    "memory": "15855616Ki",
    "pods": "110",
}

#: A placeholder root CA (kctl has no TLS): the shape of kube-root-ca.crt, not a real key.
ROOT_CA = (
    "-----BEGIN CERTIFICATE-----\n"
    "S0NUTCBzaW11bGF0ZWQgY2x1c3RlcjogdGhpcyBpcyBub3QgYSByZWFsIGNlcnRpZmljYXRlLg==\n"
    "-----END CERTIFICATE-----\n"
)


def open_cluster(db: str | None = None, env: Mapping[str, str] | None = None):
    """The store named by ``--db`` / ``KCTL_DB`` / the default, bootstrapped if new."""
    from kctl.store.store import Store

    store = Store.open(db, env)
    ensure_initialized(store)
    return store


def ensure_initialized(store, now: datetime | None = None, seed: str | None = None) -> bool:
    """Bootstrap ``store`` unless done already. True when this call did it."""
    with store.snapshot() as tx:
        if tx.meta_get(META_INITIALIZED):
            return False
    with store.transaction() as tx:
        if tx.meta_get(META_INITIALIZED):
            return False
        _bootstrap(tx, now, seed)
    return True


def init(store, now: datetime | None = None, seed: str | None = None) -> None:
    """Create the cluster's initial objects (fails if the cluster already has them)."""
    with store.transaction() as tx:
        if tx.meta_get(META_INITIALIZED):
            raise RuntimeError("the cluster is already initialized")
        _bootstrap(tx, now, seed)


def reset(store, now: datetime | None = None, seed: str | None = None) -> None:
    """Delete everything and start again as a new cluster (revision counter back to 0)."""
    with store.transaction() as tx:
        tx.wipe()
        _bootstrap(tx, now, seed)


def _bootstrap(tx, now: datetime | None, seed: str | None) -> None:
    from kctl.api.server import APIServer

    tx.meta_set(META_SEED, seed or DEFAULT_SEED)
    tx.meta_set(META_CLOCK, format_time(now or wall_now()))
    api = APIServer(tx)
    stamp = api.clock.timestamp()
    for name in NAMESPACES:
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    for name in NAMESPACES:
        api.create(
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": name}}
        )
        api.create(root_ca_configmap(name))
    api.create(kubernetes_service())
    for i in range(1, NODE_COUNT + 1):
        api.create(worker_node(i, stamp, tx.meta_get(META_SEED) or DEFAULT_SEED))
    from kctl.controllers.runner import run_control_plane

    run_control_plane(api)  # the control plane starts: node leases, the kubernetes endpoints
    tx.meta_set(META_INITIALIZED, stamp)


def root_ca_configmap(namespace: str) -> dict:
    """``kube-root-ca.crt``, as the root-ca-cert-publisher puts it in every namespace."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "kube-root-ca.crt",
            "namespace": namespace,
            "annotations": {
                "kubernetes.io/description": "Contains a CA bundle that can be used to verify the "
                "kube-apiserver when using internal endpoints such as the internal service IP or "
                "kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes "
                "clusters."
            },
        },
        "data": {"ca.crt": ROOT_CA},
    }


def kubernetes_service() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "clusterIP": SERVICE_CLUSTER_IP,
            "clusterIPs": [SERVICE_CLUSTER_IP],
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
            "type": "ClusterIP",
        },
    }


def worker_node(index: int, now: str, seed: str = DEFAULT_SEED) -> dict:
    """Worker ``node-<index>`` as its kubelet registers it, Ready."""
    from kctl.kubelet.registration import default_annotations, default_labels, healthy_conditions, node_info

    name = f"node-{index}"
    zone = ZONES[(index - 1) % len(ZONES)]
    cidr = f"10.244.{index}.0/24"
    labels = {
        **default_labels(name),
        "beta.kubernetes.io/instance-type": INSTANCE_TYPE,
        "failure-domain.beta.kubernetes.io/region": REGION,
        "failure-domain.beta.kubernetes.io/zone": zone,
        "node.kubernetes.io/instance-type": INSTANCE_TYPE,
        "topology.kubernetes.io/region": REGION,
        "topology.kubernetes.io/zone": zone,
    }
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": dict(sorted(labels.items())), "annotations": default_annotations()},
        "spec": {"podCIDR": cidr, "podCIDRs": [cidr], "providerID": f"kctl://{name}"},
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": f"10.0.0.{index}"},
                {"type": "Hostname", "address": name},
            ],
            "allocatable": dict(NODE_ALLOCATABLE),
            "capacity": dict(NODE_CAPACITY),
            "conditions": healthy_conditions(now),
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": node_info(name, seed),
        },
    }
