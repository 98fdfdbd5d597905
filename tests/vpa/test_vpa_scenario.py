"""VPA through the CLI: usage from user-applied PodMetrics, ten minutes of history, the
recommendation in status, admission of new pods, the updater's evictions."""

from __future__ import annotations

import json
import math

from tests.scenarios.conftest import Kctl

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: main
        image: nginx
        resources:
          requests: {cpu: 100m, memory: 300Mi}
          limits: {memory: 1Gi}
"""


def vpa(mode: str) -> str:
    return f"""\
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {{name: web}}
spec:
  targetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
  updatePolicy: {{updateMode: "{mode}"}}
"""


def pod_metrics(name: str, cpu: str, memory: str) -> str:
    return f"""\
apiVersion: metrics.k8s.io/v1beta1
kind: PodMetrics
metadata:
  name: {name}
  labels: {{app: web, kctl.io/managed-by: user}}
timestamp: "2025-05-01T12:00:00Z"
window: 30s
containers:
- name: main
  usage: {{cpu: {cpu}, memory: {memory}}}
"""


def setup(k: Kctl, mode: str = "Off") -> list[str]:
    k.apply(DEPLOYMENT)
    pods = k.items("pods")
    for pod in pods:
        k.apply(pod_metrics(pod["metadata"]["name"], "500m", "300Mi"))
    k.apply(vpa(mode))
    return sorted(p["metadata"]["uid"] for p in pods)


def test_recommendation_after_ten_minutes(k: Kctl):
    setup(k)
    k.ok("reconcile", "--advance", "10m")
    obj = k.obj("vpa", "web")
    (rec,) = obj["status"]["recommendation"]["containerRecommendations"]
    # 11 samples (one a minute, both pods each time) over 10 min: confidence
    # c = min(600 s / 1 day, 22 / 1440) = 1/144.
    c = 600 / 86400
    assert rec["containerName"] == "main"
    assert rec["target"] == {"cpu": "587m", "memory": "380258472"}
    assert rec["uncappedTarget"] == rec["target"]
    assert rec["lowerBound"] == {"cpu": f"{int(587 * math.pow(1 + 0.001 / c, -2))}m",
                                 "memory": str(int(380258472 * math.pow(1 + 0.001 / c, -2)))}
    assert rec["upperBound"] == {"cpu": f"{int(587 * (1 + 1 / c))}m", "memory": str(int(380258472 * (1 + 1 / c)))}
    conds = {c["type"]: c["status"] for c in obj["status"]["conditions"]}
    assert conds == {"RecommendationProvided": "True"}
    assert k.ok("get", "vpa").splitlines()[1].split() == ["web", "Off", "587m", "380258472", "True", "10m"]
    # Mode Off: nobody was evicted, the pods keep their requests.
    assert all(p["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "100m" for p in k.items("pods"))


def test_state_persists_and_passes_are_idempotent(k: Kctl):
    setup(k)
    k.ok("reconcile", "--advance", "2m")
    before = k.obj("vpa", "web")
    assert k("reconcile").err == ""  # same time: no new sample, nothing changes
    after = k.obj("vpa", "web")
    assert before["metadata"]["annotations"] == after["metadata"]["annotations"]
    state = json.loads(after["metadata"]["annotations"]["kctl.io/vpa-checkpoint"])
    assert state["containers"]["main"]["samples"] == 6  # 3 sampling rounds x 2 pods


def test_admission_gives_new_pods_the_target(k: Kctl):
    setup(k)
    k.ok("reconcile", "--advance", "1m")
    k.apply(vpa("Initial"))
    k.ok("scale", "deployment/web", "--replicas", "3")
    new = [p for p in k.items("pods") if p["spec"]["containers"][0]["resources"]["requests"]["cpu"] != "100m"]
    assert len(new) == 1
    res = new[0]["spec"]["containers"][0]["resources"]
    # The limit keeps its ratio to the request: 380258472 x 1Gi / 300Mi, rounded up.
    assert res == {"requests": {"cpu": "587m", "memory": "380258472"},
                   "limits": {"memory": str(math.ceil(380258472 * 1024 / 300))}}
    assert new[0]["metadata"]["annotations"]["vpaUpdates"] == (
        "Pod resources updated by web: container 0: cpu request, memory request, memory limit")
    # Initial never evicts.
    k.ok("reconcile", "--advance", "1m")
    assert sum(1 for p in k.items("pods") if p["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "100m") == 2


def test_updater_evicts_within_tolerance(k: Kctl):
    old = setup(k, "Recreate")
    # Little history: lowerBound = 587m x (1 + 0.001/c)^-2 is below the 100m request until
    # c > 0.0007 days; at 1 min c = 1/1440 -> 98m (no eviction), at 2 min c = 2/1440 -> 198m.
    k.ok("reconcile", "--advance", "1m")
    rec = k.obj("vpa", "web")["status"]["recommendation"]["containerRecommendations"][0]
    assert rec["lowerBound"]["cpu"] == "98m"
    assert sorted(p["metadata"]["uid"] for p in k.items("pods")) == old
    k.ok("reconcile", "--advance", "1m")
    pods = k.items("pods")
    # 2 replicas, tolerance int(2 x 0.5) = 1: one eviction per updater pass.
    assert sum(1 for p in pods if p["metadata"]["uid"] in old) == 1
    doc = json.loads(k.ok("get", "events", "-o", "json"))
    evicted = [e for e in doc["items"] if e["reason"] == "EvictedByVPA"]
    assert [e["message"] for e in evicted] == ["Pod was evicted by VPA Updater to apply resource recommendation."]
    k.ok("reconcile", "--advance", "15s")
    pods = k.items("pods")
    assert all(p["metadata"]["uid"] not in old for p in pods)
    assert [p["spec"]["containers"][0]["resources"]["requests"]["cpu"] for p in pods] == ["587m", "587m"]
    # Now inside [lowerBound, upperBound]: no more evictions.
    k.ok("reconcile", "--advance", "1m")
    assert sorted(p["metadata"]["uid"] for p in k.items("pods")) == sorted(p["metadata"]["uid"] for p in pods)
