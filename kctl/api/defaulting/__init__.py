"""API defaulting: what the API server fills in when it decodes an object, so ``get -o yaml``
shows what a real 1.34 cluster would (pkg/apis/*/v1/defaults.go).

``apply_defaults(obj)`` changes ``obj`` in place; objects of kinds without defaults are left
as they are. Pure: no clock, no store.
"""

from __future__ import annotations

from collections.abc import Callable

from kctl.api.defaulting import core, other, workloads

DEFAULTERS: dict[tuple[str, str], Callable[[dict], None]] = {
    ("", "Pod"): core.pod,
    ("", "PodTemplate"): core.podtemplate,
    ("", "ReplicationController"): core.replication_controller,
    ("", "Service"): core.service,
    ("", "Secret"): core.secret,
    ("", "Namespace"): core.namespace,
    ("", "PersistentVolume"): core.persistent_volume,
    ("", "PersistentVolumeClaim"): core.persistent_volume_claim,
    ("", "Node"): core.node,
    ("", "Endpoints"): core.endpoints,
    ("apps", "Deployment"): workloads.deployment,
    ("apps", "ReplicaSet"): workloads.replica_set,
    ("apps", "StatefulSet"): workloads.stateful_set,
    ("apps", "DaemonSet"): workloads.daemon_set,
    ("batch", "Job"): workloads.job,
    ("batch", "CronJob"): workloads.cron_job,
    ("autoscaling", "HorizontalPodAutoscaler"): other.horizontal_pod_autoscaler,
    ("networking.k8s.io", "NetworkPolicy"): other.network_policy,
    ("rbac.authorization.k8s.io", "RoleBinding"): other.role_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): other.role_binding,
    ("storage.k8s.io", "StorageClass"): other.storage_class,
    ("scheduling.k8s.io", "PriorityClass"): other.priority_class,
    ("discovery.k8s.io", "EndpointSlice"): other.endpoint_slice,
}


def group_of(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def apply_defaults(obj: dict) -> dict:
    """Default ``obj`` in place (by its apiVersion's group and kind) and return it."""
    if not isinstance(obj, dict):
        return obj
    fn = DEFAULTERS.get((group_of(str(obj.get("apiVersion") or "")), str(obj.get("kind") or "")))
    if fn is not None:
        fn(obj)
    return obj
