"""Pod -> endpoint helpers shared by the Endpoints and EndpointSlice controllers.

Mirrors ``staging/src/k8s.io/endpointslice/util`` and ``pkg/api/v1/pod`` (1.34):

- ``should_pod_be_in_endpoints``: not terminal (Succeeded/Failed), has a pod IP, and (unless
  ``include_terminating``) no deletionTimestamp.
- ``find_port`` is ``podutil.FindPort``: a named targetPort is looked up by name *and*
  protocol in the pod's containers (then its restartable init containers, i.e. sidecars);
  a numeric targetPort is used as is without checking the pod.
- ``should_set_hostname``: ``pod.spec.hostname`` set and ``pod.spec.subdomain`` equal to the
  Service name, in the Service's namespace.
- ``PodIndex`` lists the pods a Service selects: pods are indexed by namespace and by each
  ``key=value`` label once per sync, and a selector is answered from its rarest label, so
  10,000 pods behind 100 Services costs one pass over the pods, not a million matches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping


def is_pod_ready(pod: dict) -> bool:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def is_pod_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def pod_ips(pod: dict) -> list[str]:
    status = pod.get("status") or {}
    ips = [entry.get("ip") for entry in status.get("podIPs") or () if entry.get("ip")]
    if not ips and status.get("podIP"):
        ips = [status["podIP"]]
    return ips


def ip_family(ip: str) -> str:
    return "IPv6" if ":" in ip else "IPv4"


def pod_ip_for_family(pod: dict, family: str) -> str | None:
    """The pod's address of ``family`` (podToEndpointAddressForService / getEndpointAddresses)."""
    for ip in pod_ips(pod):
        if ip_family(ip) == family:
            return ip
    return None


def service_ip_family(svc: dict) -> str:
    """The address family a single-stack controller publishes for ``svc``."""
    spec = svc.get("spec") or {}
    families = spec.get("ipFamilies") or ()
    if families:
        return families[0]
    ip = spec.get("clusterIP")
    if ip and ip != "None":
        return ip_family(ip)
    return "IPv4"


def should_pod_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    if is_pod_terminal(pod):
        return False
    if not pod_ips(pod):
        return False
    return include_terminating or not (pod.get("metadata") or {}).get("deletionTimestamp")


def should_set_hostname(pod: dict, svc: dict) -> bool:
    spec = pod.get("spec") or {}
    return (bool(spec.get("hostname")) and spec.get("subdomain") == (svc.get("metadata") or {}).get("name")
            and (pod.get("metadata") or {}).get("namespace") == (svc.get("metadata") or {}).get("namespace"))


def find_port(pod: dict, service_port: Mapping) -> int | None:
    """podutil.FindPort: the container port a service port targets on this pod, or None."""
    target = service_port.get("targetPort")
    if target is None or target == "" or target == 0:
        target = service_port.get("port")
    if isinstance(target, int):
        return target
    protocol = service_port.get("protocol") or "TCP"
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or ())
    containers += [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
    for container in containers:
        for port in container.get("ports") or ():
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return port.get("containerPort")
    return None


def target_ref(pod: dict) -> dict:
    meta = pod.get("metadata") or {}
    return {"kind": "Pod", "namespace": meta.get("namespace", ""), "name": meta.get("name", ""), "uid": meta.get("uid", "")}


class PodIndex:
    """Pods by namespace and by ``(label key, value)``, built once per sync."""

    def __init__(self, pods: Iterable[dict]):
        self._by_ns: dict[str, list[dict]] = defaultdict(list)
        self._by_label: dict[str, dict[tuple[str, str], list[dict]]] = defaultdict(lambda: defaultdict(list))
        for pod in pods:
            meta = pod.get("metadata") or {}
            ns = meta.get("namespace") or ""
            self._by_ns[ns].append(pod)
            postings = self._by_label[ns]
            for item in (meta.get("labels") or {}).items():
                postings[item].append(pod)

    def select(self, namespace: str, selector: Mapping[str, str]) -> list[dict]:
        """Pods in ``namespace`` whose labels contain every ``selector`` pair (in list order).

        An empty selector selects every pod of the namespace, as ``labels.Set{}`` does.
        """
        if not selector:
            return list(self._by_ns.get(namespace, ()))
        postings = self._by_label.get(namespace)
        if not postings:
            return []
        lists = []
        for item in selector.items():
            hits = postings.get(item)
            if not hits:
                return []
            lists.append(hits)
        lists.sort(key=len)
        if len(lists) == 1:
            return list(lists[0])
        items = list(selector.items())
        out = []
        for pod in lists[0]:
            labels = (pod.get("metadata") or {}).get("labels") or {}
            if all(labels.get(k) == v for k, v in items):
                out.append(pod)
        return out
