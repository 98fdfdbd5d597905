"""kctl expose: kubectl's ``expose`` (``kubectl/pkg/cmd/expose``, kubectl 1.34): a Service
for a pod, service, replication controller, deployment or replica set.

What is taken from the exposed object when no flag says it (``polymorphichelpers``):

- the selector: a pod's labels, a service's or replication controller's selector, a
  deployment's or replica set's ``matchLabels`` (``matchExpressions`` cannot be converted);
- the ports: every container port of the pod template (a service: its ports); one port is
  unnamed, several are named ``port-1``, ``port-2``... (``port-N-<protocol>`` for a port
  served over several protocols);
- the protocol of each port (``--protocol`` overrides them all), TCP by default;
- the labels: the exposed object's own.

``--target-port`` defaults to each port. The Service is created in the exposed object's
namespace (``-n``); ``--dry-run=client`` prints it as kubectl builds it (Go field order,
``creationTimestamp: null``).
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import DryRun, ObjectNamespace, Quiet, Recursive, WriteOutput
from kctl.cli.output import report_pass

#: ``CanBeExposed``: (group, kind) pairs.
EXPOSABLE = {("", "ReplicationController"), ("", "Service"), ("", "Pod"), ("apps", "Deployment"),
             ("apps", "ReplicaSet"), ("extensions", "Deployment"), ("extensions", "ReplicaSet")}
DNS1035_LABEL_MAX_LENGTH = 63
NO_PORT = "couldn't find port via --port flag or introspection"


class ExposeError(Exception):
    """An error kubectl returns from ``RunExpose`` (printed ``error: <message>``)."""


def map_based_selector(obj: dict) -> dict[str, str]:
    """``MapBasedSelectorForObject`` as a map."""
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise ExposeError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind in ("Service", "ReplicationController"):
        if not spec.get("selector"):
            what = "service" if kind == "Service" else "replication controller"
            raise ExposeError(f"the {what} has no pod selector set")
        return dict(spec["selector"])
    selector = spec.get("selector") or {}
    expressions = selector.get("matchExpressions") or []
    if not selector.get("matchLabels") or expressions:
        raise ExposeError(f'couldn\'t convert expressions - "{_go_expressions(expressions)}" to map-based selector '
                          "format")
    return dict(selector["matchLabels"])


def _go_expressions(expressions: list[dict]) -> str:
    """``%+v`` of ``[]metav1.LabelSelectorRequirement``."""
    items = [f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} Values:[{' '.join(e.get('values') or [])}]}}"
             for e in expressions]
    return "[" + " ".join(items) + "]"


def _pod_spec(obj: dict) -> dict:
    if obj.get("kind") == "Pod":
        return obj.get("spec") or {}
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def ports_for_object(obj: dict) -> list[str]:
    """``PortsForObject``: container ports (a service: its ports), as strings, in order."""
    if obj.get("kind") == "Service":
        return [str(p.get("port")) for p in (obj.get("spec") or {}).get("ports") or []]
    return [str(p.get("containerPort")) for c in _pod_spec(obj).get("containers") or [] for p in c.get("ports") or []]


def protocols_for_object(obj: dict) -> dict[str, list[str]]:
    """``MultiProtocolsForObject``: port -> its protocols (empty means TCP)."""
    result: dict[str, list[str]] = {}
    if obj.get("kind") == "Service":
        for p in (obj.get("spec") or {}).get("ports") or []:
            result.setdefault(str(p.get("port")), []).append(p.get("protocol") or "TCP")
        return result
    for c in _pod_spec(obj).get("containers") or []:
        for p in c.get("ports") or []:
            result.setdefault(str(p.get("containerPort")), []).append(p.get("protocol") or "TCP")
    return result


def parse_labels(spec: str) -> dict[str, str]:
    """expose's ``parseLabels``: ``k=v,k2=v2``."""
    if not spec:
        raise ExposeError("no label spec passed")
    labels = {}
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise ExposeError(f"unexpected label spec: {item}")
        if not parts[0]:
            raise ExposeError("unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def _atoi(text: str) -> int:
    """Go's ``strconv.Atoi`` (its error wording)."""
    import re

    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ExposeError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise ExposeError(f'strconv.Atoi: parsing "{text}": value out of range')
    return value


def _int_or_string(text: str) -> int | str:
    """``intstr.Parse``."""
    try:
        return int(text) if text.lstrip("-").isdigit() else text
    except ValueError:
        return text


def service_for(obj: dict, *, name: str, port: str, protocol: str, target_port: str, selector: str, labels: str,
                service_type: str, external_ip: str, load_balancer_ip: str, session_affinity: str,
                cluster_ip: str) -> dict:
    """``RunExpose``'s introspection then ``createService``: the Service, in Go field order."""
    default_name = ((obj.get("metadata") or {}).get("name") or "")[:DNS1035_LABEL_MAX_LENGTH]
    if selector:
        selector_map = parse_labels(selector)
    else:
        try:
            selector_map = map_based_selector(obj)
        except ExposeError as e:
            raise ExposeError(f"couldn't retrieve selectors via --selector flag or introspection: {e}") from None
    ports_text = ""
    if not port:
        try:
            found = ports_for_object(obj)
        except ExposeError as e:
            raise ExposeError(f"{NO_PORT}: {e}") from None
        if not found and cluster_ip != "None":
            raise ExposeError(NO_PORT)
        if len(found) == 1:
            port = found[0]
        elif found:
            ports_text = ",".join(found)
    protocols = protocols_for_object(obj)
    if labels:
        label_map: dict | None = parse_labels(labels)
    else:
        label_map = dict((obj.get("metadata") or {}).get("labels") or {}) or None
    service_name = name or default_name
    if not service_name:
        raise ExposeError("name must be specified")
    port_list = (ports_text or port).split(",") if (ports_text or port) else []
    ports: list[dict] = []
    for i, text in enumerate(port_list):
        number = _atoi(text)
        port_name = f"port-{i + 1}" if len(port_list) > 1 else ""
        chosen = protocol
        if not chosen:
            chosen = "TCP"
            exposed = protocols.get(text) or []
            if len(exposed) == 1:
                chosen = exposed[0]
            elif len(exposed) > 1:
                for p in exposed:
                    ports.append(_service_port(f"port-{i + 1}-{p.lower()}", p, number))
                continue
        ports.append(_service_port(port_name, chosen, number))
    target = _int_or_string(target_port) if target_port else None
    for p in ports:
        p["targetPort"] = target if target is not None else p["port"]
    meta: dict = {"name": service_name, "creationTimestamp": None}
    if label_map:
        meta["labels"] = label_map
    spec: dict = {"ports": ports, "selector": selector_map}
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if service_type:
        spec["type"] = service_type
    if external_ip:
        spec["externalIPs"] = [external_ip]
    if session_affinity:
        if session_affinity not in ("None", "ClientIP"):
            raise ExposeError(f"unknown session affinity: {session_affinity}")
        spec["sessionAffinity"] = session_affinity
    if service_type == "LoadBalancer" and load_balancer_ip:
        spec["loadBalancerIP"] = load_balancer_ip
    if not spec["ports"]:
        del spec["ports"]
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": {"loadBalancer": {}}}


def _service_port(name: str, protocol: str, port: int) -> dict:
    entry: dict = {}
    if name:
        entry["name"] = name
    entry["protocol"] = protocol
    entry["port"] = port
    return entry


def expose(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(-f FILENAME | TYPE NAME)"),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files identifying the resource to expose."),
    recursive: Recursive = False,
    port: str = typer.Option("", "--port", help="The port the service serves on (default: the exposed object's)."),
    target_port: str = typer.Option("", "--target-port", help="Name or number of the container port to send to."),
    protocol: str = typer.Option("", "--protocol", help="TCP, UDP or SCTP (default: the exposed ports', else TCP)."),
    service_type: str = typer.Option("", "--type", help="ClusterIP, NodePort, LoadBalancer, or ExternalName."),
    name: str = typer.Option("", "--name", help="The name of the new service (default: the exposed object's)."),
    selector: str = typer.Option("", "--selector", help="Equality-based label selector for the pods (default: the "
                                                        "exposed object's)."),
    labels: str = typer.Option("", "--labels", "-l", help="Labels of the new service (default: the exposed object's)."),
    external_ip: str = typer.Option("", "--external-ip", help="An external IP the service also accepts."),
    load_balancer_ip: str = typer.Option("", "--load-balancer-ip", help="IP to assign to a LoadBalancer."),
    session_affinity: str = typer.Option("", "--session-affinity", help="None or ClientIP."),
    cluster_ip: str = typer.Option("", "--cluster-ip", help="The ClusterIP; None makes a headless service."),
    namespace: ObjectNamespace = None,
    dry_run: DryRun = None,
    output: WriteOutput = None,
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    quiet: Quiet = False,
) -> None:
    """Expose a resource as a new Kubernetes service.

    Takes a deployment, service, replica set, replication controller or pod and uses its
    selector (a pod: its labels) as the selector of a new service on the given port. The
    port, protocol and labels are copied from the exposed object when not given.

    Examples:
      # Create a service for a deployment, which serves on port 80 and connects to the containers on port 8000
      kctl expose deployment nginx --port=80 --target-port=8000

      # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
      kctl expose pod valid-pod --port=444 --name=frontend

      # Create a second service based on the above service, exposing the container port 8443 as port 443
      kctl expose service nginx --port=443 --target-port=8443 --name=nginx-https
    """
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output, _print_one, _with_saved_config
    from kctl.cli.resource_builder import load_filenames, select_targets

    mode = dry_run_mode(dry_run)
    _check_output(output)
    loaded = load_filenames(filenames, recursive)
    from kctl.cli.session import read_session, write_session

    session = read_session(ctx) if mode == "client" else write_session(ctx, dry_run=mode == "server")
    with session as s:
        targets = select_targets(s.api, loaded, list(args or []), namespace, require_names=True)
        for t in targets:
            if t.obj is None:
                raise CommandError(_not_found(t))
            if (t.rt.group, t.rt.kind) not in EXPOSABLE:
                raise CommandError(f"cannot expose a {t.rt.kind}{'.' + t.rt.group if t.rt.group else ''}")
            try:
                service = service_for(t.obj, name=name, port=port, protocol=protocol, target_port=target_port,
                                      selector=selector, labels=labels, service_type=service_type,
                                      external_ip=external_ip, load_balancer_ip=load_balancer_ip,
                                      session_affinity=session_affinity, cluster_ip=cluster_ip)
            except ExposeError as e:
                raise CommandError(str(e)) from None
            ns = t.namespace or "default"
            if mode == "client":
                if namespace:
                    service["metadata"] = {"name": service["metadata"]["name"], "namespace": namespace,
                                           **{k: v for k, v in service["metadata"].items() if k != "name"}}
                _print_exposed(service, mode, output, local=True, print_one=_print_one)
                continue
            if save_config:
                service = _with_saved_config(service, ns, True)
            stored = s.api.create(service, dry_run=mode == "server", namespace=ns)  # a StatusError: kubectl's line
            _print_exposed(stored, mode, output, local=False, print_one=_print_one)
        if mode == "none":
            s.reconcile()
    if mode == "none":
        report_pass(s.reconciled, quiet)


def _not_found(t) -> str:
    from kctl.cli.targets import not_found_text

    return not_found_text(t.rt, t.name)


def _print_exposed(obj: dict, mode: str, output: str | None, *, local: bool, print_one) -> None:
    """``PrintFlags("exposed")``: ``service/web exposed`` (or the object)."""
    if output is None:
        from kctl.cli.output import dry_run_suffix, out
        from kctl.printers.serialize import resource_name

        out(f"{resource_name(obj)} exposed{dry_run_suffix(mode)}")
        return
    print_one(obj, mode, output, local=local)


__all__ = ["expose", "service_for", "map_based_selector", "ports_for_object", "protocols_for_object", "EXPOSABLE"]
