"""``kubectl describe`` output for every kind kctl simulates, as pure functions.

Mirrors kubectl's ``pkg/describe/describe.go``: the same labels, order, indentation (two
spaces per level), tabwriter alignment (Go tabwriter, padding 2) and quirks (trailing
spaces in condition tables, ``<none>``/``<unset>`` literals, last-applied annotation hidden,
long annotations wrapped and cut at 138 characters). Kinds without an upstream describer
(VerticalPodAutoscaler, NodeGroup) get a readable layout in the same idiom; anything else
goes through kubectl's generic describer.

Entry point::

    describe(obj, *, now, events, related) -> str

- ``now``: the clock (aware datetime). Ages are ``HumanDuration(now - t)``; timestamps print
  in RFC1123Z in ``now``'s time zone (kubectl uses the machine's local zone).
- ``events``: the cluster's core/v1 Events (any superset: only those whose involvedObject is
  ``obj`` are shown, sorted by lastTimestamp). ``None`` means ``--show-events=false``.
  As upstream, Secret and Namespace have no Events block.
- ``related``: what a describer needs from the rest of the cluster. Keys per kind (all
  optional; missing keys read as "nothing found"):

  ============== =======================================================================
  Kind           related keys
  ============== =======================================================================
  Pod            (none)
  Deployment     ``replicaSets``: ReplicaSets in the namespace (old/new are worked out as
                 ``deploymentutil`` does), or explicit ``oldReplicaSets`` (list) and
                 ``newReplicaSet`` (object or None)
  ReplicaSet,    ``pods``: pods in the namespace (counted when controlled by the object), or
  StatefulSet,   ``podStatus``: ``(running, waiting, succeeded, failed)`` or a dict with
  DaemonSet      those keys
  Job, CronJob   (none)
  Service        ``endpointSlices``: the Service's EndpointSlices
  Endpoints,     (none)
  EndpointSlice
  Ingress        ``services``: ``{name: Service}``; ``endpointSlices``: ``{service name:
                 [EndpointSlice]}`` (backends print ``svc:port (ip:port,...)``)
  IngressClass   (none)
  ConfigMap,     (none)
  Secret
  ServiceAccount ``secrets``: Secrets (or names) in the namespace, to mark missing
                 references ``(not found)``; ``tokens``: token Secrets (or names)
  Namespace      ``resourceQuotas``, ``limitRanges``: lists (default empty: "No resource
                 quota." / "No LimitRange resource."; None omits the section)
  Node           ``pods``: pods on the node (Succeeded/Failed ones are skipped; ``False``
                 prints ``Pods: not authorized``); ``lease``: its kube-node-lease Lease
  HPA            ``targetKind``: overrides the ``<Kind> pods:`` label (default
                 ``spec.scaleTargetRef.kind``)
  VPA, PDB       (none)
  NodeGroup      ``nodes``: its Nodes (or names)
  ============== =======================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kctl.printers.describe.autoscaling import describe_hpa, describe_pdb, describe_vpa
from kctl.printers.describe.config import (
    describe_config_map,
    describe_namespace,
    describe_secret,
    describe_service_account,
)
from kctl.printers.describe.generic import describe_generic
from kctl.printers.describe.networking import (
    describe_endpoint_slice,
    describe_endpoints,
    describe_ingress,
    describe_ingress_class,
    describe_service,
)
from kctl.printers.describe.nodes import describe_node, describe_node_group
from kctl.printers.describe.pods import describe_pod
from kctl.printers.describe.tabwriter import PrefixWriter
from kctl.printers.describe.workloads import (
    describe_cron_job,
    describe_daemon_set,
    describe_deployment,
    describe_job,
    describe_replica_set,
    describe_stateful_set,
)

__all__ = ["DESCRIBERS", "describe", "has_describer"]

Describer = Callable[[dict, dict, "list[dict] | None", PrefixWriter, datetime], None]

#: (group, kind) -> describer(obj, related, events, writer, now). Group "" is core.
DESCRIBERS: dict[tuple[str, str], Describer] = {
    ("", "Pod"): lambda o, r, e, w, n: describe_pod(o, e, w, n),
    ("apps", "Deployment"): describe_deployment,
    ("apps", "ReplicaSet"): describe_replica_set,
    ("apps", "StatefulSet"): describe_stateful_set,
    ("apps", "DaemonSet"): describe_daemon_set,
    ("batch", "Job"): lambda o, r, e, w, n: describe_job(o, e, w, n),
    ("batch", "CronJob"): lambda o, r, e, w, n: describe_cron_job(o, e, w, n),
    ("", "Service"): describe_service,
    ("", "Endpoints"): lambda o, r, e, w, n: describe_endpoints(o, e, w, n),
    ("discovery.k8s.io", "EndpointSlice"): lambda o, r, e, w, n: describe_endpoint_slice(o, e, w, n),
    ("networking.k8s.io", "Ingress"): describe_ingress,
    ("networking.k8s.io", "IngressClass"): lambda o, r, e, w, n: describe_ingress_class(o, e, w, n),
    ("", "ConfigMap"): lambda o, r, e, w, n: describe_config_map(o, e, w, n),
    ("", "Secret"): lambda o, r, e, w, n: describe_secret(o, w),
    ("", "ServiceAccount"): describe_service_account,
    ("", "Namespace"): lambda o, r, e, w, n: describe_namespace(o, r, w, n),
    ("", "Node"): describe_node,
    ("autoscaling", "HorizontalPodAutoscaler"): describe_hpa,
    ("autoscaling.k8s.io", "VerticalPodAutoscaler"): lambda o, r, e, w, n: describe_vpa(o, e, w, n),
    ("policy", "PodDisruptionBudget"): lambda o, r, e, w, n: describe_pdb(o, e, w, n),
    ("kctl.io", "NodeGroup"): describe_node_group,
}


def _group(obj: dict) -> str:
    api_version = str(obj.get("apiVersion") or "")
    return api_version.rpartition("/")[0] if "/" in api_version else ""


def has_describer(obj: dict) -> bool:
    """True when ``obj``'s kind has a dedicated describer (else the generic one is used)."""
    return (_group(obj), obj.get("kind")) in DESCRIBERS


def describe(
    obj: dict, *, now: datetime, events: list[dict] | None = None, related: dict | None = None
) -> str:
    """The ``kubectl describe`` text for one object (ends with a newline)."""
    describer = DESCRIBERS.get((_group(obj), obj.get("kind")))
    w = PrefixWriter()
    if describer is None:
        describe_generic(obj, events, w, now)
    else:
        describer(obj, related or {}, events, w, now)
    return w.render()
