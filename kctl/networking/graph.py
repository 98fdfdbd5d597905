"""The traffic graph: Ingress -> Service -> Pods -> Nodes, as a tree, Graphviz DOT or Mermaid.

Edges are what the data plane uses, not label guesses: an Ingress points at the Services
its rules and defaultBackend name (edge label: host + path, or ``default``); a Service
points at the pods of its EndpointSlices (``targetRef``; edge label: ``ready`` or
``not ready``); a pod points at its node (``spec.nodeName``). Services that no Ingress
names are roots of their own. A backend naming a missing Service shows as a
``service/<name> (not found)`` node, one naming a port the Service lacks as an edge
labelled ``(no such port)``. Everything is sorted (namespace, name) so the output
is stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kctl.networking.ingress import (
    ENDPOINT_SLICES,
    INGRESS,
    LABEL_SERVICE_NAME,
    SERVICES,
    candidates,
    service_port,
)

FORMATS = ("tree", "dot", "mermaid")


@dataclass
class Graph:
    #: id -> (kind, display label); ids are ``kind/namespace/name`` (nodes: ``node//name``).
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)

    def add_node(self, node_id: str, kind: str, label: str) -> None:
        self.nodes.setdefault(node_id, (kind, label))

    def add_edge(self, src: str, dst: str, label: str = "") -> None:
        if (src, dst, label) not in self.edges:
            self.edges.append((src, dst, label))

    def children(self, node_id: str) -> list[tuple[str, str]]:
        return [(dst, label) for src, dst, label in self.edges if src == node_id]

    def roots(self) -> list[str]:
        targets = {dst for _, dst, _ in self.edges}
        return [n for n in self.nodes if n not in targets]


def _id(kind: str, namespace: str | None, name: str) -> str:
    return f"{kind}/{namespace or ''}/{name}"


def build(view, namespace: str | None = None) -> Graph:
    g = Graph()
    services = view.list(SERVICES, namespace)
    for ing in view.list(INGRESS, namespace):
        meta = ing.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        spec = ing.get("spec") or {}
        lb = [i.get("ip") or i.get("hostname") for i in ((ing.get("status") or {}).get("loadBalancer") or {})
              .get("ingress") or ()]
        details = ", ".join(x for x in (spec.get("ingressClassName") or "", *lb) if x)
        ing_id = _id("ingress", ns, meta.get("name", ""))
        g.add_node(ing_id, "ingress", f"ingress/{meta.get('name', '')}" + (f" ({details})" if details else ""))
        backends = []
        if (spec.get("defaultBackend") or {}).get("service"):
            backends.append(("default", spec["defaultBackend"]["service"]))
        for c in candidates([ing]):
            if c.backend.get("service"):
                backends.append((f"{c.host or '*'}{c.path}", c.backend["service"]))
        for label, sb in backends:
            name = sb.get("name") or ""
            port = sb.get("port") or {}
            svc = view.get(SERVICES, ns, name)
            svc_id = _id("service", ns, name)
            if svc is None:
                g.add_node(svc_id, "service", f"service/{name} (not found)")
            else:
                _add_service(g, view, svc)
            missing = svc is not None and spec_type(svc) != "ExternalName" and service_port(svc, port) is None
            g.add_edge(ing_id, svc_id, f"{label} -> :{port.get('number') or port.get('name') or ''}"
                                       + (" (no such port)" if missing else ""))
    for svc in services:
        _add_service(g, view, svc)
    return g


def spec_type(svc: dict) -> str:
    return (svc.get("spec") or {}).get("type") or "ClusterIP"


def _add_service(g: Graph, view, svc: dict) -> None:
    meta = svc.get("metadata") or {}
    ns, name = meta.get("namespace") or "default", meta.get("name", "")
    svc_id = _id("service", ns, name)
    if svc_id in g.nodes:
        return
    spec = svc.get("spec") or {}
    ports = ",".join(str(p.get("port")) for p in spec.get("ports") or ())
    address = spec.get("externalName") or spec.get("clusterIP") or ""
    kind = spec.get("type") or "ClusterIP"
    if address == "None":
        kind, address = "headless", ""
    g.add_node(svc_id, "service", f"service/{name} ({' '.join(x for x in (kind, address) if x)}"
                                  + (f" :{ports}" if ports else "") + ")")
    pods: dict[str, tuple[bool, str]] = {}
    for s in view.list(ENDPOINT_SLICES, ns):
        if ((s.get("metadata") or {}).get("labels") or {}).get(LABEL_SERVICE_NAME) != name:
            continue
        for ep in s.get("endpoints") or ():
            ref = ep.get("targetRef") or {}
            if ref.get("kind") != "Pod" or not ref.get("name"):
                continue
            ready = (ep.get("conditions") or {}).get("ready")
            ip = (ep.get("addresses") or [""])[0]
            was = pods.get(ref["name"], (False, ip))
            pods[ref["name"]] = (was[0] or ready is None or bool(ready), ip)
    for pod_name in sorted(pods):
        ready, ip = pods[pod_name]
        pod_id = _id("pod", ns, pod_name)
        g.add_node(pod_id, "pod", f"pod/{pod_name} ({ip})")
        g.add_edge(svc_id, pod_id, "ready" if ready else "not ready")
        pod = view.get("pods", ns, pod_name)
        node = ((pod or {}).get("spec") or {}).get("nodeName")
        if node:
            node_id = _id("node", None, node)
            g.add_node(node_id, "node", f"node/{node}")
            g.add_edge(pod_id, node_id)


def render_tree(g: Graph) -> str:
    lines: list[str] = []
    expanded: set[str] = set()

    def walk(node_id: str, prefix: str) -> None:
        kids = g.children(node_id)
        for i, (child, label) in enumerate(kids):
            last = i == len(kids) - 1
            edge = f"[{label}] " if label else ""
            again = child in expanded and bool(g.children(child))
            lines.append(f"{prefix}{'└── ' if last else '├── '}{edge}{g.nodes[child][1]}{' (see above)' if again else ''}")
            if not again:
                expanded.add(child)
                walk(child, prefix + ("    " if last else "│   "))

    for root in g.roots():
        if g.nodes[root][0] == "node":
            continue
        lines.append(g.nodes[root][1])
        expanded.add(root)
        walk(root, "")
    return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


SHAPES = {"ingress": "box", "service": "ellipse", "pod": "component", "node": "box3d"}


def render_dot(g: Graph) -> str:
    lines = ["digraph kctl {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
    for node_id, (kind, label) in g.nodes.items():
        lines.append(f"  {_quote(node_id)} [label={_quote(label)}, shape={SHAPES[kind]}];")
    for src, dst, label in g.edges:
        attrs = f" [label={_quote(label)}]" if label else ""
        lines.append(f"  {_quote(src)} -> {_quote(dst)}{attrs};")
    lines.append("}")
    return "\n".join(lines)


def render_mermaid(g: Graph) -> str:
    ids = {node_id: f"n{i}" for i, node_id in enumerate(g.nodes)}
    brackets = {"ingress": ("[", "]"), "service": ("([", "])"), "pod": ("[[", "]]"), "node": ("[(", ")]")}

    def text(s: str) -> str:
        return '"' + s.replace('"', "#quot;") + '"'

    lines = ["flowchart LR"]
    for node_id, (kind, label) in g.nodes.items():
        left, right = brackets[kind]
        lines.append(f"  {ids[node_id]}{left}{text(label)}{right}")
    for src, dst, label in g.edges:
        arrow = f" -->|{text(label)}| " if label else " --> "
        lines.append(f"  {ids[src]}{arrow}{ids[dst]}")
    return "\n".join(lines)


def render(g: Graph, fmt: str) -> str:
    return {"tree": render_tree, "dot": render_dot, "mermaid": render_mermaid}[fmt](g)
