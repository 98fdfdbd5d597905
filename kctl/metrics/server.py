"""The ``metrics-server`` control loop: PodMetrics and NodeMetrics from the load model.

What metrics-server serves from its kubelet scrapes, as stored objects (kctl has no
aggregated API server, so ``metrics.k8s.io/v1beta1`` objects live in the store like any
other; ``kubectl get --raw /apis/metrics.k8s.io/...`` becomes ``kctl get podmetrics``):

- **PodMetrics**, one per *serving* pod (bound to a Ready node, phase Running, not being
  deleted), with the pod's namespace, name and labels (so ``top pod -l`` selects them),
  ``timestamp`` = the cluster time of the scrape, ``window: 30s`` and one entry per app
  container: ``usage: {cpu, memory}`` from ``kctl.metrics.load`` (idle 1m / 8Mi per container
  for pods without load). cpu is written in millicores, memory in bytes (canonical quantities).
- **NodeMetrics**, one per Ready node, with the node's labels and ``usage`` = the sum of the
  PodMetrics of the pods bound to it (user-applied ones included), nothing else (no system
  overhead). Nodes that are not Ready are not scraped: no NodeMetrics (``top node`` prints
  ``<unknown>``), no PodMetrics for their pods.
- Every object it writes carries the label ``kctl.io/managed-by: metrics-server``. Objects
  without it, or that a user applied over (``kubectl apply``'s last-applied-configuration
  annotation), are the user's and win: never updated or deleted. Managed objects whose
  pod/node is gone (or no longer serving) are deleted. Annotations a user adds to a managed
  object are kept (the HPA's custom pod metrics live there).
- A managed object is rewritten only when something in it changes; since ``timestamp`` is the
  scrape time, that is once per clock step (the 15 s metric resolution) and never within one
  pass at a fixed time, so a pass still reaches its fixed point.

- **On demand**: the loop stores nothing until metrics are in use: an HPA or a VPA exists,
  something carries a load (``kctl load``, a profile), or metrics objects exist. A cluster
  that never autoscales keeps no metrics objects (and pays nothing for them); ``kctl top``
  computes the very same numbers on the fly there (``compute_metrics``).

Deterministic: the same cluster at the same time gives the same objects.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from kctl.controllers.base import Plan, rfc3339
from kctl.metrics import MANAGED_BY, MANAGED_BY_LABEL, METRICS_API_VERSION, NODE_METRICS, POD_METRICS, WINDOW
from kctl.metrics.load import (
    container_usages,
    cpu_quantity,
    is_serving,
    load_owner,
    memory_quantity,
    pod_usages,
)

COMPONENT = "metrics-server"


#: ``kubectl apply`` records what the user applied here: an applied object is the user's.
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def is_managed(obj: dict) -> bool:
    """Written by metrics-server and not taken over by a user's ``apply`` since."""
    meta = obj.get("metadata") or {}
    return ((meta.get("labels") or {}).get(MANAGED_BY_LABEL) == MANAGED_BY
            and LAST_APPLIED not in (meta.get("annotations") or {}))


def _name(obj: dict) -> tuple[str | None, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace"), meta.get("name", "")


def _is_ready(node: dict) -> bool:
    for cond in (node.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def pod_container_usage(cluster, pods: list[dict]) -> dict[tuple[str | None, str], list[tuple[str, int, int]]]:
    """(namespace, name) -> [(container, cpu millicores, memory bytes)] for serving pods."""
    groups: dict[str, tuple] = {}
    usage: dict[tuple[str | None, str], list[tuple[str, int, int]]] = {}
    cache: dict = {}
    for pod in pods:
        found = load_owner(cluster, pod, cache)
        if found is None:
            usage[_name(pod)] = container_usages(pod, None, None)
            continue
        owner, load = found
        meta = owner.get("metadata") or {}
        key = meta.get("uid") or f"{owner.get('kind')}/{meta.get('namespace')}/{meta.get('name')}"
        groups.setdefault(key, (load, []))[1].append(pod)
    for key in sorted(groups):
        load, members = groups[key]
        members.sort(key=lambda p: (p.get("metadata") or {}).get("name", ""))
        for pod, (cpu, mem) in zip(members, pod_usages(load, len(members)), strict=True):
            usage[_name(pod)] = container_usages(pod, cpu, mem)
    return usage


def _metrics_metadata(source: dict, existing: dict | None, *, namespaced: bool) -> dict:
    """A metrics object's metadata: the pod's or node's name (and namespace) and labels plus
    the managed-by label; annotations kept from the object being replaced."""
    meta = source.get("metadata") or {}
    labels = dict(meta.get("labels") or {})
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    md: dict = {"name": meta.get("name", "")}
    if namespaced:
        md["namespace"] = meta.get("namespace") or "default"
    md["labels"] = labels
    annotations = ((existing or {}).get("metadata") or {}).get("annotations")
    if annotations:
        md["annotations"] = annotations
    return md


def pod_metrics_object(pod: dict, containers: list[tuple[str, int, int]], now: datetime,
                       existing: dict | None = None) -> dict:
    return {
        "apiVersion": METRICS_API_VERSION,
        "kind": "PodMetrics",
        "metadata": _metrics_metadata(pod, existing, namespaced=True),
        "timestamp": rfc3339(now),
        "window": WINDOW,
        "containers": [{"name": name, "usage": {"cpu": cpu_quantity(cpu), "memory": memory_quantity(mem)}}
                       for name, cpu, mem in containers],
    }


def node_metrics_object(node: dict, cpu_milli: int, memory_bytes: int, now: datetime,
                        existing: dict | None = None) -> dict:
    return {
        "apiVersion": METRICS_API_VERSION,
        "kind": "NodeMetrics",
        "metadata": _metrics_metadata(node, existing, namespaced=False),
        "timestamp": rfc3339(now),
        "window": WINDOW,
        "usage": {"cpu": cpu_quantity(cpu_milli), "memory": memory_quantity(memory_bytes)},
    }


def _same(desired: dict, existing: dict) -> bool:
    """Whether an existing object already says what ``desired`` says."""
    for key in ("timestamp", "window", "containers", "usage"):
        if desired.get(key) != existing.get(key):
            return False
    dm, em = desired["metadata"], existing.get("metadata") or {}
    return (dm.get("labels") or {}) == (em.get("labels") or {})


def _metrics_sum(obj: dict) -> tuple[int, int]:
    """(cpu millicores, memory bytes) of a PodMetrics, summed over its containers (a
    container whose cpu is unreadable counts for nothing; one whose memory is, for its cpu)."""
    cpu = mem = 0
    for c in obj.get("containers") or ():
        usage = c.get("usage") or {}
        milli = _milli_value(str(usage.get("cpu", "0")))
        if milli is None:
            continue
        cpu += milli
        nbytes = _value(str(usage.get("memory", "0")))
        if nbytes is None:
            continue
        mem += nbytes
    return cpu, mem


@lru_cache(maxsize=8192)
def _milli_value(text: str) -> int | None:
    from kctl.api.quantity import Quantity, QuantityError

    try:
        return Quantity(text).milli_value()
    except QuantityError:
        return None


@lru_cache(maxsize=8192)
def _value(text: str) -> int | None:
    from kctl.api.quantity import Quantity, QuantityError

    try:
        return Quantity(text).value()
    except QuantityError:
        return None


#: What asks for metrics: autoscalers, and the objects a load can be set on.
CONSUMERS = ("horizontalpodautoscalers.autoscaling", "verticalpodautoscalers.autoscaling.k8s.io")
LOADABLE = ("pods", "replicasets.apps", "deployments.apps", "statefulsets.apps", "daemonsets.apps",
            "jobs.batch", "replicationcontrollers")


def metrics_wanted(cluster) -> bool:
    """Whether the metrics pipeline is in use: metrics objects exist (written by an earlier
    sync or applied by a user), an HPA or a VPA exists, or something carries a load."""
    from kctl.metrics.load import LOAD_ANNOTATION

    if cluster.list(POD_METRICS) or cluster.list(NODE_METRICS):
        return True
    if any(cluster.list(resource) for resource in CONSUMERS):
        return True
    return any(LOAD_ANNOTATION in ((obj.get("metadata") or {}).get("annotations") or {})
               for resource in LOADABLE for obj in cluster.list(resource))


class _OwnerReads:
    """The cluster as ``pod_container_usage`` reads it (``get`` of the pods' owners), noting
    what of each owner the load model uses: kind, uid, controller reference, load."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.reads: dict[tuple, tuple | None] = {}

    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        obj = self.cluster.get(resource, namespace, name)
        self.reads[(resource, namespace, name)] = _load_inputs(obj)
        return obj


def _load_inputs(obj: dict | None) -> tuple | None:
    from kctl.metrics.load import LOAD_ANNOTATION

    if obj is None:
        return None
    meta = obj.get("metadata") or {}
    return (obj.get("kind"), meta.get("uid"), meta.get("ownerReferences"),
            (meta.get("annotations") or {}).get(LOAD_ANNOTATION))


class MetricsServer:
    """The simulated metrics-server (see the module docstring)."""

    name = COMPONENT

    def __init__(self) -> None:
        #: The last sync's (serving pods, what it read of their owners, usage): a later round
        #: of the same step whose inputs are equal reuses the usage (a pure function of them).
        self._usage: tuple[list[dict], dict, dict] | None = None

    def _pod_container_usage(self, cluster, serving: list[dict]) -> dict:
        if self._usage is not None:
            last_serving, reads, usage = self._usage
            if last_serving == serving and all(_load_inputs(cluster.get(*key)) == seen
                                               for key, seen in reads.items()):
                return usage
        recorder = _OwnerReads(cluster)
        usage = pod_container_usage(recorder, serving)
        self._usage = (serving, recorder.reads, usage)
        return usage

    def sync(self, cluster, now: datetime, *, force: bool = False):
        if not force and not metrics_wanted(cluster):
            return []
        plan = Plan()
        nodes = {n["metadata"]["name"]: n for n in cluster.list("nodes")}
        ready = {name for name, n in nodes.items() if _is_ready(n)}
        pods = cluster.list("pods")
        serving = [p for p in pods if is_serving(p) and p["spec"]["nodeName"] in ready]
        usage = self._pod_container_usage(cluster, serving)

        existing_pm = {_name(m): m for m in cluster.list(POD_METRICS)}
        effective: dict[tuple[str | None, str], dict] = {}  # what each pod's metrics say after this sync
        for pod in serving:
            key = _name(pod)
            current = existing_pm.get(key)
            if current is not None and not is_managed(current):
                effective[key] = current  # applied by a user: theirs wins
                continue
            desired = pod_metrics_object(pod, usage[key], now, current)
            effective[key] = desired
            if current is None:
                plan.create(desired)
            elif not _same(desired, current):
                plan.update({**desired, "metadata": {**current["metadata"], **desired["metadata"]}})
        for key, current in existing_pm.items():
            if key not in effective and is_managed(current):
                plan.delete(current)
            elif key not in effective:
                effective[key] = current  # a user's PodMetrics for a pod that is not serving

        per_node: dict[str, list[int]] = {name: [0, 0] for name in ready}
        for pod in pods:
            node_name = (pod.get("spec") or {}).get("nodeName")
            metrics = effective.get(_name(pod))
            if node_name in per_node and metrics is not None:
                cpu, mem = _metrics_sum(metrics)
                per_node[node_name][0] += cpu
                per_node[node_name][1] += mem

        existing_nm = {_name(m)[1]: m for m in cluster.list(NODE_METRICS)}
        for name in sorted(per_node):
            current = existing_nm.get(name)
            if current is not None and not is_managed(current):
                continue
            desired = node_metrics_object(nodes[name], per_node[name][0], per_node[name][1], now, current)
            if current is None:
                plan.create(desired)
            elif not _same(desired, current):
                plan.update({**desired, "metadata": {**current["metadata"], **desired["metadata"]}})
        for name, current in existing_nm.items():
            if name not in per_node and is_managed(current):
                plan.delete(current)
        return plan.actions


def compute_metrics(cluster, now: datetime) -> tuple[list[dict], list[dict]]:
    """(PodMetrics, NodeMetrics) the loop would write for a cluster that has none yet."""
    from kctl.controllers.base import Create

    objs = [a.obj for a in MetricsServer().sync(cluster, now, force=True) if isinstance(a, Create)]
    return [o for o in objs if o["kind"] == "PodMetrics"], [o for o in objs if o["kind"] == "NodeMetrics"]


def metrics_from_api(api, now: datetime) -> tuple[list[dict], list[dict]]:
    """``compute_metrics`` over what the API server holds (read-only: nothing is written)."""
    from kctl.api import registry
    from kctl.controllers.view import MemoryView

    wanted = {"pods", "nodes", *LOADABLE}
    view = MemoryView()
    for rt in registry.RESOURCES:
        if rt.group_resource in wanted:
            for obj in api.list(rt):
                view.put(obj, rt.group_resource)
    return compute_metrics(view, now)


def container_memory_bytes(pod_metrics: dict | None, container: str) -> int | None:
    """A container's memory working set from its pod's PodMetrics (None: not reported)."""
    from kctl.api.quantity import Quantity, QuantityError

    for c in (pod_metrics or {}).get("containers") or ():
        if c.get("name") == container:
            raw = (c.get("usage") or {}).get("memory")
            if raw is None:
                return None
            try:
                return Quantity(str(raw)).value()
            except QuantityError:
                return None
    return None
