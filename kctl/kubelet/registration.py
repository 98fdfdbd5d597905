"""Node registration: what a kubelet writes about its node when it starts.

Upstream the kubelet registers its Node (``kubelet_node_status.go``: ``initialNode``,
``tryRegisterWithAPIServer``, then ``setNodeStatus``); when a Node object already exists
(a user applied it, as with KWOK), the kubelet keeps it and reconciles it:

- labels ``kubernetes.io/hostname``, ``kubernetes.io/os``, ``kubernetes.io/arch`` and their
  ``beta.kubernetes.io/*`` forms (``updateDefaultLabels``), annotations
  ``volumes.kubernetes.io/controller-managed-attach-detach`` and ``node.alpha.kubernetes.io/ttl``;
- status: addresses (InternalIP, Hostname), capacity (the machine's) and allocatable
  (capacity minus reservations), the MemoryPressure/DiskPressure/PIDPressure/Ready conditions,
  ``daemonEndpoints`` and ``nodeInfo``;
- events: ``Starting`` (``Starting kubelet.``), ``NodeHasSufficientMemory``,
  ``NodeHasNoDiskPressure``, ``NodeHasSufficientPID`` (``Node <name> status is now: <reason>``),
  ``NodeAllocatableEnforced`` (``Updated Node Allocatable limit across pods``) and ``NodeReady``.

The simulated machine: what the manifest's ``status.capacity`` says, else kctl's standard
worker (4 CPUs, 16 GiB, 110 pods); allocatable as given, else the capacity itself (a
simulated node reserves nothing, as KWOK's nodes do). InternalIPs are the lowest free
``10.0.<k/256>.<k%256>`` (k >= 1, skipping network/broadcast-looking addresses and the API
server's 10.0.0.100), in the order the nodes were created.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from kctl.api.cluster import NODE_CAPACITY
from kctl.kubelet.timeutil import as_utc, rfc3339

KUBELET_VERSION = "v1.34.0"
CONTAINER_RUNTIME_VERSION = "containerd://2.1.3"
KERNEL_VERSION = "6.8.0-60-generic"
OS_IMAGE = "Ubuntu 24.04.2 LTS"
KUBELET_PORT = 10250

#: The API server's endpoint address (kctl.controllers.nodelease): never a node's.
RESERVED_ADDRESSES = frozenset({"10.0.0.100"})

#: kctl's standard worker machine (what a new cluster's nodes have).
DEFAULT_CAPACITY = NODE_CAPACITY

#: (type, reason, message) of the conditions a healthy kubelet posts, in its order.
HEALTHY_CONDITIONS = (
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("Ready", "KubeletReady", "kubelet is posting ready status"),
)


def default_labels(name: str) -> dict[str, str]:
    """``updateDefaultLabels``: what the kubelet sets on its node."""
    return {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }


def default_annotations() -> dict[str, str]:
    return {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}


def healthy_conditions(stamp: str) -> list[dict]:
    """The four conditions of a kubelet reporting a healthy node at ``stamp``."""
    return [
        {"type": kind, "status": "False" if kind != "Ready" else "True", "lastHeartbeatTime": stamp,
         "lastTransitionTime": stamp, "reason": reason, "message": message}
        for kind, reason, message in HEALTHY_CONDITIONS
    ]


def _uuid(*parts: object) -> str:
    h = hashlib.sha256("\x00".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def node_info(name: str, seed: str) -> dict:
    """``status.nodeInfo`` of the simulated machine; ids are a pure function of (seed, name)."""
    machine = hashlib.sha256(f"{seed}\x00machine-id\x00{name}".encode()).hexdigest()[:32]
    return {
        "architecture": "amd64",
        "bootID": _uuid(seed, "boot-id", name),
        "containerRuntimeVersion": CONTAINER_RUNTIME_VERSION,
        "kernelVersion": KERNEL_VERSION,
        "kubeProxyVersion": "",
        "kubeletVersion": KUBELET_VERSION,
        "machineID": machine,
        "operatingSystem": "linux",
        "osImage": OS_IMAGE,
        "systemUUID": _uuid(seed, "system-uuid", name),
    }


def node_addresses(node: dict) -> set[str]:
    return {a.get("address") for a in (node.get("status") or {}).get("addresses") or () if a.get("address")}


def free_internal_ips(taken: set[str]):
    """The InternalIPs a registering node may take, lowest first."""
    k = 0
    while True:
        k += 1
        low = k % 256
        if low in (0, 255):
            continue
        address = f"10.0.{k // 256}.{low}"
        if address not in taken and address not in RESERVED_ADDRESSES:
            yield address


def needs_registration(node: dict) -> bool:
    """A node no kubelet has reported on yet: no conditions in its status."""
    return not (node.get("status") or {}).get("conditions")


def register(node: dict, now: datetime, internal_ip: str | None) -> dict:
    """The node after its kubelet registered it: default labels and annotations added,
    the status filled in (what the manifest already says is kept)."""
    meta = node.get("metadata") or {}
    name = meta.get("name", "")
    stamp = rfc3339(as_utc(now))
    status = dict(node.get("status") or {})
    capacity = dict(status.get("capacity") or DEFAULT_CAPACITY)
    status["capacity"] = capacity
    status["allocatable"] = dict(status.get("allocatable") or capacity)
    if not status.get("addresses"):
        status["addresses"] = ([{"type": "InternalIP", "address": internal_ip}] if internal_ip else []) + [
            {"type": "Hostname", "address": name}]
    status["conditions"] = healthy_conditions(stamp)
    status.setdefault("daemonEndpoints", {"kubeletEndpoint": {"Port": KUBELET_PORT}})
    status["nodeInfo"] = {**node_info(name, meta.get("uid", "")), **(status.get("nodeInfo") or {})}
    labels = {**default_labels(name), **(meta.get("labels") or {})}
    annotations = {**default_annotations(), **(meta.get("annotations") or {})}
    return {**node, "metadata": {**meta, "labels": labels, "annotations": annotations}, "status": status}


def registration_events(name: str) -> list[tuple[str, str]]:
    """(reason, message) of the kubelet's start-up events on its node, in order."""
    return [
        ("Starting", "Starting kubelet."),
        *[(reason.replace("Kubelet", "Node"), f"Node {name} status is now: {reason.replace('Kubelet', 'Node')}")
          for _, reason, _ in HEALTHY_CONDITIONS[:3]],
        ("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"),
        ("NodeReady", f"Node {name} status is now: NodeReady"),
    ]
