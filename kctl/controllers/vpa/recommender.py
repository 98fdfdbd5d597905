"""The VPA recommender (Controller ``vpa-recommender``): samples usage from PodMetrics
(metrics.k8s.io/v1beta1) once per recommender interval (1 min of cluster time), keeps
each container's decaying histograms in the VPA's ``kctl.io/vpa-checkpoint`` annotation,
and writes ``status.recommendation`` and conditions.

Conditions: ``RecommendationProvided`` True once a recommendation exists (False, reason
``NoPodsMatched``... otherwise), ``NoPodsMatched`` True with ``No pods match this VPA
object`` when the target selects no pod.
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import Plan, clone, rfc3339
from kctl.controllers.vpa import policy as vpa_policy
from kctl.controllers.vpa.estimator import recommend
from kctl.controllers.vpa.model import CHECKPOINT_ANNOTATION, Checkpoint
from kctl.controllers.vpa.targets import VPAS, target_pods

COMPONENT = "vpa-recommender"
RECOMMENDER_INTERVAL = 60.0
POD_METRICS = "pods.metrics.k8s.io"
MAX_OOMS_KEPT = 50


def _cores(value) -> float:
    return vpa_policy.to_amount("cpu", value) / 1000.0


def _bytes(value) -> float:
    return float(vpa_policy.to_amount("memory", value))


def _container_request(pod: dict, name: str, resource: str) -> float:
    for c in (pod.get("spec") or {}).get("containers") or ():
        if c.get("name") == name:
            res = c.get("resources") or {}
            value = (res.get("requests") or {}).get(resource, (res.get("limits") or {}).get(resource))
            if value is None:
                return 0.0
            return _cores(value) if resource == "cpu" else _bytes(value)
    return 0.0


def collect(checkpoint: Checkpoint, pods: list[dict], metrics_of, t: float) -> bool:
    """One sampling round: usage samples from PodMetrics and OOM kills. True when sampled."""
    sampled = False
    for pod in pods:
        if not (pod.get("spec") or {}).get("nodeName"):
            continue
        meta = pod.get("metadata") or {}
        metrics = metrics_of(meta.get("namespace"), meta.get("name", ""))
        for cm in (metrics or {}).get("containers") or ():
            usage = cm.get("usage") or {}
            state = checkpoint.container(cm.get("name", ""))
            if "cpu" in usage:
                state.add_cpu_sample(_cores(usage["cpu"]), _container_request(pod, cm.get("name", ""), "cpu"), t)
                sampled = True
            if "memory" in usage:
                state.add_memory_sample(_bytes(usage["memory"]), t)
                sampled = True
        for cs in (pod.get("status") or {}).get("containerStatuses") or ():
            term = ((cs.get("lastState") or {}).get("terminated")) or {}
            if term.get("reason") != "OOMKilled":
                continue
            key = f"{meta.get('uid', '')}/{cs.get('name', '')}/{term.get('finishedAt', '')}"
            state = checkpoint.container(cs.get("name", ""))
            if key in state.ooms:
                continue
            state.record_oom(_container_request(pod, cs.get("name", ""), "memory"), t)
            state.ooms = [*state.ooms, key][-MAX_OOMS_KEPT:]
            sampled = True
    return sampled


def recommendation(vpa: dict, checkpoint: Checkpoint, pods: list[dict]) -> dict | None:
    """``status.recommendation`` from the histograms (None: nothing to recommend yet)."""
    names: list[str] = []
    for pod in pods:
        for c in (pod.get("spec") or {}).get("containers") or ():
            if c.get("name") not in names:
                names.append(c.get("name"))
    recommended = [n for n in names if n in checkpoint.containers
                   and not vpa_policy.is_off(vpa_policy.container_policy(vpa, n))
                   and not checkpoint.containers[n].cpu.is_empty()]
    if not recommended:
        return None
    out = []
    for name in sorted(recommended):
        rec = recommend(checkpoint.containers[name], len(recommended))
        out.append(vpa_policy.container_recommendation(name, rec, vpa_policy.container_policy(vpa, name)))
    return {"containerRecommendations": out}


def _conditions(old: list[dict], wanted: list[tuple[str, str, str, str]], now: datetime) -> list[dict]:
    out = []
    for type_, status, reason, message in wanted:
        prev = next((c for c in old if c.get("type") == type_), None)
        cond = {"type": type_, "status": status,
                "lastTransitionTime": prev.get("lastTransitionTime") if prev and prev.get("status") == status
                else rfc3339(now)}
        if reason:
            cond["reason"] = reason
        if message:
            cond["message"] = message
        out.append(cond)
    return out


class VPARecommender:
    name = COMPONENT

    def sync(self, cluster, now: datetime):
        plan = Plan()
        t = now.timestamp()
        for vpa in cluster.list(VPAS):
            pods = target_pods(vpa, cluster)
            checkpoint = Checkpoint.of(vpa)
            due = checkpoint.last_sample_time is None or t - checkpoint.last_sample_time >= RECOMMENDER_INTERVAL
            if pods and due and collect(checkpoint, pods, lambda ns, n: cluster.get(POD_METRICS, ns, n), t):
                checkpoint.last_sample_time = t
            status = dict(vpa.get("status") or {})
            rec = recommendation(vpa, checkpoint, pods)
            wanted = []
            if rec is not None:
                status["recommendation"] = rec
                wanted.append(("RecommendationProvided", "True", "", ""))
            else:
                status.pop("recommendation", None)
                wanted.append(("RecommendationProvided", "False", "", ""))
            if not pods:
                wanted.append(("NoPodsMatched", "True", "NoPodsMatched", "No pods match this VPA object"))
            status["conditions"] = _conditions(status.get("conditions") or [], wanted, now)
            annotations = dict((vpa.get("metadata") or {}).get("annotations") or {})
            if checkpoint.containers or checkpoint.last_sample_time is not None:
                annotations[CHECKPOINT_ANNOTATION] = checkpoint.dumps()
            if status == (vpa.get("status") or {}) and annotations == ((vpa.get("metadata") or {}).get("annotations") or {}):
                continue
            out = clone(vpa)
            out["status"] = status
            out["metadata"]["annotations"] = annotations
            plan.update_status(out)
        return plan.actions
