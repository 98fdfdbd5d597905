"""ClusterIP allocation, as the API server's Service registry does it.

Mirrors ``pkg/registry/core/service/ipallocator`` (the IPAddress-backed allocator behind
the MultiCIDRServiceAllocator, GA and on by default in 1.33+) and ``allocClusterIPs`` in
``pkg/registry/core/service/storage/alloc.go``:

- The usable range of a service CIDR excludes the network address and, for IPv4, the
  broadcast address (``10.96.0.0/12`` -> ``10.96.0.1`` .. ``10.111.255.254``).
- KEP-3070 splits the range: the lowest ``min(max(16, size/16), 256)`` addresses are the
  *static* band (for users who pick an IP); dynamic picks come from the *upper* band and
  fall back to the static band only when the upper band is full.
- Upstream starts at a random offset in a band and walks forward, wrapping. kctl starts
  at ``sha256("<namespace>/<name>")`` modulo the band size instead, so an allocation is
  deterministic and does not depend on the order in which Services were created (unless
  two of them probe into each other).
- Well-known addresses: ``default/kubernetes`` gets the first address (10.96.0.1) and
  kubeadm's ``kube-system/kube-dns`` the tenth (10.96.0.10). Both sit in the static band,
  and kctl's dynamic fallback into the static band skips them.
- Errors are the registry's: a user-chosen IP that is taken is
  ``spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10:
  provided IP is already allocated``; an IP outside every service CIDR gets the
  MetaAllocator's ``the provided network does not match the current range``; the network
  or broadcast address of the CIDR gets ``ErrNotInRange``. An exhausted range is an
  InternalError ``failed to allocate a serviceIP: range is full``.

Release is implicit: the set of addresses in use is computed from the existing Services
(``cluster_ips_in_use``) and passed in, so deleting a Service frees its address.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from kctl.api import errors, field

DEFAULT_SERVICE_CIDR = "10.96.0.0/12"  # kubeadm's --service-cidr default
CLUSTER_IP_NONE = "None"

#: (namespace, name) -> index of the well-known address inside the service CIDR.
WELL_KNOWN_CLUSTER_IPS: dict[tuple[str, str], int] = {
    ("default", "kubernetes"): 1,  # the apiserver's own Service: first address
    ("kube-system", "kube-dns"): 10,  # kubeadm: GetDNSIP = 10th address
}

ERR_ALLOCATED = "provided IP is already allocated"
ERR_MISMATCHED_NETWORK = "the provided network does not match the current range"
ERR_FULL = "range is full"


def err_not_in_range(ip: str, valid_range: str) -> str:
    """ipallocator.ErrNotInRange.Error()."""
    return f"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {valid_range}"


def calculate_range_offset(size: int, minimum: int = 16, maximum: int = 256, step: int = 16) -> int:
    """KEP-3070 ``calculateRangeOffset``: ``min(max(minimum, size/step), maximum)``, 0 for tiny ranges."""
    if size <= minimum:
        return 0
    return max(minimum, min(size // step, maximum))


def probe_start(key: str, band_size: int) -> int:
    """Deterministic replacement for upstream's random start offset within a band."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") % band_size


class ServiceIPRange:
    """One service CIDR: the usable addresses split into the static and the dynamic band."""

    def __init__(self, cidr: str = DEFAULT_SERVICE_CIDR):
        self.cidr = cidr
        self.network = ipaddress.ip_network(cidr, strict=False)
        self.family = "IPv4" if self.network.version == 4 else "IPv6"
        base = int(self.network.network_address)
        last = int(self.network.broadcast_address)
        if self.network.version == 4:
            last -= 1  # IPv4 never hands out the broadcast address
        self.first = base + 1  # nor the network's ".0"
        self.last = last
        self.size = max(0, self.last - self.first + 1)
        self.offset = calculate_range_offset(self.network.num_addresses)
        self._addr = ipaddress.IPv4Address if self.network.version == 4 else ipaddress.IPv6Address

    def __repr__(self) -> str:
        return f"ServiceIPRange({self.cidr!r})"

    def address(self, index: int) -> str:
        """The ``index``-th address of the CIDR (``1`` = the first usable one)."""
        return str(self._addr(int(self.network.network_address) + index))

    def well_known_ip(self, namespace: str, name: str) -> str | None:
        index = WELL_KNOWN_CLUSTER_IPS.get((namespace, name))
        return None if index is None else self.address(index)

    def check(self, ip: str) -> str | None:
        """Why ``ip`` cannot be allocated from this range (None when it can, if free)."""
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return ERR_MISMATCHED_NETWORK
        if addr.version != self.network.version or addr not in self.network:
            return ERR_MISMATCHED_NETWORK
        if not self.first <= int(addr) <= self.last:
            return err_not_in_range(ip, str(self.network))
        return None

    def allocate_next(self, key: str, used: set[str], skip: Iterable[str] = ()) -> str | None:
        """The first free address probing from ``hash(key)``: upper band, then the static band."""
        upper_first = self.first + self.offset
        upper_size = self.last - upper_first + 1
        ip = self._probe(upper_first, upper_size, key, used, set())
        if ip is None and self.offset:
            ip = self._probe(self.first, self.offset, key, used, set(skip))
        return ip

    def _probe(self, first: int, size: int, key: str, used: set[str], skip: set[str]) -> str | None:
        if size <= 0:
            return None
        start = probe_start(key, size)
        # Walk forward and wrap; ``used`` is small compared with any real range, so this
        # ends after len(used) + 1 steps at most.
        for step in range(size):
            ip = str(self._addr(first + (start + step) % size))
            if ip not in used and ip not in skip:
                return ip
        return None


@lru_cache(maxsize=8)
def service_ip_range(cidr: str = DEFAULT_SERVICE_CIDR) -> ServiceIPRange:
    return ServiceIPRange(cidr)


def is_headless(svc: dict) -> bool:
    spec = svc.get("spec") or {}
    ips = spec.get("clusterIPs") or []
    return spec.get("clusterIP") == CLUSTER_IP_NONE or (bool(ips) and ips[0] == CLUSTER_IP_NONE)


def cluster_ips_in_use(services: Iterable[dict], exclude: tuple[str, str] | None = None) -> set[str]:
    """Every ClusterIP held by ``services`` (except the Service ``exclude`` = (namespace, name))."""
    used: set[str] = set()
    for svc in services:
        meta = svc.get("metadata") or {}
        if exclude is not None and (meta.get("namespace"), meta.get("name")) == exclude:
            continue
        spec = svc.get("spec") or {}
        for ip in spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []):
            if ip and ip != CLUSTER_IP_NONE:
                used.add(ip)
    return used


def _invalid(svc: dict, errs: list[field.FieldError]) -> errors.StatusError:
    return errors.new_invalid("Service", "", (svc.get("metadata") or {}).get("name", ""), errs)


def init_ip_family_fields(svc: dict, cidr: str = DEFAULT_SERVICE_CIDR) -> None:
    """``initIPFamilyFields`` for a single-stack cluster (mutates ``svc``).

    ExternalName Services get nothing. ``ipFamilyPolicy`` defaults to SingleStack, except
    that a headless Service without a selector defaults to RequireDualStack (and then lists
    both families, which upstream allows for selectorless headless Services even on a
    single-stack cluster). Families are inferred from user-given clusterIPs.
    """
    spec = svc.setdefault("spec", {})
    if spec.get("type") == "ExternalName":
        return
    rng = service_ip_range(cidr)
    headless_selectorless = is_headless(svc) and not spec.get("selector")
    if not spec.get("ipFamilyPolicy"):
        spec["ipFamilyPolicy"] = "RequireDualStack" if headless_selectorless else "SingleStack"
    policy = spec["ipFamilyPolicy"]
    families = list(spec.get("ipFamilies") or [])
    errs: list[field.FieldError] = []
    cluster_ips = spec.get("clusterIPs") or []
    if policy == "SingleStack":
        if len(cluster_ips) == 2:
            errs.append(field.invalid(("spec", "ipFamilyPolicy"), policy,
                                      "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"))
        if len(families) == 2:
            errs.append(field.invalid(("spec", "ipFamilyPolicy"), policy,
                                      "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"))
    for i, ip in enumerate(cluster_ips):
        if ip == CLUSTER_IP_NONE:
            break
        fam = "IPv6" if ":" in ip else "IPv4"
        if i >= len(families):
            if fam != rng.family:
                errs.append(field.invalid(("spec", "clusterIPs", i), cluster_ips, f"{fam} is not configured on this cluster"))
            else:
                families.append(fam)
    if errs:
        raise _invalid(svc, errs)
    if headless_selectorless:
        if not families:
            families = [rng.family]
        if len(families) < 2 and policy != "SingleStack":
            families.append("IPv6" if families[0] == "IPv4" else "IPv4")
        spec["ipFamilies"] = families
        return
    if policy == "RequireDualStack":
        errs.append(field.invalid(("spec", "ipFamilyPolicy"), policy, "this cluster is not configured for dual-stack services"))
    for i, fam in enumerate(families):
        if fam != rng.family:
            errs.append(field.invalid(("spec", "ipFamilies", i), fam, "not configured on this cluster"))
    if errs:
        raise _invalid(svc, errs)
    spec["ipFamilies"] = families or [rng.family]


def allocate_cluster_ip(svc: dict, used_ips: Iterable[str], cidr: str = DEFAULT_SERVICE_CIDR) -> dict:
    """Give a new Service its ClusterIP; returns the updated object (the input is not modified).

    Sets ``spec.clusterIP``, ``spec.clusterIPs``, ``spec.ipFamilies`` and
    ``spec.ipFamilyPolicy`` consistently. Headless (``clusterIP: None``) and ExternalName
    Services get no address. ``used_ips`` are the addresses held by *other* Services.
    Raises ``kctl.api.errors.StatusError`` (Invalid / InternalError) as the registry does.
    """
    out = _copy_service(svc)
    spec = out.setdefault("spec", {})
    if spec.get("type") == "ExternalName":
        return out
    # NormalizeClusterIPs on create: an old client's singular field seeds the plural one.
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    init_ip_family_fields(out, cidr)
    if is_headless(out):
        spec["clusterIP"] = CLUSTER_IP_NONE
        spec["clusterIPs"] = [CLUSTER_IP_NONE]
        return out
    rng = service_ip_range(cidr)
    used = used_ips if isinstance(used_ips, set | frozenset) else set(used_ips)
    cluster_ips = list(spec.get("clusterIPs") or [])
    requested = cluster_ips[0] if cluster_ips else ""
    meta = out.get("metadata") or {}
    namespace, name = meta.get("namespace") or "default", meta.get("name", "")
    if requested:
        problem = rng.check(requested)
        if problem is None and requested in used:
            problem = ERR_ALLOCATED
        if problem is not None:
            raise _invalid(out, [field.invalid(("spec", "clusterIPs"), cluster_ips,
                                               f"failed to allocate IP {requested}: {problem}")])
        ip = requested
    else:
        well_known = rng.well_known_ip(namespace, name)
        if well_known is not None and well_known not in used:
            ip = well_known
        else:
            skip = [rng.address(i) for i in WELL_KNOWN_CLUSTER_IPS.values()]
            ip = rng.allocate_next(f"{namespace}/{name}", used, skip)
            if ip is None:
                raise errors.new_internal_error(f"failed to allocate a serviceIP: {ERR_FULL}")
    spec["clusterIP"] = ip
    spec["clusterIPs"] = [ip] + cluster_ips[1:]
    return out


def _copy_service(svc: dict) -> dict:
    """Copy the parts allocation writes (metadata is shared, spec and ports are copied)."""
    out = dict(svc)
    spec = dict(svc.get("spec") or {})
    if spec.get("ports"):
        spec["ports"] = [dict(p) for p in spec["ports"]]
    for key in ("clusterIPs", "ipFamilies"):
        if spec.get(key):
            spec[key] = list(spec[key])
    out["spec"] = spec
    return out
