"""The EndpointSlice controller (``pkg/controller/endpointslice`` and
``staging/src/k8s.io/endpointslice/reconciler.go``, 1.34).

For every Service with a selector (not ExternalName):

- candidate pods: selected, not terminal, with an IP of the slice's address type;
  terminating pods are *included*. A pod whose node does not exist is skipped unless the
  Service publishes not-ready addresses.
- endpoint: ``addresses [podIP]``, ``conditions {ready, serving, terminating}`` with
  ``serving = podReady``, ``terminating = deletionTimestamp set``, ``ready =
  publishNotReadyAddresses or (serving and not terminating)``; ``hostname`` (pod hostname
  when its subdomain is the Service name), ``targetRef`` (Pod), ``nodeName`` and ``zone``
  (the node's ``topology.kubernetes.io/zone`` label).
- endpoints are grouped by their resolved port set (named targetPorts resolve per pod);
  each group fills slices of at most ``max_endpoints_per_slice`` (100) endpoints.
- the reconciler keeps existing slices stable: endpoints stay where they are, changed ones
  are updated in place, removed ones leave; new ones first fill slices that are being
  updated anyway (fullest first), then the unchanged slice that fits them most closely,
  then new slices. A slice left empty is deleted, unless a create can reuse its name
  (the create becomes an update). A Service with no endpoints keeps one placeholder slice
  (``endpoints: null``, ``ports: null``). A converged cluster produces no actions.
- slices: ``generateName: <service>-`` (the API server adds 5 random characters), labels =
  the Service's labels + ``kubernetes.io/service-name``, ``endpointslice.kubernetes.io/
  managed-by: endpointslice-controller.k8s.io`` (+ ``service.kubernetes.io/headless`` for
  headless Services), a controller ownerReference to the Service, annotation
  ``endpoints.kubernetes.io/last-change-trigger-time`` (the sync time of each write).

Determinism where upstream is random or hash-ordered: endpoints are added in pod-name
order (upstream pops them from a hash set), slice ports are sorted by (name, port,
protocol) (upstream: by a hash of each port), existing slices are visited by name.
Slices of deleted Services are left to the garbage collector (owner references).
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import Action, ClusterView, Plan, rfc3339
from kctl.controllers.memo import MISS, IdentityMemo
from kctl.networking.endpointutil import (
    PodIndex,
    find_port,
    is_pod_ready,
    pod_ip_for_family,
    service_ip_family,
    should_pod_be_in_endpoints,
    should_set_hostname,
    target_ref,
)

CONTROLLER_NAME = "endpointslice-controller.k8s.io"  # the managed-by label value
LABEL_SERVICE_NAME = "kubernetes.io/service-name"
LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
LABEL_HEADLESS = "service.kubernetes.io/headless"
LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone"
ANNOTATION_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
RESOURCE = "endpointslices.discovery.k8s.io"
DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100
_RESERVED_LABELS = (LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS)


def endpoint_ports(svc: dict, pod: dict) -> list[dict]:
    """getEndpointPorts: the Service's ports this pod serves, resolved for this pod."""
    spec = svc.get("spec") or {}
    out = []
    for sp in spec.get("ports") or ():
        num = find_port(pod, sp)
        if num is None:
            continue
        port = {"name": sp.get("name", ""), "protocol": sp.get("protocol") or "TCP", "port": num}
        if sp.get("appProtocol"):
            port["appProtocol"] = sp["appProtocol"]
        out.append(port)
    out.sort(key=_port_sort_key)
    return out


def _port_sort_key(port: dict) -> tuple:
    return port.get("name") or "", port.get("port") or 0, port.get("protocol") or "", port.get("appProtocol") or ""


def port_map_key(ports: list[dict] | None) -> tuple:
    return tuple(sorted(_port_sort_key(p) for p in ports or ()))


def pod_to_endpoint(pod: dict, node: dict | None, svc: dict, ip: str) -> dict:
    """podToEndpoint."""
    serving = is_pod_ready(pod)
    terminating = bool((pod.get("metadata") or {}).get("deletionTimestamp"))
    ready = bool((svc.get("spec") or {}).get("publishNotReadyAddresses")) or (serving and not terminating)
    ep: dict = {"addresses": [ip], "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
    spec = pod.get("spec") or {}
    if should_set_hostname(pod, svc):
        ep["hostname"] = spec["hostname"]
    ep["targetRef"] = target_ref(pod)
    if spec.get("nodeName"):
        ep["nodeName"] = spec["nodeName"]
    zone = (((node or {}).get("metadata") or {}).get("labels") or {}).get(LABEL_TOPOLOGY_ZONE)
    if zone:
        ep["zone"] = zone
    return ep


def endpoint_key(ep: dict) -> tuple:
    """hashEndpoint: addresses, hostname and the target's namespace/name identify an endpoint."""
    ref = ep.get("targetRef") or {}
    return tuple(sorted(ep.get("addresses") or ())), ep.get("hostname", ""), ref.get("namespace", ""), ref.get("name", "")


def slice_labels(svc: dict) -> dict[str, str]:
    """setEndpointSliceLabels: the Service's labels (minus reserved keys) + the reserved ones."""
    meta = svc.get("metadata") or {}
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k not in _RESERVED_LABELS}
    if (svc.get("spec") or {}).get("clusterIP") in (None, "", "None"):  # !IsServiceIPSet
        labels[LABEL_HEADLESS] = ""
    labels[LABEL_SERVICE_NAME] = meta.get("name", "")
    labels[LABEL_MANAGED_BY] = CONTROLLER_NAME
    return labels


def new_endpoint_slice(svc: dict, ports: list[dict], address_type: str) -> dict:
    """newEndpointSlice: generateName ``<service>-`` and a controller ref to the Service."""
    meta = svc.get("metadata") or {}
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": f"{meta.get('name', '')}-",
            "namespace": meta.get("namespace", ""),
            "labels": slice_labels(svc),
            "ownerReferences": [{
                "apiVersion": "v1", "kind": "Service", "name": meta.get("name", ""), "uid": meta.get("uid", ""),
                "controller": True, "blockOwnerDeletion": True,
            }],
        },
        "addressType": address_type,
        "endpoints": [],
        "ports": [dict(p) for p in ports],
    }


def _owned_by(slice_: dict, svc: dict) -> bool:
    uid = (svc.get("metadata") or {}).get("uid", "")
    return any(ref.get("uid") == uid and ref.get("kind") == "Service"
               for ref in (slice_.get("metadata") or {}).get("ownerReferences") or ())


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name", "")


class _Result:
    def __init__(self) -> None:
        self.create: list[dict] = []
        self.update: list[dict] = []
        self.delete: list[dict] = []


def reconcile(svc: dict, pods: list[dict], nodes: dict[str, dict], existing: list[dict],
              max_endpoints_per_slice: int = DEFAULT_MAX_ENDPOINTS_PER_SLICE) -> _Result:
    """Reconciler.Reconcile for one Service: what to create, update and delete."""
    result = _Result()
    address_type = service_ip_family(svc)
    publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
    same_type = []
    for s in existing:
        (same_type if s.get("addressType") == address_type else result.delete).append(s)

    desired_by_ports: dict[tuple, dict[tuple, dict]] = {}
    meta_by_ports: dict[tuple, list[dict]] = {}
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, True):
            continue
        ports = endpoint_ports(svc, pod)
        key = port_map_key(ports)
        desired = desired_by_ports.setdefault(key, {})
        meta_by_ports.setdefault(key, ports)
        node_name = (pod.get("spec") or {}).get("nodeName", "")
        node = nodes.get(node_name)
        if node is None and not publish:
            continue  # ErrNodeNotFound: retried later, published without this pod meanwhile
        ip = pod_ip_for_family(pod, address_type)
        if ip is None:
            continue
        ep = pod_to_endpoint(pod, node, svc, ip)
        desired[endpoint_key(ep)] = ep

    existing_by_ports: dict[tuple, list[dict]] = {}
    for s in same_type:
        if _owned_by(s, svc):
            existing_by_ports.setdefault(port_map_key(s.get("ports")), []).append(s)
        else:
            result.delete.append(s)

    labels = slice_labels(svc)
    for key, desired in desired_by_ports.items():
        _reconcile_by_port_mapping(svc, existing_by_ports.get(key, []), desired, meta_by_ports[key],
                                   address_type, labels, max_endpoints_per_slice, result)
    for key, slices in existing_by_ports.items():
        if key not in desired_by_ports:
            result.delete.extend(slices)

    # A Service without endpoints keeps one placeholder slice.
    same_ids = {id(s) for s in same_type}
    doomed_same = [s for s in result.delete if id(s) in same_ids]
    if len(same_type) == len(doomed_same) and not result.create:
        placeholder = new_endpoint_slice(svc, [], address_type)
        reusable = [s for s in doomed_same if _is_placeholder_like(s, placeholder)]
        if len(same_type) == 1 and reusable:
            result.delete = [s for s in result.delete if s is not reusable[0]]
        else:
            result.create.append(placeholder)
    _finalize(svc, result)
    return result


def _is_placeholder_like(slice_: dict, placeholder: dict) -> bool:
    meta = slice_.get("metadata") or {}
    return (not slice_.get("endpoints") and not slice_.get("ports")
            and slice_.get("addressType") == placeholder["addressType"]
            and (meta.get("labels") or {}) == placeholder["metadata"]["labels"]
            and meta.get("ownerReferences") == placeholder["metadata"]["ownerReferences"])


def _reconcile_by_port_mapping(svc: dict, existing: list[dict], desired: dict[tuple, dict], ports: list[dict],
                               address_type: str, labels: dict, max_per_slice: int, result: _Result) -> None:
    """reconcileByPortMapping."""
    remaining = dict(desired)
    to_update: dict[str, dict] = {}
    unchanged: dict[str, dict] = {}
    for s in sorted(existing, key=_name):
        kept = []
        changed = False
        for ep in s.get("endpoints") or ():
            key = endpoint_key(ep)
            got = remaining.pop(key, None)
            if got is not None:
                kept.append(got)
                if got != ep:
                    changed = True
        labels_changed = ((s.get("metadata") or {}).get("labels") or {}) != labels
        if changed or len(kept) != len(s.get("endpoints") or ()):
            if not kept:
                result.delete.append(s)
            else:
                to_update[_name(s)] = _with(s, kept, labels)
        elif labels_changed:
            to_update[_name(s)] = _with(s, list(s.get("endpoints") or ()), labels)
        else:
            unchanged[_name(s)] = s

    queue = [remaining[k] for k in sorted(remaining, key=lambda k: (k[2], k[3], k[0]))]
    queue.reverse()  # pop() from the end = pod-name order

    # 2. Fill the slices that are being updated anyway, fullest first.
    if queue and to_update:
        for s in sorted(to_update.values(), key=lambda s: (-len(s["endpoints"]), _name(s))):
            while queue and len(s["endpoints"]) < max_per_slice:
                s["endpoints"].append(queue.pop())

    # 3. Put the rest into the unchanged slice that fits them best, else into new slices.
    while queue:
        target = None
        if len(queue) < max_per_slice and unchanged:
            target = _slice_to_fill([unchanged[n] for n in sorted(unchanged)], len(queue), max_per_slice)
        if target is None:
            target = new_endpoint_slice(svc, ports, address_type)
        else:
            target = _with(target, list(target.get("endpoints") or ()), labels)
        while queue and len(target["endpoints"]) < max_per_slice:
            target["endpoints"].append(queue.pop())
        if _name(target):
            to_update[_name(target)] = target
            unchanged.pop(_name(target), None)
        else:
            result.create.append(target)
    result.update.extend(to_update[n] for n in sorted(to_update))


def _slice_to_fill(slices: list[dict], num_endpoints: int, max_per_slice: int) -> dict | None:
    """getSliceToFill: the unchanged slice with the least room left that still fits them all."""
    closest_diff = max_per_slice
    closest = None
    for s in slices:
        diff = max_per_slice - (num_endpoints + len(s.get("endpoints") or ()))
        if 0 <= diff < closest_diff:
            closest_diff, closest = diff, s
            if diff == 0:
                break
    return closest


def _with(s: dict, endpoints: list[dict], labels: dict) -> dict:
    out = dict(s)
    out["metadata"] = {**(s.get("metadata") or {}), "labels": dict(labels)}
    out["endpoints"] = endpoints
    return out


def _finalize(svc: dict, result: _Result) -> None:
    """Reuse the names of slices about to be deleted for slices about to be created."""
    i = 0
    while i < len(result.delete) and result.create:
        doomed = result.delete[i]
        new = result.create[-1]
        if doomed.get("addressType") == new["addressType"] and _owned_by(doomed, svc):
            doomed_meta = doomed.get("metadata") or {}
            meta = dict(new["metadata"])
            meta.pop("generateName", None)
            meta["name"] = doomed_meta.get("name", "")
            for key in ("uid", "resourceVersion", "creationTimestamp", "generateName"):
                if key in doomed_meta:
                    meta[key] = doomed_meta[key]
            result.update.append({**new, "metadata": meta})
            result.create.pop()
            result.delete.pop(i)
        else:
            i += 1


def _stamp(slice_: dict, now: datetime) -> dict:
    meta = dict(slice_.get("metadata") or {})
    meta["annotations"] = {**(meta.get("annotations") or {}), ANNOTATION_TRIGGER_TIME: rfc3339(now)}
    out = {**slice_, "metadata": meta}
    # The API server stores empty lists as null (kubectl shows ``endpoints: null``).
    out["endpoints"] = out.get("endpoints") or None
    out["ports"] = out.get("ports") or None
    return out


class EndpointSliceController:
    """Controller name ``endpointslice-controller``."""

    name = "endpointslice-controller"

    def __init__(self, max_endpoints_per_slice: int = DEFAULT_MAX_ENDPOINTS_PER_SLICE):
        self.max_endpoints_per_slice = max_endpoints_per_slice
        #: Per Service, the actions of its last sync and what they were computed from.
        self._memo = IdentityMemo()

    def sync(self, cluster: ClusterView, now: datetime) -> list[Action]:
        plan = Plan()
        index = PodIndex(cluster.list("pods"))
        nodes = {_name(n): n for n in cluster.list("nodes")}
        slices_by_service: dict[tuple[str, str], list[dict]] = {}
        for s in cluster.list(RESOURCE):
            meta = s.get("metadata") or {}
            labels = meta.get("labels") or {}
            if labels.get(LABEL_MANAGED_BY) != CONTROLLER_NAME or LABEL_SERVICE_NAME not in labels:
                continue
            if meta.get("deletionTimestamp"):
                continue  # dropEndpointSlicesPendingDeletion
            slices_by_service.setdefault((meta.get("namespace") or "", labels[LABEL_SERVICE_NAME]), []).append(s)
        for svc in cluster.list("services"):
            meta = svc.get("metadata") or {}
            spec = svc.get("spec") or {}
            if spec.get("type") == "ExternalName" or not spec.get("selector"):
                continue
            ns = meta.get("namespace") or ""
            key = (ns, meta.get("name", ""))
            pods = index.select(ns, spec["selector"])
            existing = slices_by_service.get(key, [])
            inputs = (now, svc, *pods, *[nodes.get((p.get("spec") or {}).get("nodeName", "")) for p in pods],
                      *existing)
            actions = self._memo.get(key, inputs)
            if actions is MISS:
                result = reconcile(svc, pods, nodes, existing, self.max_endpoints_per_slice)
                service_plan = Plan()
                for s in result.create:
                    service_plan.create(_stamp(s, now))
                for s in result.update:
                    service_plan.update(_stamp(s, now))
                for s in result.delete:
                    service_plan.delete(s)
                actions = self._memo.put(key, inputs, service_plan.actions)
            plan.actions.extend(actions)
        return plan.actions
