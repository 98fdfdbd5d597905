"""``kubectl describe pod`` (upstream ``describePod``)."""

from __future__ import annotations

from datetime import datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    LEVEL_1,
    describe_events,
    meta,
    print_annotations_multiline,
    print_controller,
    print_labels_multiline,
    print_tolerations_multiline,
    rfc1123z,
    translate_timestamp_since,
)
from kctl.printers.describe.containers import (
    describe_containers,
    describe_resources,
    describe_topology_spread_constraints,
    describe_volumes,
    write_seccomp_profile,
)
from kctl.printers.describe.quantity import parse_quantity
from kctl.printers.describe.tabwriter import PrefixWriter

_QOS_RESOURCES = ("cpu", "memory")


def compute_pod_qos(pod: dict) -> str:
    """``qos.ComputePodQOS`` over app and init containers (requests default from limits)."""
    spec = pod.get("spec") or {}
    requests: dict[str, object] = {}
    limits: dict[str, object] = {}
    guaranteed = True
    pod_level = spec.get("resources")
    containers = [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]
    sources = [pod_level] if pod_level else [c.get("resources") or {} for c in containers]
    for res in sources:
        lim = {k: parse_quantity(v) for k, v in (res.get("limits") or {}).items() if k in _QOS_RESOURCES}
        req = {k: parse_quantity(v) for k, v in (res.get("requests") or {}).items() if k in _QOS_RESOURCES}
        for k, v in lim.items():
            req.setdefault(k, v)
        for k, q in req.items():
            if q.sign() > 0:
                requests[k] = requests[k] + q if k in requests else q
        seen = set()
        for k, q in lim.items():
            if q.sign() > 0:
                seen.add(k)
                limits[k] = limits[k] + q if k in limits else q
        if not set(_QOS_RESOURCES) <= seen:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for k, q in requests.items():
            if k not in limits or limits[k].cmp(q) != 0:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def pod_qos(pod: dict) -> str:
    """``qos.GetPodQOS``: the stored ``status.qosClass``, else computed."""
    return (pod.get("status") or {}).get("qosClass") or compute_pod_qos(pod)


def describe_pod(pod: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    m, spec, status = meta(pod), pod.get("spec") or {}, pod.get("status") or {}
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(LEVEL_0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(LEVEL_0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(LEVEL_0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(LEVEL_0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if not spec.get("nodeName"):
        w.write(LEVEL_0, "Node:\t<none>\n")
    else:
        w.write(LEVEL_0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    if status.get("startTime"):
        w.write(LEVEL_0, f"Start Time:\t{rfc1123z(status['startTime'], now)}\n")
    print_labels_multiline(w, "Labels", m.get("labels"))
    print_annotations_multiline(w, "Annotations", m.get("annotations"))
    phase = status.get("phase", "")
    if m.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(
            LEVEL_0,
            f"Status:\tTerminating (lasts {translate_timestamp_since(m['deletionTimestamp'], now)})\n",
        )
        w.write(LEVEL_0, f"Termination Grace Period:\t{m.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(LEVEL_0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(LEVEL_0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(LEVEL_0, f"Message:\t{status['message']}\n")
    write_seccomp_profile(w, spec.get("securityContext"), LEVEL_0, LEVEL_0)
    w.write(LEVEL_0, f"IP:\t{status.get('podIP', '')}\n")
    if not status.get("podIPs"):
        w.write(LEVEL_0, "IPs:\t<none>\n")
    else:
        w.write(LEVEL_0, "IPs:\n")
        for ip in status["podIPs"]:
            w.write(LEVEL_1, f"IP:\t{ip.get('ip', '')}\n")
    if controlled_by := print_controller(pod):
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(LEVEL_0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(LEVEL_0, "Resources:\n")
        describe_resources(spec["resources"], w, LEVEL_1)
    if spec.get("initContainers"):
        describe_containers(
            "Init Containers", spec["initContainers"], status.get("initContainerStatuses"), pod, w, "", now
        )
    describe_containers(
        "Containers", spec.get("containers"), status.get("containerStatuses"), pod, w, "", now
    )
    if spec.get("ephemeralContainers"):
        describe_containers(
            "Ephemeral Containers",
            spec["ephemeralContainers"],
            status.get("ephemeralContainerStatuses"),
            pod,
            w,
            "",
            now,
        )
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            cond = next((c for c in conditions if c.get("type") == gate.get("conditionType")), None)
            gate_status = cond.get("status", "") if cond is not None else "<none>"
            w.write(LEVEL_1, f"{gate.get('conditionType', '')} \t{gate_status} \n")
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    describe_volumes(spec.get("volumes"), w, "")
    w.write(LEVEL_0, f"QoS Class:\t{pod_qos(pod)}\n")
    print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    describe_topology_spread_constraints(spec.get("topologySpreadConstraints"), w, "")
    describe_events(pod, events, w, now)
