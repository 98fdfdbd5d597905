"""Node (upstream ``describeNode`` + ``describeNodeResource``) and kctl's NodeGroup."""

from __future__ import annotations

from datetime import datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    describe_events,
    go_bool,
    meta,
    print_labels_multiline,
    print_taints_multiline,
    rfc1123z,
    translate_timestamp_since,
    write_conditions,
    write_labels_annotations,
)
from kctl.printers.describe.quantity import ZERO, Quantity, QuantityError, parse_quantity, quantity_string
from kctl.printers.describe.tabwriter import PrefixWriter

LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_LABEL_ROLE = "kubernetes.io/role"
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
_GO_INT64_OF_NAN = -(2**63)  # int64(NaN or ±Inf) on amd64, as an unguarded division prints


def find_node_roles(node: dict) -> list[str]:
    roles = set()
    for k, v in (meta(node).get("labels") or {}).items():
        if k.startswith(LABEL_NODE_ROLE_PREFIX) and k[len(LABEL_NODE_ROLE_PREFIX) :]:
            roles.add(k[len(LABEL_NODE_ROLE_PREFIX) :])
        elif k == NODE_LABEL_ROLE and v:
            roles.add(v)
    return sorted(roles)


# --- resource sums (kubectl's resourcehelper.PodRequestsAndLimits) -------------------------

ResourceList = dict[str, Quantity]


def _quantities(rl: dict | None) -> ResourceList:
    out: ResourceList = {}
    for k, v in (rl or {}).items():
        try:
            out[k] = parse_quantity(v)
        except QuantityError:
            continue
    return out


def _add(into: ResourceList, other: ResourceList) -> None:
    for k, q in other.items():
        into[k] = into[k] + q if k in into else q


def _max(into: ResourceList, other: ResourceList) -> None:
    for k, q in other.items():
        if k not in into or q.cmp(into[k]) > 0:
            into[k] = q


def _container_requests(c: dict) -> ResourceList:
    res = c.get("resources") or {}
    reqs = _quantities(res.get("requests"))
    for k, q in _quantities(res.get("limits")).items():  # API defaulting
        reqs.setdefault(k, q)
    return reqs


def _container_limits(c: dict) -> ResourceList:
    return _quantities((c.get("resources") or {}).get("limits"))


def _pod_sum(pod: dict, per_container, overhead_only_existing: bool) -> ResourceList:
    spec = pod.get("spec") or {}
    total: ResourceList = {}
    for c in spec.get("containers") or []:
        _add(total, per_container(c))
    sidecars: ResourceList = {}
    init_max: ResourceList = {}
    for c in spec.get("initContainers") or []:
        values = per_container(c)
        if c.get("restartPolicy") == "Always":
            _add(total, values)
            _add(sidecars, values)
            effective = dict(sidecars)
        else:
            effective = {}
            _add(effective, values)
            _add(effective, sidecars)
        _max(init_max, effective)
    _max(total, init_max)
    overhead = _quantities(spec.get("overhead"))
    if overhead_only_existing:
        for k, q in overhead.items():
            if k in total:
                total[k] = total[k] + q
    else:
        _add(total, overhead)
    return total


def pod_requests_and_limits(pod: dict) -> tuple[ResourceList, ResourceList]:
    return _pod_sum(pod, _container_requests, False), _pod_sum(pod, _container_limits, True)


def _percent(num: int, den: int, guarded: bool) -> int:
    if den == 0:
        return 0 if guarded else _GO_INT64_OF_NAN
    return int(float(num) / float(den) * 100)


def _is_huge_page(name: str) -> bool:
    return name.startswith("hugepages-")


def describe_node_resource(pods: list[dict], node: dict, w: PrefixWriter, now: datetime) -> None:
    """``describeNodeResource``: the Non-terminated Pods and Allocated resources tables."""
    status = node.get("status") or {}
    allocatable = _quantities(status.get("allocatable") or status.get("capacity"))
    alloc_cpu = allocatable.get("cpu", ZERO).milli_value()
    alloc_mem = allocatable.get("memory", ZERO).value()
    w.write(LEVEL_0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(LEVEL_1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(LEVEL_1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    total_reqs: ResourceList = {}
    total_limits: ResourceList = {}
    for pod in pods:
        reqs, limits = pod_requests_and_limits(pod)
        _add(total_reqs, reqs)
        _add(total_limits, limits)
        cpu_req, cpu_lim = reqs.get("cpu", ZERO), limits.get("cpu", ZERO)
        mem_req, mem_lim = reqs.get("memory", ZERO), limits.get("memory", ZERO)
        m = meta(pod)
        w.write(
            LEVEL_1,
            f"{m.get('namespace', '')}\t{m.get('name', '')}\t\t"
            f"{cpu_req} ({_percent(cpu_req.milli_value(), alloc_cpu, False)}%)\t"
            f"{cpu_lim} ({_percent(cpu_lim.milli_value(), alloc_cpu, False)}%)\t"
            f"{mem_req} ({_percent(mem_req.value(), alloc_mem, False)}%)\t"
            f"{mem_lim} ({_percent(mem_lim.value(), alloc_mem, False)}%)\t"
            f"{translate_timestamp_since(m.get('creationTimestamp'), now)}\n",
        )
    w.write(LEVEL_0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n")
    w.write(LEVEL_1, "--------\t--------\t------\n")

    def row(name: str, milli: bool) -> None:
        req, lim = total_reqs.get(name, ZERO), total_limits.get(name, ZERO)
        alloc = allocatable.get(name, ZERO)
        if milli:
            rv, lv, av = req.milli_value(), lim.milli_value(), alloc.milli_value()
        else:
            rv, lv, av = req.value(), lim.value(), alloc.value()
        w.write(LEVEL_1, f"{name}\t{req} ({_percent(rv, av, True)}%)\t{lim} ({_percent(lv, av, True)}%)\n")

    row("cpu", True)
    row("memory", False)
    row("ephemeral-storage", False)
    for name in sorted(k for k in allocatable if _is_huge_page(k)):
        row(name, False)
    extended = sorted(
        k
        for k in allocatable
        if not _is_huge_page(k) and k not in STANDARD_CONTAINER_RESOURCES and k != "pods"
    )
    for name in extended:
        w.write(LEVEL_1, f"{name}\t{total_reqs.get(name, ZERO)}\t{total_limits.get(name, ZERO)}\n")


def _print_resource_list(w: PrefixWriter, rl: dict) -> None:
    for name in sorted(rl):
        w.write(LEVEL_0, f"  {name}:\t{quantity_string(rl[name])}\n")


def _non_terminated(pods: list[dict], node_name: str) -> list[dict]:
    out = [
        p
        for p in pods
        if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
        and (p.get("spec") or {}).get("nodeName", node_name) == node_name
    ]
    return sorted(out, key=lambda p: (meta(p).get("namespace", ""), meta(p).get("name", "")))


def describe_node(
    node: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    m, spec, status = meta(node), node.get("spec") or {}, node.get("status") or {}
    name = m.get("name", "")
    w.write(LEVEL_0, f"Name:\t{name}\n")
    roles = find_node_roles(node)
    w.write(LEVEL_0, f"Roles:\t{','.join(roles) if roles else '<none>'}\n")
    write_labels_annotations(w, node)
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'), now)}\n")
    print_taints_multiline(w, "Taints", spec.get("taints"))
    w.write(LEVEL_0, f"Unschedulable:\t{go_bool(spec.get('unschedulable'))}\n")
    lease = related.get("lease")
    if lease is None:
        w.write(LEVEL_0, f'Lease:\tFailed to get lease: leases.coordination.k8s.io "{name}" not found\n')
    else:
        ls = lease.get("spec") or {}
        w.write(LEVEL_0, "Lease:\n")
        w.write(LEVEL_1, f"HolderIdentity:\t{ls.get('holderIdentity') or '<unset>'}\n")
        for title, key in (("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")):
            value = rfc1123z(ls[key], now) if ls.get(key) else "<unset>"
            w.write(LEVEL_1, f"{title}:\t{value}\n")
    if status.get("conditions"):
        w.write(
            LEVEL_0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n"
        )
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastHeartbeatTime'), now)} \t"
                f"{rfc1123z(c.get('lastTransitionTime'), now)} \t{c.get('reason', '')} \t{c.get('message', '')}\n",
            )
    w.write(LEVEL_0, "Addresses:\n")
    for a in status.get("addresses") or []:
        w.write(LEVEL_1, f"{a.get('type', '')}:\t{a.get('address', '')}\n")
    if status.get("capacity"):
        w.write(LEVEL_0, "Capacity:\n")
        _print_resource_list(w, status["capacity"])
    if status.get("allocatable"):
        w.write(LEVEL_0, "Allocatable:\n")
        _print_resource_list(w, status["allocatable"])
    info = status.get("nodeInfo") or {}
    w.write(LEVEL_0, "System Info:\n")
    for title, key in (
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ):
        w.write(LEVEL_0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(LEVEL_0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(LEVEL_0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(LEVEL_0, f"ProviderID:\t{spec['providerID']}\n")
    if related.get("pods") is False:  # the caller may not list pods
        w.write(LEVEL_0, "Pods:\tnot authorized\n")
    else:
        describe_node_resource(_non_terminated(related.get("pods") or [], name), node, w, now)
    describe_events(node, events, w, now)


# --- NodeGroup (kctl.io/v1alpha1) -----------------------------------------------------------------


def describe_node_group(
    ng: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    """kctl's simulated cluster-autoscaler node group, in kubectl's describe idiom."""
    m, spec, status = meta(ng), ng.get("spec") or {}, ng.get("status") or {}
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    write_labels_annotations(w, ng)
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'), now)}\n")
    w.write(LEVEL_0, f"Min Size:\t{spec.get('minSize', 0)}\n")
    w.write(LEVEL_0, f"Max Size:\t{spec.get('maxSize', 0)}\n")
    w.write(LEVEL_0, f"Current Size:\t{status.get('currentSize', 0)}\n")
    nodes = related.get("nodes")
    if nodes is not None:
        names = sorted(n if isinstance(n, str) else meta(n).get("name", "") for n in nodes)
        w.write(LEVEL_0, f"Nodes:\t{', '.join(names) if names else '<none>'}\n")
    template = spec.get("template") or {}
    tmeta, tspec, tstatus = (
        template.get("metadata") or {},
        template.get("spec") or {},
        template.get("status") or {},
    )
    w.write(LEVEL_0, "Node Template:\n")
    print_labels_multiline(w, "  Labels", tmeta.get("labels"))
    if tmeta.get("annotations"):
        print_labels_multiline(w, "  Annotations", tmeta.get("annotations"))
    print_taints_multiline(w, "  Taints", tspec.get("taints"))
    w.write(LEVEL_1, f"Unschedulable:\t{go_bool(tspec.get('unschedulable'))}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        if tstatus.get(key):
            w.write(LEVEL_1, f"{title}:\n")
            for rname in sorted(tstatus[key]):
                w.write(LEVEL_2, f"{rname}:\t{quantity_string(tstatus[key][rname])}\n")
    write_conditions(w, status.get("conditions"), now)
    describe_events(ng, events, w, now)
