"""A seeded, varied scheduling workload: nodes with zones, taints, odd capacities;
bound pods with (anti-)affinity terms and host ports; pending pods with every kind of
spec field the default plugins read. Used to check that the fast path and the plugin
path decide alike, and that both keep deciding as the reference implementation did.
"""

from __future__ import annotations

import random

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
APPS = ("web", "db", "cache", "batch", "api")
SERVICES = ("web", "db", "api")  # apps selected by a Service: system-default spreading applies


def make_nodes(rng: random.Random, count: int) -> list[dict]:
    nodes = []
    for i in range(count):
        name = f"n{i:03d}"
        labels = {HOSTNAME: name, "kubernetes.io/os": "linux"}
        if rng.random() < 0.9:
            labels[ZONE] = f"zone-{rng.choice('abc')}"
        if rng.random() < 0.5:
            labels["disk"] = rng.choice(("ssd", "hdd"))
        if rng.random() < 0.6:
            labels["tier"] = str(rng.randint(1, 5))
        taints = []
        r = rng.random()
        if r < 0.08:
            taints.append({"key": "dedicated", "value": rng.choice(("gpu", "infra")), "effect": "NoSchedule"})
        elif r < 0.2:
            taints.append({"key": "spot", "value": "true", "effect": "PreferNoSchedule"})
        elif r < 0.24:
            taints.append({"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"})
        if rng.random() < 0.05:
            taints.append({"key": "flaky", "effect": "PreferNoSchedule"})
        alloc = {"cpu": rng.choice(("1", "2", "4", "3500m", "8")),
                 "memory": rng.choice(("1Gi", "2Gi", "4Gi", "8Gi", "6000Mi")),
                 "pods": rng.choice(("3", "8", "20", "110", "110"))}
        if rng.random() < 0.1:
            alloc["example.com/gpu"] = str(rng.randint(1, 2))
        if rng.random() < 0.3:
            alloc["ephemeral-storage"] = rng.choice(("10Gi", "1Gi"))
        if rng.random() < 0.03:
            del alloc["memory"]
        spec: dict = {"taints": taints}
        if rng.random() < 0.04:
            spec["unschedulable"] = True
        nodes.append({"metadata": {"name": name, "labels": labels}, "spec": spec, "status": {"allocatable": alloc}})
    rng.shuffle(nodes)  # the snapshot sorts by name
    return nodes


def _resources(rng: random.Random) -> dict:
    r = rng.random()
    if r < 0.15:
        return {}  # zero-request pod
    if r < 0.25:
        return {"limits": {"cpu": rng.choice(("100m", "250m")), "memory": "64Mi"}}
    req = {}
    if rng.random() < 0.85:
        req["cpu"] = rng.choice(("50m", "100m", "250m", "500m", "1", "1500m"))
    if rng.random() < 0.85:
        req["memory"] = rng.choice(("32Mi", "128Mi", "256Mi", "512Mi", "1Gi"))
    if rng.random() < 0.05:
        req["example.com/gpu"] = "1"
    if rng.random() < 0.05:
        req["ephemeral-storage"] = "2Gi"
    return {"requests": req}


def _term(rng: random.Random, app: str) -> dict:
    term: dict = {"topologyKey": rng.choice((HOSTNAME, HOSTNAME, ZONE, "disk")),
                  "labelSelector": {"matchLabels": {"app": app}}}
    if rng.random() < 0.2:
        term["labelSelector"] = {"matchExpressions": [{"key": "app", "operator": "In", "values": [app, "api"]}]}
    if rng.random() < 0.1:
        term["namespaces"] = ["default", "other"]
    if rng.random() < 0.05:
        term["namespaceSelector"] = {}
    return term


def make_pod(rng: random.Random, name: str, node_name: str | None = None, affinity_rate: float = 1.0) -> dict:
    """One pod; ``affinity_rate`` scales how often it carries pod (anti-)affinity terms."""
    ns = "default" if rng.random() < 0.85 else "other"
    app = rng.choice(APPS)
    labels = {"app": app}
    if rng.random() < 0.5:
        labels["version"] = rng.choice(("v1", "v2"))
    container: dict = {"name": "app", "image": "img", "resources": _resources(rng)}
    if rng.random() < 0.08:
        container["ports"] = [{"containerPort": 80, "hostPort": rng.choice((8080, 8081)),
                               **({"protocol": "UDP"} if rng.random() < 0.2 else {})}]
    spec: dict = {"containers": [container]}
    if rng.random() < 0.1:
        spec["initContainers"] = [{"name": "init", "image": "i", "resources": _resources(rng),
                                   **({"restartPolicy": "Always"} if rng.random() < 0.5 else {})}]
    if rng.random() < 0.05:
        spec["overhead"] = {"cpu": "10m", "memory": "16Mi"}
    if rng.random() < 0.15:
        spec["nodeSelector"] = rng.choice(({"disk": "ssd"}, {ZONE: "zone-a"}, {"disk": "hdd", ZONE: "zone-b"}))
    affinity: dict = {}
    node_affinity: dict = {}
    if rng.random() < 0.1:
        op = rng.choice(("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"))
        expr = {"key": "tier", "operator": op}
        if op in ("In", "NotIn"):
            expr["values"] = ["1", "2", "3"]
        elif op in ("Gt", "Lt"):
            expr["values"] = ["2"]
        terms = [{"matchExpressions": [expr]}]
        if rng.random() < 0.2:
            terms.append({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n001", "n002"]}]})
        node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": terms}
    if rng.random() < 0.2:
        node_affinity["preferredDuringSchedulingIgnoredDuringExecution"] = [
            {"weight": rng.randint(1, 100), "preference": {"matchExpressions": [
                {"key": rng.choice(("disk", ZONE, "tier")), "operator": "Exists"}]}},
            {"weight": rng.randint(1, 100), "preference": {"matchExpressions": [
                {"key": "disk", "operator": "In", "values": ["ssd"]}]}},
        ][: rng.randint(1, 2)]
    if node_affinity:
        affinity["nodeAffinity"] = node_affinity
    if rng.random() < 0.12 * affinity_rate:
        kind = rng.choice(("podAffinity", "podAntiAffinity"))
        affinity[kind] = {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": rng.randint(1, 100), "podAffinityTerm": _term(rng, rng.choice(APPS))}]}
    if rng.random() < 0.05 * affinity_rate:
        affinity.setdefault("podAntiAffinity", {})["requiredDuringSchedulingIgnoredDuringExecution"] = [
            _term(rng, app)]
    if rng.random() < 0.02 * affinity_rate:
        affinity.setdefault("podAffinity", {})["requiredDuringSchedulingIgnoredDuringExecution"] = [
            _term(rng, rng.choice(APPS))]
    if affinity:
        spec["affinity"] = affinity
    tolerations = []
    if rng.random() < 0.15:
        tolerations.append({"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"})
    if rng.random() < 0.1:
        tolerations.append({"key": "spot", "operator": "Exists"})
    if rng.random() < 0.05:
        tolerations.append({"operator": "Exists"})
    if rng.random() < 0.05:
        tolerations.append({"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"})
    if tolerations:
        spec["tolerations"] = tolerations
    if rng.random() < 0.15:
        constraints = []
        for _ in range(rng.randint(1, 2)):
            c = {"maxSkew": rng.randint(1, 3), "topologyKey": rng.choice((HOSTNAME, ZONE, "disk")),
                 "whenUnsatisfiable": rng.choice(("DoNotSchedule", "ScheduleAnyway")),
                 "labelSelector": {"matchLabels": {"app": app}}}
            if rng.random() < 0.2:
                c["matchLabelKeys"] = ["version"]
            if rng.random() < 0.1:
                c["minDomains"] = 4
            constraints.append(c)
        spec["topologySpreadConstraints"] = constraints
    if rng.random() < 0.01:
        spec["preemptionPolicy"] = "Never"
    if node_name is None and rng.random() < 0.01:
        spec["nodeName"] = rng.choice(("n004", "n999"))
    meta: dict = {"name": name, "namespace": ns, "labels": labels}
    status = {"phase": "Pending"}
    if node_name is not None:
        spec["nodeName"] = node_name
        status = {"phase": rng.choice(("Running",) * 12 + ("Succeeded", "Failed"))}
        if rng.random() < 0.03:
            meta["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    return {"metadata": meta, "spec": spec, "status": status}


def make_workload(seed: int, nodes: int, existing: int, pending: int, affinity_rate: float = 1.0):
    """(nodes, bound pods, pending pods) for one seed."""
    rng = random.Random(seed)
    node_objs = make_nodes(rng, nodes)
    names = [n["metadata"]["name"] for n in node_objs]
    bound = [make_pod(rng, f"old-{i}", rng.choice([*names, "gone"]), affinity_rate) for i in range(existing)]
    new = [make_pod(rng, f"new-{i}", None, affinity_rate) for i in range(pending)]
    return node_objs, bound, new


def spread_selector(pod: dict):
    """Stand-in for the Services that select a pod: one per app in SERVICES."""
    from kctl.api.labels import selector_from_set

    app = ((pod.get("metadata") or {}).get("labels") or {}).get("app")
    return selector_from_set({"app": app}) if app in SERVICES else None


def describe(result) -> tuple:
    """Everything a scheduling result says, in a comparable shape."""
    statuses = {name: (int(s.code), tuple(s.reasons), s.plugin) for name, s in result.statuses.items()}
    return (result.pod_key, result.node, result.message, result.feasible, result.evaluated,
            {n: dict(sorted(p.items())) for n, p in sorted(result.scores.items())}, dict(sorted(statuses.items())))


def run(framework_cls, snapshot_cls, profile, seed: int, nodes: int, existing: int, pending: int,
        affinity_rate: float = 1.0, **framework_kwargs) -> list[tuple]:
    """Schedule every pending pod in turn, assuming each placement, as the controller does."""
    import copy

    node_objs, bound, new = make_workload(seed, nodes, existing, pending, affinity_rate)
    snapshot = snapshot_cls(node_objs, bound, default_spread_selector=spread_selector)
    framework = framework_cls(profile, snapshot, **framework_kwargs)
    out = []
    for pod in new:
        result = framework.schedule_one(pod)
        out.append(describe(result))
        if result.node is not None:
            placed = copy.deepcopy(pod)
            placed["spec"]["nodeName"] = result.node
            snapshot.assume(placed, result.node)
    return out
