"""``kctl simulate``: the whole control plane over simulated time, sampled at every step.

``run_simulation(api, duration, step, profile)``:

1. ``t = 0``: the profile's load at 0 is written, the control plane runs to a fixed point
   (no clock move), the cluster is sampled.
2. For ``k = 1 .. ceil(duration / step)``: the profile's load at ``t_k = k x step`` is written
   (a workload's ``kctl.io/load`` annotation changes only when the value does), then
   ``run_control_plane(api, advance_seconds=step)`` moves the clock to ``t_k`` in 15 s sync
   periods (fixed point at each), and the cluster is sampled. One ``ControlPlane`` runs all
   the steps: its view of the cluster is carried over (and sampled) instead of being listed
   from the store again at every step; the results are the same.

A sample holds, per tracked workload: desired and ready replicas, total usage from its pods'
PodMetrics, cpu utilization against requests (``sum(usage) * 100 // sum(requests)`` over
the pods with metrics, as the HPA computes it), and the TARGETS of the HPAs that scale it
(``cpu: 90%/60%``, as ``kctl get hpa`` prints them); cluster-wide, the Pending pods and the
Nodes; and the events recorded during the step.

Tracked workloads: every Deployment and StatefulSet, plus the DaemonSets/ReplicaSets named
by the profile, in (namespace, kind, name) order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from functools import lru_cache

TRACKED = ("deployments.apps", "statefulsets.apps")


@dataclass
class WorkloadSample:
    workload: str  # deployment/web (namespace-qualified outside default: shop/deployment/web)
    namespace: str
    replicas: int
    ready: int
    cpu_milli: int
    memory_bytes: int
    cpu_utilization: int | None  # percent of requests, None without requests/metrics
    hpa: str | None  # "cpu: 90%/60%" or None without an HPA


@dataclass
class Sample:
    t: int  # seconds since the start
    time: str  # the cluster time (RFC 3339)
    pending: int
    nodes: int
    workloads: list[WorkloadSample]
    events: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Timeline:
    start: str
    step: int
    samples: list[Sample]

    def as_dict(self) -> dict:
        return {"start": self.start, "stepSeconds": self.step, "samples": [s.as_dict() for s in self.samples]}


class SimulationError(Exception):
    pass


# -- applying a profile -------------------------------------------------------------------------
def resolve_profile(api, profile) -> list[tuple[object, object]]:
    """(ResourceType, WorkloadProfile) for each profile entry; SimulationError when a
    workload does not exist or cannot carry a load."""
    from kctl.api import registry

    out = []
    for w in profile.workloads:
        try:
            rt = registry.resolve(w.resource)
        except registry.UnknownResourceType as e:
            raise SimulationError(f"load profile: {e}") from None
        if rt.group_resource not in ("deployments.apps", "statefulsets.apps", "daemonsets.apps",
                                     "replicasets.apps", "replicationcontrollers", "jobs.batch", "pods"):
            raise SimulationError(f"load profile: {w.target}: only pods and workloads carry a load")
        if api.try_get(rt, w.namespace, w.name) is None:
            raise SimulationError(f'load profile: {rt.group_resource} "{w.name}" not found in namespace {w.namespace}')
        out.append((rt, w))
    return out


def apply_loads(api, resolved, t: Fraction, control_plane=None) -> int:
    """Write each profile workload's load at ``t``; the number of objects changed. With a
    ``control_plane`` (``kctl.controllers.runner.ControlPlane``), the workloads are read from
    its view and the written ones reported to it."""
    from kctl.api.server.apiserver import deep_copy
    from kctl.metrics.load import LOAD_ANNOTATION

    changed = 0
    for rt, w in resolved:
        if control_plane is None:
            obj = api.try_get(rt, w.namespace, w.name)
        else:
            obj = control_plane.view.get(rt.group_resource, (w.namespace or "default") if rt.namespaced else None,
                                         w.name)
        if obj is None:
            continue  # deleted during the simulation
        text = w.load_at(t).to_annotation()
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        if annotations.get(LOAD_ANNOTATION) == text:
            continue
        obj = deep_copy(obj)
        obj["metadata"].setdefault("annotations", {})[LOAD_ANNOTATION] = text
        stored = api.update(obj)
        if control_plane is not None:
            control_plane.observe(stored, rt.group_resource)
        changed += 1
    return changed


# -- sampling -----------------------------------------------------------------------------------
def _workload_label(kind_group: str, ns: str, name: str) -> str:
    base = f"{kind_group.split('.')[0]}/{name}"
    return base if ns == "default" else f"{ns}/{base}"


def _cpu_request_milli(container: dict) -> int:
    raw = ((container.get("resources") or {}).get("requests") or {}).get("cpu")
    return _milli(str(raw)) if raw is not None else 0


@lru_cache(maxsize=4096)
def _milli(text: str) -> int:
    from kctl.api.quantity import Quantity, QuantityError

    try:
        return Quantity(text).milli_value()
    except QuantityError:
        return 0


def sample(api, t: int, events: list[dict], extra: list = (), view=None) -> Sample:
    """The cluster now, summarized (see the module docstring). ``view``: a current view of
    the cluster (the control plane's) to read instead of listing the store."""
    from kctl.api import registry
    from kctl.controllers.view import MemoryView
    from kctl.metrics import POD_METRICS
    from kctl.printers.columns.autoscaling import format_hpa_metrics

    if view is None:
        resources = {"pods", POD_METRICS, "replicasets.apps", "horizontalpodautoscalers.autoscaling", "nodes",
                     *TRACKED, *(rt.group_resource for rt in extra)}
        view = MemoryView()
        for rt in registry.RESOURCES:
            if rt.group_resource in resources:
                for obj in api.list(rt):
                    view.put(obj, rt.group_resource)
    pods = view.list("pods")
    by_owner: dict[str, list[dict]] = {}
    for pod in pods:
        for ref in (pod.get("metadata") or {}).get("ownerReferences") or ():
            if ref.get("controller"):
                by_owner.setdefault(ref.get("uid", ""), []).append(pod)
    tracked = []
    for resource in sorted({*TRACKED, *(rt.group_resource for rt in extra)}):
        for obj in view.list(resource):
            tracked.append((resource, obj))
    tracked.sort(key=lambda x: ((x[1]["metadata"].get("namespace") or ""), x[0], x[1]["metadata"]["name"]))
    # The first HPA (in list order) scaling each (namespace, kind, name).
    hpas: dict[tuple, dict] = {}
    for hpa in view.list("horizontalpodautoscalers.autoscaling"):
        ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        hpas.setdefault((hpa["metadata"].get("namespace"), ref.get("kind"), ref.get("name")), hpa)
    out = []
    for resource, obj in tracked:
        meta = obj["metadata"]
        ns = meta.get("namespace") or "default"
        members = list(by_owner.get(meta.get("uid", ""), ()))
        if resource == "deployments.apps":
            members = [p for rs in view.owned_by(meta.get("uid", "")) if rs.get("kind") == "ReplicaSet"
                       for p in by_owner.get(rs["metadata"].get("uid", ""), ())]
        cpu = mem = req = used_for_util = 0
        for pod in members:
            pm = view.get(POD_METRICS, ns, pod["metadata"]["name"])
            if pm is None:
                continue
            pc, pmem = _pod_usage(pm)
            cpu += pc
            mem += pmem
            pod_req = sum(_cpu_request_milli(c) for c in (pod.get("spec") or {}).get("containers") or ())
            if pod_req:
                req += pod_req
                used_for_util += pc
        status = obj.get("status") or {}
        spec = obj.get("spec") or {}
        if resource == "daemonsets.apps":
            replicas, ready = int(status.get("desiredNumberScheduled") or 0), int(status.get("numberReady") or 0)
        elif resource == "pods":
            replicas, ready = 1, int(any(c.get("ready") for c in status.get("containerStatuses") or ()))
        else:
            replicas = int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)
            ready = int(status.get("readyReplicas") or 0)
        hpa_text = None
        hpa = hpas.get((meta.get("namespace"), obj.get("kind"), meta.get("name")))
        if hpa is not None:
            hpa_text = format_hpa_metrics((hpa.get("spec") or {}).get("metrics"),
                                          (hpa.get("status") or {}).get("currentMetrics"))
        kind_group = registry.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
        label = _workload_label(kind_group.kind_group if kind_group else obj.get("kind", "").lower(), ns, meta["name"])
        out.append(WorkloadSample(label, ns, replicas, ready, cpu, mem,
                                  (used_for_util * 100) // req if req else None, hpa_text))
    pending = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Pending"
                  and not (p.get("metadata") or {}).get("deletionTimestamp"))
    return Sample(t, api.clock.timestamp(), pending, len(view.list("nodes")), out, events)


def _pod_usage(pm: dict) -> tuple[int, int]:
    from kctl.metrics.top import pod_usage

    return pod_usage(pm)


def event_summary(e: dict, start) -> dict:
    """The parts of an Event the timeline shows, with ``t`` = seconds since the start."""
    from kctl.api.server.clock import parse_time

    involved = e.get("involvedObject") or {}
    when = e.get("lastTimestamp") or e.get("eventTime") or ""
    try:
        t = int((parse_time(when) - start).total_seconds())
    except (ValueError, TypeError):
        t = 0
    name = involved.get("name", "")
    ns = involved.get("namespace") or ""
    obj = f"{(involved.get('kind') or '').lower()}/{name}"
    return {"t": t, "type": e.get("type", ""), "reason": e.get("reason", ""),
            "object": obj if ns in ("", "default") else f"{ns}/{obj}", "message": e.get("message", ""),
            "count": int(e.get("count") or 1)}


#: Events left out of the timeline's table (kept in -o json): the routine life of pods and
#: ReplicaSets (Scheduled, Pulled, Created, Started, Killing, SuccessfulCreate/Delete...).
QUIET_KINDS = ("pod", "replicaset", "endpoints", "endpointslice", "lease")


def is_notable(e: dict) -> bool:
    parts = e.get("object", "").split("/")
    kind = parts[-2] if len(parts) >= 2 else ""
    return e.get("type") == "Warning" or kind not in QUIET_KINDS


# -- the run ------------------------------------------------------------------------------------
def run_simulation(api, duration: int, step: int, profile=None, progress=None) -> Timeline:
    """Run the control plane over ``duration`` seconds in ``step``-second steps (see above)."""
    from kctl.api.server.clock import format_time
    from kctl.controllers.runner import ControlPlane

    if step <= 0:
        raise SimulationError("--step must be at least 1s")
    resolved = resolve_profile(api, profile) if profile is not None else []
    extra = sorted({rt for rt, _ in resolved if rt.group_resource not in TRACKED}, key=lambda rt: rt.group_resource)
    start = api.clock.now()
    apply_loads(api, resolved, Fraction(0))
    # One control plane for the whole run: its view of the cluster is carried from step to
    # step (and sampled) instead of listed from the store for every step.
    plane = ControlPlane(api)
    result = plane.run()
    samples = [sample(api, 0, [event_summary(e, start) for e in result.events], extra, plane.view)]
    steps = -(-duration // step) if duration > 0 else 0
    for k in range(1, steps + 1):
        t = min(k * step, duration)
        apply_loads(api, resolved, Fraction(t), plane)
        result = plane.run(advance_seconds=t - samples[-1].t)
        samples.append(sample(api, t, [event_summary(e, start) for e in result.events], extra, plane.view))
        if progress is not None:
            progress(k, steps)
    return Timeline(format_time(start), step, samples)
