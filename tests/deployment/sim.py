"""A tiny simulated cluster for Deployment/ReplicaSet controller tests: objects in a
MemoryView, the two controllers and a fake kubelet that makes every pod Running and Ready."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kctl.controllers.base import Plan, rfc3339
from kctl.controllers.deployment import DeploymentController
from kctl.controllers.replicaset import ReplicaSetController
from kctl.controllers.view import MemoryView
from tests.harness import run_until_stable

T0 = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


class FakeKubelet:
    """Marks pods Running and Ready (Ready.lastTransitionTime = now) the round they appear."""

    name = "fake-kubelet"

    def sync(self, cluster, now):
        plan = Plan()
        for pod in cluster.list("pods"):
            if (pod.get("status") or {}).get("phase") == "Running":
                continue
            t = rfc3339(now)
            plan.update_status({**pod, "status": {
                "phase": "Running",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": t}],
                "containerStatuses": [{"name": "app", "ready": True, "restartCount": 0}],
            }})
        return plan.actions


def deployment(name="web", replicas=3, image="nginx:1.25", strategy=None, **spec) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}", "generation": 1,
                     "creationTimestamp": rfc3339(T0)},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": strategy or {"type": "RollingUpdate",
                                     "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {"metadata": {"labels": {"app": name}},
                         "spec": {"containers": [{"name": "app", "image": image}]}},
            **spec,
        },
    }


class Sim:
    def __init__(self, *objects, kubelet=True):
        self.view = MemoryView(list(objects))
        self.controllers = [DeploymentController(), ReplicaSetController()]
        if kubelet:
            self.controllers.append(FakeKubelet())
        self.now = T0
        self.events = []

    def run(self, advance: int = 0):
        self.now = self.now + timedelta(seconds=advance)
        events = run_until_stable(self.view, self.controllers, self.now, max_rounds=200)
        self.events.extend(events)
        return events

    def get(self, resource, name, ns="default"):
        return self.view.get(resource, ns, name)

    def deployment(self, name="web"):
        return self.get("deployments.apps", name)

    def replica_sets(self, ns="default"):
        return self.view.list("replicasets.apps", ns)

    def pods(self, ns="default"):
        return self.view.list("pods", ns)

    def edit(self, name, fn, bump_generation=True):
        d = self.deployment(name)
        new = {**d, "metadata": dict(d["metadata"]), "spec": fn(dict(d["spec"]))}
        if bump_generation:
            new["metadata"]["generation"] = d["metadata"].get("generation", 1) + 1
        self.view.put(new)

    def set_image(self, image, name="web"):
        def fn(spec):
            tmpl = spec["template"]
            spec["template"] = {**tmpl, "spec": {**tmpl["spec"], "containers": [
                {**tmpl["spec"]["containers"][0], "image": image}]}}
            return spec
        self.edit(name, fn)


def scaling_messages(events) -> list[str]:
    return [e.message for e in events if e.reason == "ScalingReplicaSet"]


def rs_name_for(sim: Sim, image: str) -> str:
    for rs in sim.replica_sets():
        if rs["spec"]["template"]["spec"]["containers"][0]["image"] == image:
            return rs["metadata"]["name"]
    raise AssertionError(image)
