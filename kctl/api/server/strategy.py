"""Per-kind REST strategy facts (pkg/registry/<group>/<resource>/strategy.go).

Which kinds have a status subresource (status is reset on create and kept on update of the
main resource), which maintain ``metadata.generation``, and what their status looks like right
after create: the zero Go struct serialized, so non-``omitempty`` fields show as zeros.
"""

from __future__ import annotations

from typing import Any

# (group, Kind) pairs, group "" = core.

#: Kinds whose strategy sets generation 1 on create and bumps it on spec changes.
GENERATION_KINDS = frozenset(
    {
        ("apps", "Deployment"),
        ("apps", "ReplicaSet"),
        ("apps", "StatefulSet"),
        ("apps", "DaemonSet"),
        ("batch", "Job"),
        ("batch", "CronJob"),
        ("autoscaling", "HorizontalPodAutoscaler"),
        ("policy", "PodDisruptionBudget"),
        ("networking.k8s.io", "Ingress"),
        ("networking.k8s.io", "IngressClass"),
        ("networking.k8s.io", "NetworkPolicy"),
        ("", "ReplicationController"),
        ("", "Pod"),  # PodObservedGenerationTracking (1.33+)
        ("discovery.k8s.io", "EndpointSlice"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("resource.k8s.io", "DeviceClass"),
        ("resource.k8s.io", "ResourceSlice"),
        # custom resources (CRD-served) always maintain generation
        ("autoscaling.k8s.io", "VerticalPodAutoscaler"),
        ("kctl.io", "NodeGroup"),
    }
)

#: Kinds whose generation also moves on annotation changes (Deployment copies annotations to RSs).
GENERATION_ON_ANNOTATIONS = frozenset({("apps", "Deployment")})


def _zero(**fields: Any) -> dict:
    return dict(fields)


#: Status right after create, for kinds with a status subresource. ``None``: status as sent
#: (Node registers itself with its status).
CREATE_STATUS: dict[tuple[str, str], Any] = {
    ("", "Pod"): None,  # computed: phase Pending + qosClass (see prepare_for_create)
    ("", "Node"): None,
    ("", "Namespace"): _zero(phase="Active"),
    ("", "Service"): _zero(loadBalancer={}),
    ("", "PersistentVolume"): _zero(phase="Pending"),
    ("", "PersistentVolumeClaim"): _zero(phase="Pending"),
    ("", "ReplicationController"): _zero(replicas=0),
    ("", "ResourceQuota"): _zero(),
    ("apps", "Deployment"): _zero(),
    ("apps", "ReplicaSet"): _zero(replicas=0),
    ("apps", "StatefulSet"): _zero(availableReplicas=0, replicas=0),
    ("apps", "DaemonSet"): _zero(currentNumberScheduled=0, desiredNumberScheduled=0, numberMisscheduled=0, numberReady=0),
    ("batch", "Job"): _zero(),
    ("batch", "CronJob"): _zero(),
    ("autoscaling", "HorizontalPodAutoscaler"): _zero(desiredReplicas=0),
    ("policy", "PodDisruptionBudget"): _zero(currentHealthy=0, desiredHealthy=0, disruptionsAllowed=0, expectedPods=0),
    ("networking.k8s.io", "Ingress"): _zero(loadBalancer={}),
    ("networking.k8s.io", "ServiceCIDR"): _zero(),
    ("certificates.k8s.io", "CertificateSigningRequest"): _zero(),
    ("apiregistration.k8s.io", "APIService"): _zero(),
    ("apiextensions.k8s.io", "CustomResourceDefinition"): None,
    ("storage.k8s.io", "VolumeAttachment"): _zero(attached=False),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"): _zero(),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"): _zero(),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"): _zero(),
    ("resource.k8s.io", "ResourceClaim"): _zero(),
    ("autoscaling.k8s.io", "VerticalPodAutoscaler"): None,
    ("kctl.io", "NodeGroup"): None,
}


def has_status_subresource(group: str, kind: str) -> bool:
    return (group, kind) in CREATE_STATUS


def maintains_generation(group: str, kind: str) -> bool:
    return (group, kind) in GENERATION_KINDS


def spec_changed(group: str, kind: str, new: dict, old: dict) -> bool:
    """Whether an update moves ``metadata.generation``: anything outside metadata and status
    changed (Deployment: annotations too)."""
    keys = (set(new) | set(old)) - {"metadata", "status", "apiVersion", "kind"}
    if any(new.get(k) != old.get(k) for k in keys):
        return True
    if (group, kind) in GENERATION_ON_ANNOTATIONS:
        return (new.get("metadata", {}).get("annotations") or {}) != (old.get("metadata", {}).get("annotations") or {})
    return False


def qos_class(pod: dict) -> str:
    """v1qos.GetPodQOS: Guaranteed when every container sets cpu and memory limits with
    equal requests; BestEffort when none sets any request or limit; else Burstable."""
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    guaranteed = True
    any_set = False
    for c in containers:
        res = c.get("resources") or {}
        req = {k: v for k, v in (res.get("requests") or {}).items() if k in ("cpu", "memory") and _nonzero(v)}
        lim = {k: v for k, v in (res.get("limits") or {}).items() if k in ("cpu", "memory") and _nonzero(v)}
        if req or lim:
            any_set = True
        if set(lim) != {"cpu", "memory"} or any(_quantity(req.get(k, lim[k])) != _quantity(lim[k]) for k in lim):
            guaranteed = False
    pod_level = (spec.get("resources") or {})
    if pod_level.get("requests") or pod_level.get("limits"):
        any_set = True
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


_SUFFIXES = {
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
    "n": "1e-9", "u": "1e-6", "m": "1e-3", "": 1, "k": 10**3, "M": 10**6, "G": 10**9,
    "T": 10**12, "P": 10**15, "E": 10**18,
}


#: Parsed quantity strings (Decimals and strings are immutable; clusters use few quantities).
_QUANTITIES: dict[str, object] = {}


def _quantity(value):
    """A resource quantity as an exact number, for equality (requests == limits)."""
    if type(value) is str:
        parsed = _QUANTITIES.get(value)
        if parsed is None:
            parsed = _parse_quantity(value)
            if len(_QUANTITIES) < 4096:
                _QUANTITIES[value] = parsed
        return parsed
    return _parse_quantity(value)


def _parse_quantity(value):
    import re
    from decimal import Decimal, InvalidOperation

    text = str(value).strip()
    match = re.fullmatch(r"([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)", text)
    if not match:
        return text
    number, suffix = match.groups()
    try:
        return Decimal(number) * Decimal(str(_SUFFIXES[suffix]))
    except (KeyError, InvalidOperation):
        return text


def _nonzero(value) -> bool:
    return _quantity(value) != 0
