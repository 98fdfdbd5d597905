"""Pod IP allocation: a host-local IPAM per node, as a bridge/host-local CNI does it.

Each node's ``spec.podCIDRs`` (or ``spec.podCIDR``) is the range; ``.1`` (network + 1) is the
bridge gateway, so pods get the lowest free address from network + 2 upward (the broadcast
address is never used). Deterministic: the allocator only looks at which addresses pods on the
node hold. Addresses of terminal pods (Succeeded/Failed: sandbox torn down) are free for reuse,
as are addresses of deleted pods. hostNetwork pods use the node's InternalIP instead.
"""

from __future__ import annotations

import ipaddress

TERMINAL_PHASES = ("Succeeded", "Failed")


def node_pod_cidrs(node: dict) -> list[str]:
    spec = node.get("spec") or {}
    return list(spec.get("podCIDRs") or ([spec["podCIDR"]] if spec.get("podCIDR") else []))


def node_internal_ips(node: dict) -> list[str]:
    """InternalIP addresses of the node (status.addresses), in order."""
    return [a.get("address", "") for a in (node.get("status") or {}).get("addresses") or ()
            if a.get("type") == "InternalIP" and a.get("address")]


def holds_pod_ip(pod: dict) -> bool:
    """Whether a pod's sandbox (and so its IP) is still allocated."""
    if (pod.get("spec") or {}).get("hostNetwork"):
        return False
    return (pod.get("status") or {}).get("phase") not in TERMINAL_PHASES


class HostLocalIPAM:
    """The per-node allocator; ``reserve`` the IPs already in use, then ``allocate``."""

    def __init__(self, node: dict):
        self.networks = []
        for cidr in node_pod_cidrs(node):
            try:
                self.networks.append(ipaddress.ip_network(cidr, strict=False))
            except ValueError:
                continue
        self.used: set = set()
        #: Per network: every address below network + floor is known to be used (so a node
        #: filling up costs O(1) per allocation instead of a scan from the start).
        self._floor = [2] * len(self.networks)

    def reserve(self, ips) -> None:
        for ip in ips:
            try:
                self.used.add(ipaddress.ip_address(ip))
            except ValueError:
                continue

    def release(self, ips) -> None:
        for ip in ips:
            try:
                address = ipaddress.ip_address(ip)
            except ValueError:
                continue
            self.used.discard(address)
            for i, net in enumerate(self.networks):
                if address.version == net.version and address in net:
                    self._floor[i] = max(2, min(self._floor[i], int(address) - int(net.network_address)))

    def allocate(self) -> list[str]:
        """One address per pod CIDR (dual-stack: one per family), the lowest free one from
        network + 2; [] when the range is full or the node has no pod CIDR."""
        out = []
        for i, net in enumerate(self.networks):
            last = net.broadcast_address if net.version == 4 else net.network_address + net.num_addresses - 1
            candidate = net.network_address + self._floor[i]
            while candidate < last or (net.version == 6 and candidate <= last):
                if candidate not in self.used:
                    self.used.add(candidate)
                    self._floor[i] = int(candidate) - int(net.network_address) + 1
                    out.append(str(candidate))
                    break
                candidate += 1
            else:
                return []
        return out
