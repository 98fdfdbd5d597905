"""kctl describe: kubectl's ``describe`` (kubectl/pkg/cmd/describe/describe.go).

- ``describe TYPE`` describes every object of the type in the namespace (``-A``: all
  namespaces; ``-l``: those matching); ``describe TYPE NAME...`` / ``TYPE/NAME`` the named
  ones. Objects are separated by two blank lines.
- ``describe TYPE PREFIX`` (exactly two arguments): when no object is called ``PREFIX``,
  every object of the type whose name starts with it is described, each followed by one
  blank line; when none does, the original NotFound error is printed.
- Nothing found: ``No resources found in <ns> namespace.`` (``-A``: ``No resources found``)
  on stderr, exit 0. Each failure prints on stderr and the command exits 1 at the end.

The describers themselves live in ``kctl.printers.describe``; this module gathers what
they read from the rest of the cluster (``events``, and ``related`` per kind).
"""

from __future__ import annotations

import typer

from kctl.cli.options import ReadNamespace
from kctl.cli.output import err, out

#: Label EndpointSlices carry to name their Service (discovery.LabelServiceName).
LABEL_SERVICE_NAME = "kubernetes.io/service-name"
#: Label that names a Node's NodeGroup (kctl's simulated cluster-autoscaler).
LABEL_NODE_GROUP = "kctl.io/node-group"
NODE_LEASE_NAMESPACE = "kube-node-lease"


def describe(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE[.VERSION][.GROUP] [NAME_PREFIX | -l label] | TYPE[.VERSION][.GROUP]/NAME)"),
    namespace: ReadNamespace = None,
    all_namespaces: bool = typer.Option(False, "--all-namespaces", "-A", help="Describe the objects across all namespaces."),
    selector: str = typer.Option(None, "--selector", "-l", help="Label selector to filter on, e.g. -l app=web."),
    show_events: bool = typer.Option(True, "--show-events/--no-show-events", help="Show the events related to each object."),
) -> None:
    """Show details of a specific resource or group of resources.

    Prints a detailed description of the selected resources, including related resources
    such as events or controllers. Select objects by name, by name prefix, or with a label
    selector: `kctl describe pods web` describes the pod called web, or, if there is none,
    every pod whose name starts with web.

    Examples:
      # Describe a node
      kctl describe nodes node-1

      # Describe every pod of the web deployment (name prefix)
      kctl describe pods web

      # Describe the pods labelled app=web, in every namespace
      kctl describe po -l app=web -A
    """
    from kctl.api.errors import StatusError
    from kctl.cli.args import parse_resource_args
    from kctl.cli.selection import effective_namespace, select
    from kctl.cli.session import read_session

    if not args:
        from kctl.cli.get import missing_resource_type

        raise missing_resource_type("describe")
    selection = parse_resource_args(args, verb="describe")
    errors: list = []
    with read_session(ctx) as s:
        found = select(s.api, selection, namespace=namespace, all_namespaces=all_namespaces, label_selector=selector)
        gatherer = _Gatherer(s.api, show_events)
        for w in found.warnings:
            err(w)
        not_found = [e for e in found.errors if isinstance(e, StatusError) and e.reason == "NotFound"]
        if not_found and len(args) == 2 and not selection.slash_form:
            rt = selection.requests[0].type
            matches = _prefix_matches(s.api, rt, effective_namespace(namespace), args[1])
            if not matches:
                _fail([not_found[0]])
            for obj in matches:
                out(gatherer.describe(obj, rt, s.now) + "\n")
            return
        errors.extend(found.errors)
        texts = [gatherer.describe(obj, rt, s.now) for rt, obj in found.typed_objects()]
    if texts:
        out("\n\n".join(texts))
    elif not errors:
        err("No resources found" if all_namespaces else f"No resources found in {effective_namespace(namespace)} namespace.")
    if errors:
        _fail(errors)


def _fail(errors: list) -> None:
    for e in errors:
        err(e.render() if hasattr(e, "render") else f"error: {e}")
    raise typer.Exit(1)


def _prefix_matches(api, rt, namespace: str, prefix: str) -> list[dict]:
    """``DescribeMatchingResources``: every object of the type in the namespace whose name
    starts with ``prefix``, in server order."""
    scope = namespace if rt.namespaced else None
    return [o for o in api.list(rt, scope) if (o.get("metadata") or {}).get("name", "").startswith(prefix)]


class _Gatherer:
    """Reads what the describers need, caching lists shared by several objects."""

    def __init__(self, api, show_events: bool):
        self.api = api
        self.show_events = show_events
        self._lists: dict[tuple[str, str | None], list[dict]] = {}

    def list(self, resource: str, namespace: str | None) -> list[dict]:
        key = (resource, namespace)
        if key not in self._lists:
            self._lists[key] = self.api.list(resource, namespace)
        return self._lists[key]

    def events(self, namespace: str | None) -> list[dict]:
        """Events in the order they were recorded (resourceVersion), so that the describer's
        sort by lastTimestamp keeps that order among equal times."""
        key = ("events:ordered", namespace)
        if key not in self._lists:
            self._lists[key] = sorted(self.list("events", namespace), key=_resource_version)
        return self._lists[key]

    def describe(self, obj: dict, rt, now) -> str:
        from kctl.printers.describe import describe

        meta = obj.get("metadata") or {}
        namespace = meta.get("namespace") or None
        events = None
        if self.show_events:
            # Events of cluster-scoped objects (nodes) live in the default namespace: read them all.
            events = self.events(namespace)
        if rt is not None and (rt.group, obj.get("kind")) == ("networking.k8s.io", "Ingress"):
            from kctl.networking.ingress import warning_lines

            for line in warning_lines(self.api, [obj], now):  # as kctl apply warns (kctl.networking.ingress)
                err(f"Warning: {line}")
        return describe(obj, now=now, events=events, related=self.related(obj, rt))

    def related(self, obj: dict, rt) -> dict:
        kind = obj.get("kind")
        group = rt.group if rt is not None else ""
        meta = obj.get("metadata") or {}
        ns = meta.get("namespace")
        name = meta.get("name", "")
        if group == "apps" and kind == "Deployment":
            return {"replicaSets": self.list("replicasets.apps", ns)}
        if group == "apps" and kind in ("ReplicaSet", "StatefulSet", "DaemonSet"):
            return {"pods": self.list("pods", ns)}
        if group == "" and kind == "Service":
            return {"endpointSlices": self._slices_of(ns, name)}
        if group == "networking.k8s.io" and kind == "Ingress":
            names = sorted(_ingress_service_names(obj))
            services = {}
            slices = {}
            for svc_name in names:
                svc = self.api.try_get("services", ns, svc_name)
                if svc is not None:
                    services[svc_name] = svc
                slices[svc_name] = self._slices_of(ns, svc_name)
            return {"services": services, "endpointSlices": slices}
        if group == "" and kind == "Node":
            pods = [p for p in self.list("pods", None) if (p.get("spec") or {}).get("nodeName") == name]
            return {"pods": pods, "lease": self.api.try_get("leases.coordination.k8s.io", NODE_LEASE_NAMESPACE, name)}
        if group == "autoscaling" and kind == "HorizontalPodAutoscaler":
            return self._hpa_target(obj, ns)
        if group == "kctl.io" and kind == "NodeGroup":
            return {"nodes": [n for n in self.list("nodes", None) if _in_node_group(n, obj)]}
        if group == "" and kind == "Namespace":
            return {
                "resourceQuotas": self.list("resourcequotas", name),
                "limitRanges": self.list("limitranges", name),
            }
        if group == "" and kind == "ServiceAccount":
            secrets = self.list("secrets", ns)
            tokens = [
                s for s in secrets
                if s.get("type") == "kubernetes.io/service-account-token"
                and ((s.get("metadata") or {}).get("annotations") or {}).get("kubernetes.io/service-account.name") == name
            ]
            return {"secrets": secrets, "tokens": tokens}
        return {}

    def _slices_of(self, namespace: str | None, service: str) -> list[dict]:
        return [
            s for s in self.list("endpointslices.discovery.k8s.io", namespace)
            if ((s.get("metadata") or {}).get("labels") or {}).get(LABEL_SERVICE_NAME) == service
        ]

    def _hpa_target(self, hpa: dict, namespace: str | None) -> dict:
        """The ``<Kind> pods:`` label: the target's Kind as the API knows it, when the
        reference resolves (``deployment`` -> ``Deployment``); else as written."""
        from kctl.api import registry

        ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        kind = ref.get("kind") or ""
        api_version = ref.get("apiVersion") or ""
        rt = registry.for_kind(api_version, kind) if api_version else None
        if rt is None:
            try:
                rt = registry.resolve(kind)
            except registry.UnknownResourceType:
                return {}
        return {"targetKind": rt.kind}


def _resource_version(obj: dict) -> int:
    rv = (obj.get("metadata") or {}).get("resourceVersion") or "0"
    return int(rv) if rv.isdigit() else 0


def _ingress_service_names(ingress: dict) -> set[str]:
    spec = ingress.get("spec") or {}
    names = set()
    backends = [spec.get("defaultBackend") or {}]
    for rule in spec.get("rules") or ():
        for path in ((rule or {}).get("http") or {}).get("paths") or ():
            backends.append((path or {}).get("backend") or {})
    for b in backends:
        svc = (b or {}).get("service") or {}
        if svc.get("name"):
            names.add(svc["name"])
    return names


def _in_node_group(node: dict, group: dict) -> bool:
    """A Node belongs to a NodeGroup it is owned by, or whose name its
    ``kctl.io/node-group`` label carries."""
    meta = node.get("metadata") or {}
    gmeta = group.get("metadata") or {}
    for ref in meta.get("ownerReferences") or ():
        if ref.get("kind") == "NodeGroup" and ref.get("name") == gmeta.get("name"):
            return True
    return (meta.get("labels") or {}).get(LABEL_NODE_GROUP) == gmeta.get("name")


__all__ = ["describe"]
