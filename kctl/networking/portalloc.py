"""NodePort allocation, as the API server's Service registry does it.

Mirrors ``pkg/registry/core/service/portallocator`` and ``initNodePorts`` /
``updateNodePorts`` / ``allocHealthCheckNodePort`` / ``updateHealthCheckNodePort`` in
``pkg/registry/core/service/storage/alloc.go``:

- Range ``30000-32767`` (``--service-node-port-range``). KEP-3668 reserves the lowest
  ``min(max(16, size/32), 128)`` ports (30000-30085) as the static band; dynamic picks
  come from the upper band (30086-32767) and fall back to the static band when it is full.
  Upstream starts at a random port; kctl starts at ``sha256("<ns>/<name>:<port>/<proto>")``
  so the result is deterministic and order-independent.
- NodePort and LoadBalancer Services get a nodePort per port (LoadBalancer only when
  ``allocateLoadBalancerNodePorts`` is not false; user-given values are always honoured).
  Two service ports with the same ``port`` number (e.g. 53/TCP and 53/UDP) share one
  nodePort. A LoadBalancer with ``externalTrafficPolicy: Local`` also gets a
  ``healthCheckNodePort``.
- Errors: ``spec.ports[0].nodePort: Invalid value: 30080: provided port is already
  allocated`` / ``...: provided port is not in the valid range. The range of valid ports
  is 30000-32767``; exhaustion is an InternalError ``failed to allocate a nodePort: range
  is full``; a taken healthCheckNodePort is an InternalError ``failed to allocate
  requested HealthCheck NodePort 30100: provided port is already allocated``.

Release is implicit: ``node_ports_in_use`` computes the ports held by existing Services.
"""

from __future__ import annotations

from collections.abc import Iterable

from kctl.api import errors, field
from kctl.networking.ipam import calculate_range_offset, probe_start

DEFAULT_NODE_PORT_RANGE = "30000-32767"

ERR_ALLOCATED = "provided port is already allocated"
ERR_FULL = "range is full"


def err_not_in_range(valid_ports: str) -> str:
    """portallocator.ErrNotInRange.Error()."""
    return f"provided port is not in the valid range. The range of valid ports is {valid_ports}"


class PortRange:
    """``--service-node-port-range``: ``base`` .. ``base + size - 1``, split into two bands."""

    def __init__(self, spec: str = DEFAULT_NODE_PORT_RANGE):
        low, _, high = spec.partition("-")
        self.base = int(low)
        self.size = int(high or low) - self.base + 1
        self.spec = f"{self.base}-{self.base + self.size - 1}"
        self.offset = calculate_range_offset(self.size, minimum=16, maximum=128, step=32)

    def contains(self, port: int) -> bool:
        return self.base <= port < self.base + self.size

    def check(self, port: int, used: set[int]) -> str | None:
        if not self.contains(port):
            return err_not_in_range(self.spec)
        if port in used:
            return ERR_ALLOCATED
        return None

    def allocate_next(self, key: str, used: set[int]) -> int | None:
        upper = self._probe(self.base + self.offset, self.size - self.offset, key, used)
        if upper is None and self.offset:
            return self._probe(self.base, self.offset, key, used)
        return upper

    @staticmethod
    def _probe(first: int, size: int, key: str, used: set[int]) -> int | None:
        if size <= 0:
            return None
        start = probe_start(key, size)
        for step in range(size):
            port = first + (start + step) % size
            if port not in used:
                return port
        return None


def needs_node_port(svc: dict) -> bool:
    return (svc.get("spec") or {}).get("type") in ("NodePort", "LoadBalancer")


def needs_health_check(svc: dict) -> bool:
    """apiservice.NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local."""
    spec = svc.get("spec") or {}
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def should_allocate_node_ports(svc: dict) -> bool:
    spec = svc.get("spec") or {}
    if spec.get("type") == "NodePort":
        return True
    if spec.get("type") == "LoadBalancer":
        return spec.get("allocateLoadBalancerNodePorts") is not False
    return False


def service_node_ports(svc: dict) -> list[int]:
    """collectServiceNodePorts: the nodePorts (and healthCheckNodePort) a Service holds."""
    spec = svc.get("spec") or {}
    ports = [int(p["nodePort"]) for p in spec.get("ports") or () if p.get("nodePort")]
    if spec.get("healthCheckNodePort"):
        ports.append(int(spec["healthCheckNodePort"]))
    return ports


def node_ports_in_use(services: Iterable[dict], exclude: tuple[str, str] | None = None) -> set[int]:
    """Every nodePort held by ``services`` except the Service ``exclude`` = (namespace, name)."""
    used: set[int] = set()
    for svc in services:
        meta = svc.get("metadata") or {}
        if exclude is not None and (meta.get("namespace"), meta.get("name")) == exclude:
            continue
        used.update(service_node_ports(svc))
    return used


def _invalid(svc: dict, path: tuple, value, detail: str) -> errors.StatusError:
    name = (svc.get("metadata") or {}).get("name", "")
    return errors.new_invalid("Service", "", name, [field.invalid(path, value, detail)])


def _key(svc: dict, what: str) -> str:
    meta = svc.get("metadata") or {}
    return f"{meta.get('namespace') or 'default'}/{meta.get('name', '')}:{what}"


def allocate_node_ports(svc: dict, used_ports: Iterable[int], old: dict | None = None,
                        port_range: str = DEFAULT_NODE_PORT_RANGE) -> dict:
    """Fill in ``spec.ports[*].nodePort`` and ``spec.healthCheckNodePort``; returns a new object.

    ``old`` is the stored object on update (None on create). ``used_ports`` are the ports
    held by *other* Services (ports ``old`` held are this Service's own and are reusable).
    Raises ``kctl.api.errors.StatusError`` as the registry does.
    """
    out = dict(svc)
    spec = dict(svc.get("spec") or {})
    spec["ports"] = [dict(p) for p in spec.get("ports") or ()]
    out["spec"] = spec
    rng = PortRange(port_range)
    used = set(used_ports)
    own = set(service_node_ports(old)) if old is not None else set()
    used -= own
    if needs_node_port(out):
        if old is None:
            _init_node_ports(out, rng, used)
        else:
            _update_node_ports(out, old, rng, used)
    _health_check_node_port(out, old, rng, used)
    return out


def _init_node_ports(svc: dict, rng: PortRange, used: set[int]) -> None:
    """initNodePorts (create)."""
    ports = svc["spec"]["ports"]
    allocate = should_allocate_node_ports(svc)
    by_service_port: dict[int, int] = {}
    for i, sp in enumerate(ports):
        if not sp.get("nodePort") and not allocate:
            continue  # don't allocate, but respect explicit requests
        port = sp.get("port")
        allocated = by_service_port.get(port, 0)
        if not allocated:
            # A user value on this or a later port with the same number wins.
            requested = next((p.get("nodePort") for p in ports if p.get("port") == port and p.get("nodePort")), 0)
            if requested:
                problem = rng.check(int(requested), used)
                if problem:
                    raise _invalid(svc, ("spec", "ports", i, "nodePort"), requested, problem)
                used.add(int(requested))
                sp["nodePort"] = int(requested)
                by_service_port[port] = int(requested)
            else:
                node_port = rng.allocate_next(_key(svc, f"{port}/{sp.get('protocol') or 'TCP'}"), used)
                if node_port is None:
                    raise errors.new_internal_error(f"failed to allocate a nodePort: {ERR_FULL}")
                used.add(node_port)
                sp["nodePort"] = node_port
                by_service_port[port] = node_port
        elif sp.get("nodePort") and int(sp["nodePort"]) != allocated:
            problem = rng.check(int(sp["nodePort"]), used)
            if problem:
                raise _invalid(svc, ("spec", "ports", i, "nodePort"), sp["nodePort"], problem)
            used.add(int(sp["nodePort"]))
        elif not sp.get("nodePort"):
            sp["nodePort"] = allocated


def _update_node_ports(svc: dict, old: dict, rng: PortRange, used: set[int]) -> None:
    """updateNodePorts: keep the old ports, allocate new requests and the missing ones."""
    old_numbers = set(service_node_ports(old))
    allocate = should_allocate_node_ports(svc)
    seen: set[int] = set()
    for i, sp in enumerate(svc["spec"]["ports"]):
        if not sp.get("nodePort") and not allocate:
            continue
        if sp.get("nodePort"):
            np = int(sp["nodePort"])
            if np not in old_numbers and np not in seen:
                problem = rng.check(np, used)
                if problem:
                    raise _invalid(svc, ("spec", "ports", i, "nodePort"), np, problem)
                used.add(np)
                seen.add(np)
        else:
            np = rng.allocate_next(_key(svc, f"{sp.get('port')}/{sp.get('protocol') or 'TCP'}"), used | old_numbers)
            if np is None:
                raise errors.new_internal_error(f"failed to allocate a nodePort: {ERR_FULL}")
            used.add(np)
            sp["nodePort"] = np


def _health_check_node_port(svc: dict, old: dict | None, rng: PortRange, used: set[int]) -> None:
    """allocHealthCheckNodePort (create) / updateHealthCheckNodePort (update)."""
    spec = svc["spec"]
    needs = needs_health_check(svc)
    needed = old is not None and needs_health_check(old)
    if not needs:
        if needed:
            spec.pop("healthCheckNodePort", None)  # released with the old object
        return
    if needed:
        old_port = (old.get("spec") or {}).get("healthCheckNodePort") or 0
        new_port = spec.get("healthCheckNodePort") or 0
        if not new_port:
            spec["healthCheckNodePort"] = old_port
        elif new_port != old_port:
            raise _invalid(svc, ("spec", "healthCheckNodePort"), new_port,
                           "cannot change healthCheckNodePort on loadBalancer service with externalTraffic=Local during update")
        return
    requested = spec.get("healthCheckNodePort") or 0
    taken = used | {p.get("nodePort") for p in spec.get("ports") or () if p.get("nodePort")}
    if requested:
        problem = rng.check(int(requested), taken)
        if problem:
            raise errors.new_internal_error(f"failed to allocate requested HealthCheck NodePort {requested}: {problem}")
        used.add(int(requested))
        return
    port = rng.allocate_next(_key(svc, "healthCheckNodePort"), taken)
    if port is None:
        raise errors.new_internal_error(f"failed to allocate a HealthCheck NodePort 0: {ERR_FULL}")
    used.add(port)
    spec["healthCheckNodePort"] = port
