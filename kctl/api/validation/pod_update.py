"""What a Pod update may change: upstream ``ValidatePodUpdate`` (pkg/apis/core/validation, 1.34).

``validate_pod_update(new, old)`` returns the update-only errors of a plain Pod update (PUT or
PATCH of the main resource); ``metadata.name``/``namespace`` (``ValidateObjectMetaUpdate``) and
the create-time rules on the new object are checked by the caller
(``kctl.api.validation.validate_update``). Mirrored, in upstream's order:

* ``ValidatePodSpecificAnnotationUpdates``: the mirror-pod annotation and the deprecated AppArmor
  annotations may not be added, removed or changed;
* ``ValidateContainerUpdates`` on ``spec.containers`` then ``spec.initContainers``: ``pod
  updates may not add or remove containers`` (and nothing else is checked after it), images
  required and without surrounding whitespace;
* ``spec.activeDeadlineSeconds``: only set from unset or lowered (0..MaxInt32), never unset;
* ``validateOnlyAddedTolerations``: existing tolerations stay (only tolerationSeconds may move);
* ``validateOnlyDeletedSchedulingGates``: gates may only be removed;
* the munged-spec comparison: the new spec with the updatable fields put back to their old
  values (images, activeDeadlineSeconds, schedulingGates, tolerations, a negative
  terminationGracePeriodSeconds set to 1; for gated pods additions to ``nodeSelector`` and to
  required node affinity) must equal the old spec semantically (nil and empty lists and maps
  alike, quantities by value), else ``spec: Forbidden: pod updates may not change fields other
  than ...`` followed by ``cmp.Diff(old, munged)``.

The first line of that Forbidden message is upstream's exactly. The diff after it is an
approximation of go-cmp's report (``  core.PodSpec{`` ... ``- old`` / ``+ new`` lines ...
``  }``): internal Go field names and order for PodSpec and Container, two identical fields of
context around each change and ``... // N identical fields`` for the rest, compact values with
zero fields left out; go-cmp's exact layout (its alignment, its randomized spacing, the
internals of ``resource.Quantity``) is not reproduced byte for byte.

In-place resize is the ``resize`` subresource in 1.34: a plain update that changes container
resources is refused like any other spec change. The status and ephemeralcontainers paths do
not come here (status updates keep the stored spec).
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from kctl.api import field as fe
from kctl.api.validation.util import GoJSON, as_dict, as_list, as_str, is_int

__all__ = [
    "UPDATABLE_POD_SPEC_FIELDS",
    "pod_spec_diff",
    "pod_updates_forbidden_message",
    "validate_pod_update",
]

#: ``updatablePodSpecFields`` (1.34), joined with "," in the message.
UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)

MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
APPARMOR_BETA_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
MAX_INT32 = 2**31 - 1


def pod_updates_forbidden_message(diff: str) -> str:
    """The detail of the ``spec`` Forbidden error: the fixed first line, then the diff."""
    return f"pod updates may not change fields other than {','.join(UPDATABLE_POD_SPEC_FIELDS)}\n{diff}"


# -- ValidatePodUpdate ----------------------------------------------------------------------------


def validate_pod_update(new: dict, old: dict) -> list[fe.FieldError]:
    """The update-only rules of ``ValidatePodUpdate`` (see the module docstring)."""
    errs = validate_pod_specific_annotation_updates(new, old)
    ns, os_ = _internal_spec(as_dict(new.get("spec"))), _internal_spec(as_dict(old.get("spec")))
    for key in ("containers", "initContainers"):
        cerrs, stop = validate_container_updates(as_list(ns.get(key)), as_list(os_.get(key)), ("spec", key))
        errs.extend(cerrs)
        if stop:
            return errs

    new_ads, old_ads = ns.get("activeDeadlineSeconds"), os_.get("activeDeadlineSeconds")
    if new_ads is not None:
        if is_int(new_ads) and (new_ads < 0 or new_ads > MAX_INT32):
            errs.append(fe.invalid(("spec", "activeDeadlineSeconds"), new_ads,
                                   f"must be between 0 and {MAX_INT32}, inclusive"))
            return errs
        if is_int(new_ads) and is_int(old_ads) and old_ads < new_ads:
            errs.append(fe.invalid(("spec", "activeDeadlineSeconds"), new_ads,
                                   "must be less than or equal to previous value"))
            return errs
    elif old_ads is not None:
        errs.append(fe.invalid(("spec", "activeDeadlineSeconds"), None,
                               "must not update from a positive integer to nil value"))

    errs.extend(validate_only_added_tolerations(ns.get("tolerations"), os_.get("tolerations"), ("spec", "tolerations")))
    errs.extend(validate_only_deleted_scheduling_gates(ns.get("schedulingGates"), os_.get("schedulingGates"),
                                                       ("spec", "schedulingGates")))
    if semantic(ns) == semantic(os_):
        return errs

    munged, gated_errs = munge_pod_spec(ns, os_)
    errs.extend(gated_errs)
    if semantic(munged) != semantic(os_):
        errs.append(fe.forbidden(("spec",), pod_updates_forbidden_message(pod_spec_diff(os_, munged))))
    return errs


def validate_pod_specific_annotation_updates(new: dict, old: dict) -> list[fe.FieldError]:
    """``ValidatePodSpecificAnnotationUpdates``: mirror-pod and AppArmor annotations are fixed."""
    errs: list[fe.FieldError] = []
    na = as_dict(as_dict(new.get("metadata")).get("annotations"))
    oa = as_dict(as_dict(old.get("metadata")).get("annotations"))
    for k, old_val in oa.items():
        if k in na and na[k] == old_val:
            continue
        path = ("metadata", "annotations", fe.Key(k))
        if k.startswith(APPARMOR_BETA_PREFIX):
            errs.append(fe.forbidden(path, "may not remove or update AppArmor annotations"))
        if k == MIRROR_POD_ANNOTATION:
            errs.append(fe.forbidden(path, "may not remove or update mirror pod annotation"))
    for k in na:
        if k in oa:
            continue
        path = ("metadata", "annotations", fe.Key(k))
        if k.startswith(APPARMOR_BETA_PREFIX):
            errs.append(fe.forbidden(path, "may not add AppArmor annotations"))
        if k == MIRROR_POD_ANNOTATION:
            errs.append(fe.forbidden(path, "may not add mirror pod annotation"))
    return errs


def validate_container_updates(new: list, old: list, path: tuple) -> tuple[list[fe.FieldError], bool]:
    """``ValidateContainerUpdates``: (errors, stop)."""
    if len(new) != len(old):
        return [fe.forbidden(path, "pod updates may not add or remove containers")], True
    errs: list[fe.FieldError] = []
    for i, c in enumerate(new):
        image = as_str(as_dict(c).get("image"))
        if not image:
            errs.append(fe.required((*path, i, "image")))
        if image.strip() != image:
            errs.append(fe.invalid((*path, i, "image"), image, "must not have leading or trailing whitespace"))
    return errs, False


def validate_only_added_tolerations(new: object, old: object, path: tuple) -> list[fe.FieldError]:
    """``validateOnlyAddedTolerations``: every old toleration is still there, up to tolerationSeconds.
    (``ValidateTolerations`` on the new list is part of the create-time rules.)"""
    new_list = [as_dict(t) for t in as_list(new)]
    for o in as_list(old):
        o = as_dict(o)
        if not any(semantic(_with_seconds(o, n.get("tolerationSeconds"))) == semantic(n) for n in new_list):
            return [fe.forbidden(path, "existing toleration can not be modified except its tolerationSeconds")]
    return []


def _with_seconds(t: dict, seconds: object) -> dict:
    out = {k: v for k, v in t.items() if k != "tolerationSeconds"}
    if seconds is not None:
        out["tolerationSeconds"] = seconds
    return out


def validate_only_deleted_scheduling_gates(new: object, old: object, path: tuple) -> list[fe.FieldError]:
    """``validateOnlyDeletedSchedulingGates``: no gate may be added (reported in index order)."""
    new_gates = as_list(new)
    if not new_gates:
        return []
    old_names = {as_str(as_dict(g).get("name")) for g in as_list(old)}
    added: dict[str, int] = {}
    for i, g in enumerate(new_gates):
        added[as_str(as_dict(g).get("name"))] = i
    return [
        fe.forbidden((*path, i, "name"), f"only deletion is allowed, but found new scheduling gate '{name}'")
        for name, i in sorted(added.items(), key=lambda kv: kv[1])
        if name not in old_names
    ]


def munge_pod_spec(new_spec: dict, old_spec: dict) -> tuple[dict, list[fe.FieldError]]:
    """The new spec with the updatable fields taken from the old one (plus the gated-pod
    nodeSelector / node affinity errors)."""
    munged = json.loads(json.dumps(new_spec))
    for key in ("containers", "initContainers"):
        olds = as_list(old_spec.get(key))
        for i, c in enumerate(as_list(munged.get(key))):
            if isinstance(c, dict) and i < len(olds):
                _set_or_pop(c, "image", as_dict(olds[i]).get("image"))
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        _set_or_pop(munged, key, old_spec.get(key))
    old_grace, new_grace = old_spec.get("terminationGracePeriodSeconds"), munged.get("terminationGracePeriodSeconds")
    if is_int(old_grace) and old_grace < 0 and new_grace == 1:
        munged["terminationGracePeriodSeconds"] = old_grace

    errs: list[fe.FieldError] = []
    if as_list(old_spec.get("schedulingGates")):
        old_sel = old_spec.get("nodeSelector")
        if semantic(munged.get("nodeSelector")) != semantic(old_sel):
            errs.extend(validate_node_selector_mutation(("spec", "nodeSelector"), munged.get("nodeSelector"), old_sel))
            _set_or_pop(munged, "nodeSelector", old_sel)
        old_aff = old_spec.get("affinity")
        old_na = as_dict(old_aff).get("nodeAffinity") if isinstance(old_aff, dict) else None
        new_aff = munged.get("affinity")
        new_na = as_dict(new_aff).get("nodeAffinity") if isinstance(new_aff, dict) else None
        if semantic(old_na) != semantic(new_na):
            errs.extend(validate_node_affinity_mutation(("spec", "affinity", "nodeAffinity"), new_na, old_na))
            if new_aff is None and old_na is None:
                pass
            elif new_aff is None:
                munged["affinity"] = {"nodeAffinity": old_na}
            elif old_aff is None and not new_aff.get("podAffinity") and not new_aff.get("podAntiAffinity"):
                munged.pop("affinity", None)
            else:
                _set_or_pop(new_aff, "nodeAffinity", old_na)
    return munged, errs


def _set_or_pop(d: dict, key: str, value: object) -> None:
    if value is None:
        d.pop(key, None)
    else:
        d[key] = json.loads(json.dumps(value))


def validate_node_selector_mutation(path: tuple, new: object, old: object) -> list[fe.FieldError]:
    """``validateNodeSelectorMutation``: gated pods may only add nodeSelector entries."""
    nd = as_dict(new)
    for k, v in as_dict(old).items():
        if k not in nd or nd[k] != v:
            return [fe.invalid(path, dict(nd), "only additions to spec.nodeSelector are allowed (no mutations or deletions)")]
    return []


def validate_node_affinity_mutation(path: tuple, new: object, old: object) -> list[fe.FieldError]:
    """``validateNodeAffinityMutation``: required node selector terms only gain requirements."""
    old_req = as_dict(old).get("requiredDuringSchedulingIgnoredDuringExecution") if isinstance(old, dict) else None
    if not isinstance(old_req, dict):
        return []
    old_terms = as_list(old_req.get("nodeSelectorTerms"))
    new_req = as_dict(new).get("requiredDuringSchedulingIgnoredDuringExecution") if isinstance(new, dict) else None
    new_terms = as_list(as_dict(new_req).get("nodeSelectorTerms"))
    terms_path = (*path, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
    if old_terms and len(old_terms) != len(new_terms):
        return [fe.invalid(terms_path, GoJSON(new_terms), "no additions/deletions to non-empty NodeSelectorTerms list are allowed")]
    errs: list[fe.FieldError] = []
    for i, old_term in enumerate(old_terms):
        if not _term_has_only_additions(as_dict(new_terms[i]), as_dict(old_term)):
            errs.append(fe.invalid((*terms_path, i), GoJSON(new_terms[i]), "only additions are allowed (no mutations or deletions)"))
    return errs


def _term_has_only_additions(new: dict, old: dict) -> bool:
    old_exprs, old_fields = as_list(old.get("matchExpressions")), as_list(old.get("matchFields"))
    new_exprs, new_fields = as_list(new.get("matchExpressions")), as_list(new.get("matchFields"))
    if not old_exprs and not old_fields and (new_exprs or new_fields):
        return False
    for olds, news in ((old_exprs, new_exprs), (old_fields, new_fields)):
        if olds and (len(news) < len(olds) or semantic(news[: len(olds)]) != semantic(olds)):
            return False
    return True


# -- semantic equality (apiequality.Semantic over the internal type) ------------------------------

#: Map-typed fields (an empty map is a nil map).
_MAP_FIELDS = frozenset({"nodeSelector", "limits", "requests", "overhead"})
_RESOURCE_LISTS = frozenset({"limits", "requests", "overhead"})
#: PodSpec fields that live in the internal type's PodSecurityContext.
_HOST_FIELDS = ("hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "hostUsers")


def _internal_spec(spec: dict) -> dict:
    """v1 -> internal quirks that matter for comparison: the deprecated ``serviceAccount``
    only stands in for an unset ``serviceAccountName``."""
    if "serviceAccount" not in spec:
        return spec
    out = dict(spec)
    legacy = out.pop("serviceAccount")
    if not out.get("serviceAccountName") and legacy:
        out["serviceAccountName"] = legacy
    return out


def semantic(value: Any, key: str = "") -> Any:
    """A comparable form: nulls and empty lists dropped (Go nil vs empty slices), empty maps
    dropped for map fields, quantities by value, integral floats as ints."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None or (isinstance(v, list) and not v) or (isinstance(v, dict) and not v and k in _MAP_FIELDS):
                continue
            out[k] = _quantities(v) if k in _RESOURCE_LISTS and isinstance(v, dict) else semantic(v, k)
        return out
    if isinstance(value, list):
        return [semantic(v, key) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if key == "sizeLimit":
        return _quantity_key(value)
    return value


def _quantities(rl: dict) -> dict:
    return {k: _quantity_key(v) for k, v in rl.items() if v is not None}


def _quantity_key(value: object) -> object:
    from kctl.api.quantity import QuantityError, parse_quantity

    try:
        return ("quantity", parse_quantity(value).nanos)
    except (QuantityError, ValueError, TypeError):
        return value


# -- cmp.Diff(old, munged), approximated ----------------------------------------------------------

_CONTEXT = 2


class _Zero:
    """A Go zero value of a field absent from the JSON (``nil``, ``""``, ``0``, ``false``, ``{}``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _Struct:
    __slots__ = ("type", "fields", "ptr")

    def __init__(self, type_: str, fields: list[tuple[str, Any]], ptr: bool = False) -> None:
        self.type, self.fields, self.ptr = type_, fields, ptr


class _Slice:
    __slots__ = ("type", "items")

    def __init__(self, type_: str, items: list) -> None:
        self.type, self.items = type_, items


class _Map:
    __slots__ = ("type", "items")

    def __init__(self, type_: str, items: list[tuple[str, Any]]) -> None:
        self.type, self.items = type_, items


class _Ptr:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Quantity:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


# (json name, Go name, zero) in the internal type's field order (pkg/apis/core/types.go).
_POD_SPEC_FIELDS = (
    ("volumes", "Volumes", "nil"), ("initContainers", "InitContainers", "nil"),
    ("containers", "Containers", "nil"), ("ephemeralContainers", "EphemeralContainers", "nil"),
    ("restartPolicy", "RestartPolicy", '""'), ("terminationGracePeriodSeconds", "TerminationGracePeriodSeconds", "nil"),
    ("activeDeadlineSeconds", "ActiveDeadlineSeconds", "nil"), ("dnsPolicy", "DNSPolicy", '""'),
    ("nodeSelector", "NodeSelector", "nil"), ("serviceAccountName", "ServiceAccountName", '""'),
    ("automountServiceAccountToken", "AutomountServiceAccountToken", "nil"), ("nodeName", "NodeName", '""'),
    ("securityContext", "SecurityContext", "nil"), ("imagePullSecrets", "ImagePullSecrets", "nil"),
    ("hostname", "Hostname", '""'), ("subdomain", "Subdomain", '""'), ("setHostnameAsFQDN", "SetHostnameAsFQDN", "nil"),
    ("affinity", "Affinity", "nil"), ("schedulerName", "SchedulerName", '""'), ("tolerations", "Tolerations", "nil"),
    ("hostAliases", "HostAliases", "nil"), ("priorityClassName", "PriorityClassName", '""'),
    ("priority", "Priority", "nil"), ("preemptionPolicy", "PreemptionPolicy", "nil"), ("dnsConfig", "DNSConfig", "nil"),
    ("readinessGates", "ReadinessGates", "nil"), ("runtimeClassName", "RuntimeClassName", "nil"),
    ("overhead", "Overhead", "nil"), ("enableServiceLinks", "EnableServiceLinks", "nil"),
    ("topologySpreadConstraints", "TopologySpreadConstraints", "nil"), ("os", "OS", "nil"),
    ("schedulingGates", "SchedulingGates", "nil"), ("resourceClaims", "ResourceClaims", "nil"),
    ("resources", "Resources", "nil"), ("hostnameOverride", "HostnameOverride", "nil"),
)
_CONTAINER_FIELDS = (
    ("name", "Name", '""'), ("image", "Image", '""'), ("command", "Command", "nil"), ("args", "Args", "nil"),
    ("workingDir", "WorkingDir", '""'), ("ports", "Ports", "nil"), ("envFrom", "EnvFrom", "nil"),
    ("env", "Env", "nil"), ("resources", "Resources", "{}"), ("resizePolicy", "ResizePolicy", "nil"),
    ("restartPolicy", "RestartPolicy", "nil"), ("restartPolicyRules", "RestartPolicyRules", "nil"),
    ("volumeMounts", "VolumeMounts", "nil"), ("volumeDevices", "VolumeDevices", "nil"),
    ("livenessProbe", "LivenessProbe", "nil"), ("readinessProbe", "ReadinessProbe", "nil"),
    ("startupProbe", "StartupProbe", "nil"), ("lifecycle", "Lifecycle", "nil"),
    ("terminationMessagePath", "TerminationMessagePath", '""'),
    ("terminationMessagePolicy", "TerminationMessagePolicy", '""'), ("imagePullPolicy", "ImagePullPolicy", '""'),
    ("securityContext", "SecurityContext", "nil"), ("stdin", "Stdin", "false"), ("stdinOnce", "StdinOnce", "false"),
    ("tty", "TTY", "false"),
)
_SLICE_TYPES = {
    "volumes": "[]core.Volume", "initContainers": "[]core.Container", "containers": "[]core.Container",
    "ephemeralContainers": "[]core.EphemeralContainer", "imagePullSecrets": "[]core.LocalObjectReference",
    "tolerations": "[]core.Toleration", "hostAliases": "[]core.HostAlias", "readinessGates": "[]core.PodReadinessGate",
    "topologySpreadConstraints": "[]core.TopologySpreadConstraint", "schedulingGates": "[]core.PodSchedulingGate",
    "resourceClaims": "[]core.PodResourceClaim", "ports": "[]core.ContainerPort", "envFrom": "[]core.EnvFromSource",
    "env": "[]core.EnvVar", "resizePolicy": "[]core.ContainerResizePolicy", "volumeMounts": "[]core.VolumeMount",
    "volumeDevices": "[]core.VolumeDevice", "command": "[]string", "args": "[]string",
}
_STRUCT_TYPES = {
    "resources": "core.ResourceRequirements", "affinity": "core.Affinity", "nodeAffinity": "core.NodeAffinity",
    "podAffinity": "core.PodAffinity", "podAntiAffinity": "core.PodAntiAffinity", "livenessProbe": "core.Probe",
    "readinessProbe": "core.Probe", "startupProbe": "core.Probe", "lifecycle": "core.Lifecycle",
    "dnsConfig": "core.PodDNSConfig", "os": "core.PodOS", "valueFrom": "core.EnvVarSource",
}
#: Struct-valued fields that are pointers in the internal types.
_PTR_STRUCTS = frozenset({
    "securityContext", "affinity", "nodeAffinity", "podAffinity", "podAntiAffinity", "livenessProbe",
    "readinessProbe", "startupProbe", "lifecycle", "dnsConfig", "os", "valueFrom", "fieldRef", "resourceFieldRef",
    "configMapKeyRef", "secretKeyRef", "configMapRef", "secretRef", "projected", "serviceAccountToken", "configMap",
    "secret", "downwardAPI", "emptyDir", "hostPath", "persistentVolumeClaim", "nfs", "csi", "ephemeral", "image",
    "httpGet", "exec", "tcpSocket", "grpc", "postStart", "preStop", "sleep", "capabilities", "seLinuxOptions",
    "seccompProfile", "appArmorProfile", "windowsOptions", "requiredDuringSchedulingIgnoredDuringExecution",
    "labelSelector", "namespaceSelector", "clusterTrustBundle", "podCertificate",
})
#: Scalar fields that are pointers in the internal types.
_PTR_SCALARS = frozenset({
    "terminationGracePeriodSeconds", "activeDeadlineSeconds", "automountServiceAccountToken", "priority",
    "enableServiceLinks", "preemptionPolicy", "runtimeClassName", "setHostnameAsFQDN", "shareProcessNamespace",
    "hostUsers", "defaultMode", "tolerationSeconds", "expirationSeconds", "mode", "optional", "runAsUser",
    "runAsGroup", "runAsNonRoot", "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "procMount",
    "fsGroup", "fsGroupChangePolicy", "supplementalGroupsPolicy", "seLinuxChangePolicy", "mountPropagation",
    "recursiveReadOnly", "localhostProfile", "hostnameOverride", "minDomains", "nodeAffinityPolicy",
    "nodeTaintsPolicy", "sizeLimit",
})
_MAP_TYPES = {"nodeSelector": "map[string]string", "limits": "core.ResourceList",
              "requests": "core.ResourceList", "overhead": "core.ResourceList"}
_GO_NAMES = {
    "dnsPolicy": "DNSPolicy", "dnsConfig": "DNSConfig", "tty": "TTY", "os": "OS", "apiVersion": "APIVersion",
    "fsGroup": "FSGroup", "fsGroupChangePolicy": "FSGroupChangePolicy", "seLinuxOptions": "SELinuxOptions",
    "seLinuxChangePolicy": "SELinuxChangePolicy", "gmsaCredentialSpec": "GMSACredentialSpec",
    "gmsaCredentialSpecName": "GMSACredentialSpecName", "httpGet": "HTTPGet", "tcpSocket": "TCPSocket",
    "grpc": "GRPC", "httpHeaders": "HTTPHeaders", "ip": "IP", "hostIP": "HostIP", "fsType": "FSType",
    "nfs": "NFS", "csi": "CSI", "iscsi": "ISCSI", "setHostnameAsFQDN": "SetHostnameAsFQDN",
    "downwardAPI": "DownwardAPI", "hostPID": "HostPID", "hostIPC": "HostIPC",
}
_PROBE_HANDLER = ("exec", "httpGet", "tcpSocket", "grpc")


def _go_name(key: str) -> str:
    return _GO_NAMES.get(key) or (key[:1].upper() + key[1:])


def _go_value(value: Any, key: str = "") -> Any:
    """A JSON value as the Go value go-cmp would report (see the classes above)."""
    if value is None:
        return _Zero("nil")
    if key in _MAP_TYPES and isinstance(value, dict):
        quoted = key in _RESOURCE_LISTS
        items = [(("s" if quoted else "") + _quote(k), _Quantity(str(v)) if quoted else _go_value(v))
                 for k, v in sorted(value.items())]
        return _Map(_MAP_TYPES[key], items)
    if isinstance(value, dict):
        return _go_struct(value, key)
    if isinstance(value, list):
        elem_key = {"containers": "container", "initContainers": "container", "volumes": "volume"}.get(key, "")
        return _Slice(_SLICE_TYPES.get(key, ""), [_go_value(v, elem_key) for v in value])
    if key == "sizeLimit":
        return _Ptr(_Quantity(str(value)))
    if key in _PTR_SCALARS:
        return _Ptr(value)
    return value


def _go_struct(value: dict, key: str) -> _Struct:
    if key == "container":
        return _known_struct("", value, _CONTAINER_FIELDS)
    if key == "volume":
        source = {k: v for k, v in value.items() if k != "name"}
        return _Struct("", [("Name", value.get("name", "")), ("VolumeSource", _go_struct(source, "volumeSource"))])
    fields = []
    if key in ("livenessProbe", "readinessProbe", "startupProbe"):
        handler = {k: v for k, v in value.items() if k in _PROBE_HANDLER}
        fields.append(("ProbeHandler", _go_struct(handler, "probeHandler")))
        value = {k: v for k, v in value.items() if k not in _PROBE_HANDLER}
    fields.extend((_go_name(k), _go_value(v, k)) for k, v in value.items())
    type_ = _STRUCT_TYPES.get(key, "")
    if key == "securityContext":
        type_ = "core.SecurityContext"
    return _Struct(type_, fields, ptr=key in _PTR_STRUCTS)


def _known_struct(type_: str, value: dict, table: tuple) -> _Struct:
    known = {j for j, _, _ in table}
    fields = [(go, _go_value(value[j], j) if value.get(j) is not None else _Zero(zero)) for j, go, zero in table]
    fields.extend((_go_name(k), _go_value(v, k)) for k, v in value.items() if k not in known)
    return _Struct(type_, fields)


def _go_pod_spec(spec: dict) -> _Struct:
    spec = dict(spec)
    host = {k: spec.pop(k) for k in _HOST_FIELDS if k in spec}
    if host:
        spec["securityContext"] = {**as_dict(spec.get("securityContext")), **host}
    out = _known_struct("core.PodSpec", spec, _POD_SPEC_FIELDS)
    for i, (name, v) in enumerate(out.fields):
        if name == "SecurityContext" and isinstance(v, _Struct):
            v.type = "core.PodSecurityContext"
        elif name == "Resources" and isinstance(v, _Struct):
            v.ptr = True
        out.fields[i] = (name, v)
    return out


def _quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _is_zero(v: Any) -> bool:
    return isinstance(v, _Zero) or v is None


def _fmt(v: Any, typed: bool = False) -> str:
    """go-cmp's compact form; ``typed``: with the type name (a changed value's top level)."""
    if isinstance(v, _Zero):
        return v.text
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return _quote(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, _Ptr):
        return "&" + _fmt(v.value)
    if isinstance(v, _Quantity):
        return _fmt_quantity(v.text)
    if isinstance(v, _Struct):
        inner = ", ".join(f"{n}: {_fmt(x)}" for n, x in v.fields if not _is_zero(x) and not _empty_struct(x))
        return ("&" if v.ptr else "") + (v.type if typed else "") + "{" + inner + "}"
    if isinstance(v, _Slice):
        return (v.type if typed else "") + "{" + ", ".join(_fmt(x) for x in v.items) + "}"
    if isinstance(v, _Map):
        return (v.type if typed else "") + "{" + ", ".join(f"{k}: {_fmt(x)}" for k, x in v.items) + "}"
    return str(v)


def _empty_struct(v: Any) -> bool:
    return isinstance(v, _Struct) and not v.ptr and all(_is_zero(x) or _empty_struct(x) for _, x in v.fields)


def _fmt_quantity(text: str) -> str:
    """A ``resource.Quantity`` as go-cmp shows it: ``{i: resource.int64Amount{value: 100, scale: -3},
    s: "100m", Format: "DecimalSI"}`` (the amount as ``ParseQuantity`` leaves it, unnormalized)."""
    from kctl.api.quantity import QuantityError, _interpret, _parse_string, parse_quantity

    try:
        q = parse_quantity(text)
        positive, _, num, denom, suffix = _parse_string(text.strip())
        base, exponent, _ = _interpret(suffix) or (10, 0, "")
    except (QuantityError, ValueError, TypeError, AttributeError):
        return _quote(str(text))
    if base == 10:
        value, scale = int(num + denom or "0"), exponent - len(denom)
    elif not denom:
        value, scale = int(num) << exponent, 0
    else:
        value, scale = q.nanos, -9
    if not positive:
        value = -value
    amount = f"value: {value}" + (f", scale: {scale}" if scale else "")
    return f'{{i: resource.int64Amount{{{amount}}}, s: {_quote(str(q))}, Format: "{q.format}"}}'


def pod_spec_diff(old_spec: dict, new_spec: dict) -> str:
    """``cmp.Diff(oldPod.Spec, mungedPodSpec)``, approximated (see the module docstring)."""
    lines = ["  core.PodSpec{"]
    lines.extend(_struct_diff(_go_pod_spec(_internal_spec(old_spec)), _go_pod_spec(_internal_spec(new_spec)), 1))
    lines.append("  }")
    return "\n".join(lines)


def _line(mark: str, depth: int, text: str) -> str:
    return f"{mark} " + "\t" * depth + text


def _same(a: Any, b: Any) -> bool:
    return _fmt(a) == _fmt(b)


def _struct_diff(a: _Struct, b: _Struct, depth: int) -> list[str]:
    names = [n for n, _ in a.fields]
    names += [n for n, _ in b.fields if n not in names]
    av, bv = dict(a.fields), dict(b.fields)
    entries = []
    for n in names:
        x, y = av.get(n, _Zero("nil")), bv.get(n, _Zero("nil"))
        if _same(x, y):
            entries.append((True, [(" ", depth, n, _fmt(x))]))
        else:
            entries.append((False, _value_diff(n + ": ", x, y, depth)))
    return _render_entries(entries, depth, "field")


def _value_diff(label: str, x: Any, y: Any, depth: int) -> list[tuple[str, int, str | None, str]]:
    """Rows (mark, depth, name-or-None, text) for one differing value."""
    name = label[:-2] if label else None
    if isinstance(x, _Struct) and isinstance(y, _Struct) and x.ptr == y.ptr:
        head = ("&" if x.ptr else "") + (x.type or y.type) + "{"
        return [(" ", depth, name, head), *_raw(_struct_diff(x, y, depth + 1)), (" ", depth, None, "},")]
    if isinstance(x, _Slice) and isinstance(y, _Slice) and x.items and y.items:
        return [(" ", depth, name, (x.type or y.type) + "{"), *_raw(_slice_diff(x, y, depth + 1)), (" ", depth, None, "},")]
    if isinstance(x, _Map) and isinstance(y, _Map):
        return [(" ", depth, name, x.type + "{"), *_raw(_map_diff(x, y, depth + 1)), (" ", depth, None, "},")]
    return [("-", depth, name, _fmt(x, typed=True) + ","), ("+", depth, name, _fmt(y, typed=True) + ",")]


def _raw(lines: list[str]) -> list[tuple[str, int, None, str]]:
    return [("=", 0, None, s) for s in lines]


def _slice_diff(a: _Slice, b: _Slice, depth: int) -> list[str]:
    ra, rb = [_fmt(x) for x in a.items], [_fmt(x) for x in b.items]
    entries = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ra, b=rb, autojunk=False).get_opcodes():
        if op == "equal":
            entries.extend((True, [(" ", depth, None, ra[i] + ",")]) for i in range(i1, i2))
        elif op == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                x, y = a.items[i], b.items[j]
                if isinstance(x, _Struct) and isinstance(y, _Struct):
                    rows = [(" ", depth, None, "{"), *_raw(_struct_diff(x, y, depth + 1)), (" ", depth, None, "},")]
                else:
                    rows = [("-", depth, None, _fmt(x) + ","), ("+", depth, None, _fmt(y) + ",")]
                entries.append((False, rows))
        else:
            rows = [("-", depth, None, ra[i] + ",") for i in range(i1, i2)]
            rows += [("+", depth, None, rb[j] + ",") for j in range(j1, j2)]
            entries.append((False, rows))
    return _render_entries(entries, depth, "element")


def _map_diff(a: _Map, b: _Map, depth: int) -> list[str]:
    av, bv = dict(a.items), dict(b.items)
    entries = []
    for k in sorted(set(av) | set(bv)):
        if k in av and k in bv and _same(av[k], bv[k]):
            entries.append((True, [(" ", depth, k, _fmt(av[k]) + ",")]))
            continue
        rows = []
        if k in av:
            rows.append(("-", depth, k, _fmt(av[k]) + ","))
        if k in bv:
            rows.append(("+", depth, k, _fmt(bv[k]) + ","))
        entries.append((False, rows))
    return _render_entries(entries, depth, "entry")


def _render_entries(entries: list, depth: int, noun: str) -> list[str]:
    """Identical entries kept only within ``_CONTEXT`` of a change; the rest elided."""
    changed = [i for i, (same, _) in enumerate(entries) if not same]
    keep = {i for c in changed for i in range(c - _CONTEXT, c + _CONTEXT + 1)}
    rows: list = []
    elided = 0
    for i, (same, erows) in enumerate(entries):
        if same and i not in keep:
            elided += 1
            continue
        if elided:
            rows.append((" ", depth, None, _identical(elided, noun)))
            elided = 0
        for mark, d, name, text in erows:
            if same and name is not None and noun == "field":
                text = text + ","
            rows.append((mark, d, name, text))
    if elided:
        rows.append((" ", depth, None, _identical(elided, noun)))
    return _align(rows)


def _identical(n: int, noun: str) -> str:
    """go-cmp's ``... // 3 identical fields`` (singular for one; "entry" -> "entries")."""
    if n > 1:
        noun = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"... // {n} identical {noun}"


def _align(rows: list) -> list[str]:
    """Field names padded to a common width over runs of one-line fields (as go-cmp aligns them)."""
    out: list[str] = []
    run: list[int] = []

    def flush() -> None:
        width = max((len(rows[i][2]) for i in run), default=0)
        for i in run:
            mark, d, name, text = rows[i]
            out[i] = _line(mark, d, f"{name}:".ljust(width + 1) + " " + text)
        run.clear()

    for idx, (mark, d, name, text) in enumerate(rows):
        if mark == "=":
            flush()
            out.append(text)
            continue
        if name is None:
            flush()
            out.append(_line(mark, d, text))
            continue
        out.append("")
        opens = text.endswith("{")
        if opens:
            flush()
            out[idx] = _line(mark, d, f"{name}: {text}")
        else:
            run.append(idx)
    flush()
    return out
