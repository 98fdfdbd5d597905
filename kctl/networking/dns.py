"""Cluster DNS: the answers CoreDNS's ``kubernetes`` plugin gives, and a pod's resolver.

Mirrors coredns ``plugin/kubernetes`` with kubeadm's Corefile (``kubernetes cluster.local
in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }``) and
the kubelet's resolv.conf for ``dnsPolicy: ClusterFirst`` pods:

- ``<svc>.<ns>.svc.cluster.local``: A (AAAA) -> the ClusterIP(s) of that family; headless
  -> one record per ready endpoint (every endpoint with ``publishNotReadyAddresses``), and
  NXDOMAIN when there is none (``findServices`` found no item);
  ExternalName -> a CNAME to ``spec.externalName`` (for any query type).
- ``<endpoint>.<svc>.<ns>.svc.cluster.local`` (headless only): the endpoint's hostname
  (StatefulSet pods: the pod name) or its IP with ``.``/``:`` replaced by ``-``.
- SRV ``_<port>._<proto>.<svc>.<ns>.svc.cluster.local`` for named ports (a plain
  ``<svc>.<ns>.svc.cluster.local`` SRV query answers every port): ClusterIP -> ``0 W <port>
  <svc fqdn>``; headless -> one record per endpoint and port, to the endpoint's own name.
  Priority 0; CoreDNS's ``backend_lookup`` gives each of the N records of the answer the
  weight ``floor(100 / N)`` (at least 1), so a single record has weight 100.
- ``<a-b-c-d>.<ns>.pod.cluster.local`` -> ``a.b.c.d`` (``pods insecure``: the IP is not
  checked against pods, but the namespace must exist, as CoreDNS's ``namespaceExposed``).
- PTR ``d.c.b.a.in-addr.arpa`` -> the first Service owning that ClusterIP, else one name per
  ready endpoint (of any Service) with that address: ``<hostname or a-b-c-d>.<svc>.<ns>.svc``
  (``serviceRecordForIP``).
- A name that does not exist is NXDOMAIN; a name that exists without records of the asked
  type is NOERROR with an empty answer (NODATA). Every record has TTL 30.
- Resolver: ``search <ns>.svc.cluster.local svc.cluster.local cluster.local`` and
  ``options ndots:5`` (plus the pod's ``dnsConfig``); a name with fewer than ndots dots
  tries the search list first, then the name as is; a name ending in ``.`` is absolute.
  As glibc's ``res_search``: the first answer with records ends the search; NXDOMAIN and
  NODATA keep it going; when nothing answers, the result is the as-is answer if the name
  was tried as is first, else NODATA if some name had no records of the type, else NXDOMAIN.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

CLUSTER_DOMAIN = "cluster.local"
DNS_SERVICE_IP = "10.96.0.10"
TTL = 30
NDOTS = 5
RECORD_TYPES = ("A", "AAAA", "SRV", "CNAME", "PTR")

SERVICES = "services"
PODS = "pods"
NAMESPACES = "namespaces"
ENDPOINT_SLICES = "endpointslices.discovery.k8s.io"
LABEL_SERVICE_NAME = "kubernetes.io/service-name"


@dataclass(frozen=True)
class Record:
    name: str  # absolute, with the trailing dot
    type: str
    data: str
    ttl: int = TTL

    def line(self) -> str:
        """A dig answer-section line."""
        return f"{self.name}\t{self.ttl}\tIN\t{self.type}\t{self.data}"


@dataclass
class Answer:
    """What the server said for one absolute name."""

    name: str
    rcode: str  # NOERROR | NXDOMAIN
    records: list[Record] = field(default_factory=list)


@dataclass
class Resolution:
    """A resolver's walk through the search list."""

    query: str
    type: str
    tried: list[Answer]
    search: list[str]
    ndots: int
    #: The answer the resolver returns (``res_search``'s choice among ``tried``).
    answer: Answer | None = None

    @property
    def final(self) -> Answer:
        return self.answer or self.tried[-1]

    @property
    def rcode(self) -> str:
        return self.final.rcode


def dashed(ip: str) -> str:
    return ip.replace(".", "-").replace(":", "-")


def reverse_name(ip: str) -> str:
    return ipaddress.ip_address(ip).reverse_pointer + "."


def search_path(namespace: str, domain: str = CLUSTER_DOMAIN) -> list[str]:
    return [f"{namespace}.svc.{domain}", f"svc.{domain}", domain]


def resolv_conf(pod: dict | None, namespace: str) -> tuple[list[str], int]:
    """(search list, ndots) of a pod's /etc/resolv.conf (kubelet's ``dns.Configurer``)."""
    search, ndots = search_path(namespace), NDOTS
    if pod is None:
        return search, ndots
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy == "Default" or (policy == "ClusterFirst" and spec.get("hostNetwork")):
        search, ndots = [], 1  # the node's resolv.conf: no cluster search domains
    elif policy == "None":
        search, ndots = [], 1
    config = spec.get("dnsConfig") or {}
    for s in config.get("searches") or ():
        if s not in search:
            search.append(s)
    for opt in config.get("options") or ():
        if opt.get("name") == "ndots" and str(opt.get("value", "")).isdigit():
            ndots = int(opt["value"])
    return search, ndots


def expand(name: str, search: list[str], ndots: int) -> list[str]:
    """The absolute names a resolver tries, in order."""
    if name.endswith("."):
        return [name]
    with_search = [f"{name}.{s}." for s in search]
    if name.count(".") >= ndots:
        return [f"{name}.", *with_search]
    return [*with_search, f"{name}."]


class ClusterDNS:
    """CoreDNS's kubernetes plugin over a ClusterView (services, endpoint slices)."""

    def __init__(self, view, domain: str = CLUSTER_DOMAIN):
        self.view = view
        self.domain = domain

    # -- helpers -----------------------------------------------------------------------
    def service_fqdn(self, svc: dict) -> str:
        meta = svc.get("metadata") or {}
        return f"{meta.get('name', '')}.{meta.get('namespace', '')}.svc.{self.domain}."

    def endpoints(self, svc: dict) -> list[tuple[str, str, dict, dict]]:
        """(name label, ip, endpoint, slice) of a Service's served endpoints, in slice order."""
        meta = svc.get("metadata") or {}
        publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
        out, seen = [], set()
        for s in self.view.list(ENDPOINT_SLICES, meta.get("namespace")):
            if ((s.get("metadata") or {}).get("labels") or {}).get(LABEL_SERVICE_NAME) != meta.get("name"):
                continue
            for ep in s.get("endpoints") or ():
                ready = (ep.get("conditions") or {}).get("ready")
                if not (publish or ready is None or ready):
                    continue
                for ip in ep.get("addresses") or ():
                    if ip in seen:
                        continue
                    seen.add(ip)
                    out.append((ep.get("hostname") or dashed(ip), ip, ep, s))
        return out

    @staticmethod
    def is_headless(svc: dict) -> bool:
        return (svc.get("spec") or {}).get("clusterIP") == "None"

    # -- lookups -------------------------------------------------------------------------
    def lookup(self, fqdn: str, qtype: str) -> Answer:
        name = fqdn.lower()
        if not name.endswith("."):
            name += "."
        if name.endswith(".in-addr.arpa.") or name.endswith(".ip6.arpa."):
            return self._reverse(name, qtype)
        zone = f".{self.domain}."
        if not name.endswith(zone):
            return Answer(name, "NXDOMAIN")  # outside the cluster zone (no upstream in kctl)
        labels = name[: -len(zone)].split(".")
        if len(labels) >= 2 and labels[-1] == "pod":
            return self._pod(name, labels[:-1], qtype)
        if labels and labels[-1] == "svc":
            return self._service(name, labels[:-1], qtype)
        return Answer(name, "NXDOMAIN")

    def namespace_exists(self, namespace: str) -> bool:
        """Namespaces are checked when the view holds them (``kctl dns`` reads them)."""
        known = self.view.list(NAMESPACES)
        return not known or any((n.get("metadata") or {}).get("name") == namespace for n in known)

    def _pod(self, name: str, labels: list[str], qtype: str) -> Answer:
        if len(labels) != 2 or not self.namespace_exists(labels[1]):
            return Answer(name, "NXDOMAIN")
        ip = labels[0].replace("-", ".")
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            try:
                addr = ipaddress.ip_address(labels[0].replace("-", ":"))
            except ValueError:
                return Answer(name, "NXDOMAIN")
        want = "A" if addr.version == 4 else "AAAA"
        records = [Record(name, want, str(addr))] if qtype == want else []
        return Answer(name, "NOERROR", records)

    def _service(self, name: str, labels: list[str], qtype: str) -> Answer:
        port = proto = None
        if len(labels) == 4 and labels[0].startswith("_") and labels[1].startswith("_"):
            port, proto, labels = labels[0][1:], labels[1][1:], labels[2:]
        if len(labels) == 1:  # <ns>.svc: the namespace itself
            return Answer(name, "NOERROR" if self.view.list(SERVICES, labels[0]) else "NXDOMAIN")
        if len(labels) not in (2, 3):
            return Answer(name, "NXDOMAIN")
        svc = self.view.get(SERVICES, labels[-1], labels[-2])
        if svc is None:
            return Answer(name, "NXDOMAIN")
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            if len(labels) == 3 or port is not None:
                return Answer(name, "NXDOMAIN")
            return Answer(name, "NOERROR", [Record(name, "CNAME", spec.get("externalName", "").rstrip(".") + ".")])
        if len(labels) == 3:  # <endpoint>.<svc>.<ns>.svc
            if port is not None or not self.is_headless(svc):
                return Answer(name, "NXDOMAIN")
            hits = [(n, ip) for n, ip, _, _ in self.endpoints(svc) if n == labels[0]]
            if not hits:
                return Answer(name, "NXDOMAIN")
            return Answer(name, "NOERROR", self._address_records(name, [ip for _, ip in hits], qtype))
        if port is not None or qtype == "SRV":
            return self._srv(name, svc, port, proto, qtype)
        if self.is_headless(svc):
            ips = [ip for _, ip, _, _ in self.endpoints(svc)]
            if not ips:  # findServices: no address answered -> errNoItems -> NXDOMAIN
                return Answer(name, "NXDOMAIN")
        else:
            ips = list(spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []))
        return Answer(name, "NOERROR", self._address_records(name, ips, qtype))

    @staticmethod
    def _address_records(name: str, ips: list[str], qtype: str) -> list[Record]:
        out = []
        for ip in ips:
            version = ipaddress.ip_address(ip).version
            if (qtype, version) in (("A", 4), ("AAAA", 6)):
                out.append(Record(name, qtype, ip))
        return out

    def _srv(self, name: str, svc: dict, port: str | None, proto: str | None, qtype: str) -> Answer:
        ports = [
            sp for sp in (svc.get("spec") or {}).get("ports") or ()
            if (port is None or (sp.get("name") or "") == port)
            and (proto is None or (sp.get("protocol") or "TCP").lower() == proto)
        ]
        if port is not None and not ports:
            return Answer(name, "NXDOMAIN")
        if self.is_headless(svc) and not self.endpoints(svc):
            return Answer(name, "NXDOMAIN")
        if qtype != "SRV":
            return Answer(name, "NOERROR")
        targets = []  # (port, target name)
        fqdn = self.service_fqdn(svc)
        for sp in ports:
            if not self.is_headless(svc):
                targets.append((sp.get("port"), fqdn))
                continue
            for n, _, _, s in self.endpoints(svc):
                target_port = next((p.get("port") for p in s.get("ports") or ()
                                    if (p.get("name") or "") == (sp.get("name") or "")), sp.get("port"))
                targets.append((target_port, f"{n}.{fqdn}"))
        weight = max(1, 100 // len(targets)) if targets else 0
        return Answer(name, "NOERROR", [Record(name, "SRV", f"0 {weight} {p} {t}") for p, t in targets])

    def _reverse(self, name: str, qtype: str) -> Answer:
        try:
            if name.endswith(".in-addr.arpa."):
                ip = str(ipaddress.ip_address(".".join(reversed(name[: -len(".in-addr.arpa.")].split(".")))))
            else:
                nibbles = "".join(reversed(name[: -len(".ip6.arpa.")].split(".")))
                ip = str(ipaddress.ip_address(":".join(nibbles[i:i + 4] for i in range(0, 32, 4))))
        except ValueError:
            return Answer(name, "NXDOMAIN")
        targets = []
        for svc in self.view.list(SERVICES):
            spec = svc.get("spec") or {}
            if ip in (spec.get("clusterIPs") or [spec.get("clusterIP")]):
                targets = [self.service_fqdn(svc)]
                break
        else:
            for svc in self.view.list(SERVICES):
                for n, eip, _, _ in self.endpoints(svc):
                    if eip == ip:
                        targets.append(f"{n}.{self.service_fqdn(svc)}")
        if not targets:
            return Answer(name, "NXDOMAIN")
        return Answer(name, "NOERROR", [Record(name, "PTR", t) for t in targets] if qtype == "PTR" else [])


def resolve(view, name: str, qtype: str = "A", namespace: str = "default", pod: dict | None = None) -> Resolution:
    """Resolve ``name`` as a resolver in ``pod`` (or a ClusterFirst pod of ``namespace``) would."""
    qtype = qtype.upper()
    server = ClusterDNS(view)
    if qtype == "PTR" and not name.endswith(".arpa") and not name.endswith(".arpa."):
        name = _reverse_or_same(name)  # dig -x
    search, ndots = resolv_conf(pod, namespace)
    tried: list[Answer] = []
    answer = None
    for fqdn in expand(name, search, ndots):
        got = server.lookup(fqdn, qtype)
        tried.append(got)
        if got.records:
            answer = got
            break
    if answer is None:
        as_is_first = name.endswith(".") or name.count(".") >= ndots
        nodata = [a for a in tried if a.rcode == "NOERROR"]
        answer = tried[0] if as_is_first else (nodata[0] if nodata else tried[-1])
    return Resolution(name, qtype, tried, search, ndots, answer)


def _reverse_or_same(name: str) -> str:
    try:
        return reverse_name(name)
    except ValueError:
        return name


__all__ = ["ClusterDNS", "Record", "Resolution", "expand", "resolv_conf", "resolve", "search_path"]
