"""The node IPAM controller: a podCIDR for every Node that has none.

kube-controller-manager's ``nodeipam`` controller with ``--allocate-node-cidrs`` and the
RangeAllocator (``pkg/controller/nodeipam/ipam/range_allocator.go``): the cluster CIDR
(kubeadm/kind's ``10.244.0.0/16``) is cut into ``/24`` blocks (``--node-cidr-mask-size``);
a Node without ``spec.podCIDR`` gets the next free block and both ``spec.podCIDR`` and
``spec.podCIDRs``; Nodes that already name a CIDR keep it (and it counts as used). When no
block is left the Node is left without one and a Warning ``CIDRNotAvailable`` event says
``Node <name> status is now: CIDRNotAvailable``; the kubelet then cannot give its pods IPs.

Upstream's cidrset hands out blocks from a rotating "next candidate"; a one-shot pass starts
it after the highest block in use (wrapping to the lowest free one), so new nodes get
``10.244.<N+1>.0/24`` after a cluster's ``10.244.N.0/24``. Nodes are served in creation order.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime

from kctl.controllers.base import Action, ClusterView, Plan

COMPONENT = "cidrAllocator"

CLUSTER_CIDR = ipaddress.ip_network("10.244.0.0/16")
NODE_CIDR_MASK_SIZE = 24


def _blocks() -> list[ipaddress.IPv4Network]:
    return list(CLUSTER_CIDR.subnets(new_prefix=NODE_CIDR_MASK_SIZE))


def used_block_indexes(nodes: list[dict]) -> set[int]:
    """Indexes (in the cluster CIDR) of the /24 blocks the nodes' podCIDRs overlap."""
    blocks = _blocks()
    used = set()
    for node in nodes:
        spec = node.get("spec") or {}
        for cidr in [*(spec.get("podCIDRs") or ()), spec.get("podCIDR") or ""]:
            try:
                net = ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                continue
            if net.version != 4 or not net.overlaps(CLUSTER_CIDR):
                continue
            for i, block in enumerate(blocks):
                if block.overlaps(net):
                    used.add(i)
    return used


def next_pod_cidrs(nodes: list[dict], count: int) -> list[str | None]:
    """The podCIDRs the next ``count`` nodes get (None once the range is exhausted)."""
    blocks = _blocks()
    used = used_block_indexes(nodes)
    candidate = (max(used) + 1) % len(blocks) if used else 0
    out: list[str | None] = []
    for _ in range(count):
        for step in range(len(blocks)):
            i = (candidate + step) % len(blocks)
            if i not in used:
                used.add(i)
                candidate = (i + 1) % len(blocks)
                out.append(str(blocks[i]))
                break
        else:
            out.append(None)
    return out


def _creation_order(node: dict) -> tuple[str, str]:
    meta = node.get("metadata") or {}
    return meta.get("creationTimestamp") or "", meta.get("name", "")


class NodeIpamController:
    name = "node-ipam-controller"

    def sync(self, cluster: ClusterView, now: datetime) -> list[Action]:
        nodes = cluster.list("nodes")
        waiting = sorted((n for n in nodes if not (n.get("spec") or {}).get("podCIDR")
                          and not (n.get("spec") or {}).get("podCIDRs")), key=_creation_order)
        if not waiting:
            return []
        plan = Plan()
        for node, cidr in zip(waiting, next_pod_cidrs(nodes, len(waiting)), strict=True):
            name = (node.get("metadata") or {}).get("name", "")
            if cidr is None:
                plan.event(node, "Warning", "CIDRNotAvailable", f"Node {name} status is now: CIDRNotAvailable",
                           COMPONENT)
                continue
            plan.update({**node, "spec": {**(node.get("spec") or {}), "podCIDR": cidr, "podCIDRs": [cidr]}})
        return plan.actions
