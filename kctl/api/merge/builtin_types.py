"""The static patch-metadata table for built-in kinds (the ``patchStrategy`` /
``patchMergeKey`` struct tags of k8s.io/api 1.34, as the OpenAPI document publishes them).

Only the part of the type graph that leads to a tagged field is listed: a field missing
here merges maps key by key and replaces lists, which is also what upstream does for an
untagged field. The table is compiled into OpenAPI-shaped definitions and read by the same
``PatchMeta`` that can read the generated schemas, so the two sources are interchangeable.
``tests/merge`` checks it against the upstream 1.34 OpenAPI definitions when available.

Which kinds get a strategic merge patch at all mirrors kubectl's ``Patcher``: kinds
registered in kubectl's scheme (client-go's k8s.io/api groups) do; anything else
(CustomResourceDefinition, APIService, custom resources such as the VPA or kctl's
NodeGroup) falls back to a JSON merge patch.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kctl.api.merge.patchmeta import PatchMeta, definition

_META = "io.k8s.apimachinery.pkg.apis.meta.v1."

# Field spec: "Type" (a struct), or a tuple ("[]Type" | "Type", strategy[, mergeKey]).
# Type names are short: "core.v1.PodSpec" is io.k8s.api.core.v1.PodSpec; "meta.v1.X" is
# apimachinery's meta/v1.
_M = "merge"
_MR = "merge,retainKeys"
_OBJECT_META = "meta.v1.ObjectMeta"


def _conditions(kind: str) -> dict:
    return {"conditions": (f"[]{kind}", _M, "type")}


_CONTAINER = {
    "ports": ("[]core.v1.ContainerPort", _M, "containerPort"),
    "env": ("[]core.v1.EnvVar", _M, "name"),
    "volumeMounts": ("[]core.v1.VolumeMount", _M, "mountPath"),
    "volumeDevices": ("[]core.v1.VolumeDevice", _M, "devicePath"),
    # replaced whole (no strategy): listed for readers
    "envFrom": ("[]core.v1.EnvFromSource", ""),
    "command": ("[]string", ""),
    "args": ("[]string", ""),
}

TABLE: dict[str, dict[str, Any]] = {
    # --- apimachinery meta/v1
    "meta.v1.ObjectMeta": {
        "finalizers": ("[]string", _M),
        "ownerReferences": ("[]meta.v1.OwnerReference", _M, "uid"),
    },
    # --- core/v1: pods and templates
    "core.v1.PodTemplateSpec": {"metadata": _OBJECT_META, "spec": "core.v1.PodSpec"},
    "core.v1.PodSpec": {
        "volumes": ("[]core.v1.Volume", _MR, "name"),
        "initContainers": ("[]core.v1.Container", _M, "name"),
        "containers": ("[]core.v1.Container", _M, "name"),
        "ephemeralContainers": ("[]core.v1.EphemeralContainer", _M, "name"),
        "imagePullSecrets": ("[]core.v1.LocalObjectReference", _M, "name"),
        "hostAliases": ("[]core.v1.HostAlias", _M, "ip"),
        # upstream list-map keys are topologyKey+whenUnsatisfiable; SMP merges on topologyKey
        "topologySpreadConstraints": ("[]core.v1.TopologySpreadConstraint", _M, "topologyKey"),
        "schedulingGates": ("[]core.v1.PodSchedulingGate", _M, "name"),
        "resourceClaims": ("[]core.v1.PodResourceClaim", _MR, "name"),
        "tolerations": ("[]core.v1.Toleration", ""),
        "readinessGates": ("[]core.v1.PodReadinessGate", ""),
    },
    "core.v1.Volume": {"ephemeral": "core.v1.EphemeralVolumeSource"},
    "core.v1.EphemeralVolumeSource": {"volumeClaimTemplate": "core.v1.PersistentVolumeClaimTemplate"},
    "core.v1.PersistentVolumeClaimTemplate": {"metadata": _OBJECT_META},
    # upstream merge key is containerPort (list-map keys containerPort+protocol), so a TCP and
    # a UDP port with the same number collide in a client-side apply, as in kubectl
    "core.v1.Container": dict(_CONTAINER),
    "core.v1.EphemeralContainer": dict(_CONTAINER),
    "core.v1.PodStatus": {
        **_conditions("core.v1.PodCondition"),
        "podIPs": ("[]core.v1.PodIP", _M, "ip"),
        "hostIPs": ("[]core.v1.HostIP", _M, "ip"),
        "resourceClaimStatuses": ("[]core.v1.PodResourceClaimStatus", _MR, "name"),
    },
    "core.v1.Pod": {"spec": "core.v1.PodSpec", "status": "core.v1.PodStatus"},
    "core.v1.PodTemplate": {"template": "core.v1.PodTemplateSpec"},
    "core.v1.ReplicationController": {
        "spec": "core.v1.ReplicationControllerSpec",
        "status": "core.v1.ReplicationControllerStatus",
    },
    "core.v1.ReplicationControllerSpec": {"template": "core.v1.PodTemplateSpec"},
    "core.v1.ReplicationControllerStatus": _conditions("core.v1.ReplicationControllerCondition"),
    # --- core/v1: services, accounts, nodes, namespaces, claims
    "core.v1.Service": {"spec": "core.v1.ServiceSpec", "status": "core.v1.ServiceStatus"},
    # list-map keys port+protocol; SMP merges on port
    "core.v1.ServiceSpec": {"ports": ("[]core.v1.ServicePort", _M, "port")},
    "core.v1.ServiceStatus": _conditions("meta.v1.Condition"),
    "core.v1.ServiceAccount": {"secrets": ("[]core.v1.ObjectReference", _M, "name")},
    "core.v1.Node": {"spec": "core.v1.NodeSpec", "status": "core.v1.NodeStatus"},
    "core.v1.NodeSpec": {"podCIDRs": ("[]string", _M), "taints": ("[]core.v1.Taint", "")},
    "core.v1.NodeStatus": {
        "addresses": ("[]core.v1.NodeAddress", _M, "type"),
        **_conditions("core.v1.NodeCondition"),
    },
    "core.v1.Namespace": {"status": "core.v1.NamespaceStatus"},
    "core.v1.NamespaceStatus": _conditions("core.v1.NamespaceCondition"),
    "core.v1.PersistentVolumeClaim": {"status": "core.v1.PersistentVolumeClaimStatus"},
    "core.v1.PersistentVolumeClaimStatus": _conditions("core.v1.PersistentVolumeClaimCondition"),
    "core.v1.ComponentStatus": _conditions("core.v1.ComponentCondition"),
    # --- apps/v1
    "apps.v1.Deployment": {"spec": "apps.v1.DeploymentSpec", "status": "apps.v1.DeploymentStatus"},
    "apps.v1.DeploymentSpec": {
        "template": "core.v1.PodTemplateSpec",
        # switching RollingUpdate -> Recreate clears rollingUpdate via $retainKeys
        "strategy": ("apps.v1.DeploymentStrategy", "retainKeys"),
    },
    "apps.v1.DeploymentStatus": _conditions("apps.v1.DeploymentCondition"),
    "apps.v1.ReplicaSet": {"spec": "apps.v1.ReplicaSetSpec", "status": "apps.v1.ReplicaSetStatus"},
    "apps.v1.ReplicaSetSpec": {"template": "core.v1.PodTemplateSpec"},
    "apps.v1.ReplicaSetStatus": _conditions("apps.v1.ReplicaSetCondition"),
    "apps.v1.StatefulSet": {"spec": "apps.v1.StatefulSetSpec", "status": "apps.v1.StatefulSetStatus"},
    "apps.v1.StatefulSetSpec": {
        "template": "core.v1.PodTemplateSpec",
        "volumeClaimTemplates": ("[]core.v1.PersistentVolumeClaim", ""),
    },
    "apps.v1.StatefulSetStatus": _conditions("apps.v1.StatefulSetCondition"),
    "apps.v1.DaemonSet": {"spec": "apps.v1.DaemonSetSpec", "status": "apps.v1.DaemonSetStatus"},
    "apps.v1.DaemonSetSpec": {"template": "core.v1.PodTemplateSpec"},
    "apps.v1.DaemonSetStatus": _conditions("apps.v1.DaemonSetCondition"),
    # --- batch/v1
    "batch.v1.Job": {"spec": "batch.v1.JobSpec", "status": "batch.v1.JobStatus"},
    "batch.v1.JobSpec": {"template": "core.v1.PodTemplateSpec"},
    "batch.v1.JobStatus": _conditions("batch.v1.JobCondition"),
    "batch.v1.CronJob": {"spec": "batch.v1.CronJobSpec"},
    "batch.v1.CronJobSpec": {"jobTemplate": "batch.v1.JobTemplateSpec"},
    "batch.v1.JobTemplateSpec": {"metadata": _OBJECT_META, "spec": "batch.v1.JobSpec"},
    # --- autoscaling/v2
    "autoscaling.v2.HorizontalPodAutoscaler": {
        "spec": "autoscaling.v2.HorizontalPodAutoscalerSpec",
        "status": "autoscaling.v2.HorizontalPodAutoscalerStatus",
    },
    "autoscaling.v2.HorizontalPodAutoscalerSpec": {"metrics": ("[]autoscaling.v2.MetricSpec", "")},
    "autoscaling.v2.HorizontalPodAutoscalerStatus": _conditions("autoscaling.v2.HorizontalPodAutoscalerCondition"),
    # --- policy/v1
    "policy.v1.PodDisruptionBudget": {
        "spec": "policy.v1.PodDisruptionBudgetSpec",
        "status": "policy.v1.PodDisruptionBudgetStatus",
    },
    "policy.v1.PodDisruptionBudgetSpec": {"selector": ("meta.v1.LabelSelector", "replace")},
    "policy.v1.PodDisruptionBudgetStatus": _conditions("meta.v1.Condition"),
    # --- networking.k8s.io/v1
    "networking.v1.Ingress": {"spec": "networking.v1.IngressSpec"},
    "networking.v1.IngressSpec": {
        "rules": ("[]networking.v1.IngressRule", ""),
        "tls": ("[]networking.v1.IngressTLS", ""),
    },
    "networking.v1.ServiceCIDR": {"status": "networking.v1.ServiceCIDRStatus"},
    "networking.v1.ServiceCIDRStatus": _conditions("meta.v1.Condition"),
    # --- admissionregistration.k8s.io/v1
    "admissionregistration.v1.MutatingWebhookConfiguration": {
        "webhooks": ("[]admissionregistration.v1.MutatingWebhook", _M, "name"),
    },
    "admissionregistration.v1.MutatingWebhook": {
        "matchConditions": ("[]admissionregistration.v1.MatchCondition", _M, "name"),
    },
    "admissionregistration.v1.ValidatingWebhookConfiguration": {
        "webhooks": ("[]admissionregistration.v1.ValidatingWebhook", _M, "name"),
    },
    "admissionregistration.v1.ValidatingWebhook": {
        "matchConditions": ("[]admissionregistration.v1.MatchCondition", _M, "name"),
    },
    "admissionregistration.v1.ValidatingAdmissionPolicy": {
        "spec": "admissionregistration.v1.ValidatingAdmissionPolicySpec",
    },
    "admissionregistration.v1.ValidatingAdmissionPolicySpec": {
        "matchConditions": ("[]admissionregistration.v1.MatchCondition", _M, "name"),
        "variables": ("[]admissionregistration.v1.Variable", _M, "name"),
    },
    # --- others with tagged fields
    "storage.v1.CSINode": {"spec": "storage.v1.CSINodeSpec"},
    "storage.v1.CSINodeSpec": {"drivers": ("[]storage.v1.CSINodeDriver", _M, "name")},
    "resource.v1.ResourceClaim": {"status": "resource.v1.ResourceClaimStatus"},
    "resource.v1.ResourceClaimStatus": {
        "reservedFor": ("[]resource.v1.ResourceClaimConsumerReference", _M, "uid"),
    },
    "flowcontrol.v1.FlowSchema": {"status": "flowcontrol.v1.FlowSchemaStatus"},
    "flowcontrol.v1.FlowSchemaStatus": _conditions("flowcontrol.v1.FlowSchemaCondition"),
    "flowcontrol.v1.PriorityLevelConfiguration": {"status": "flowcontrol.v1.PriorityLevelConfigurationStatus"},
    "flowcontrol.v1.PriorityLevelConfigurationStatus": _conditions(
        "flowcontrol.v1.PriorityLevelConfigurationCondition"
    ),
}

#: API groups kubectl's scheme does not register: their objects get a JSON merge patch.
NOT_IN_KUBECTL_SCHEME = frozenset(
    {
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "autoscaling.k8s.io",
        "metrics.k8s.io",
        "kctl.io",
    }
)

_GROUP_PACKAGES = {
    "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.",
    "apiregistration.k8s.io": "io.k8s.kube-aggregator.pkg.apis.apiregistration.",
}


def full_name(short: str) -> str:
    """``core.v1.PodSpec`` -> ``io.k8s.api.core.v1.PodSpec`` (the OpenAPI definition name)."""
    if short.startswith("meta.v1."):
        return _META + short.removeprefix("meta.v1.")
    return "io.k8s.api." + short


def definition_name(api_version: str, kind: str) -> str:
    """The OpenAPI definition of a kind: ``apps/v1`` ``Deployment`` -> ``io.k8s.api.apps.v1.Deployment``."""
    group, _, version = api_version.rpartition("/")
    if group in _GROUP_PACKAGES:
        return f"{_GROUP_PACKAGES[group]}{version}.{kind}"
    package = group.split(".")[0] if group else "core"
    return f"io.k8s.api.{package}.{version}.{kind}"


def _compile_field(spec: Any) -> dict[str, Any]:
    if isinstance(spec, str):
        spec = (spec, "")
    type_name, strategy, *rest = spec
    node: dict[str, Any]
    if type_name.startswith("[]"):
        element = type_name[2:]
        items = {"type": "string"} if element == "string" else {"$ref": "#/definitions/" + full_name(element)}
        node = {"type": "array", "items": items}
    else:
        node = {"$ref": "#/definitions/" + full_name(type_name)}
    if strategy:
        node["x-kubernetes-patch-strategy"] = strategy
    if rest and rest[0]:
        node["x-kubernetes-patch-merge-key"] = rest[0]
    return node


@cache
def definitions() -> dict[str, dict[str, Any]]:
    """The static table as OpenAPI definitions (``{"properties": {...}}`` per type)."""
    out: dict[str, dict[str, Any]] = {}
    for short, fields in TABLE.items():
        out[full_name(short)] = {"properties": {name: _compile_field(spec) for name, spec in fields.items()}}
    return out


def uses_strategic_merge(api_version: str, kind: str) -> bool:
    """True when kubectl would send a strategic merge patch for this kind (it is in its scheme)."""
    from kctl.api.registry import for_kind

    resource = for_kind(api_version, kind)
    return resource is not None and resource.group not in NOT_IN_KUBECTL_SCHEME


def patch_meta_for(api_version: str, kind: str, *, schema: Any = None) -> PatchMeta | None:
    """The root ``PatchMeta`` for a kind, or None when kubectl would use a JSON merge patch.

    ``schema`` may be OpenAPI definitions to read instead of the static table: a mapping
    ``{name: schema}`` or kctl's ``openapi.Definitions`` over ``schemas/``.
    """
    if not uses_strategic_merge(api_version, kind):
        return None
    defs = schema if schema is not None else definitions()
    name = definition_name(api_version, kind)
    root = definition(defs, name)
    if root is None:
        # A built-in kind with no tagged field below it: only metadata carries strategies.
        root = {"properties": {"metadata": {"$ref": "#/definitions/" + full_name(_OBJECT_META)}}}
    elif "metadata" not in (root.get("properties") or {}):
        root = {"properties": {"metadata": {"$ref": "#/definitions/" + full_name(_OBJECT_META)},
                               **root.get("properties", {})}}
    return PatchMeta(defs, root)
