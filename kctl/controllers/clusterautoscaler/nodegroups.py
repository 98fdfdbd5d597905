"""kctl.io/v1alpha1 NodeGroups: which Nodes belong to a group, and the Node a scale-up adds.

A Node belongs to a group through the label ``kctl.io/node-group=<name>`` or an
ownerReference to the NodeGroup (the convention ``kctl describe nodegroup`` uses). A new
node is the group's template made real, as a cloud provider's instance registers itself:
the template's labels (plus the well-known ``kubernetes.io/hostname``/arch/os labels and
the group label), its taints, its capacity/allocatable (allocatable defaults to the
capacity, ``pods`` to 110), Ready at once (kctl has no provisioning delay), the next free
podCIDR ``10.244.N.0/24`` after the existing nodes' and InternalIP ``10.0.<N/256>.<N%256>``.
Its name is ``<group>-<5 chars>`` from the pod-name alphabet, derived from the group's
name and a counter (skipping names in use), so a replay grows the same names.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from kctl.controllers.base import rfc3339
from kctl.controllers.nodeipam import used_block_indexes
from kctl.kubelet.registration import (
    CONTAINER_RUNTIME_VERSION,
    KERNEL_VERSION,
    KUBELET_VERSION,
    OS_IMAGE,
    default_annotations,
    healthy_conditions,
)

LABEL_NODE_GROUP = "kctl.io/node-group"
#: The 27 characters upstream's rand.String uses (no vowels, no confusable digits).
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
DEFAULT_MAX_PODS = "110"


def group_name(group: dict) -> str:
    return (group.get("metadata") or {}).get("name", "")


def node_group_of(node: dict) -> str | None:
    """The name of the NodeGroup a Node belongs to (label first, then ownerReference)."""
    meta = node.get("metadata") or {}
    label = (meta.get("labels") or {}).get(LABEL_NODE_GROUP)
    if label:
        return label
    for ref in meta.get("ownerReferences") or ():
        if ref.get("kind") == "NodeGroup" and (ref.get("apiVersion") or "").startswith("kctl.io/"):
            return ref.get("name")
    return None


def group_members(groups: list[dict], nodes: list[dict]) -> dict[str, list[dict]]:
    """group name -> its Nodes (name order); groups without nodes map to []."""
    out: dict[str, list[dict]] = {group_name(g): [] for g in groups}
    for node in nodes:
        name = node_group_of(node)
        if name in out:
            out[name].append(node)
    return out


def min_size(group: dict) -> int:
    return int((group.get("spec") or {}).get("minSize") or 0)


def max_size(group: dict) -> int:
    return int((group.get("spec") or {}).get("maxSize") or 0)


def template_resources(group: dict) -> tuple[dict, dict]:
    """(capacity, allocatable) of the group's template node."""
    status = ((group.get("spec") or {}).get("template") or {}).get("status") or {}
    capacity = dict(status.get("capacity") or {})
    allocatable = dict(status.get("allocatable") or capacity)
    capacity.setdefault("pods", DEFAULT_MAX_PODS)
    allocatable.setdefault("pods", capacity["pods"])
    return capacity, allocatable


def node_name_suffix(seed: str, counter: int) -> str:
    digest = hashlib.sha256(f"{seed}\x00{counter}".encode()).digest()
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in digest[:5])


def new_node_names(group: dict, taken: set[str], count: int) -> list[str]:
    """``count`` fresh ``<group>-<5 chars>`` names, none in ``taken``."""
    seed = group_name(group)
    out: list[str] = []
    counter = 0
    while len(out) < count:
        name = f"{group_name(group)}-{node_name_suffix(seed, counter)}"
        counter += 1
        if name not in taken and name not in out:
            out.append(name)
    return out


def next_cidr_indexes(nodes: list[dict], count: int) -> list[int]:
    """The podCIDR indexes (``10.244.N.0/24``) after the highest one in use (the node IPAM
    controller's blocks)."""
    start = max(used_block_indexes(nodes), default=0) + 1
    return list(range(start, start + count))


def template_node(group: dict, name: str, index: int, now: datetime) -> dict:
    """The Node a scale-up of ``group`` registers (``index``: its podCIDR/IP number)."""
    template = (group.get("spec") or {}).get("template") or {}
    tmeta, tspec = template.get("metadata") or {}, template.get("spec") or {}
    capacity, allocatable = template_resources(group)
    labels = {"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}
    labels.update(tmeta.get("labels") or {})
    labels["kubernetes.io/hostname"] = name
    labels[LABEL_NODE_GROUP] = group_name(group)
    stamp = rfc3339(now)
    cidr = f"10.244.{index % 256}.0/24"

    gmeta = group.get("metadata") or {}
    meta: dict = {"name": name, "labels": labels,
                  "annotations": {**default_annotations(), **(tmeta.get("annotations") or {})}}
    if gmeta.get("uid"):
        meta["ownerReferences"] = [{"apiVersion": group.get("apiVersion", "kctl.io/v1alpha1"), "kind": "NodeGroup",
                                    "name": gmeta.get("name", ""), "uid": gmeta["uid"]}]
    spec: dict = {"podCIDR": cidr, "podCIDRs": [cidr], "providerID": f"kctl://{name}"}
    if tspec.get("taints"):
        spec["taints"] = [dict(t) for t in tspec["taints"]]
    if tspec.get("unschedulable"):
        spec["unschedulable"] = True
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta,
        "spec": spec,
        "status": {
            "addresses": [{"type": "InternalIP", "address": f"10.0.{index // 256}.{index % 256}"},
                          {"type": "Hostname", "address": name}],
            "allocatable": allocatable,
            "capacity": capacity,
            "conditions": healthy_conditions(stamp),
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": CONTAINER_RUNTIME_VERSION,
                         "kernelVersion": KERNEL_VERSION, "kubeProxyVersion": "", "kubeletVersion": KUBELET_VERSION,
                         "operatingSystem": "linux", "osImage": OS_IMAGE},
        },
    }


def is_ready(node: dict) -> bool:
    for cond in (node.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False
