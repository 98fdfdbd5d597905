"""Ingress semantics: which rule a request matches, which Service port it reaches, and
what is wrong with an Ingress (the checks ``kctl apply`` warns about).

Mirrors the networking.k8s.io/v1 API documentation ("Ingress": path types, host
wildcards, defaultBackend), ``plugin/pkg/admission/network/defaultingressclass`` and the
way ingress-nginx merges the Ingresses of its class into servers and locations:

- Host: a rule's ``host`` is an exact DNS name or a single leading wildcard label;
  ``*.foo.com`` matches ``bar.foo.com``, not ``baz.bar.foo.com`` and not ``foo.com``.
  Hosts compare case-insensitively, without the request's ``:port``. Rules with an exact
  host beat rules with a wildcard host, which beat rules without a host (ingress-nginx's
  catch-all server ``_``): only the best tier's paths are considered.
- Path: ``Exact`` is the whole path, case sensitive (``/foo`` is not ``/foo/``); ``Prefix``
  is element-wise on ``/``-split segments, trailing slash ignored (``/foo`` matches
  ``/foo``, ``/foo/`` and ``/foo/bar``, not ``/foobar``); ``ImplementationSpecific`` is what
  ingress-nginx does with it when no regex annotation is set: an nginx prefix ``location``
  left as written (``updateServerLocations`` only rewrites ``Prefix`` paths), i.e. a plain
  string prefix, so ``/foo`` does match ``/foobar``.
- Precedence among matching paths: the longest path wins (a ``Prefix`` path's trailing
  slash does not count: ingress-nginx keeps ``= /foo`` for an Exact ``/foo`` rather than
  adding one for a Prefix ``/foo/``); at equal length ``Exact`` beats the others; then the
  first Ingress in ingress-nginx's order (``sortIngressSlice``: creationTimestamp, oldest
  first; equal timestamps by ``namespace/name`` *descending*), then rule and path order
  (ingress-nginx keeps the first location it sees for a duplicate path).
- Nothing matches (``createServers``): a host's server answers with the ``defaultBackend``
  of the first Ingress (in that order) with a rule for that host, else the controller's own
  default backend (404); the catch-all server ``_`` (rules without host, and hosts no rule
  names) answers with the ``defaultBackend`` of the *last* Ingress that has one, else 404.
- Classes: an Ingress belongs to ``spec.ingressClassName`` (or the legacy annotation
  ``kubernetes.io/ingress.class``); kctl's simulated controller serves the classes whose
  IngressClass names the controller ``k8s.io/ingress-nginx`` or ``kctl.io/ingress``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INGRESS = "ingresses.networking.k8s.io"
INGRESS_CLASS = "ingressclasses.networking.k8s.io"
SERVICES = "services"
SECRETS = "secrets"
ENDPOINT_SLICES = "endpointslices.discovery.k8s.io"
LABEL_SERVICE_NAME = "kubernetes.io/service-name"

#: plugin/pkg/admission/network/defaultingressclass and networking/v1's IngressClass docs.
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
#: spec.controller values kctl's simulated ingress controller answers for.
HANDLED_CONTROLLERS = ("k8s.io/ingress-nginx", "kctl.io/ingress")

EXACT, PREFIX, IMPLEMENTATION_SPECIFIC = "Exact", "Prefix", "ImplementationSpecific"
#: ingress-nginx's ``defServerName``: the catch-all server.
CATCH_ALL_SERVER = "_"


# -- IngressClass --------------------------------------------------------------------------


def is_default_class(ic: dict) -> bool:
    return ((ic.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"


def default_ingress_class(classes: list[dict]) -> dict | None:
    """The class the DefaultIngressClass admission plugin picks: among the classes
    annotated ``is-default-class: "true"``, the newest (creationTimestamp; equal -> the
    name that sorts first, as upstream's sort is by timestamp then name)."""
    defaults = [ic for ic in classes if is_default_class(ic)]
    if not defaults:
        return None
    newest = max((ic.get("metadata") or {}).get("creationTimestamp") or "" for ic in defaults)
    tied = [ic for ic in defaults if ((ic.get("metadata") or {}).get("creationTimestamp") or "") == newest]
    return min(tied, key=lambda ic: (ic.get("metadata") or {}).get("name", ""))


def admit_default_ingress_class(ingress: dict, classes: list[dict]) -> None:
    """DefaultIngressClass admission (create only): set ``spec.ingressClassName`` to the
    default class when neither it nor the legacy annotation names a class."""
    spec = ingress.setdefault("spec", {})
    if spec.get("ingressClassName"):
        return
    if LEGACY_CLASS_ANNOTATION in ((ingress.get("metadata") or {}).get("annotations") or {}):
        return
    default = default_ingress_class(classes)
    if default is not None:
        spec["ingressClassName"] = default["metadata"]["name"]


def ingress_class_name(ingress: dict) -> str:
    """``spec.ingressClassName``, else the legacy ``kubernetes.io/ingress.class`` annotation."""
    spec = ingress.get("spec") or {}
    if spec.get("ingressClassName"):
        return spec["ingressClassName"]
    return ((ingress.get("metadata") or {}).get("annotations") or {}).get(LEGACY_CLASS_ANNOTATION) or ""


def handled_classes(classes: list[dict]) -> set[str]:
    return {
        (ic.get("metadata") or {}).get("name", "")
        for ic in classes
        if (ic.get("spec") or {}).get("controller") in HANDLED_CONTROLLERS
    }


def served_ingresses(view) -> list[dict]:
    """The Ingresses kctl's simulated controller serves, in ingress-nginx's order."""
    classes = handled_classes(view.list(INGRESS_CLASS))
    found = [i for i in view.list(INGRESS) if ingress_class_name(i) in classes
             and not (i.get("metadata") or {}).get("deletionTimestamp")]
    return sort_ingresses(found)


def ingress_key(ingress: dict) -> str:
    meta = ingress.get("metadata") or {}
    return f"{meta.get('namespace') or ''}/{meta.get('name') or ''}"


def sort_ingresses(ingresses: list[dict]) -> list[dict]:
    """ingress-nginx's ``sortIngressSlice``: creationTimestamp ascending; equal timestamps
    by ``namespace/name`` descending (its ``in > jn``)."""
    by_name = sorted(ingresses, key=ingress_key, reverse=True)
    return sorted(by_name, key=lambda i: (i.get("metadata") or {}).get("creationTimestamp") or "")


# -- hosts and paths -----------------------------------------------------------------------


def normalize_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_matches(rule_host: str, host: str) -> bool:
    """An exact host, or ``*.`` + suffix matching exactly one more label."""
    rule_host, host = rule_host.lower(), normalize_host(host)
    if not rule_host:
        return True
    if rule_host.startswith("*."):
        suffix = rule_host[1:]
        label = host[: -len(suffix)] if host.endswith(suffix) else ""
        return bool(label) and "." not in label
    return rule_host == host


def host_tier(rule_host: str) -> int:
    """0 = exact host, 1 = wildcard host, 2 = no host (the tiers ingress-nginx checks in order)."""
    if not rule_host:
        return 2
    return 1 if rule_host.startswith("*.") else 0


def path_elements(path: str) -> list[str]:
    return [e for e in path.split("/") if e]


def path_matches(path_type: str, path: str, request_path: str) -> bool:
    if path_type == EXACT:
        return path == request_path
    if path_type == PREFIX:
        prefix = path_elements(path)
        return path_elements(request_path)[: len(prefix)] == prefix
    return request_path.startswith(path)  # ImplementationSpecific: nginx's prefix location


def match_length(path_type: str, path: str) -> int:
    """The length precedence compares: a Prefix path's trailing slash does not count."""
    if path_type == PREFIX and path != "/":
        return len(path.rstrip("/"))
    return len(path)


# -- matching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One ``rules[r].http.paths[p]`` of one Ingress."""

    ingress: dict
    rule_index: int
    path_index: int
    host: str
    path: str
    path_type: str
    backend: dict
    age: int  # position of the Ingress, oldest first

    @property
    def ingress_name(self) -> str:
        meta = self.ingress.get("metadata") or {}
        return f"{meta.get('namespace', '')}/{meta.get('name', '')}"

    @property
    def where(self) -> str:
        return f"ingress {self.ingress_name} rules[{self.rule_index}].http.paths[{self.path_index}]"

    def describe(self) -> str:
        return f"{self.host or '*'} {self.path or '/'} ({self.path_type})"

    @property
    def length(self) -> int:
        return match_length(self.path_type, self.path or "/")

    def precedence(self) -> tuple:
        """Sort key: the best candidate sorts first."""
        return (-self.length, 0 if self.path_type == EXACT else 1, self.age, self.rule_index, self.path_index)


@dataclass
class RouteMatch:
    """The outcome of matching a host and path against Ingresses."""

    winner: Candidate | None = None
    #: (candidate, why it lost) for every rule path that did not win.
    losers: list[tuple[Candidate, str]] = field(default_factory=list)
    #: When no rule matched: (ingress, defaultBackend), or None for the controller's 404.
    default_backend: tuple[dict, dict] | None = None
    #: The nginx server that answered: a rule host (``*.foo.com`` for a wildcard) or ``_``.
    server: str = CATCH_ALL_SERVER


def candidates(ingresses: list[dict]) -> list[Candidate]:
    out = []
    for age, ing in enumerate(ingresses):
        for r, rule in enumerate((ing.get("spec") or {}).get("rules") or ()):
            rule = rule or {}
            for p, path in enumerate(((rule.get("http") or {}).get("paths")) or ()):
                path = path or {}
                out.append(Candidate(ing, r, p, (rule.get("host") or "").lower(), path.get("path") or "/",
                                     path.get("pathType") or IMPLEMENTATION_SPECIFIC, path.get("backend") or {}, age))
    return out


def match_request(ingresses: list[dict], host: str, request_path: str) -> RouteMatch:
    """Route ``host`` + ``request_path`` through ``ingresses`` (in ``sort_ingresses`` order)."""
    request_path = (request_path or "/").split("?", 1)[0].split("#", 1)[0] or "/"
    result = RouteMatch()
    all_candidates = candidates(ingresses)
    host_ok = [c for c in all_candidates if host_matches(c.host, host)]
    for c in all_candidates:
        if c not in host_ok:
            result.losers.append((c, f"host {c.host} does not match {normalize_host(host)}"))
    best_tier = min((host_tier(c.host) for c in host_ok), default=2)
    tier_names = {0: "an exact host", 1: "a wildcard host", 2: "a rule without host"}
    in_tier = []
    for c in host_ok:
        if host_tier(c.host) != best_tier:
            result.losers.append((c, f"{tier_names[best_tier]} takes precedence over {tier_names[host_tier(c.host)]}"))
        else:
            in_tier.append(c)
    result.server = in_tier[0].host if in_tier and best_tier < 2 else CATCH_ALL_SERVER
    matching = []
    for c in in_tier:
        if path_matches(c.path_type, c.path, request_path):
            matching.append(c)
        else:
            result.losers.append((c, f"{c.path_type} path {c.path} does not match {request_path}"))
    matching.sort(key=Candidate.precedence)
    if matching:
        result.winner = winner = matching[0]
        for c in matching[1:]:
            result.losers.append((c, _lost_to(c, winner)))
    else:
        result.default_backend = server_default_backend(ingresses, result.server)
    return result


def server_default_backend(ingresses: list[dict], server: str) -> tuple[dict, dict] | None:
    """The backend of a server's root location when no rule path matches (``createServers``)."""
    if server == CATCH_ALL_SERVER:
        with_default = [i for i in ingresses if ((i.get("spec") or {}).get("defaultBackend") or {}).get("service")]
        return (with_default[-1], with_default[-1]["spec"]["defaultBackend"]) if with_default else None
    for ing in ingresses:
        if any(((r or {}).get("host") or "").lower() == server for r in (ing.get("spec") or {}).get("rules") or ()):
            backend = (ing.get("spec") or {}).get("defaultBackend") or {}
            return (ing, backend) if backend.get("service") else None
    return None


def _lost_to(c: Candidate, winner: Candidate) -> str:
    if c.length < winner.length:
        return f"shorter than {winner.path} (the longest matching path wins)"
    if c.path_type != EXACT and winner.path_type == EXACT:
        return f"Exact {winner.path} takes precedence over {c.path_type} at equal length"
    return f"same path as {winner.where} (the oldest Ingress, then the first rule wins)"


# -- backends ------------------------------------------------------------------------------


def service_port(service: dict, port: dict) -> dict | None:
    """The ServicePort an IngressServiceBackend port (``number`` or ``name``) names."""
    for sp in (service.get("spec") or {}).get("ports") or ():
        if port.get("number") and sp.get("port") == port["number"]:
            return sp
        if port.get("name") and sp.get("name") == port["name"]:
            return sp
    return None


def backend_port_text(port: dict) -> str:
    return str(port.get("number") or port.get("name") or "")


@dataclass(frozen=True)
class Endpoint:
    ip: str
    port: int
    pod: str
    node: str
    ready: bool


def slices_of(view, namespace: str, service: str) -> list[dict]:
    return [s for s in view.list(ENDPOINT_SLICES, namespace)
            if ((s.get("metadata") or {}).get("labels") or {}).get(LABEL_SERVICE_NAME) == service]


def service_endpoints(view, service: dict, sp: dict) -> list[Endpoint]:
    """The endpoints of one ServicePort, from the Service's EndpointSlices (the slice port
    whose name is the ServicePort's name), ready or not, in slice order, one per address."""
    meta = service.get("metadata") or {}
    name = sp.get("name") or ""
    out: list[Endpoint] = []
    seen = set()
    for s in slices_of(view, meta.get("namespace") or "default", meta.get("name", "")):
        ports = [p for p in s.get("ports") or () if (p.get("name") or "") == name]
        for p in ports:
            for ep in s.get("endpoints") or ():
                ready = (ep.get("conditions") or {}).get("ready")
                for ip in ep.get("addresses") or ():
                    key = (ip, p.get("port"))
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append(Endpoint(ip, int(p.get("port") or 0), ((ep.get("targetRef") or {}).get("name") or ""),
                                        ep.get("nodeName") or "", ready is None or bool(ready)))
    return out


def backend_problems(view, namespace: str, backend: dict) -> list[str]:
    """What keeps a backend from serving: no such Service, no such port, no ready endpoints."""
    sb = backend.get("service")
    if sb is None:
        return []
    name, port = sb.get("name") or "", sb.get("port") or {}
    service = view.get(SERVICES, namespace, name)
    if service is None:
        return [f'backend service "{name}" not found']
    sp = service_port(service, port)
    if sp is None:
        what = f"port {port['number']}" if port.get("number") else f'a port named "{port.get("name", "")}"'
        return [f'service "{name}" has no {what}']
    if (service.get("spec") or {}).get("type") == "ExternalName":
        return []
    if not any(e.ready for e in service_endpoints(view, service, sp)):
        return [f'service "{name}" has no ready endpoints']
    return []


def ingress_backends(ingress: dict) -> list[dict]:
    spec = ingress.get("spec") or {}
    out = []
    if spec.get("defaultBackend"):
        out.append(spec["defaultBackend"])
    for c in candidates([ingress]):
        out.append(c.backend)
    return out


def ingress_warnings(view, ingress: dict, now) -> list[str]:
    """Every problem of one Ingress, by name, in spec order (TLS first, then backends)."""
    from kctl.networking.ingress_tls import tls_problems

    namespace = (ingress.get("metadata") or {}).get("namespace") or "default"
    out: list[str] = []
    spec = ingress.get("spec") or {}
    for tls in spec.get("tls") or ():
        secret_name = (tls or {}).get("secretName")
        if not secret_name:
            continue
        secret = view.get(SECRETS, namespace, secret_name)
        out.extend(tls_problems(secret, secret_name, (tls or {}).get("hosts") or [], now))
    for backend in ingress_backends(ingress):
        for problem in backend_problems(view, namespace, backend):
            if problem not in out:
                out.append(problem)
    return out


def apply_warnings(api, objs: list[dict], request_ns: str | None, now) -> list[str]:
    """The warnings ``kctl apply`` prints for the Ingresses it applied:
    ``ingress "NS/NAME": <problem>`` lines, read from the cluster after the control-plane pass."""
    targets = []
    for obj in objs:
        if obj.get("kind") == "Ingress" and str(obj.get("apiVersion", "")).startswith("networking.k8s.io/"):
            meta = obj.get("metadata") or {}
            targets.append((meta.get("namespace") or request_ns or "default", meta.get("name") or ""))
    live = [ing for ns, name in targets if (ing := api.try_get(INGRESS, ns, name)) is not None]
    return warning_lines(api, live, now)


def warning_lines(api, ingresses: list[dict], now) -> list[str]:
    """``ingress "NS/NAME": <problem>`` for every current problem of ``ingresses``: what
    ``kctl apply`` and ``kctl describe ing`` print as ``Warning:`` lines on stderr."""
    if not ingresses:
        return []
    view = api_view(api, [SERVICES, SECRETS, ENDPOINT_SLICES])
    out = []
    for ing in ingresses:
        name = ingress_key(ing)
        if name.startswith("/"):
            name = "default" + name
        out.extend(f'ingress "{name}": {p}' for p in ingress_warnings(view, ing, now))
    return out


def api_view(api, resources: list[str]):
    """A MemoryView over the given resources read through the API server."""
    from kctl.controllers.view import MemoryView

    view = MemoryView()
    for resource in resources:
        for obj in api.list(resource):
            view.put(obj, resource)
    return view
