"""Issue 5's "Done when" list, end to end through the CLI: usage set with ``kctl load`` and
reported by the simulated metrics-server (no hand-written PodMetrics), time moved with
``kctl reconcile --advance``, the results read back with ``kctl get -o json``.

Every expected number is computed by hand from upstream's formulas in a comment next to it:

- HPA (pkg/controller/podautoscaler): utilization = sum(usage) * 100 / sum(requests) over
  the pods with metrics; ratio = utilization / target; no change while |ratio - 1| <= 0.1;
  desired = ceil(ratio * readyPods); cpu samples count only once a 30 s metrics window
  has passed since the pod became Ready (inside the 5 min cpu initialization period);
  scale-down takes the highest recommendation of the last 300 s (legacy mode: a
  recommendation exactly 300 s old still counts).
- VPA recommender: decaying histograms (cpu first bucket 0.01 cores, memory 1e7 bytes,
  bucket ratio 1.05); target = P90 (bucket end) x 1.15, integer amounts truncated at each
  step; memory is the per-interval peak.
- Cluster Autoscaler: scale-up for pods that fit a template node, capped at maxSize;
  scale-down of nodes under 50 % requested for 10 min (scale-down-unneeded-time), not
  before 10 min after the last scale-up (scale-down-delay-after-add).

The cluster: node-1..3 (3800m cpu allocatable), clock frozen at 2025-05-01T12:00:00Z,
moved only by ``--advance`` (in the HPA's 15 s sync periods).
"""

from __future__ import annotations

import json

from tests.scenarios.conftest import Kctl

CPU_REASON = "cpu resource utilization (percentage of request)"


def deployment(name: str = "web", replicas: int = 2, cpu: str = "200m", memory: str = "64Mi",
               limit_memory: str | None = None, node_selector: str | None = None) -> str:
    resources: dict = {"requests": {"cpu": cpu, "memory": memory}}
    if limit_memory:
        resources["limits"] = {"memory": limit_memory}
    spec: dict = {"containers": [{"name": "app", "image": "nginx", "resources": resources}]}
    if node_selector:
        key, _, value = node_selector.partition("=")
        spec["nodeSelector"] = {key: value}
    return json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}})


def hpa(name: str = "web", target: int = 60, min_replicas: int = 1, max_replicas: int = 10) -> str:
    return json.dumps({
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": name},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                 "minReplicas": min_replicas, "maxReplicas": max_replicas,
                 "metrics": [{"type": "Resource", "resource": {
                     "name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}}}]}})


def node_group(name: str = "pool-a", min_size: int = 0, max_size: int = 2) -> str:
    return json.dumps({
        "apiVersion": "kctl.io/v1alpha1", "kind": "NodeGroup", "metadata": {"name": name},
        "spec": {"minSize": min_size, "maxSize": max_size, "template": {
            "metadata": {"labels": {"pool": "a"}},
            "status": {"capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                       "allocatable": {"cpu": "3800m", "memory": "15Gi", "pods": "110"}}}}})


def replicas(k: Kctl, name: str = "web") -> int:
    return k.obj("deployment", name)["spec"]["replicas"]


def conditions(k: Kctl, name: str = "web") -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["reason"]) for c in k.obj("hpa", name)["status"].get("conditions", [])}


def utilization(k: Kctl, name: str = "web") -> int:
    (metric,) = k.obj("hpa", name)["status"]["currentMetrics"]
    return metric["resource"]["current"]["averageUtilization"]


def rescales(k: Kctl, name: str = "web") -> list[str]:
    return [m for _, reason, m in k.events(f"hpa/{name}") if reason == "SuccessfulRescale"]


def advance(k: Kctl, duration: str) -> None:
    k.ok("reconcile", "--advance", duration, "-q")


def pool_nodes(k: Kctl) -> list[str]:
    return [n["metadata"]["name"] for n in k.items("nodes", "-l", "kctl.io/node-group=pool-a")]


def pending(k: Kctl) -> int:
    return sum(1 for p in k.items("pods") if not p["spec"].get("nodeName"))


# -- HPA -----------------------------------------------------------------------------------------


def test_hpa_2_replicas_at_90_percent_of_requests_with_a_60_percent_target_scale_to_3(k: Kctl):
    k.apply(deployment(replicas=2, cpu="200m"))
    # 360m in total, split over the 2 serving pods: 180m each.
    assert k.ok("load", "deployment/web", "--cpu", "360m") == "deployment.apps/web load set: cpu 360m, memory <idle> (total)\n"
    k.apply(hpa(target=60))
    # 12:00:00: the pods became Ready at 12:00:00; a sample stamped 12:00:00 with a 30 s
    # window does not cover a window since then: no usable cpu metric yet.
    assert conditions(k)["ScalingActive"] == ("False", "FailedGetResourceMetric")
    advance(k, "15s")
    assert replicas(k) == 2  # 12:00:15 < 12:00:00 + 30 s: still ignored
    advance(k, "15s")
    # 12:00:30: utilization = (180 + 180) * 100 / (200 + 200) = 90 %; ratio 90 / 60 = 1.5,
    # outside [0.9, 1.1]; desired = ceil(1.5 * 2) = 3 (the legacy limit max(2 * 2, 4) = 4 allows it).
    assert replicas(k) == 3
    status = k.obj("hpa", "web")["status"]
    assert (status["currentReplicas"], status["desiredReplicas"]) == (2, 3)
    assert status["lastScaleTime"] == "2025-05-01T12:00:30Z"
    assert status["currentMetrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "current": {"averageUtilization": 90, "averageValue": "180m"}}}]
    assert conditions(k) == {"AbleToScale": ("True", "SucceededRescale"),
                             "ScalingActive": ("True", "ValidMetricFound"),
                             "ScalingLimited": ("False", "DesiredWithinRange")}
    assert rescales(k) == [f"New size: 3; reason: {CPU_REASON} above target"]
    assert k.ok("get", "hpa").splitlines()[1].split()[2:4] == ["cpu:", "90%/60%"]
    # 12:00:45: the load spreads over 3 pods (120m each) = 60 % of 200m: on target, stays 3.
    advance(k, "15s")
    assert (replicas(k), utilization(k)) == (3, 60)
    assert conditions(k)["AbleToScale"] == ("True", "ReadyForNewScale")


def test_hpa_64_percent_against_a_60_percent_target_is_no_change(k: Kctl):
    k.apply(deployment(replicas=2, cpu="200m"))
    k.ok("load", "deployment/web", "--cpu", "256m")  # 128m per pod
    k.apply(hpa(target=60))
    advance(k, "1m")
    # utilization = 256 * 100 / 400 = 64 %; ratio 64 / 60 = 1.0667: |1.0667 - 1| <= 0.1
    # (the tolerance), so the HPA keeps the current 2 replicas.
    assert replicas(k) == 2
    status = k.obj("hpa", "web")["status"]
    assert (status["currentReplicas"], status["desiredReplicas"]) == (2, 2)
    assert "lastScaleTime" not in status
    assert utilization(k) == 64
    assert conditions(k)["AbleToScale"] == ("True", "ReadyForNewScale")
    assert rescales(k) == []


def test_hpa_scale_down_waits_out_the_300s_stabilization_window(k: Kctl):
    k.apply(deployment(replicas=4, cpu="200m"))
    k.ok("load", "deployment/web", "--cpu", "120m")  # 30m per pod
    k.apply(hpa(target=60))
    # 12:00:00: the HPA records its initial recommendation, the current 4 replicas.
    advance(k, "30s")
    # 12:00:30: utilization = 120 * 100 / 800 = 15 %; ratio 0.25; desired = ceil(0.25 * 4) = 1,
    # but the highest recommendation of the last 300 s is the 4 recorded at 12:00:00.
    assert (replicas(k), utilization(k)) == (4, 15)
    assert conditions(k)["AbleToScale"] == ("True", "ScaleDownStabilized")
    advance(k, "4m30s")
    # 12:05:00: the 12:00:00 recommendation is exactly 300 s old: not before the cutoff, it counts.
    assert replicas(k) == 4
    advance(k, "15s")
    # 12:05:15: it fell out of the window; the highest recent recommendation is 1.
    assert replicas(k) == 1
    assert rescales(k) == ["New size: 1; reason: All metrics below target"]
    assert k.obj("hpa", "web")["status"]["lastScaleTime"] == "2025-05-01T12:05:15Z"
    # The whole 120m now lands on the one pod: 120 * 100 / 200 = 60 %, on target.
    advance(k, "15s")
    assert (replicas(k), utilization(k)) == (1, 60)


# -- VPA -----------------------------------------------------------------------------------------


def test_vpa_target_for_a_known_usage_history(k: Kctl):
    k.apply(deployment(replicas=2, cpu="100m", memory="300Mi"))
    k.ok("load", "deployment/web", "--per-pod", "--cpu", "200m", "--memory", "400Mi")
    k.apply("""\
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: {name: web}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          updatePolicy: {updateMode: "Off"}
        """)
    advance(k, "10m")
    (rec,) = k.obj("vpa", "web")["status"]["recommendation"]["containerRecommendations"]
    # Every sample (2 pods, one a minute) is 200m cpu / 400Mi memory.
    # cpu: bucket of 0.2 cores = floor(log(1 + 0.2 * 0.05 / 0.01) / log(1.05)) = floor(14.2) = 14;
    #   P90 = start of bucket 15 = 0.01 * (1.05^15 - 1) / 0.05 = 0.21579 cores -> 215m;
    #   target = int(215 * 1.15) = int(247.25) = 247m.
    # memory: 400Mi = 419430400 bytes -> bucket floor(log(1 + 419430400 * 0.05 / 1e7) / log(1.05))
    #   = floor(23.4) = 23; P90 = start of bucket 24 = 1e7 * (1.05^24 - 1) / 0.05 = 445019988.7
    #   -> 445019988 bytes; target = int(445019988 * 1.15) = 511772986.
    assert rec["target"] == {"cpu": "247m", "memory": "511772986"}
    # Both above the per-pod minimums (25m, 250Mi), nothing capped.
    assert rec["uncappedTarget"] == rec["target"]
    # Mode Off: the pods keep their requests.
    assert {p["spec"]["containers"][0]["resources"]["requests"]["cpu"] for p in k.items("pods")} == {"100m"}
    assert k.ok("get", "vpa").splitlines()[1].split()[:5] == ["web", "Off", "247m", "511772986", "True"]


# -- Cluster Autoscaler --------------------------------------------------------------------------


def _pool_workload(k: Kctl) -> None:
    """web: pods of 1500m that only run on pool-a nodes (two fit a 3800m node), and its HPA."""
    k.apply(node_group(max_size=2))
    k.apply(deployment(replicas=2, cpu="1500m", node_selector="pool=a"))
    k.apply(hpa(target=60, max_replicas=6))


def test_cluster_autoscaler_scales_up_to_the_node_group_max(k: Kctl):
    _pool_workload(k)
    # 12:00:00: 2 pending pods of 1500m; a template node (3800m) holds 2 -> pool-a 0 -> 1.
    assert len(pool_nodes(k)) == 1
    k.ok("load", "deployment/web", "--cpu", "9000m")
    advance(k, "30s")
    # 12:00:30: 4500m per pod = 300 % of 1500m; ratio 5 -> ceil(5 * 2) = 10; the legacy
    # scale-up limit max(2 * 2, 4) = 4 is below maxReplicas 6: 4 (ScaleUpLimit).
    # 2 more pods need a second node: pool-a 1 -> 2, its max.
    assert replicas(k) == 4
    assert conditions(k)["ScalingLimited"] == ("True", "ScaleUpLimit")
    assert len(pool_nodes(k)) == 2 and pending(k) == 0
    advance(k, "15s")
    # 12:00:45: 9000m over 4 pods = 2250m each, but the 2 new pods (Ready at 12:00:30) have
    # no sample covering a 30 s window yet. Ready pods: 4500 * 100 / 3000 = 150 %, ratio 2.5;
    # on a scale-up the unready pods count as 0: 4500 * 100 / 6000 = 75 %, ratio 1.25
    # -> ceil(1.25 * 4) = 5. Without behavior the HPA applies the highest recommendation of
    # the last 300 s, the 10 of 12:00:30; the limit is now max(2 * 4, 4) = 8 > maxReplicas,
    # so 10 is clamped to 6 (TooManyReplicas).
    assert replicas(k) == 6
    assert conditions(k)["ScalingLimited"] == ("True", "TooManyReplicas")
    annotations = k.obj("hpa", "web")["metadata"]["annotations"]
    assert annotations["kctl.io/recommendations"] == (
        '[[2,"2025-05-01T12:00:00Z"],[10,"2025-05-01T12:00:30Z"],[5,"2025-05-01T12:00:45Z"]]')
    # 6 pods need 3 nodes; the group's max is 2: 2 pods stay Pending.
    assert (len(pool_nodes(k)), pending(k)) == (2, 2)
    assert k.obj("nodegroup", "pool-a")["status"]["currentSize"] == 2
    events = json.loads(k.ok("get", "events", "-o", "json"))["items"]
    assert sorted({e["message"] for e in events if e["reason"] == "TriggeredScaleUp"}) == [
        "pod triggered scale-up: [{pool-a 0->1 (max: 2)}]", "pod triggered scale-up: [{pool-a 1->2 (max: 2)}]"]
    assert {e["message"] for e in events if e["reason"] == "NotTriggerScaleUp"} == {
        "pod didn't trigger scale-up: 1 max node group size reached"}
    assert rescales(k) == [f"New size: {n}; reason: {CPU_REASON} above target" for n in (4, 6)]


def test_cluster_autoscaler_scales_down_after_the_unneeded_time(k: Kctl):
    _pool_workload(k)
    k.ok("load", "deployment/web", "--cpu", "2700m")
    advance(k, "30s")
    # 12:00:30: 1350m per pod = 90 % of 1500m, ratio 1.5 -> 3 replicas; the 3rd pod needs a
    # second pool node (scale-up at 12:00:30).
    assert (replicas(k), len(pool_nodes(k))) == (3, 2)
    k.ok("load", "deployment/web", "--cpu", "150m")
    # Still 12:00:30: 50m per pod = 3 % of 1500m (integer percent of 50 * 100 / 1500);
    # ratio 0.0556 -> ceil(0.0556 * 3) = 1, held at 3 by the highest recommendation of the
    # last 300 s, the 3 recorded at 12:00:30 (a sample exactly 300 s old still counts):
    # the scale-down to 1 comes at the first sync after 12:05:30, 12:05:45.
    advance(k, "5m")
    assert replicas(k) == 3
    advance(k, "15s")
    assert replicas(k) == 1
    # 12:05:45: one pool node is left empty (utilization 0 < 0.5): unneeded since now. The
    # other runs the remaining pod (1500m / 3800m = 0.39) but that pod has nowhere else to
    # go (the empty node is itself unneeded, node-1..3 do not match its nodeSelector).
    nodes = pool_nodes(k)
    busy = {p["spec"].get("nodeName") for p in k.items("pods")}
    (empty,) = [n for n in nodes if n not in busy]
    (kept,) = [n for n in nodes if n in busy]
    annotations = k.obj("node", empty)["metadata"]["annotations"]
    assert annotations["kctl.io/unneeded-since"] == "2025-05-01T12:05:45Z"
    assert "kctl.io/unneeded-since" not in k.obj("node", kept)["metadata"]["annotations"]
    # scale-down-unneeded-time 10m: removable once since + 10m <= now, i.e. at 12:15:45
    # (scale-down-delay-after-add ended at 12:00:30 + 10m = 12:10:30).
    advance(k, "9m45s")
    assert pool_nodes(k) == nodes  # 12:15:30
    advance(k, "15s")
    assert pool_nodes(k) == [kept]  # 12:15:45
    assert k.obj("nodegroup", "pool-a")["status"]["currentSize"] == 1
    events = json.loads(k.ok("get", "events", "-n", "kube-system", "-o", "json"))["items"]
    assert [e["message"] for e in events if e["reason"] in ("ScaleDown", "ScaleDownEmpty")] == [
        f"Scale-down: removing empty node \"{empty}\""]
    # min 0, but the last node is needed: nothing more goes.
    advance(k, "15m")
    assert pool_nodes(k) == [kept]


def test_oom_killed_pods_get_the_vpa_oom_bump_and_are_recreated_with_it(k: Kctl):
    k.apply(deployment(replicas=2, cpu="100m", memory="256Mi", limit_memory="256Mi"))
    old = {p["metadata"]["uid"] for p in k.items("pods")}
    # Every pod uses 300Mi, above its 256Mi limit: OOMKilled, restarted, killed again -> CrashLoopBackOff.
    k.ok("load", "deployment/web", "--per-pod", "--memory", "300Mi")
    for pod in k.items("pods"):
        (cs,) = pod["status"]["containerStatuses"]
        assert cs["lastState"]["terminated"]["reason"] == "OOMKilled"
        assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    k.apply("""\
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: {name: web}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          updatePolicy: {updateMode: Auto}
        """)
    # The recommender's first round takes the 300Mi usage samples, then the OOM kills:
    # used = max(256Mi request, 300Mi peak) = 300Mi; bump = max(300Mi + 100Mi, 300Mi x 1.2)
    # = 400Mi = 419430400 bytes -> bucket 23, P90 = 445019988 bytes, target
    # int(445019988 x 1.15) = 511772986. cpu: idle 1m -> the per-pod minimum, 25m.
    (rec,) = k.obj("vpa", "web")["status"]["recommendation"]["containerRecommendations"]
    assert rec["target"] == {"cpu": "25m", "memory": "511772986"}
    # The updater (Auto): the 256Mi request is inside [lowerBound, upperBound] (the bounds of
    # a fresh history are wide) but the container OOMed less than 10 min after it started (a
    # quick OOM) and its requests differ from the target: evicted. The eviction tolerance,
    # int(2 x 0.5) = 1, lets one pod go per updater pass.
    evicted = [m for _, reason, m in k.events("vpa/web") if reason == "EvictedPod"]
    assert len(evicted) == 1
    advance(k, "15s")
    pods = k.items("pods")
    assert len(pods) == 2 and not {p["metadata"]["uid"] for p in pods} & old
    # Admission gives the new pods the target, the limit kept at its 1:1 ratio to the request:
    # 300Mi now fits under 511772986 bytes; no more OOM kills.
    for p in pods:
        (c,) = p["spec"]["containers"]
        assert c["resources"] == {"requests": {"cpu": "25m", "memory": "511772986"},
                                  "limits": {"memory": "511772986"}}
    advance(k, "5m")
    for p in k.items("pods"):
        (cs,) = p["status"]["containerStatuses"]
        assert (cs["restartCount"], list(cs["state"])) == (0, ["running"])
    # The OOMs of the old pods bumped from their usage peak each time: still the one 400Mi sample.
    (rec,) = k.obj("vpa", "web")["status"]["recommendation"]["containerRecommendations"]
    assert rec["target"]["memory"] == "511772986"
