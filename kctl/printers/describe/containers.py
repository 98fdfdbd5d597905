"""Containers, volumes and pod templates, as kubectl's ``describeContainers``,
``describeVolumes`` and ``DescribePodTemplate`` print them.

Fields the API server defaults (port protocol, probe timings, HTTP scheme) are assumed
at their defaults when absent, so an undefaulted object still reads like a stored one.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    format_label_selector,
    go_bool,
    go_quote,
    go_string_list,
    print_annotations_multiline,
    print_bool,
    print_labels_multiline,
    print_tolerations_multiline,
    rfc1123z,
    string_or_none,
)
from kctl.printers.describe.quantity import QuantityError, parse_quantity, quantity_string
from kctl.printers.describe.tabwriter import PrefixWriter

# --- container pieces --------------------------------------------------------------------


def write_seccomp_profile(w: PrefixWriter, security_context: dict | None, level: int, localhost_level: int) -> None:
    """The ``SeccompProfile:`` line (and ``LocalhostProfile:`` for a Localhost profile) that
    describe writes for a pod's and for each container's security context, at their levels."""
    seccomp = (security_context or {}).get("seccompProfile")
    if seccomp is None:
        return
    w.write(level, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
    if seccomp.get("type") == "Localhost":
        w.write(localhost_level, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")


def describe_container_ports(ports: list | None, field: str) -> str:
    return ", ".join(f"{p.get(field, 0)}/{p.get('protocol', 'TCP')}" for p in ports or [])


def describe_probe(probe: dict) -> str:
    """``DescribeProbe``: ``http-get http://:8080/healthz delay=0s timeout=1s ...``."""
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
        f"#failure={probe.get('failureThreshold', 3)}"
    )
    if probe.get("exec") is not None:
        return f"exec {go_string_list(probe['exec'].get('command'))} {attrs}"
    if probe.get("httpGet") is not None:
        h = probe["httpGet"]
        scheme = str(h.get("scheme", "HTTP")).lower()
        port = "" if h.get("port") is None else str(h.get("port"))
        host = h.get("host", "")
        if port:
            host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        path = h.get("path", "")
        if path and host and not path.startswith("/"):
            path = "/" + path
        url = (f"{scheme}:" if scheme else "") + (f"//{host}" if host or scheme else "") + path
        return f"http-get {url} {attrs}"
    if probe.get("tcpSocket") is not None:
        t = probe["tcpSocket"]
        return f"tcp-socket {t.get('host', '')}:{t.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        g = probe["grpc"]
        return f"grpc <pod>:{g.get('port', 0)} {g.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def describe_resources(resources: dict | None, w: PrefixWriter, level: int) -> None:
    """``describeResources``: Limits then Requests, resource names sorted."""
    resources = resources or {}
    for title in ("limits", "requests"):
        rl = resources.get(title) or {}
        if rl:
            w.write(level, f"{title.capitalize()}:\n")
        for name in sorted(rl):
            w.write(level + 1, f"{name}:\t{quantity_string(rl[name])}\n")


def describe_status(state_name: str, state: dict | None, w: PrefixWriter, now: datetime) -> None:
    state = state or {}
    if state.get("running") is not None:
        w.write(LEVEL_2, f"{state_name}:\tRunning\n")
        w.write(LEVEL_3, f"Started:\t{rfc1123z(state['running'].get('startedAt'), now)}\n")
    elif state.get("waiting") is not None:
        w.write(LEVEL_2, f"{state_name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(LEVEL_3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(LEVEL_2, f"{state_name}:\tTerminated\n")
        if t.get("reason"):
            w.write(LEVEL_3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(LEVEL_3, f"Message:\t{t['message']}\n")
        w.write(LEVEL_3, f"Exit Code:\t{t.get('exitCode', 0)}\n")
        if (t.get("signal") or 0) > 0:
            w.write(LEVEL_3, f"Signal:\t{t['signal']}\n")
        w.write(LEVEL_3, f"Started:\t{rfc1123z(t.get('startedAt'), now)}\n")
        w.write(LEVEL_3, f"Finished:\t{rfc1123z(t.get('finishedAt'), now)}\n")
    else:
        w.write(LEVEL_2, f"{state_name}:\tWaiting\n")


# --- environment -------------------------------------------------------------------------

_LABEL_PATH = re.compile(r"^metadata\.(labels|annotations)\['(.*)'\]$")


def field_path_value(pod: dict | None, path: str) -> str:
    """``fieldpath.ExtractFieldPathAsString`` for the paths a pod's env may reference."""
    if pod is None:
        return ""
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    m = _LABEL_PATH.match(path)
    if m:
        return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
    simple = {
        "metadata.name": meta.get("name"),
        "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"),
        "spec.nodeName": spec.get("nodeName"),
        "spec.serviceAccountName": spec.get("serviceAccountName"),
        "status.hostIP": status.get("hostIP"),
        "status.podIP": status.get("podIP"),
    }
    if path in simple:
        return str(simple[path] or "")
    if path in ("status.podIPs", "status.hostIPs"):
        return ",".join(str(i.get("ip", "")) for i in status.get(path.split(".")[1]) or [])
    if path == "metadata.labels":
        return "\n".join(f'{k}="{v}"' for k, v in sorted((meta.get("labels") or {}).items()))
    if path == "metadata.annotations":
        return "\n".join(f'{k}="{v}"' for k, v in sorted((meta.get("annotations") or {}).items()))
    return ""


def container_resource_value(ref: dict, container: dict) -> str:
    """``resourcehelper.ExtractContainerResourceValue`` (divisor applied, rounded up)."""
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    rl = ((container.get("resources") or {}).get(kind) or {}) if kind in ("limits", "requests") else None
    if rl is None or name not in ("cpu", "memory", "ephemeral-storage"):
        return ""
    try:
        divisor = parse_quantity(ref.get("divisor", "1"))
        q = parse_quantity(rl.get(name, "0"))
    except QuantityError:
        return ""
    if name == "cpu":
        d = divisor.milli_value() or 1
        return str(math.ceil(q.milli_value() / d))
    d = divisor.value() or 1
    return str(math.ceil(q.value() / d))


def describe_env_vars(container: dict, pod: dict | None, w: PrefixWriter) -> None:
    env = container.get("env") or []
    w.write(LEVEL_2, "Environment:" + ("" if env else "\t<none>") + "\n")
    for e in env:
        name = e.get("name", "")
        vf = e.get("valueFrom")
        if vf is None:
            for i, s in enumerate(str(e.get("value", "")).split("\n")):
                w.write(LEVEL_3, f"{name}:\t{s}\n" if i == 0 else f"\t{s}\n")
            continue
        if vf.get("fieldRef") is not None:
            fr = vf["fieldRef"]
            value = field_path_value(pod, fr.get("fieldPath", "")) if pod is not None else ""
            w.write(LEVEL_3, f"{name}:\t{value} ({fr.get('apiVersion', 'v1')}:{fr.get('fieldPath', '')})\n")
        elif vf.get("resourceFieldRef") is not None:
            rf = vf["resourceFieldRef"]
            value = container_resource_value(rf, container)
            resource = rf.get("resource", "")
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(LEVEL_3, f"{name}:\t{value} ({resource})\n")
        elif vf.get("secretKeyRef") is not None:
            r = vf["secretKeyRef"]
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{r.get('key', '')}' in secret '{r.get('name', '')}'>\t"
                f"Optional: {go_bool(r.get('optional'))}\n",
            )
        elif vf.get("configMapKeyRef") is not None:
            r = vf["configMapKeyRef"]
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{r.get('key', '')}' of config map '{r.get('name', '')}'>\t"
                f"Optional: {go_bool(r.get('optional'))}\n",
            )


def describe_env_from(container: dict, w: PrefixWriter) -> None:
    w.write(LEVEL_2, "Environment Variables from:\n")
    for e in container.get("envFrom") or []:
        src, name, optional = "", "", False
        if e.get("configMapRef") is not None:
            src, name, optional = (
                "ConfigMap",
                e["configMapRef"].get("name", ""),
                e["configMapRef"].get("optional"),
            )
        elif e.get("secretRef") is not None:
            src, name, optional = "Secret", e["secretRef"].get("name", ""), e["secretRef"].get("optional")
        prefix = e.get("prefix", "")
        what = f"{src} with prefix '{prefix}'" if prefix else src
        w.write(LEVEL_3, f"{name}\t{what}\tOptional: {go_bool(optional)}\n")


def describe_container_volumes(container: dict, w: PrefixWriter) -> None:
    mounts = container.get("volumeMounts") or []
    none = "" if mounts else "\t<none>"
    w.write(LEVEL_2, f"Mounts:{none}\n")
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f"path={go_quote(m['subPath'])}")
        w.write(LEVEL_3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")
    devices = container.get("volumeDevices") or []
    if devices:
        w.write(LEVEL_2, f"Devices:{none}\n")
        for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(LEVEL_3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


def describe_containers(
    label: str,
    containers: list | None,
    statuses: list | None,
    pod: dict | None,
    w: PrefixWriter,
    space: str,
    now: datetime,
) -> None:
    """``describeContainers``; ``pod`` resolves fieldRef env values (None in templates)."""
    containers = containers or []
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(LEVEL_0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    name_indent = " " if space else ""
    for c in containers:
        status = by_name.get(c.get("name"))
        w.write(LEVEL_1, f"{name_indent}{c.get('name', '')}:\n")
        if status is not None:
            w.write(LEVEL_2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(LEVEL_2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(LEVEL_2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = describe_container_ports(c.get("ports"), "containerPort")
        if "," in ports:
            w.write(LEVEL_2, f"Ports:\t{ports}\n")
        else:
            w.write(LEVEL_2, f"Port:\t{string_or_none(ports)}\n")
        host_ports = describe_container_ports(c.get("ports"), "hostPort")
        if "," in host_ports:
            w.write(LEVEL_2, f"Host Ports:\t{host_ports}\n")
        else:
            w.write(LEVEL_2, f"Host Port:\t{string_or_none(host_ports)}\n")
        write_seccomp_profile(w, c.get("securityContext"), LEVEL_2, LEVEL_3)
        for title, key in (("Command", "command"), ("Args", "args")):
            if c.get(key):
                w.write(LEVEL_2, f"{title}:\n")
                for item in c[key]:
                    for s in str(item).split("\n"):
                        w.write(LEVEL_3, f"{s}\n")
        if status is not None:
            describe_status("State", status.get("state"), w, now)
            if (status.get("lastState") or {}).get("terminated") is not None:
                describe_status("Last State", status.get("lastState"), w, now)
            w.write(LEVEL_2, f"Ready:\t{print_bool(status.get('ready'))}\n")
            w.write(LEVEL_2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        describe_resources(c.get("resources"), w, LEVEL_2)
        for title, key in (
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ):
            if c.get(key) is not None:
                w.write(LEVEL_2, f"{title}:\t{describe_probe(c[key])}\n")
        if c.get("envFrom"):
            describe_env_from(c, w)
        describe_env_vars(c, pod, w)
        describe_container_volumes(c, w)


# --- volumes -----------------------------------------------------------------------------


def _optional(src: dict) -> str:
    return go_bool(src.get("optional"))


def _volume_source(volume: dict, w: PrefixWriter) -> None:
    if (v := volume.get("hostPath")) is not None:
        w.write(
            LEVEL_2,
            "Type:\tHostPath (bare host directory volume)\n"
            f"    Path:\t{v.get('path', '')}\n    HostPathType:\t{v.get('type') or '<none>'}\n",
        )
    elif (v := volume.get("emptyDir")) is not None:
        size = v.get("sizeLimit")
        try:
            size_text = (
                quantity_string(size) if size is not None and parse_quantity(size).sign() > 0 else "<unset>"
            )
        except QuantityError:
            size_text = str(size)
        w.write(
            LEVEL_2,
            "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
            f"    Medium:\t{v.get('medium', '')}\n    SizeLimit:\t{size_text}\n",
        )
    elif (v := volume.get("secret")) is not None:
        w.write(
            LEVEL_2,
            "Type:\tSecret (a volume populated by a Secret)\n"
            f"    SecretName:\t{v.get('secretName', '')}\n    Optional:\t{_optional(v)}\n",
        )
    elif (v := volume.get("configMap")) is not None:
        w.write(
            LEVEL_2,
            "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
            f"    Name:\t{v.get('name', '')}\n    Optional:\t{_optional(v)}\n",
        )
    elif (v := volume.get("nfs")) is not None:
        w.write(
            LEVEL_2,
            "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
            f"    Server:\t{v.get('server', '')}\n    Path:\t{v.get('path', '')}\n"
            f"    ReadOnly:\t{go_bool(v.get('readOnly'))}\n",
        )
    elif (v := volume.get("persistentVolumeClaim")) is not None:
        w.write(
            LEVEL_2,
            "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
            f"    ClaimName:\t{v.get('claimName', '')}\n    ReadOnly:\t{go_bool(v.get('readOnly'))}\n",
        )
    elif volume.get("ephemeral") is not None:
        w.write(
            LEVEL_2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and "
            "deleted with the pod)\n",
        )
    elif (v := volume.get("downwardAPI")) is not None:
        w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
        for item in v.get("items") or []:
            if item.get("fieldRef") is not None:
                w.write(LEVEL_3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
            if item.get("resourceFieldRef") is not None:
                w.write(
                    LEVEL_3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n"
                )
    elif (v := volume.get("projected")) is not None:
        w.write(LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
        for src in v.get("sources") or []:
            if src.get("secret") is not None:
                w.write(
                    LEVEL_2,
                    f"SecretName:\t{src['secret'].get('name', '')}\n    Optional:\t{_optional(src['secret'])}\n",
                )
            elif src.get("downwardAPI") is not None:
                w.write(LEVEL_2, "DownwardAPI:\ttrue\n")
            elif src.get("configMap") is not None:
                cm = src["configMap"]
                w.write(LEVEL_2, f"ConfigMapName:\t{cm.get('name', '')}\n    Optional:\t{_optional(cm)}\n")
            elif src.get("serviceAccountToken") is not None:
                w.write(
                    LEVEL_2,
                    f"TokenExpirationSeconds:\t{src['serviceAccountToken'].get('expirationSeconds', 3600)}\n",
                )
    elif (v := volume.get("csi")) is not None:
        w.write(
            LEVEL_2,
            "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
            f"    Driver:\t{v.get('driver', '')}\n    FSType:\t{v.get('fsType', '')}\n"
            f"    ReadOnly:\t{go_bool(v.get('readOnly'))}\n",
        )
        # printCSIPersistentVolumeAttributesMultilineIndent: every Write re-applies the level
        # prefix, so values after the tab carry four extra spaces, as upstream prints them.
        attrs = v.get("volumeAttributes") or {}
        w.write(LEVEL_2, "VolumeAttributes:\t")
        if not attrs:
            w.write_line("<none>")
        for i, key in enumerate(sorted(attrs)):
            if i:
                w.write(LEVEL_2, "")
                w.write(LEVEL_2, "\t")
            line = f"{key}={attrs[key]}"
            w.write(LEVEL_2, ((line[:140] + "...") if len(line) > 140 else line) + "\n")
    elif (v := volume.get("image")) is not None:
        w.write(
            LEVEL_2,
            "Type:\tImage (a container image or OCI artifact)\n"
            f"    Reference:\t{v.get('reference', '')}\n    PullPolicy:\t{v.get('pullPolicy', '')}\n",
        )
    else:
        w.write(LEVEL_1, "<unknown>\n")


def describe_volumes(volumes: list | None, w: PrefixWriter, space: str) -> None:
    if not volumes:
        w.write(LEVEL_0, f"{space}Volumes:\t<none>\n")
        return
    w.write(LEVEL_0, f"{space}Volumes:\n")
    name_indent = " " if space else ""
    for v in volumes:
        w.write(LEVEL_1, f"{name_indent}{v.get('name', '')}:\n")
        _volume_source(v, w)


def describe_topology_spread_constraints(tscs: list | None, w: PrefixWriter, space: str) -> None:
    if not tscs:
        return
    w.write(LEVEL_0, f"{space}Topology Spread Constraints:\t")
    for i, t in enumerate(sorted(tscs, key=lambda t: t.get("topologyKey", ""))):
        if i:
            w.write(LEVEL_0, space)
            w.write(LEVEL_0, "\t")
        s = f"{t.get('topologyKey', '')}:{t.get('whenUnsatisfiable', '')} when max skew {t.get('maxSkew', 0)} is exceeded"
        if t.get("labelSelector") is not None:
            s += f" for selector {format_label_selector(t['labelSelector'])}"
        w.write(LEVEL_0, s + "\n")


def describe_pod_template(template: dict | None, w: PrefixWriter, now: datetime) -> None:
    """``DescribePodTemplate``: the ``Pod Template:`` section of workload describers."""
    w.write(LEVEL_0, "Pod Template:\n")
    if template is None:
        w.write(LEVEL_1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        print_annotations_multiline(w, "  Annotations", meta.get("annotations"))
    if spec.get("serviceAccountName"):
        w.write(LEVEL_1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], None, None, w, "  ", now)
    describe_containers("Containers", spec.get("containers"), None, None, w, "  ", now)
    describe_volumes(spec.get("volumes"), w, "  ")
    describe_topology_spread_constraints(spec.get("topologySpreadConstraints"), w, "  ")
    if spec.get("priorityClassName"):
        w.write(LEVEL_1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
