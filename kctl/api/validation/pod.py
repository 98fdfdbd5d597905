"""Pods and pod templates: pkg/apis/core/validation (``ValidatePodSpec`` and friends).

Fields the API server defaults before validating are read with their defaults
(``restartPolicy: Always``, ``dnsPolicy: ClusterFirst``, port ``protocol: TCP``,
``terminationMessagePolicy: File``, ``imagePullPolicy`` from the image tag, probe
timings), so a manifest straight from a file validates as it would after defaulting.
"""

from __future__ import annotations

import posixpath

from kctl.api import field as fe
from kctl.api.quantity import QuantityError, parse_quantity
from kctl.api.validation import meta, names
from kctl.api.validation.util import (
    IS_NEGATIVE_ERROR_MSG,
    IS_NOT_INTEGER_ERROR_MSG,
    IS_NOT_POSITIVE_ERROR_MSG,
    Child,
    GoJSON,
    Key,
    as_dict,
    as_int,
    as_list,
    as_str,
    is_int,
    validate_nonnegative_field,
)

SUPPORTED_PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")  # sets.List order
RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
HTTP_SCHEMES = ("HTTP", "HTTPS")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
SCHEDULE_ACTIONS = ("DoNotSchedule", "ScheduleAnyway")
NODE_INCLUSION_POLICIES = ("Honor", "Ignore")
FILE_MODE_ERROR_MSG = "must be a number between 0 and 0777 (octal), both inclusive"

VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI",
    "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
    "portworxVolume", "scaleIO", "storageos", "projected", "csi", "ephemeral", "image",
)  # fmt: skip
HOST_PATH_TYPES = (
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
)

STANDARD_CONTAINER_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
STANDARD_RESOURCES = frozenset({
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "quota", "services",
    "replicationcontrollers", "secrets", "persistentvolumeclaims", "configmaps", "storage", "requests.storage",
    "services.nodeports", "services.loadbalancers", "resourcequotas",
})  # fmt: skip
_INTEGER_RESOURCES = frozenset({
    "pods", "quota", "services", "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims",
    "services.nodeports", "services.loadbalancers", "resourcequotas",
})  # fmt: skip
ENV_FIELD_PATHS = (
    "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
    "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
)  # fmt: skip
_DOWNWARD_LABELS = frozenset({
    "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
    "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
    "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs", "spec.host",
})  # fmt: skip
CONTAINER_RESOURCE_FIELDS = (
    "limits.cpu", "limits.ephemeral-storage", "limits.memory",
    "requests.cpu", "requests.ephemeral-storage", "requests.memory",
)  # fmt: skip


# -- resources ---------------------------------------------------------------------------------


def is_hugepage_resource(name: str) -> bool:
    return name.startswith("hugepages-")


def is_native_resource(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def is_overcommit_allowed(name: str) -> bool:
    return is_native_resource(name) and not is_hugepage_resource(name)


def is_integer_resource(name: str) -> bool:
    return not is_native_resource(name) or name in _INTEGER_RESOURCES


def _is_extended_resource_name(name: str) -> bool:
    if is_native_resource(name) or name.startswith("requests."):
        return False
    return not names.is_qualified_name("requests." + name)


def validate_resource_name(name: str, path: tuple) -> list[fe.FieldError]:
    """``validateResourceName``."""
    errs = [fe.invalid(path, name, m) for m in names.is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name and name not in STANDARD_RESOURCES and not is_hugepage_resource(name):
        errs.append(fe.invalid(path, name, "must be a standard resource type or fully qualified"))
    return errs


def validate_container_resource_name(name: str, path: tuple) -> list[fe.FieldError]:
    """``validateContainerResourceName``."""
    errs = validate_resource_name(name, path)
    if "/" not in name:
        if name not in STANDARD_CONTAINER_RESOURCES and not is_hugepage_resource(name):
            errs.append(fe.invalid(path, name, "must be a standard resource for containers"))
    elif not is_native_resource(name) and not _is_extended_resource_name(name):
        errs.append(fe.invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def parse_quantity_field(value: object, path: tuple, errs: list[fe.FieldError]):
    """Decode a quantity as the API server's JSON decoder does; record its error at ``path``."""
    try:
        return parse_quantity(value)
    except QuantityError as exc:
        errs.append(fe.invalid(path, value if isinstance(value, str | int | float) else str(value), str(exc)))
        return None


def validate_resource_quantity_value(name: str, q, path: tuple) -> list[fe.FieldError]:
    """``ValidateResourceQuantityValue``: non-negative, integral for integer resources."""
    errs = []
    if q.sign() < 0:
        errs.append(fe.invalid(path, str(q), IS_NEGATIVE_ERROR_MSG))
    if is_integer_resource(name) and q.milli_value() % 1000 != 0:
        errs.append(fe.invalid(path, str(q), IS_NOT_INTEGER_ERROR_MSG))
    return errs


def validate_resource_requirements(res: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateResourceRequirements``: valid names and quantities, requests <= limits."""
    res = as_dict(res)
    errs: list[fe.FieldError] = []
    lim_path, req_path = (*path, "limits"), (*path, "requests")
    limits: dict = {}
    lim_cpu_mem = req_cpu_mem = lim_huge = req_huge = False
    for name, raw in as_dict(res.get("limits")).items():
        if not isinstance(name, str):
            continue
        p = (*lim_path, Key(name))
        errs.extend(validate_container_resource_name(name, p))
        q = parse_quantity_field(raw, p, errs)
        if q is None:
            continue
        limits[name] = q
        errs.extend(validate_resource_quantity_value(name, q, p))
        if is_hugepage_resource(name):
            lim_huge = True
        if name in ("cpu", "memory"):
            lim_cpu_mem = True
    for name, raw in as_dict(res.get("requests")).items():
        if not isinstance(name, str):
            continue
        p = (*req_path, Key(name))
        errs.extend(validate_container_resource_name(name, p))
        q = parse_quantity_field(raw, p, errs)
        if q is None:
            continue
        errs.extend(validate_resource_quantity_value(name, q, p))
        limit = limits.get(name)
        if limit is not None:
            if q.cmp(limit) != 0 and not is_overcommit_allowed(name):
                errs.append(fe.invalid(req_path, str(q), f"must be equal to {name} limit of {limit}"))
            elif q.cmp(limit) > 0:
                errs.append(
                    fe.invalid(req_path, str(q), f"must be less than or equal to {name} limit of {limit}")
                )
        elif not is_overcommit_allowed(name) and name not in as_dict(res.get("limits")):
            errs.append(fe.required(lim_path, "Limit must be set for non overcommitable resources"))
        if is_hugepage_resource(name):
            req_huge = True
        if name in ("cpu", "memory"):
            req_cpu_mem = True
    if not lim_cpu_mem and not req_cpu_mem and (lim_huge or req_huge):
        errs.append(fe.forbidden(path, "HugePages require cpu or memory"))
    return errs


# -- ports, env ----------------------------------------------------------------------------------


def validate_port_num_or_name(port: object, path: tuple) -> list[fe.FieldError]:
    """``ValidatePortNumOrName`` for an IntOrString port."""
    if is_int(port):
        return [fe.invalid(path, port, m) for m in names.is_valid_port_num(port)]
    if isinstance(port, str):
        return [fe.invalid(path, port, m) for m in names.is_valid_port_name(port)]
    return []


def validate_container_ports(ports: object, path: tuple) -> list[fe.FieldError]:
    """``validateContainerPorts``."""
    errs: list[fe.FieldError] = []
    seen: set[str] = set()
    for i, port in enumerate(as_list(ports)):
        port = as_dict(port)
        p = (*path, i)
        name = as_str(port.get("name"))
        if name:
            msgs = names.is_valid_port_name(name)
            if msgs:
                errs.extend(fe.invalid((*p, "name"), name, m) for m in msgs)
            elif name in seen:
                errs.append(fe.duplicate((*p, "name"), name))
            else:
                seen.add(name)
        cport = as_int(port.get("containerPort"), 0)
        if cport == 0:
            errs.append(fe.required((*p, "containerPort")))
        else:
            if msgs := names.is_valid_port_num(cport):
                errs.extend(fe.invalid((*p, "containerPort"), cport, m) for m in msgs)
        hport = as_int(port.get("hostPort"), 0)
        if hport and (msgs := names.is_valid_port_num(hport)):
            errs.extend(fe.invalid((*p, "hostPort"), hport, m) for m in msgs)
        protocol = as_str(port.get("protocol")) or "TCP"
        if protocol not in SUPPORTED_PORT_PROTOCOLS:
            errs.append(fe.not_supported((*p, "protocol"), protocol, SUPPORTED_PORT_PROTOCOLS))
    return errs


def accumulate_unique_host_ports(containers: list, accumulator: set, path: tuple) -> list[fe.FieldError]:
    """``AccumulateUniqueHostPorts``: ``hostIP/protocol/hostPort`` must be unique."""
    errs: list[fe.FieldError] = []
    for ci, ctr in enumerate(containers):
        for pi, port in enumerate(as_list(as_dict(ctr).get("ports"))):
            port = as_dict(port)
            hport = as_int(port.get("hostPort"), 0)
            if not hport:
                continue
            key = f"{as_str(port.get('hostIP'))}/{as_str(port.get('protocol')) or 'TCP'}/{hport}"
            if key in accumulator:
                errs.append(fe.duplicate((*path, ci, "ports", pi, "hostPort"), key))
            else:
                accumulator.add(key)
    return errs


def _split_subscript(field_path: str) -> tuple[str, str, bool]:
    """``fieldpath.SplitMaybeSubscriptedPath``: ``metadata.labels['app']``."""
    if not field_path.endswith("']"):
        return field_path, "", False
    head, sep, rest = field_path.partition("['")
    if not sep:
        return field_path, "", False
    return head, rest[:-2], True


def validate_object_field_selector(fs: object, valid: tuple, path: tuple) -> list[fe.FieldError]:
    """``validateObjectFieldSelector`` (apiVersion defaults to v1)."""
    fs = as_dict(fs)
    api_version = as_str(fs.get("apiVersion")) or "v1"
    field_path = as_str(fs.get("fieldPath"))
    if not field_path:
        return [fe.required((*path, "fieldPath"))]
    base, subscript, ok = _split_subscript(field_path)
    if api_version != "v1":
        msg = f"unsupported pod version: {api_version}"
        return [fe.invalid((*path, "fieldPath"), field_path, f"error converting fieldPath: {msg}")]
    if ok:
        if base not in ("metadata.annotations", "metadata.labels"):
            msg = f"field label does not support subscript: {field_path}"
            return [fe.invalid((*path, "fieldPath"), field_path, f"error converting fieldPath: {msg}")]
        key = subscript.lower() if base == "metadata.annotations" else subscript
        return [fe.invalid(path, key, m) for m in names.is_qualified_name(key)]
    if field_path not in _DOWNWARD_LABELS:
        msg = f"field label not supported: {field_path}"
        return [fe.invalid((*path, "fieldPath"), field_path, f"error converting fieldPath: {msg}")]
    internal = "spec.nodeName" if field_path == "spec.host" else field_path
    if internal not in valid:
        return [fe.not_supported((*path, "fieldPath"), internal, sorted(valid))]
    return []


def validate_container_resource_field_selector(fs: object, path: tuple, volume: bool) -> list[fe.FieldError]:
    fs = as_dict(fs)
    errs: list[fe.FieldError] = []
    if volume and not as_str(fs.get("containerName")):
        errs.append(fe.required((*path, "containerName")))
    resource = as_str(fs.get("resource"))
    if not resource:
        errs.append(fe.required((*path, "resource")))
    elif resource not in CONTAINER_RESOURCE_FIELDS and not resource.startswith(
        ("requests.hugepages-", "limits.hugepages-")
    ):
        errs.append(fe.not_supported((*path, "resource"), resource, CONTAINER_RESOURCE_FIELDS))
    return errs


def _validate_key_selector(sel: object, path: tuple) -> list[fe.FieldError]:
    """``validateConfigMapKeySelector`` / ``validateSecretKeySelector``."""
    sel = as_dict(sel)
    name = as_str(sel.get("name"))
    errs = [fe.invalid((*path, "name"), name, m) for m in names.name_is_dns_subdomain(name)]
    key = as_str(sel.get("key"))
    if not key:
        errs.append(fe.required((*path, "key")))
    else:
        if msgs := names.is_config_map_key(key):
            errs.extend(fe.invalid((*path, "key"), key, m) for m in msgs)
    return errs


def validate_env_var_value_from(ev: dict, path: tuple) -> list[fe.FieldError]:
    """``validateEnvVarValueFrom``: exactly one source, and not together with ``value``."""
    vf = ev.get("valueFrom")
    if not isinstance(vf, dict):
        return []
    errs: list[fe.FieldError] = []
    n = 0
    if vf.get("fieldRef") is not None:
        n += 1
        errs.extend(validate_object_field_selector(vf["fieldRef"], ENV_FIELD_PATHS, (*path, "fieldRef")))
    if vf.get("resourceFieldRef") is not None:
        n += 1
        errs.extend(
            validate_container_resource_field_selector(
                vf["resourceFieldRef"], (*path, "resourceFieldRef"), False
            )
        )
    if vf.get("configMapKeyRef") is not None:
        n += 1
        errs.extend(_validate_key_selector(vf["configMapKeyRef"], (*path, "configMapKeyRef")))
    if vf.get("secretKeyRef") is not None:
        n += 1
        errs.extend(_validate_key_selector(vf["secretKeyRef"], (*path, "secretKeyRef")))
    if n == 0:
        errs.append(
            fe.invalid(
                path,
                "",
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            )
        )
    elif as_str(ev.get("value")):
        errs.append(fe.invalid(path, "", "may not be specified when `value` is not empty"))
    elif n > 1:
        errs.append(fe.invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def validate_env(env: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateEnv`` (1.34: relaxed names, any printable ASCII but ``=``)."""
    errs: list[fe.FieldError] = []
    for i, ev in enumerate(as_list(env)):
        ev = as_dict(ev)
        p = (*path, i)
        name = as_str(ev.get("name"))
        if not name:
            errs.append(fe.required((*p, "name")))
        else:
            if msgs := names.is_relaxed_env_var_name(name):
                errs.extend(fe.invalid((*p, "name"), name, m) for m in msgs)
        errs.extend(validate_env_var_value_from(ev, (*p, "valueFrom")))
    return errs


def validate_env_from(env_from: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateEnvFrom``: exactly one of configMapRef/secretRef."""
    errs: list[fe.FieldError] = []
    for i, src in enumerate(as_list(env_from)):
        src = as_dict(src)
        p = (*path, i)
        prefix = as_str(src.get("prefix"))
        if prefix and (msgs := names.is_relaxed_env_var_name(prefix)):
            errs.extend(fe.invalid((*p, "prefix"), prefix, m) for m in msgs)
        n = 0
        for key in ("configMapRef", "secretRef"):
            ref = src.get(key)
            if ref is None:
                continue
            n += 1
            name = as_str(as_dict(ref).get("name"))
            if not name:
                errs.append(fe.required((*p, key, "name")))
            else:
                # upstream passes prefix=true here
                errs.extend(
                    fe.invalid((*p, key, "name"), name, m) for m in names.name_is_dns_subdomain(name, True)
                )
        if n == 0:
            errs.append(fe.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif n > 1:
            errs.append(fe.invalid(path, "", "may not have more than one field specified at a time"))
    return errs


# -- volumes -----------------------------------------------------------------------------------


def validate_local_descending_path(target: str, path: tuple) -> list[fe.FieldError]:
    """``validateLocalDescendingPath``: relative, no ``..`` element."""
    errs = []
    if posixpath.isabs(target):
        errs.append(fe.invalid(path, target, "must be a relative path"))
    if ".." in target.split("/"):
        errs.append(fe.invalid(path, target, "must not contain '..'"))
    return errs


def _validate_mode(mode: object, path: tuple) -> list[fe.FieldError]:
    if is_int(mode) and (mode > 0o777 or mode < 0):
        return [fe.invalid(path, mode, FILE_MODE_ERROR_MSG)]
    return []


def _validate_key_to_paths(items: object, path: tuple) -> list[fe.FieldError]:
    errs: list[fe.FieldError] = []
    for i, item in enumerate(as_list(items)):
        item = as_dict(item)
        p = (*path, i)
        if not as_str(item.get("key")):
            errs.append(fe.required((*p, "key")))
        target = as_str(item.get("path"))
        if not target:
            errs.append(fe.required((*p, "path")))
        else:
            errs.extend(validate_local_descending_path(target, (*p, "path")))
        errs.extend(_validate_mode(item.get("mode"), (*p, "mode")))
    return errs


def validate_volume_source(vol: dict, path: tuple) -> list[fe.FieldError]:
    """``validateVolumeSource``: exactly one source, and that source's own rules."""
    errs: list[fe.FieldError] = []
    present = [k for k in VOLUME_SOURCES if vol.get(k) is not None]
    if not present:
        return [fe.required(path, "must specify a volume type")]
    for extra in present[1:]:
        errs.append(fe.forbidden((*path, extra), "may not specify more than 1 volume type"))
    kind = present[0]
    src = as_dict(vol.get(kind))
    p = (*path, kind)
    if kind == "secret":
        if not as_str(src.get("secretName")):
            errs.append(fe.required((*p, "secretName")))
        errs.extend(_validate_mode(src.get("defaultMode"), (*p, "defaultMode")))
        errs.extend(_validate_key_to_paths(src.get("items"), (*p, "items")))
    elif kind == "configMap":
        if not as_str(src.get("name")):
            errs.append(fe.required((*p, "name")))
        errs.extend(_validate_mode(src.get("defaultMode"), (*p, "defaultMode")))
        errs.extend(_validate_key_to_paths(src.get("items"), (*p, "items")))
    elif kind == "persistentVolumeClaim":
        if not as_str(src.get("claimName")):
            errs.append(fe.required((*p, "claimName")))
    elif kind == "hostPath":
        host_path = as_str(src.get("path"))
        if not host_path:
            errs.append(fe.required((*p, "path")))
        elif ".." in host_path.split("/"):
            errs.append(fe.invalid((*p, "path"), host_path, "must not contain '..'"))
        htype = src.get("type")
        if isinstance(htype, str) and htype not in HOST_PATH_TYPES:
            errs.append(fe.not_supported((*p, "type"), htype, HOST_PATH_TYPES))
    elif kind == "emptyDir":
        if "sizeLimit" in src and src.get("sizeLimit") is not None:
            q = parse_quantity_field(src.get("sizeLimit"), (*p, "sizeLimit"), errs)
            if q is not None and q.sign() < 0:
                errs.append(
                    fe.forbidden((*p, "sizeLimit"), "SizeLimit field must be a valid resource quantity")
                )
        medium = src.get("medium")
        if isinstance(medium, str) and medium not in ("", "Memory") and not medium.startswith("HugePages"):
            errs.append(fe.not_supported((*p, "medium"), medium, ("", "Memory", "HugePages")))
    elif kind == "downwardAPI" or kind == "projected":
        errs.extend(_validate_mode(src.get("defaultMode"), (*p, "defaultMode")))
    return errs


def validate_volumes(volumes: object, path: tuple) -> tuple[dict, list[fe.FieldError]]:
    """``ValidateVolumes``: names are unique DNS-1123 labels; returns the valid volumes by name."""
    errs: list[fe.FieldError] = []
    by_name: dict = {}
    for i, vol in enumerate(as_list(volumes)):
        vol = as_dict(vol)
        p = (*path, i)
        name = as_str(vol.get("name"))
        el = validate_volume_source(vol, p)
        if not name:
            el.append(fe.required((*p, "name")))
        else:
            el.extend(fe.invalid((*p, "name"), name, m) for m in names.is_dns1123_label(name))
        if name in by_name:
            el.append(fe.duplicate((*p, "name"), name))
        if el:
            errs.extend(el)
        else:
            by_name[name] = vol
    return by_name, errs


def validate_volume_mounts(
    mounts: object, devices: object, volumes: dict, path: tuple
) -> list[fe.FieldError]:
    """``ValidateVolumeMounts``: mounts reference existing volumes, unique mount paths."""
    errs: list[fe.FieldError] = []
    seen: set[str] = set()
    device_names = {as_str(as_dict(d).get("name")) for d in as_list(devices)}
    device_paths = {as_str(as_dict(d).get("devicePath")) for d in as_list(devices)}
    for i, mnt in enumerate(as_list(mounts)):
        mnt = as_dict(mnt)
        p = (*path, i)
        name = as_str(mnt.get("name"))
        mount_path = as_str(mnt.get("mountPath"))
        if not name:
            errs.append(fe.required((*p, "name")))
        if name not in volumes:
            errs.append(fe.not_found((*p, "name"), name))
        if not mount_path:
            errs.append(fe.required((*p, "mountPath")))
        if mount_path in seen:
            errs.append(fe.invalid((*p, "mountPath"), mount_path, "must be unique"))
        seen.add(mount_path)
        if name and name in device_names:
            errs.append(fe.invalid((*p, "name"), name, "must not already exist in volumeDevices"))
        if mount_path and mount_path in device_paths:
            errs.append(
                fe.invalid((*p, "mountPath"), mount_path, "must not already exist as a path in volumeDevices")
            )
        sub_path = as_str(mnt.get("subPath"))
        if sub_path:
            errs.extend(validate_local_descending_path(sub_path, (*path, "subPath")))
        sub_expr = as_str(mnt.get("subPathExpr"))
        if sub_expr:
            if sub_path:
                errs.append(
                    fe.invalid(
                        (*p, "subPathExpr"), sub_expr, "subPathExpr and subPath are mutually exclusive"
                    )
                )
            errs.extend(validate_local_descending_path(sub_expr, (*path, "subPathExpr")))
    return errs


# -- probes and lifecycle -------------------------------------------------------------------------


def validate_handler(handler: dict, path: tuple, kinds: tuple) -> list[fe.FieldError]:
    """``validateHandler``: exactly one handler type."""
    errs: list[fe.FieldError] = []
    n = 0
    for kind in kinds:
        action = handler.get(kind)
        if action is None:
            continue
        if n:
            errs.append(fe.forbidden((*path, kind), "may not specify more than 1 handler type"))
            continue
        n += 1
        action = as_dict(action)
        p = (*path, kind)
        if kind == "exec":
            if not as_list(action.get("command")):
                errs.append(fe.required((*p, "command")))
        elif kind == "httpGet":
            errs.extend(validate_port_num_or_name(action.get("port"), (*p, "port")))
            scheme = as_str(action.get("scheme")) or "HTTP"
            if scheme not in HTTP_SCHEMES:
                errs.append(fe.not_supported((*p, "scheme"), scheme, HTTP_SCHEMES))
            for header in as_list(action.get("httpHeaders")):
                hname = as_str(as_dict(header).get("name"))
                errs.extend(
                    fe.invalid((*p, "httpHeaders"), hname, m) for m in names.is_http_header_name(hname)
                )
        elif kind == "tcpSocket":
            errs.extend(validate_port_num_or_name(action.get("port"), (*p, "port")))
        elif kind == "grpc":
            port = as_int(action.get("port"), 0)
            if msgs := names.is_valid_port_num(port):
                errs.extend(fe.invalid((*p, "port"), port, m) for m in msgs)
        elif kind == "sleep":
            seconds = as_int(action.get("seconds"), 0)
            if seconds <= 0:
                errs.append(fe.invalid((*p, "seconds"), seconds, "must be greater than 0"))
    if n == 0:
        errs.append(fe.required(path, "must specify a handler type"))
    return errs


_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")


def validate_probe(probe: object, path: tuple, kind: str) -> list[fe.FieldError]:
    """``validateProbe`` plus the liveness/startup (``successThreshold`` must be 1) and readiness rules."""
    if not isinstance(probe, dict):
        return []
    errs = validate_handler(probe, path, _PROBE_HANDLERS)
    for key in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        errs.extend(validate_nonnegative_field(probe.get(key), (*path, key)))
    tgps = probe.get("terminationGracePeriodSeconds")
    if is_int(tgps) and tgps <= 0:
        errs.append(fe.invalid((*path, "terminationGracePeriodSeconds"), tgps, "must be greater than 0"))
    if kind in ("liveness", "startup"):
        success = as_int(probe.get("successThreshold"), 0) or 1
        if success != 1:
            errs.append(fe.invalid((*path, "successThreshold"), success, "must be 1"))
    elif kind == "readiness" and probe.get("terminationGracePeriodSeconds") is not None:
        errs.append(
            fe.invalid((*path, "terminationGracePeriodSeconds"), tgps, "must not be set for readinessProbes")
        )
    return errs


def validate_lifecycle(lifecycle: object, path: tuple) -> list[fe.FieldError]:
    errs: list[fe.FieldError] = []
    for hook in ("postStart", "preStop"):
        h = as_dict(lifecycle).get(hook)
        if isinstance(h, dict):
            errs.extend(validate_handler(h, (*path, hook), _LIFECYCLE_HANDLERS))
    return errs


# -- containers --------------------------------------------------------------------------------


def default_pull_policy(image: str) -> str:
    """v1 defaulting: ``Always`` for ``:latest`` or untagged images, else ``IfNotPresent``."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    tag = last.rpartition(":")[2] if ":" in last else ""
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def validate_container_common(ctr: dict, volumes: dict, path: tuple) -> list[fe.FieldError]:
    """``validateContainerCommon``."""
    errs: list[fe.FieldError] = []
    name = as_str(ctr.get("name"))
    if not name:
        errs.append(fe.required((*path, "name")))
    else:
        if msgs := names.is_dns1123_label(name):
            errs.extend(fe.invalid((*path, "name"), name, m) for m in msgs)
    image = as_str(ctr.get("image"))
    if not image:
        errs.append(fe.required((*path, "image")))
    tmp = as_str(ctr.get("terminationMessagePolicy")) or "File"
    if tmp not in TERMINATION_MESSAGE_POLICIES:
        errs.append(fe.not_supported((*path, "terminationMessagePolicy"), tmp, TERMINATION_MESSAGE_POLICIES))
    errs.extend(validate_container_ports(ctr.get("ports"), (*path, "ports")))
    errs.extend(validate_env(ctr.get("env"), (*path, "env")))
    errs.extend(validate_env_from(ctr.get("envFrom"), (*path, "envFrom")))
    errs.extend(
        validate_volume_mounts(
            ctr.get("volumeMounts"), ctr.get("volumeDevices"), volumes, (*path, "volumeMounts")
        )
    )
    pull = as_str(ctr.get("imagePullPolicy")) or default_pull_policy(image)
    if pull not in PULL_POLICIES:
        errs.append(fe.not_supported((*path, "imagePullPolicy"), pull, PULL_POLICIES))
    errs.extend(validate_resource_requirements(ctr.get("resources"), (*path, "resources")))
    return errs


def validate_containers(containers: object, volumes: dict, path: tuple) -> list[fe.FieldError]:
    """``validateContainers``: at least one; unique names; probes; host ports."""
    items = as_list(containers)
    if not items:
        return [fe.required(path)]
    errs: list[fe.FieldError] = []
    seen: set[str] = set()
    for i, ctr in enumerate(items):
        ctr = as_dict(ctr)
        p = (*path, i)
        errs.extend(validate_container_common(ctr, volumes, p))
        name = as_str(ctr.get("name"))
        if name in seen:
            errs.append(fe.duplicate((*p, "name"), name))
        else:
            seen.add(name)
        if ctr.get("lifecycle") is not None:
            errs.extend(validate_lifecycle(ctr.get("lifecycle"), (*p, "lifecycle")))
        errs.extend(validate_probe(ctr.get("livenessProbe"), (*p, "livenessProbe"), "liveness"))
        errs.extend(validate_probe(ctr.get("readinessProbe"), (*p, "readinessProbe"), "readiness"))
        errs.extend(validate_probe(ctr.get("startupProbe"), (*p, "startupProbe"), "startup"))
        if ctr.get("restartPolicy") is not None:
            errs.append(fe.forbidden((*p, "restartPolicy"), "may not be set for non-init containers"))
    errs.extend(accumulate_unique_host_ports([as_dict(c) for c in items], set(), path))
    return errs


def validate_init_containers(
    containers: object, regular: object, volumes: dict, path: tuple
) -> list[fe.FieldError]:
    """``validateInitContainers``: names unique across init and regular containers."""
    errs: list[fe.FieldError] = []
    seen = {as_str(as_dict(c).get("name")) for c in as_list(regular)}
    for i, ctr in enumerate(as_list(containers)):
        ctr = as_dict(ctr)
        p = (*path, i)
        errs.extend(validate_container_common(ctr, volumes, p))
        restart_always = False
        policy = ctr.get("restartPolicy")
        if policy is not None:
            if policy != "Always":
                errs.append(fe.not_supported((*p, "restartPolicy"), policy, ("Always",)))
            restart_always = policy == "Always"
        name = as_str(ctr.get("name"))
        if name in seen:
            errs.append(fe.duplicate((*p, "name"), name))
        elif name:
            seen.add(name)
        errs.extend(accumulate_unique_host_ports([ctr], set(), path))
        if restart_always:
            if ctr.get("lifecycle") is not None:
                errs.extend(validate_lifecycle(ctr.get("lifecycle"), (*p, "lifecycle")))
            errs.extend(validate_probe(ctr.get("livenessProbe"), (*p, "livenessProbe"), "liveness"))
            errs.extend(validate_probe(ctr.get("readinessProbe"), (*p, "readinessProbe"), "readiness"))
            errs.extend(validate_probe(ctr.get("startupProbe"), (*p, "startupProbe"), "startup"))
        else:
            msg = "may not be set for init containers without restartPolicy=Always"
            if ctr.get("lifecycle") is not None:
                errs.append(fe.forbidden((*p, "lifecycle"), msg))
            if ctr.get("livenessProbe") is not None:
                errs.append(fe.forbidden((*p, "livenessProbe"), msg))
            if ctr.get("readinessProbe") is not None:
                errs.append(fe.forbidden((*p, "readinessProbe"), "may not be set for init containers"))
            if ctr.get("startupProbe") is not None:
                errs.append(fe.forbidden((*p, "startupProbe"), msg))
    return errs


# -- scheduling: tolerations, affinity, topology spread -----------------------------------------


def validate_taint_effect(effect: str, allow_empty: bool, path: tuple) -> list[fe.FieldError]:
    if not allow_empty and not effect:
        return [fe.required(path)]
    if effect not in TAINT_EFFECTS:
        return [fe.not_supported(path, effect, TAINT_EFFECTS)]
    return []


def _toleration_value(t: dict) -> GoJSON:
    return GoJSON({
        "Key": as_str(t.get("key")), "Operator": as_str(t.get("operator")), "Value": as_str(t.get("value")),
        "Effect": as_str(t.get("effect")), "TolerationSeconds": t.get("tolerationSeconds"),
    })  # fmt: skip


def validate_tolerations(tolerations: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateTolerations``."""
    errs: list[fe.FieldError] = []
    for i, t in enumerate(as_list(tolerations)):
        t = as_dict(t)
        p = (*path, i)
        key, op = as_str(t.get("key")), as_str(t.get("operator"))
        value, effect = as_str(t.get("value")), as_str(t.get("effect"))
        if key:
            errs.extend(meta.validate_label_name(key, (*p, "key")))
        if not key and op != "Exists":
            errs.append(
                fe.invalid(
                    (*p, "operator"),
                    op,
                    'operator must be Exists when `key` is empty, which means "match all values and all keys"',
                )
            )
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(
                fe.invalid(
                    (*p, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"
                )
            )
        if op in ("Equal", ""):
            msgs = names.is_valid_label_value(value)
            if msgs:
                errs.append(fe.invalid((*p, "operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(
                    fe.invalid(
                        (*p, "operator"),
                        _toleration_value(t),
                        "value must be empty when `operator` is 'Exists'",
                    )
                )
        else:
            errs.append(fe.not_supported((*p, "operator"), op, ("Equal", "Exists")))
        if effect:
            errs.extend(validate_taint_effect(effect, True, (*p, "effect")))
    return errs


def validate_node_selector_requirement(req: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateNodeSelectorRequirement``."""
    req = as_dict(req)
    errs: list[fe.FieldError] = []
    op = as_str(req.get("operator"))
    values = as_list(req.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(
                fe.required((*path, "values"), "must be specified when `operator` is 'In' or 'NotIn'")
            )
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(
                fe.forbidden(
                    (*path, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
                )
            )
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(
                fe.required(
                    (*path, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"
                )
            )
    else:
        errs.append(fe.invalid((*path, "operator"), op, "not a valid selector operator"))
    errs.extend(meta.validate_label_name(as_str(req.get("key")), (*path, "key")))
    return errs


def validate_node_selector_term(term: object, path: tuple) -> list[fe.FieldError]:
    term = as_dict(term)
    errs: list[fe.FieldError] = []
    for j, req in enumerate(as_list(term.get("matchExpressions"))):
        errs.extend(validate_node_selector_requirement(req, (*path, "matchExpressions", j)))
    for j, req in enumerate(as_list(term.get("matchFields"))):
        req = as_dict(req)
        rp = (*path, "matchFields", j)
        if as_str(req.get("key")) != "metadata.name":
            errs.append(fe.invalid((*rp, "key"), as_str(req.get("key")), "not a valid field selector key"))
        op = as_str(req.get("operator"))
        if op not in ("In", "NotIn"):
            errs.append(fe.invalid((*rp, "operator"), op, "not a valid selector operator"))
        elif len(as_list(req.get("values"))) != 1:
            errs.append(
                fe.required(
                    (*rp, "values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                )
            )
    return errs


def _validate_weight(weight: object, path: tuple) -> list[fe.FieldError]:
    w = as_int(weight, 0)
    if w <= 0 or w > 100:
        return [fe.invalid(path, w, "must be in the range 1-100")]
    return []


def validate_pod_affinity_term(term: object, path: tuple) -> list[fe.FieldError]:
    """``validatePodAffinityTerm``."""
    term = as_dict(term)
    errs = meta.validate_label_selector(term.get("labelSelector"), (*path, "labelSelector"))
    errs.extend(meta.validate_label_selector(term.get("namespaceSelector"), (*path, "namespaceSelector")))
    for ns in as_list(term.get("namespaces")):
        if isinstance(ns, str) and (msgs := names.name_is_dns_label(ns)):
            errs.extend(fe.invalid((*path, "namespace"), ns, m) for m in msgs)
    topology_key = as_str(term.get("topologyKey"))
    if not topology_key:
        errs.append(fe.required((*path, "topologyKey"), "can not be empty"))
    errs.extend(meta.validate_label_name(topology_key, (*path, "topologyKey")))
    return errs


def validate_affinity(affinity: object, path: tuple) -> list[fe.FieldError]:
    """``validateAffinity``: node affinity terms, pod (anti-)affinity terms and weights."""
    affinity = as_dict(affinity)
    errs: list[fe.FieldError] = []
    node = affinity.get("nodeAffinity")
    if isinstance(node, dict):
        np = (*path, "nodeAffinity")
        required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(required, dict):
            tp = (*np, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
            terms = as_list(required.get("nodeSelectorTerms"))
            if not terms:
                errs.append(fe.required(tp, "must have at least one node selector term"))
            for i, term in enumerate(terms):
                errs.extend(validate_node_selector_term(term, (*tp, i)))
        for i, pref in enumerate(as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            pref = as_dict(pref)
            pp = (*np, "preferredDuringSchedulingIgnoredDuringExecution", i)
            errs.extend(_validate_weight(pref.get("weight"), (*pp, "weight")))
            errs.extend(validate_node_selector_term(pref.get("preference"), (*pp, "preference")))
    for kind in ("podAffinity", "podAntiAffinity"):
        pa = affinity.get(kind)
        if not isinstance(pa, dict):
            continue
        kp = (*path, kind)
        for i, term in enumerate(as_list(pa.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            errs.extend(
                validate_pod_affinity_term(term, (*kp, "requiredDuringSchedulingIgnoredDuringExecution", i))
            )
        for i, wt in enumerate(as_list(pa.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            wt = as_dict(wt)
            wp = (*kp, "preferredDuringSchedulingIgnoredDuringExecution", i)
            errs.extend(_validate_weight(wt.get("weight"), (*wp, "weight")))
            errs.extend(validate_pod_affinity_term(wt.get("podAffinityTerm"), (*wp, "podAffinityTerm")))
    return errs


def validate_topology_spread_constraints(constraints: object, path: tuple) -> list[fe.FieldError]:
    """``validateTopologySpreadConstraints``."""
    items = [as_dict(c) for c in as_list(constraints)]
    errs: list[fe.FieldError] = []
    for i, c in enumerate(items):
        p = (*path, i)
        max_skew = as_int(c.get("maxSkew"), 0)
        if max_skew <= 0:
            errs.append(fe.invalid((*p, "maxSkew"), max_skew, IS_NOT_POSITIVE_ERROR_MSG))
        topology_key = as_str(c.get("topologyKey"))
        if not topology_key:
            errs.append(fe.required((*p, "topologyKey"), "can not be empty"))
        action = as_str(c.get("whenUnsatisfiable"))
        if action not in SCHEDULE_ACTIONS:
            errs.append(fe.not_supported((*p, "whenUnsatisfiable"), action, SCHEDULE_ACTIONS))
        for other in items[i + 1 :]:
            if (
                as_str(other.get("topologyKey")) == topology_key
                and as_str(other.get("whenUnsatisfiable")) == action
            ):
                errs.append(
                    fe.duplicate(
                        (*p, Child("{topologyKey, whenUnsatisfiable}")), f"{{{topology_key}, {action}}}"
                    )
                )
                break
        min_domains = c.get("minDomains")
        if is_int(min_domains):
            if min_domains <= 0:
                errs.append(fe.invalid((*p, "minDomains"), min_domains, IS_NOT_POSITIVE_ERROR_MSG))
            if action != "DoNotSchedule":
                errs.append(
                    fe.invalid(
                        (*p, "minDomains"),
                        min_domains,
                        f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}",
                    )
                )
        for key in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            policy = c.get(key)
            if isinstance(policy, str) and policy not in NODE_INCLUSION_POLICIES:
                errs.append(fe.not_supported((*p, key), policy, NODE_INCLUSION_POLICIES))
        errs.extend(meta.validate_label_selector(c.get("labelSelector"), (*p, "labelSelector")))
    return errs


# -- the pod spec ------------------------------------------------------------------------------


def validate_pod_spec(spec: object, path: tuple, pod_meta: dict | None = None) -> list[fe.FieldError]:
    """``ValidatePodSpec``."""
    spec = as_dict(spec)
    errs: list[fe.FieldError] = []
    volumes, vol_errs = validate_volumes(spec.get("volumes"), (*path, "volumes"))
    errs.extend(vol_errs)
    errs.extend(validate_containers(spec.get("containers"), volumes, (*path, "containers")))
    errs.extend(
        validate_init_containers(
            spec.get("initContainers"), spec.get("containers"), volumes, (*path, "initContainers")
        )
    )
    if spec.get("hostNetwork") is True:
        errs.extend(_validate_host_network(spec, path))
    restart_policy = as_str(spec.get("restartPolicy")) or "Always"
    if restart_policy not in RESTART_POLICIES:
        errs.append(fe.not_supported((*path, "restartPolicy"), restart_policy, RESTART_POLICIES))
    dns_policy = as_str(spec.get("dnsPolicy")) or "ClusterFirst"
    if dns_policy not in DNS_POLICIES:
        errs.append(fe.not_supported((*path, "dnsPolicy"), dns_policy, DNS_POLICIES))
    errs.extend(meta.validate_labels(spec.get("nodeSelector"), (*path, "nodeSelector")))
    errs.extend(validate_affinity(spec.get("affinity"), (*path, "affinity")))
    if dns_policy == "None":
        dns_config = spec.get("dnsConfig")
        if not isinstance(dns_config, dict):
            errs.append(
                fe.required((*path, "dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None")
            )
        elif not as_list(dns_config.get("nameservers")):
            errs.append(
                fe.required(
                    (*path, "dnsConfig", "nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                )
            )
    errs.extend(
        validate_topology_spread_constraints(
            spec.get("topologySpreadConstraints"), (*path, "topologySpreadConstraints")
        )
    )
    for key, fn in (
        ("serviceAccountName", names.name_is_dns_subdomain),
        ("nodeName", names.name_is_dns_subdomain),
    ):
        value = as_str(spec.get(key))
        if value:
            errs.extend(fe.invalid((*path, key), value, m) for m in fn(value))
    ads = spec.get("activeDeadlineSeconds")
    if is_int(ads) and (ads < 1 or ads > 2**31 - 1):
        errs.append(
            fe.invalid((*path, "activeDeadlineSeconds"), ads, names.inclusive_range_error(1, 2**31 - 1))
        )
    for key in ("hostname", "subdomain"):
        value = as_str(spec.get(key))
        if value and (msgs := names.is_dns1123_label(value)):
            errs.extend(fe.invalid((*path, key), value, m) for m in msgs)
    errs.extend(validate_tolerations(spec.get("tolerations"), (*path, "tolerations")))
    pcn = as_str(spec.get("priorityClassName"))
    if pcn and (msgs := names.is_dns1123_subdomain(pcn)):
        errs.extend(fe.invalid((*path, "priorityClassName"), pcn, m) for m in msgs)
    tgps = spec.get("terminationGracePeriodSeconds")
    if is_int(tgps) and tgps < 0:
        errs.append(fe.invalid((*path, "terminationGracePeriodSeconds"), tgps, IS_NEGATIVE_ERROR_MSG))
    return errs


def _validate_host_network(spec: dict, path: tuple) -> list[fe.FieldError]:
    """``validatePodHostNetworkDeps``: with hostNetwork, hostPort must equal containerPort."""
    errs: list[fe.FieldError] = []
    for key in ("containers", "initContainers"):
        for ci, ctr in enumerate(as_list(spec.get(key))):
            for pi, port in enumerate(as_list(as_dict(ctr).get("ports"))):
                port = as_dict(port)
                hport = as_int(port.get("hostPort"), 0)
                cport = as_int(port.get("containerPort"), 0)
                if hport and hport != cport:
                    errs.append(
                        fe.invalid(
                            (*path, key, ci, "ports", pi, "hostPort"),
                            hport,
                            "must match `containerPort` when `hostNetwork` is true",
                        )
                    )
    return errs


def validate_pod_template_spec(template: object, path: tuple) -> list[fe.FieldError]:
    """``ValidatePodTemplateSpec``: labels/annotations (at ``<path>.labels``, as upstream) and the spec."""
    template = as_dict(template)
    tmeta = as_dict(template.get("metadata"))
    errs = meta.validate_labels(tmeta.get("labels"), (*path, "labels"))
    errs.extend(meta.validate_annotations(tmeta.get("annotations"), (*path, "annotations")))
    spec = as_dict(template.get("spec"))
    errs.extend(validate_pod_spec(spec, (*path, "spec")))
    if as_list(spec.get("ephemeralContainers")):
        errs.append(
            fe.forbidden(
                (*path, "spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"
            )
        )
    return errs


def validate_pod(obj: dict) -> list[fe.FieldError]:
    """``ValidatePodCreate``."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_pod_spec(obj.get("spec"), ("spec",), as_dict(obj.get("metadata"))))
    return errs


def validate_pod_template(obj: dict) -> list[fe.FieldError]:
    """``ValidatePodTemplate``."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    errs.extend(validate_pod_template_spec(obj.get("template"), ("template",)))
    return errs


__all__ = [
    "default_pull_policy",
    "validate_affinity",
    "validate_container_resource_name",
    "validate_containers",
    "validate_env",
    "validate_env_from",
    "validate_init_containers",
    "validate_pod",
    "validate_pod_spec",
    "validate_pod_template",
    "validate_pod_template_spec",
    "validate_port_num_or_name",
    "validate_probe",
    "validate_resource_requirements",
    "validate_tolerations",
    "validate_topology_spread_constraints",
    "validate_volumes",
]
