"""The resource registry: what `kubectl api-resources` lists.

One ``ResourceType`` per served resource: its plural name (the REST resource), singular,
short names, API group and preferred version, Kind, whether it is namespaced, and its
categories (``all``). The CLI resolves every name form kubectl accepts through
``resolve()``; the store, printers and controllers key objects by ``ResourceType``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class ResourceType:
    name: str  # plural, e.g. "deployments"
    kind: str  # e.g. "Deployment"
    group: str  # "" for core
    version: str  # preferred version
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    #: Other served versions (e.g. autoscaling/v1 for HPAs), converted on read/write.
    other_versions: tuple[str, ...] = field(default=())

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """``deployments.apps`` / ``pods``: the form used in API error messages."""
        return f"{self.name}.{self.group}" if self.group else self.name

    @property
    def kind_group(self) -> str:
        """``deployment.apps`` / ``pod``: the prefix of ``-o name`` output."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    def served_api_versions(self) -> tuple[str, ...]:
        versions = (self.version, *self.other_versions)
        return tuple(f"{self.group}/{v}" if self.group else v for v in versions)


def _r(name, kind, group, version, namespaced, short=(), cats=(), other=()):
    return ResourceType(name, kind, group, version, namespaced, tuple(short), tuple(cats), tuple(other))


_ALL = ("all",)

#: Built-in resources of Kubernetes 1.34 (stable versions), plus what kctl simulates.
RESOURCES: tuple[ResourceType, ...] = (
    # core/v1
    _r("bindings", "Binding", "", "v1", True),
    _r("componentstatuses", "ComponentStatus", "", "v1", False, ["cs"]),
    _r("configmaps", "ConfigMap", "", "v1", True, ["cm"]),
    _r("endpoints", "Endpoints", "", "v1", True, ["ep"]),
    _r("events", "Event", "", "v1", True, ["ev"]),
    _r("limitranges", "LimitRange", "", "v1", True, ["limits"]),
    _r("namespaces", "Namespace", "", "v1", False, ["ns"]),
    _r("nodes", "Node", "", "v1", False, ["no"]),
    _r("persistentvolumeclaims", "PersistentVolumeClaim", "", "v1", True, ["pvc"]),
    _r("persistentvolumes", "PersistentVolume", "", "v1", False, ["pv"]),
    _r("pods", "Pod", "", "v1", True, ["po"], _ALL),
    _r("podtemplates", "PodTemplate", "", "v1", True),
    _r("replicationcontrollers", "ReplicationController", "", "v1", True, ["rc"], _ALL),
    _r("resourcequotas", "ResourceQuota", "", "v1", True, ["quota"]),
    _r("secrets", "Secret", "", "v1", True),
    _r("serviceaccounts", "ServiceAccount", "", "v1", True, ["sa"]),
    _r("services", "Service", "", "v1", True, ["svc"], _ALL),
    # admissionregistration.k8s.io/v1
    _r("mutatingwebhookconfigurations", "MutatingWebhookConfiguration", "admissionregistration.k8s.io", "v1", False),
    _r("validatingadmissionpolicies", "ValidatingAdmissionPolicy", "admissionregistration.k8s.io", "v1", False),
    _r("validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io", "v1", False),
    _r("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "v1", False),
    # apiextensions / apiregistration
    _r("customresourcedefinitions", "CustomResourceDefinition", "apiextensions.k8s.io", "v1", False, ["crd", "crds"]),
    _r("apiservices", "APIService", "apiregistration.k8s.io", "v1", False),
    # apps/v1
    _r("controllerrevisions", "ControllerRevision", "apps", "v1", True),
    _r("daemonsets", "DaemonSet", "apps", "v1", True, ["ds"], _ALL),
    _r("deployments", "Deployment", "apps", "v1", True, ["deploy"], _ALL),
    _r("replicasets", "ReplicaSet", "apps", "v1", True, ["rs"], _ALL),
    _r("statefulsets", "StatefulSet", "apps", "v1", True, ["sts"], _ALL),
    # authentication / authorization
    _r("selfsubjectreviews", "SelfSubjectReview", "authentication.k8s.io", "v1", False),
    _r("tokenreviews", "TokenReview", "authentication.k8s.io", "v1", False),
    _r("localsubjectaccessreviews", "LocalSubjectAccessReview", "authorization.k8s.io", "v1", True),
    _r("selfsubjectaccessreviews", "SelfSubjectAccessReview", "authorization.k8s.io", "v1", False),
    _r("selfsubjectrulesreviews", "SelfSubjectRulesReview", "authorization.k8s.io", "v1", False),
    _r("subjectaccessreviews", "SubjectAccessReview", "authorization.k8s.io", "v1", False),
    # autoscaling
    _r("horizontalpodautoscalers", "HorizontalPodAutoscaler", "autoscaling", "v2", True, ["hpa"], _ALL, ["v1"]),
    # batch/v1
    _r("cronjobs", "CronJob", "batch", "v1", True, ["cj"], _ALL),
    _r("jobs", "Job", "batch", "v1", True, (), _ALL),
    # certificates, coordination, discovery, events
    _r("certificatesigningrequests", "CertificateSigningRequest", "certificates.k8s.io", "v1", False, ["csr"]),
    _r("leases", "Lease", "coordination.k8s.io", "v1", True),
    _r("endpointslices", "EndpointSlice", "discovery.k8s.io", "v1", True),
    _r("events", "Event", "events.k8s.io", "v1", True, ["ev"]),
    # flowcontrol
    _r("flowschemas", "FlowSchema", "flowcontrol.apiserver.k8s.io", "v1", False),
    _r("prioritylevelconfigurations", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io", "v1", False),
    # networking.k8s.io/v1
    _r("ingressclasses", "IngressClass", "networking.k8s.io", "v1", False),
    _r("ingresses", "Ingress", "networking.k8s.io", "v1", True, ["ing"]),
    _r("ipaddresses", "IPAddress", "networking.k8s.io", "v1", False, ["ip"]),
    _r("networkpolicies", "NetworkPolicy", "networking.k8s.io", "v1", True, ["netpol"]),
    _r("servicecidrs", "ServiceCIDR", "networking.k8s.io", "v1", False),
    # node, policy, rbac, resource, scheduling, storage
    _r("runtimeclasses", "RuntimeClass", "node.k8s.io", "v1", False),
    _r("poddisruptionbudgets", "PodDisruptionBudget", "policy", "v1", True, ["pdb"]),
    _r("clusterrolebindings", "ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", False),
    _r("clusterroles", "ClusterRole", "rbac.authorization.k8s.io", "v1", False),
    _r("rolebindings", "RoleBinding", "rbac.authorization.k8s.io", "v1", True),
    _r("roles", "Role", "rbac.authorization.k8s.io", "v1", True),
    _r("deviceclasses", "DeviceClass", "resource.k8s.io", "v1", False),
    _r("resourceclaims", "ResourceClaim", "resource.k8s.io", "v1", True),
    _r("resourceclaimtemplates", "ResourceClaimTemplate", "resource.k8s.io", "v1", True),
    _r("resourceslices", "ResourceSlice", "resource.k8s.io", "v1", False),
    _r("priorityclasses", "PriorityClass", "scheduling.k8s.io", "v1", False, ["pc"]),
    _r("csidrivers", "CSIDriver", "storage.k8s.io", "v1", False),
    _r("csinodes", "CSINode", "storage.k8s.io", "v1", False),
    _r("csistoragecapacities", "CSIStorageCapacity", "storage.k8s.io", "v1", True),
    _r("storageclasses", "StorageClass", "storage.k8s.io", "v1", False, ["sc"]),
    _r("volumeattachments", "VolumeAttachment", "storage.k8s.io", "v1", False),
    _r("volumeattributesclasses", "VolumeAttributesClass", "storage.k8s.io", "v1", False, ["vac"]),
    # simulated add-ons (not built in): VPA, metrics-server, kctl's node groups
    _r("verticalpodautoscalers", "VerticalPodAutoscaler", "autoscaling.k8s.io", "v1", True, ["vpa"]),
    _r("nodes", "NodeMetrics", "metrics.k8s.io", "v1beta1", False),
    _r("pods", "PodMetrics", "metrics.k8s.io", "v1beta1", True),
    _r("nodegroups", "NodeGroup", "kctl.io", "v1alpha1", False, ["ng"]),
)


class UnknownResourceType(LookupError):
    """``error: the server doesn't have a resource type "foo"``."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f'the server doesn\'t have a resource type "{self.name}"'


@cache
def _index() -> dict[str, list[ResourceType]]:
    """Every accepted spelling -> candidates, in kubectl's priority order (core first)."""
    idx: dict[str, list[ResourceType]] = {}

    def add(key: str, rt: ResourceType) -> None:
        bucket = idx.setdefault(key.lower(), [])
        if rt not in bucket:
            bucket.append(rt)

    for rt in RESOURCES:
        for base in (rt.name, rt.singular, *rt.short_names):
            add(base, rt)
            if rt.group:
                add(f"{base}.{rt.group}", rt)
                for v in (rt.version, *rt.other_versions):
                    add(f"{base}.{v}.{rt.group}", rt)
            else:
                add(f"{base}.{rt.version}", rt)
    # Metrics resources share plural names with pods/nodes; kubectl prefers the core ones,
    # which _r order above already gives (core listed first).
    return idx


def resolve(name: str) -> ResourceType:
    """Resolve any kubectl resource spelling: plural, singular, short name, Kind,
    ``kind.group``, ``resource.version.group``. Raises ``UnknownResourceType``."""
    candidates = _index().get(name.lower())
    if not candidates:
        raise UnknownResourceType(name)
    return candidates[0]


def for_kind(api_version: str, kind: str) -> ResourceType | None:
    """The resource serving ``kind`` in ``api_version`` (e.g. ``apps/v1``, ``Deployment``)."""
    return _by_gvk().get((api_version, kind))


def for_group_kind(group: str, kind: str) -> ResourceType | None:
    for rt in RESOURCES:
        if rt.group == group and rt.kind == kind:
            return rt
    return None


@cache
def _by_gvk() -> dict[tuple[str, str], ResourceType]:
    out: dict[tuple[str, str], ResourceType] = {}
    for rt in RESOURCES:
        for av in rt.served_api_versions():
            out.setdefault((av, rt.kind), rt)
    return out


def category(name: str) -> tuple[ResourceType, ...] | None:
    """Resources in a category such as ``all`` (in kubectl's listing order), else None."""
    if name != "all":
        return None
    order = ["pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets",
             "horizontalpodautoscalers", "cronjobs", "jobs", "replicationcontrollers"]
    found = [rt for rt in RESOURCES if "all" in rt.categories]
    return tuple(sorted(found, key=lambda rt: order.index(rt.name) if rt.name in order else 99))


def split_api_version(api_version: str) -> tuple[str, str]:
    """``apps/v1`` -> (``apps``, ``v1``); ``v1`` -> (``""``, ``v1``)."""
    group, _, version = api_version.rpartition("/")
    return group, version
