"""Where would a request go? A trace through Ingress, Service and kube-proxy to endpoints.

Entry points, in the order a target is recognised:

- ``svc/NAME:PORT`` (port number or name): from inside the cluster, to the Service.
- ``SCHEME://HOST[:PORT]/PATH`` where HOST is
  - a cluster DNS name (``web``, ``web.shop.svc.cluster.local``; resolved with the asking
    pod's search path, ``--from``, else a pod of the namespace) -> that Service's port;
  - a ClusterIP -> that Service port; a node's InternalIP and a ``nodePort`` -> NodePort;
    a Service's load-balancer address and port -> that LoadBalancer Service;
  - the ingress controller's address, or any other name (as if public DNS pointed it at the
    controller) -> Ingress routing (``kctl.networking.ingress.match_request``) on port 80/443.
- Ingress: HTTP to a host with a usable TLS entry is redirected (ingress-nginx's 308, unless
  ``nginx.ingress.kubernetes.io/ssl-redirect: "false"``; ``force-ssl-redirect: "true"``
  redirects without TLS too). HTTPS terminates with the entry's Secret when the TLS checks
  pass, else ingress-nginx presents its "Kubernetes Ingress Controller Fake Certificate".
- kube-proxy: ready endpoints of the ServicePort (from EndpointSlices) share traffic evenly,
  1/N each (iptables' random probabilities, IPVS round robin). ``externalTrafficPolicy:
  Local`` keeps NodePort traffic on the receiving node's endpoints, and makes a load
  balancer send only to nodes with local endpoints (evenly per node, then per endpoint);
  ``internalTrafficPolicy: Local`` keeps in-cluster traffic on the asking pod's node. A
  headless Service has no kube-proxy rules: DNS hands the client the endpoint addresses.
- ingress-nginx proxies to the endpoints itself, round robin (its default), never through
  the ClusterIP, so Service traffic policies do not apply to it.
- From outside the cluster (no ``--from``), ClusterIPs and ``*.cluster.local`` names are not
  reachable: the trace says so.
- Failures end the trace with the exact reason: no rule and no default backend (404), no
  such Service or port, no ready endpoints (503), an address nothing owns.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kctl.networking.ingress import (
    CATCH_ALL_SERVER,
    SECRETS,
    SERVICES,
    Endpoint,
    host_matches,
    match_request,
    normalize_host,
    served_ingresses,
    service_endpoints,
    service_port,
)

SSL_REDIRECT = "nginx.ingress.kubernetes.io/ssl-redirect"
FORCE_SSL_REDIRECT = "nginx.ingress.kubernetes.io/force-ssl-redirect"
FAKE_CERTIFICATE = "Kubernetes Ingress Controller Fake Certificate"


@dataclass
class Trace:
    request: str
    steps: list[tuple[str, str]] = field(default_factory=list)
    #: (endpoint, share) of the endpoints that would receive the request.
    endpoints: list[tuple[Endpoint, float]] = field(default_factory=list)
    error: str | None = None

    def step(self, label: str, text: str) -> None:
        self.steps.append((label, text))

    def fail(self, message: str) -> Trace:
        self.error = message
        return self


def trace(view, target: str, *, namespace: str = "default", pod: dict | None = None, now=None) -> Trace:
    if "://" not in target and target.startswith(("svc/", "service/", "services/")):
        return trace_service_ref(view, target, namespace=namespace, pod=pod)
    if "://" not in target:
        target = "http://" + target
    return trace_url(view, target, namespace=namespace, pod=pod, now=now)


def trace_service_ref(view, ref: str, *, namespace: str, pod: dict | None = None) -> Trace:
    t = Trace(f"{ref} (from {_origin(pod, namespace) if pod else 'inside the cluster, namespace ' + namespace})")
    name, _, port = ref.partition("/")[2].partition(":")
    svc = view.get(SERVICES, namespace, name)
    if svc is None:
        return t.fail(f'services "{name}" not found in namespace {namespace}')
    port_ref = {"number": int(port)} if port.isdigit() else ({"name": port} if port else None)
    if port_ref is None:
        ports = (svc.get("spec") or {}).get("ports") or []
        if len(ports) != 1:
            return t.fail(f"service {namespace}/{name} has {len(ports)} ports: name one (svc/{name}:PORT)")
        port_ref = {"number": ports[0].get("port")}
    return _to_service(view, t, svc, port_ref, pod=pod, via="cluster")


def trace_url(view, url: str, *, namespace: str = "default", pod: dict | None = None, now=None) -> Trace:
    from kctl.controllers.ingress import INGRESS_ADDRESS

    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    host = normalize_host(parts.hostname or "")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        return Trace(url).fail(f"invalid port in {url}")
    path = parts.path or "/"
    t = Trace(f"{scheme.upper()} {url} (from {_origin(pod, namespace)})")
    if _is_ip(host):
        if host == INGRESS_ADDRESS:
            return _ingress(view, t, scheme, host, port, path, now)
        return _by_address(view, t, host, port, pod)
    if pod is None and host.endswith(".cluster.local"):
        return t.fail(f"{host}: cluster DNS names resolve only inside the cluster (add --from POD)")
    svc = _cluster_name(view, host, namespace, pod)
    if svc is not None:
        t.step("dns", f"{host} -> service {_service_name(svc)} ({(svc.get('spec') or {}).get('clusterIP')})")
        return _to_service(view, t, svc, {"number": port}, pod=pod, via="cluster")
    t.step("dns", f"{host} -> {INGRESS_ADDRESS} (the ingress controller's address, as public DNS would point it)")
    return _ingress(view, t, scheme, host, port, path, now)


# -- entry points ------------------------------------------------------------------------


def _ingress(view, t: Trace, scheme: str, host: str, port: int, path: str, now) -> Trace:
    from kctl.controllers.ingress import INGRESS_ADDRESS

    if port not in (80, 443):
        return t.fail(f"the ingress controller at {INGRESS_ADDRESS} listens on ports 80 and 443, not {port}")
    if (scheme == "https") != (port == 443):
        t.step("note", f"{scheme} on port {port}")
    ingresses = served_ingresses(view)
    if not ingresses:
        return t.fail("no Ingress is served by kctl's ingress controller (it serves the IngressClasses whose "
                      "controller is k8s.io/ingress-nginx or kctl.io/ingress)")
    t.step("ingress", f"{INGRESS_ADDRESS}:{port} (ingress-nginx), Host: {host}, path {path}")
    m = match_request(ingresses, host, path)
    for c, why in m.losers:
        t.step("lost", f"{c.where} {c.describe()}: {why}")
    cert = server_certificate(view, ingresses, m.server, now)
    owner = m.winner.ingress if m.winner else (m.default_backend[0] if m.default_backend else cert.first)
    annotations = ((owner or {}).get("metadata") or {}).get("annotations") or {}
    if m.winner:
        t.step("rule", f"{m.winner.where} {m.winner.describe()}")
    elif m.default_backend:
        meta = m.default_backend[0].get("metadata") or {}
        t.step("rule", f"no rule matches in server {m.server}: defaultBackend of ingress "
                       f"{meta.get('namespace', 'default')}/{meta.get('name', '')}")
    if scheme == "http":
        force = annotations.get(FORCE_SSL_REDIRECT) == "true"
        if force or (cert.kind != NO_CERTIFICATE and annotations.get(SSL_REDIRECT, "true") != "false"):
            why = "force-ssl-redirect" if force else f"TLS is configured for {m.server}"
            t.step("redirect", f"308 Permanent Redirect to https://{host}{path} ({why})")
            return t
    else:
        t.step("tls", cert.describe(m.server))
    if m.winner is None and m.default_backend is None:
        where = "the catch-all server _" if m.server == CATCH_ALL_SERVER else f"server {m.server}"
        return t.fail(f"no rule matches host {host} path {path} in {where}, and it has no defaultBackend: "
                      "ingress-nginx's default backend answers 404 Not Found")
    ing = m.winner.ingress if m.winner else m.default_backend[0]
    backend = m.winner.backend if m.winner else m.default_backend[1]
    ns = (ing.get("metadata") or {}).get("namespace") or "default"
    if backend.get("resource") is not None:
        r = backend["resource"]
        return t.fail(f"resource backend {r.get('kind', '')}/{r.get('name', '')}: kctl's ingress controller "
                      "serves Service backends only")
    sb = backend.get("service") or {}
    svc = view.get(SERVICES, ns, sb.get("name") or "")
    if svc is None:
        return t.fail(f'service "{sb.get("name", "")}" not found in namespace {ns}: ingress-nginx answers 503')
    return _to_service(view, t, svc, sb.get("port") or {}, via="ingress")


NO_CERTIFICATE, SECRET_CERTIFICATE, FAKE = "none", "secret", "fake"


@dataclass
class ServerCertificate:
    """The certificate an ingress-nginx server presents (``createServers``' SSL pass)."""

    kind: str  # none | secret | fake
    #: The first Ingress with a rule for the server's host (its root location's owner).
    first: dict | None = None
    secret: str = ""  # namespace/name
    problems: list[str] = field(default_factory=list)

    def describe(self, server: str) -> str:
        if self.kind == SECRET_CERTIFICATE:
            text = f"terminated at the controller with secret {self.secret}"
            return text + (f" ({self.problems[0]}: served anyway, clients reject it)" if self.problems else "")
        if self.kind == FAKE and self.problems:
            return f"{self.problems[0]}: the controller presents its {FAKE_CERTIFICATE}"
        if server == CATCH_ALL_SERVER:
            return f"the catch-all server _ presents the controller's {FAKE_CERTIFICATE}"
        return f"no spec.tls entry covers {server}: the controller presents its {FAKE_CERTIFICATE}"


def server_certificate(view, ingresses: list[dict], server: str, now) -> ServerCertificate:
    """The first Ingress (in ingress-nginx's order) with a rule for ``server`` and a TLS
    section decides: the entry listing the host, else an entry whose certificate covers it
    (``extractTLSSecretName``); none, an empty secretName or a Secret that fails the checks
    (other than expiry) -> the fake certificate."""
    from kctl.networking.ingress_tls import (
        is_expiry,
        load_certificate,
        name_covers,
        secret_data,
        tls_problems,
    )

    first = None
    if server == CATCH_ALL_SERVER:
        return ServerCertificate(NO_CERTIFICATE)
    for ing in ingresses:
        spec = ing.get("spec") or {}
        if not any(((r or {}).get("host") or "").lower() == server for r in spec.get("rules") or ()):
            continue
        first = first or ing
        entries = [e or {} for e in spec.get("tls") or ()]
        if not entries:
            continue
        ns = (ing.get("metadata") or {}).get("namespace") or "default"
        name = next((e.get("secretName") or "" for e in entries
                     if any((h or "").lower() == server for h in e.get("hosts") or ())), None)
        if name is None:
            for e in entries:
                secret = view.get(SECRETS, ns, e.get("secretName") or "") if e.get("secretName") else None
                cert = load_certificate(secret_data(secret, "tls.crt") or b"") if secret else None
                if cert is not None and any(name_covers(n, server) for n in cert.names):
                    name = e["secretName"]
                    break
        if not name:
            why = f"no spec.tls entry of ingress {ns}/{(ing.get('metadata') or {}).get('name', '')} covers {server}"
            return ServerCertificate(FAKE, first, problems=[why])
        problems = tls_problems(view.get(SECRETS, ns, name), name, [server], now) if now else []
        if all(is_expiry(p) for p in problems):
            return ServerCertificate(SECRET_CERTIFICATE, first, f"{ns}/{name}", problems)
        return ServerCertificate(FAKE, first, f"{ns}/{name}", [next(p for p in problems if not is_expiry(p))])
    return ServerCertificate(NO_CERTIFICATE, first)


def _by_address(view, t: Trace, ip: str, port: int, pod: dict | None) -> Trace:
    for svc in view.list(SERVICES):
        spec = svc.get("spec") or {}
        if ip in (spec.get("clusterIPs") or [spec.get("clusterIP")]):
            if pod is None:
                return t.fail(f"{ip} is the ClusterIP of service {_service_name(svc)}: a virtual IP only kube-proxy "
                              "on the cluster's nodes routes (add --from POD, or trace svc/NAME:PORT)")
            return _to_service(view, t, svc, {"number": port}, pod=pod, via="cluster")
        lb = [i.get("ip") for i in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()]
        if ip in lb or ip in (spec.get("externalIPs") or ()):
            t.step("loadbalancer", f"{ip}:{port} -> service {_service_name(svc)}")
            return _to_service(view, t, svc, {"number": port}, via="loadbalancer")
    for node in view.list("nodes"):
        addresses = [a.get("address") for a in (node.get("status") or {}).get("addresses") or ()]
        if ip in addresses:
            node_name = (node.get("metadata") or {}).get("name", "")
            for svc in view.list(SERVICES):
                for sp in (svc.get("spec") or {}).get("ports") or ():
                    if sp.get("nodePort") == port:
                        t.step("nodeport", f"node {node_name} {ip}:{port} -> service {_service_name(svc)}")
                        return _to_service(view, t, svc, {"number": sp.get("port")}, via="nodeport", node=node_name)
            return t.fail(f"node {node_name} ({ip}): no Service has nodePort {port}")
    for p in view.list("pods"):
        if (p.get("status") or {}).get("podIP") == ip:
            meta = p.get("metadata") or {}
            t.step("pod", f"{ip} is pod {meta.get('namespace')}/{meta.get('name')} (no Service, no load balancing)")
            return t
    return t.fail(f"no Service, node, load balancer or pod has the address {ip}")


def _to_service(view, t: Trace, svc: dict, port_ref: dict, *, pod: dict | None = None, via: str,
                node: str | None = None) -> Trace:
    spec = svc.get("spec") or {}
    name = _service_name(svc)
    if spec.get("type") == "ExternalName":
        t.step("service", f"{name} is ExternalName: CNAME {spec.get('externalName', '')} (no proxying)")
        return t
    sp = service_port(svc, port_ref)
    if sp is None:
        exposed = ", ".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}" + (f" ({p['name']})" if p.get("name") else "")
                            for p in spec.get("ports") or ()) or "none"
        wanted = port_ref.get("number") or f'"{port_ref.get("name", "")}"'
        return t.fail(f"service {name} does not expose port {wanted} (ports: {exposed})")
    target = sp.get("targetPort", sp.get("port"))
    port_name = f" ({sp['name']})" if sp.get("name") else ""
    t.step("service", f"{name} port {sp.get('port')}{port_name} -> targetPort {target}")
    endpoints = service_endpoints(view, svc, sp)
    ready = [e for e in endpoints if e.ready]
    not_ready = len(endpoints) - len(ready)
    if not ready:
        extra = f" ({not_ready} not ready)" if not_ready else ""
        answer = ": ingress-nginx answers 503 Service Unavailable" if via == "ingress" else ": connection refused"
        return t.fail(f"service {name} has no ready endpoints{extra}{answer}")
    if spec.get("clusterIP") == "None":
        t.step("kube-proxy", "headless Service: no virtual IP; DNS returns the endpoint addresses and the client picks")
        t.step("endpoints", f"{len(ready)} ready" + (f", {not_ready} not ready (not in DNS)" if not_ready else "")
               + f"; a client that spreads evenly over the answers sends 1/{len(ready)} to each")
        t.endpoints = [(e, 1 / len(ready)) for e in ready]
        return t
    if via == "nodeport" and spec.get("externalTrafficPolicy") == "Local":
        ready = [e for e in ready if e.node == node]
        t.step("kube-proxy", f"externalTrafficPolicy Local: only endpoints on {node}")
        if not ready:
            return t.fail(f"no ready endpoint of {name} runs on {node}: externalTrafficPolicy Local drops the packet")
    if via == "cluster" and pod is not None and spec.get("internalTrafficPolicy") == "Local":
        pod_node = (pod.get("spec") or {}).get("nodeName")
        ready = [e for e in ready if e.node == pod_node]
        t.step("kube-proxy", f"internalTrafficPolicy Local: only endpoints on {pod_node}")
        if not ready:
            return t.fail(f"no ready endpoint of {name} runs on {pod_node}: internalTrafficPolicy Local drops it")
    counts = f"{len(ready)} ready" + (f", {not_ready} not ready (no traffic)" if not_ready else "")
    if via == "ingress":
        # ingress-nginx proxies to the endpoints itself (its upstream is the endpoint list, not the
        # ClusterIP) with its default load-balance algorithm, round_robin.
        t.step("endpoints", f"{counts}; ingress-nginx balances round-robin over them (not through the "
                            f"ClusterIP), 1/{len(ready)} each")
        t.endpoints = [(e, 1 / len(ready)) for e in ready]
        return t
    if spec.get("sessionAffinity") == "ClientIP":
        t.step("kube-proxy", "sessionAffinity ClientIP: each client sticks to one endpoint")
    if via == "loadbalancer" and spec.get("externalTrafficPolicy") == "Local":
        nodes: dict[str, list] = {}
        for e in ready:
            nodes.setdefault(e.node, []).append(e)
        t.step("kube-proxy", f"externalTrafficPolicy Local: the load balancer sends only to the {len(nodes)} node(s) "
                             "with a ready endpoint (healthCheckNodePort), evenly; each node to its own endpoints")
        t.step("endpoints", counts)
        t.endpoints = [(e, 1 / len(nodes) / len(nodes[e.node])) for e in ready]
        return t
    t.step("endpoints", f"{counts}; kube-proxy spreads evenly, 1/{len(ready)} each")
    share = 1 / len(ready)
    t.endpoints = [(e, share) for e in ready]
    return t


# -- helpers -----------------------------------------------------------------------------


def _cluster_name(view, host: str, namespace: str, pod: dict | None) -> dict | None:
    """The Service a name resolves to through the cluster DNS, or None."""
    from kctl.networking.dns import resolve

    if pod is None and not host.endswith(".cluster.local"):
        return None  # from outside, cluster names do not resolve
    result = resolve(view, host, "A", namespace, pod)
    if result.rcode != "NOERROR":
        return None
    labels = result.final.name.rstrip(".").split(".")
    if len(labels) >= 5 and labels[-3] == "svc":
        return view.get(SERVICES, labels[-4], labels[-5])
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _service_name(svc: dict) -> str:
    meta = svc.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def _origin(pod: dict | None, namespace: str) -> str:
    if pod is None:
        return "outside the cluster"
    meta = pod.get("metadata") or {}
    return f"pod {meta.get('namespace', namespace)}/{meta.get('name', '')}"


__all__ = ["Trace", "host_matches", "trace", "trace_service_ref", "trace_url"]
