"""The v1 Endpoints controller (``pkg/controller/endpoint/endpoints_controller.go``, 1.34).

For every Service with a selector (not ExternalName) it writes an Endpoints object of the
same name:

- candidate pods: selected in the Service's namespace, not terminal, with an IP of the
  Service's family, and not terminating unless ``publishNotReadyAddresses`` (which also
  makes every address "ready");
- one address per pod ``{ip, nodeName, targetRef{kind, namespace, name, uid}}`` (+ hostname
  when ``pod.spec.hostname`` is set and ``pod.spec.subdomain`` is the Service name); ready
  pods go to ``addresses``, the others to ``notReadyAddresses``;
- ports resolved per pod (``find_port``): a pod without a named targetPort is left out for
  that port only; a headless Service without ports publishes port-less addresses;
- ``repack_subsets`` (``endpoints.RepackSubsets``) groups addresses offering identical port
  sets; addresses are sorted by IP then uid as upstream. Upstream orders ports and subsets
  by a hash of their Go structure; kctl sorts ports by (name, port, protocol) and subsets
  by their ports, then their first address, and says so;
- more than 1000 addresses are truncated (ready ones first, proportionally per subset) and
  annotated ``endpoints.kubernetes.io/over-capacity: truncated``;
- labels: the Service's labels + ``service.kubernetes.io/headless: ""`` for headless
  Services + ``endpoints.kubernetes.io/managed-by: endpoint-controller``; annotation
  ``endpoints.kubernetes.io/last-change-trigger-time`` (the sync time of each write);
- no write when nothing changed; Services without a selector are left alone; an Endpoints
  object whose Service is gone is deleted when it carries the controller's managed-by label
  (upstream deletes on the Service's delete event, which a level-triggered pass cannot see).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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

CONTROLLER_NAME = "endpoint-controller"
LABEL_MANAGED_BY = "endpoints.kubernetes.io/managed-by"
LABEL_HEADLESS = "service.kubernetes.io/headless"
ANNOTATION_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
ANNOTATION_OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
TRUNCATED = "truncated"
MAX_CAPACITY = 1000


def endpoint_address(pod: dict, svc: dict, ip: str) -> dict:
    addr: dict = {"ip": ip}
    spec = pod.get("spec") or {}
    if should_set_hostname(pod, svc):
        addr["hostname"] = spec["hostname"]
    if spec.get("nodeName"):
        addr["nodeName"] = spec["nodeName"]
    addr["targetRef"] = target_ref(pod)
    return addr


def endpoint_port(service_port: dict, port_num: int) -> dict:
    port = {"name": service_port.get("name", ""), "port": port_num, "protocol": service_port.get("protocol") or "TCP"}
    if not port["name"]:
        del port["name"]
    if service_port.get("appProtocol"):
        port["appProtocol"] = service_port["appProtocol"]
    return port


def _addr_key(addr: dict) -> tuple[str, str]:
    return addr["ip"], (addr.get("targetRef") or {}).get("uid", "")


def _port_key(port: dict) -> tuple:
    return port.get("name", ""), port.get("port", 0), port.get("protocol", ""), port.get("appProtocol", "")


def repack_subsets(entries: Iterable[tuple[dict, dict | None, bool]]) -> list[dict]:
    """RepackSubsets over ``(address, port or None, ready)`` triples.

    Each port maps to the set of addresses offering it (ready wins when an address is
    seen both ways); addresses offering the same ports with the same readiness share one
    subset. Port-less entries (headless without ports) use a sentinel port.
    """
    addresses: dict[tuple[str, str], dict] = {}
    port_to_addrs: dict[tuple, dict[tuple[str, str], bool]] = {}
    port_objs: dict[tuple, dict | None] = {}
    for addr, port, ready in entries:
        akey = _addr_key(addr)
        addresses.setdefault(akey, addr)
        pkey = _port_key(port) if port is not None else None
        port_objs.setdefault(pkey, port)
        ready_by_addr = port_to_addrs.setdefault(pkey, {})
        if not ready_by_addr.get(akey, False):
            ready_by_addr[akey] = ready
    groups: dict[tuple, list] = {}
    for pkey, ready_by_addr in port_to_addrs.items():
        group_key = tuple(sorted(ready_by_addr.items()))
        ports = groups.setdefault(group_key, [])
        if pkey is not None:
            ports.append(port_objs[pkey])
    subsets = []
    for group_key, ports in groups.items():
        ready = [addresses[a] for a, r in group_key if r]
        not_ready = [addresses[a] for a, r in group_key if not r]
        subset: dict = {}
        if ready:
            subset["addresses"] = sorted(ready, key=_addr_key)
        if not_ready:
            subset["notReadyAddresses"] = sorted(not_ready, key=_addr_key)
        if ports:
            subset["ports"] = sorted(ports, key=_port_key)
        subsets.append(subset)
    subsets.sort(key=_subset_sort_key)
    return subsets


def _subset_sort_key(subset: dict) -> tuple:
    first = (subset.get("addresses") or subset.get("notReadyAddresses") or [{"ip": ""}])[0]
    return tuple(_port_key(p) for p in subset.get("ports") or ()), _addr_key({"targetRef": {}, **first})


def truncate_endpoints(subsets: list[dict]) -> bool:
    """truncateEndpoints: keep at most MAX_CAPACITY addresses, ready ones first (mutates)."""
    total_ready = sum(len(s.get("addresses") or ()) for s in subsets)
    total_not_ready = sum(len(s.get("notReadyAddresses") or ()) for s in subsets)
    if total_ready + total_not_ready <= MAX_CAPACITY:
        return False
    truncate_ready = total_ready > MAX_CAPACITY
    maximum = MAX_CAPACITY if truncate_ready else MAX_CAPACITY - total_ready
    num_total = total_ready if truncate_ready else total_not_ready
    can_be_added = maximum
    for subset in subsets:
        key = "addresses" if truncate_ready else "notReadyAddresses"
        in_subset = len(subset.get(key) or ())
        to_be_added = math.ceil((in_subset / num_total) * maximum)  # float64 as in Go
        to_be_added = min(to_be_added, can_be_added)
        if key in subset:
            subset[key] = subset[key][:to_be_added]
            if not subset[key]:
                del subset[key]
        if truncate_ready:
            subset.pop("notReadyAddresses", None)
        can_be_added -= len(subset.get(key) or ())
    return True


def desired_subsets(svc: dict, pods: list[dict]) -> list[dict]:
    spec = svc.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    family = service_ip_family(svc)
    ports = spec.get("ports") or []
    headless = spec.get("clusterIP") == "None"
    entries: list[tuple[dict, dict | None, bool]] = []
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, publish):
            continue
        ip = pod_ip_for_family(pod, family)
        if ip is None:
            continue
        addr = endpoint_address(pod, svc, ip)
        ready = publish or is_pod_ready(pod)
        if not ports:
            if headless:
                entries.append((addr, None, ready))
            continue
        for sp in ports:
            num = find_port(pod, sp)
            if num is None:
                continue
            entries.append((addr, endpoint_port(sp, num), ready))
    return repack_subsets(entries)


class EndpointsController:
    """Controller name ``endpoint-controller``."""

    name = CONTROLLER_NAME

    def __init__(self) -> None:
        #: Per Service, the actions of its last sync and what they were computed from.
        self._memo = IdentityMemo()

    def sync(self, cluster: ClusterView, now: datetime) -> list[Action]:
        plan = Plan()
        services = cluster.list("services")
        index = PodIndex(cluster.list("pods"))
        existing = {((e.get("metadata") or {}).get("namespace"), (e.get("metadata") or {}).get("name")): e
                    for e in cluster.list("endpoints")}
        service_keys = set()
        for svc in services:
            meta = svc.get("metadata") or {}
            key = (meta.get("namespace"), meta.get("name"))
            service_keys.add(key)
            spec = svc.get("spec") or {}
            if spec.get("type") == "ExternalName" or not spec.get("selector"):
                continue
            pods = index.select(key[0] or "", spec["selector"])
            inputs = (now, svc, existing.get(key), *pods)
            actions = self._memo.get(key, inputs)
            if actions is MISS:
                service_plan = Plan()
                self._sync_service(service_plan, svc, pods, existing.get(key), now)
                actions = self._memo.put(key, inputs, service_plan.actions)
            plan.actions.extend(actions)
        for key, ep in existing.items():
            if key not in service_keys and ((ep.get("metadata") or {}).get("labels") or {}).get(LABEL_MANAGED_BY) == CONTROLLER_NAME:
                plan.delete(ep)
        return plan.actions

    def _sync_service(self, plan: Plan, svc: dict, pods: list[dict], current: dict | None, now: datetime) -> None:
        meta = svc.get("metadata") or {}
        subsets = desired_subsets(svc, pods)
        truncated = truncate_endpoints(subsets)
        labels = dict(meta.get("labels") or {})
        if (svc.get("spec") or {}).get("clusterIP") in (None, "", "None"):  # !IsServiceIPSet
            labels[LABEL_HEADLESS] = ""
        labels[LABEL_MANAGED_BY] = CONTROLLER_NAME
        if current is not None:
            cur_meta = current.get("metadata") or {}
            cur_annotations = cur_meta.get("annotations") or {}
            if ((current.get("subsets") or []) == subsets and (cur_meta.get("labels") or {}) == labels
                    and (ANNOTATION_OVER_CAPACITY in cur_annotations) == truncated):
                return
            obj = {**current, "metadata": dict(cur_meta)}
            annotations = dict(cur_annotations)
        else:
            obj = {"apiVersion": "v1", "kind": "Endpoints",
                   "metadata": {"name": meta.get("name", ""), "namespace": meta.get("namespace", "")}}
            annotations = {}
        annotations[ANNOTATION_TRIGGER_TIME] = rfc3339(now)
        if truncated:
            annotations[ANNOTATION_OVER_CAPACITY] = TRUNCATED
        else:
            annotations.pop(ANNOTATION_OVER_CAPACITY, None)
        obj["metadata"]["labels"] = labels
        obj["metadata"]["annotations"] = annotations
        if subsets:
            obj["subsets"] = subsets
        else:
            obj.pop("subsets", None)
        if current is None:
            plan.create(obj)
        else:
            plan.update(obj)
