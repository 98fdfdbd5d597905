"""Tiny stand-ins for the scheduler, the kubelet and API-server defaulting, for driving the
workload controllers with tests.harness.run_until_stable."""

from __future__ import annotations

from datetime import UTC, datetime

from kctl.controllers.base import Plan, clone, rfc3339
from kctl.controllers.daemonset import get_target_node_name
from kctl.controllers.job import default_job

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


def node(name: str, labels: dict | None = None, taints: list | None = None) -> dict:
    obj = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": f"uid-{name}",
                                                            "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
           "spec": {}}
    if taints:
        obj["spec"]["taints"] = taints
    return obj


def template(labels: dict, image: str = "nginx:1.27", **spec) -> dict:
    return {"metadata": {"labels": dict(labels)},
            "spec": {"containers": [{"name": "app", "image": image}], **spec}}


class FakeScheduler:
    """Binds pending pods: to their DaemonSet target node, else to ``default_node``."""

    name = "fake-scheduler"

    def __init__(self, default_node: str = "node-1"):
        self.default_node = default_node

    def sync(self, cluster, now):
        plan = Plan()
        for pod in cluster.list("pods"):
            if (pod.get("spec") or {}).get("nodeName"):
                continue
            obj = clone(pod)
            obj["spec"]["nodeName"] = get_target_node_name(pod) or self.default_node
            plan.update(obj)
        return plan.actions


class FakeKubelet:
    """Scheduled pods become Running+Ready (restartPolicy Always) or Succeeded/Failed
    (``kctl.io/exit-code``) in one step; ``hold`` names stay Pending."""

    name = "fake-kubelet"

    def __init__(self, hold: set[str] | None = None, ready: bool = True):
        self.hold = hold or set()
        self.ready = ready

    def sync(self, cluster, now):
        plan = Plan()
        for pod in cluster.list("pods"):
            meta = pod["metadata"]
            if meta["name"] in self.hold or not (pod.get("spec") or {}).get("nodeName"):
                continue
            phase = (pod.get("status") or {}).get("phase")
            if phase in ("Succeeded", "Failed", "Running"):
                continue
            obj = clone(pod)
            ts = rfc3339(now)
            if pod["spec"].get("restartPolicy", "Always") == "Always":
                status = "True" if self.ready else "False"
                obj["status"] = {"phase": "Running", "conditions": [
                    {"type": "Ready", "status": status, "lastTransitionTime": ts}]}
            else:
                code = int((meta.get("annotations") or {}).get("kctl.io/exit-code", "0"))
                obj["status"] = {
                    "phase": "Succeeded" if code == 0 else "Failed",
                    "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": ts}],
                    "containerStatuses": [{"name": "app", "restartCount": 0, "state": {
                        "terminated": {"exitCode": code, "finishedAt": ts}}}],
                }
            plan.update_status(obj)
        return plan.actions


class FakeJobDefaulting:
    """What the API server does to new Jobs: ``default_job`` (selector and labels)."""

    name = "fake-defaulting"

    def sync(self, cluster, now):
        plan = Plan()
        for job in cluster.list("jobs.batch"):
            if not (job.get("spec") or {}).get("selector"):
                plan.update(default_job(job))
        return plan.actions


def events_text(events) -> list[str]:
    return [f"{e.type} {e.reason} {e.message}" for e in events]
