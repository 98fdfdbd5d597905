"""The HPA through the CLI, against hand-computed upstream results.

Every deployment pod requests 200m cpu and 64Mi memory unless a test says otherwise; the
metrics are PodMetrics applied by the test (timestamp ``T0``, window 30 s)."""

from __future__ import annotations

from tests.hpa.conftest import cpu_utilization, deployment, hpa

CPU_NAME = "cpu resource utilization (percentage of request)"


def test_two_replicas_at_90_percent_of_requests_with_a_60_percent_target_scale_to_3(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "180m", b: "180m"})  # utilization 360*100/400 = 90 -> ratio 1.5 -> ceil(1.5*2) = 3
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    assert cluster.replicas() == 3
    status = cluster.hpa()["status"]
    assert status["currentReplicas"] == 2
    assert status["desiredReplicas"] == 3
    assert status["lastScaleTime"] == "2025-05-01T12:01:00Z"
    assert status["currentMetrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "current": {"averageUtilization": 90, "averageValue": "180m"}}}]
    assert cluster.conditions() == {
        "AbleToScale": ("True", "SucceededRescale", "the HPA controller was able to update the target scale to 3"),
        "ScalingActive": ("True", "ValidMetricFound",
                          f"the HPA was able to successfully calculate a replica count from {CPU_NAME}"),
        "ScalingLimited": ("False", "DesiredWithinRange", "the desired count is within the acceptable range"),
    }
    assert cluster.events() == [("Normal", "SuccessfulRescale", f"New size: 3; reason: {CPU_NAME} above target")]
    table = cluster.k.ok("get", "hpa")
    assert table.splitlines() == [
        "NAME   REFERENCE        TARGETS        MINPODS   MAXPODS   REPLICAS   AGE",
        "web    Deployment/web   cpu: 90%/60%   1         10        2          0s",
    ]


def test_64_percent_against_60_is_within_the_tolerance(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "128m", b: "128m"})  # 64 % -> ratio 1.0667, inside [0.9, 1.1]
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    assert cluster.replicas() == 2
    status = cluster.hpa()["status"]
    assert status["desiredReplicas"] == 2
    assert "lastScaleTime" not in status
    assert cluster.conditions()["AbleToScale"] == ("True", "ReadyForNewScale", "recommended size matches current size")
    assert cluster.events() == []
    assert "cpu: 64%/60%" in cluster.k.ok("get", "hpa")


def test_scale_down_waits_out_the_300s_stabilization_window(cluster):
    cluster.start(deployment(replicas=4))
    cluster.load({p: "30m" for p in cluster.pods()})  # 15 % of 60 -> ceil(0.25*4) = 1
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    assert cluster.replicas() == 4
    assert cluster.conditions()["AbleToScale"] == (
        "True", "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation")
    cluster.advance("5m")  # the first recommendation (4, at T0) is still inside the window at T0+300s
    assert cluster.replicas() == 4
    assert cluster.hpa()["status"]["desiredReplicas"] == 4
    cluster.advance("15s")
    assert cluster.replicas() == 1
    assert cluster.events()[-1] == ("Normal", "SuccessfulRescale", "New size: 1; reason: All metrics below target")
    assert cluster.hpa()["status"]["lastScaleTime"] == "2025-05-01T12:06:15Z"


def test_legacy_scale_up_limit_is_max_of_twice_current_and_4(cluster):
    cluster.start(deployment(replicas=1, cpu="100m"))
    (a,) = cluster.pods()
    cluster.load({a: "1"})  # 1000 % of a 50 % target -> ratio 20 -> 20 replicas, limited to max(2*1, 4) = 4
    cluster.k.apply(hpa(metrics=cpu_utilization(50), max_replicas=30))
    assert cluster.replicas() == 4
    assert cluster.conditions()["ScalingLimited"] == (
        "True", "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
    assert cluster.events() == [("Normal", "SuccessfulRescale", f"New size: 4; reason: {CPU_NAME} above target")]
    # Next period: the 3 new pods have no metrics; on a scale-up they count as 0 usage:
    # (1000 + 0 + 0 + 0) * 100 / 400 = 250 % -> ratio 5 -> 20, limited to max(2*4, 4) = 8.
    cluster.advance("15s")
    assert cluster.replicas() == 8


def test_missing_metrics_are_conservative_on_a_scale_up(cluster):
    cluster.start(deployment(replicas=3))
    a, b, _ = cluster.pods()
    # ready pods at 90 % (ratio 1.5); the third pod counts as 0: 360*100/600 = 60 % -> ratio 1.0 -> no change
    cluster.load({a: "180m", b: "180m"})
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    assert cluster.replicas() == 3
    assert cluster.hpa()["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"] == 90


def test_missing_metrics_count_as_their_request_on_a_scale_down(cluster):
    cluster.start(deployment(replicas=4))
    a, b, c, _ = cluster.pods()
    # 5 % of a 50 % target (ratio 0.1); the missing pod counts as 100 % of its request:
    # (30 + 200) * 100 / 800 = 28 % -> ratio 0.56 -> ceil(0.56*4) = 3 (not ceil(0.1*3) = 1)
    cluster.load({a: "10m", b: "10m", c: "10m"})
    no_window = {"scaleDown": {"stabilizationWindowSeconds": 0}}
    cluster.k.apply(hpa(metrics=cpu_utilization(50), behavior=no_window))
    assert cluster.replicas() == 3


def test_several_metrics_the_largest_proposal_wins(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: ("180m", "100Mi"), b: ("180m", "100Mi")})  # cpu -> 3; memory 100Mi / 50Mi -> 4
    metrics = cpu_utilization(60) + [{"type": "Resource", "resource": {
        "name": "memory", "target": {"type": "AverageValue", "averageValue": "50Mi"}}}]
    cluster.k.apply(hpa(metrics=metrics))
    assert cluster.replicas() == 4
    assert cluster.events() == [("Normal", "SuccessfulRescale", "New size: 4; reason: memory resource above target")]
    assert "cpu: 90%/60%, memory: 104857600/50Mi" in cluster.k.ok("get", "hpa")


def test_max_replicas_clamps(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "1", b: "1"})
    cluster.k.apply(hpa(metrics=cpu_utilization(50), max_replicas=3))
    assert cluster.replicas() == 3
    assert cluster.conditions()["ScalingLimited"] == (
        "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count")


def test_current_below_min_replicas_is_raised_without_metrics(cluster):
    cluster.start()
    cluster.k.apply(hpa(metrics=cpu_utilization(50), min_replicas=3))
    assert cluster.replicas() == 3
    assert cluster.events() == [
        ("Normal", "SuccessfulRescale", "New size: 3; reason: Current number of replicas below Spec.MinReplicas")]
    assert list(cluster.conditions()) == ["AbleToScale"]


def test_min_replicas_with_behavior_is_too_few_replicas(cluster):
    cluster.start(deployment(replicas=4))
    cluster.load({p: "2m" for p in cluster.pods()})
    cluster.k.apply(hpa(metrics=cpu_utilization(50), min_replicas=2,
                        behavior={"scaleDown": {"stabilizationWindowSeconds": 0}}))
    assert cluster.replicas() == 2
    assert cluster.conditions()["ScalingLimited"] == (
        "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count")


def test_behavior_default_scale_up_policies_4_pods_or_100_percent_per_15s(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "2", b: "2"})  # 1000 % of 50 -> ratio 20 -> 40 replicas
    cluster.k.apply(hpa(metrics=cpu_utilization(50), max_replicas=40, behavior={}))
    assert cluster.replicas() == 6  # max(2 + 4, ceil(2 * 2))
    assert cluster.conditions()["ScalingLimited"][1] == "ScaleUpLimit"
    cluster.advance("15s")  # the first scale event left the 15 s period: from 6, max(10, 12)
    assert cluster.replicas() == 12


def test_behavior_pods_policy_with_a_60s_period(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "2", b: "2"})
    behavior = {"scaleUp": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}}
    cluster.k.apply(hpa(metrics=cpu_utilization(50), behavior=behavior))
    assert cluster.replicas() == 3
    cluster.advance("45s")  # still inside the period of the +1 at T0
    assert cluster.replicas() == 3
    cluster.advance("15s")
    assert cluster.replicas() == 4


def test_behavior_disabled_scale_down_never_scales_down(cluster):
    cluster.start(deployment(replicas=4))
    cluster.load({p: "2m" for p in cluster.pods()})
    behavior = {"scaleDown": {"stabilizationWindowSeconds": 0, "selectPolicy": "Disabled"}}
    cluster.k.apply(hpa(metrics=cpu_utilization(50), behavior=behavior))
    cluster.advance("1m")
    assert cluster.replicas() == 4
    assert cluster.conditions()["ScalingLimited"] == (
        "True", "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")


def test_no_metrics_conditions_and_events(cluster):
    cluster.start()
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    err = ("failed to get cpu utilization: unable to get metrics for resource cpu: "
           "no metrics returned from resource metrics API")
    assert cluster.events() == [
        ("Warning", "FailedGetResourceMetric", err),
        ("Warning", "FailedComputeMetricsReplicas",
         f"invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: {err}"),
    ]
    assert cluster.conditions() == {
        "AbleToScale": ("True", "SucceededGetScale", "the HPA controller was able to get the target's current scale"),
        "ScalingActive": ("False", "FailedGetResourceMetric", f"the HPA was unable to compute the replica count: {err}"),
    }
    status = cluster.hpa()["status"]
    assert status["currentReplicas"] == 2 and status["desiredReplicas"] == 0
    assert status["currentMetrics"] == [{"type": ""}]
    assert "cpu: <unknown>/60%" in cluster.k.ok("get", "hpa")


def test_missing_request(cluster):
    cluster.start(deployment(cpu=None))
    a, b = cluster.pods()
    cluster.load({a: "100m", b: "100m"})
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    message = cluster.conditions()["ScalingActive"][2]
    assert message == (f"the HPA was unable to compute the replica count: failed to get cpu utilization: "
                       f"missing request for cpu in container app of Pod {a}")


def test_missing_target_is_failed_get_scale(cluster):
    cluster.start()
    cluster.k.apply(hpa(target="nope"))
    assert cluster.conditions() == {"AbleToScale": (
        "False", "FailedGetScale",
        'the HPA controller was unable to get the target\'s current scale: deployments.apps "nope" not found')}
    assert cluster.events() == [("Warning", "FailedGetScale", 'deployments.apps "nope" not found')]


def test_unready_cpu_samples_inside_the_initialization_period_are_ignored(cluster):
    cluster.start()
    a, b = cluster.pods()
    # Sampled at 12:00:10 over 30 s: does not cover a window since the pods became Ready (12:00:00).
    cluster.load({a: "180m", b: "180m"}, timestamp="2025-05-01T12:00:10Z")
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    assert cluster.conditions()["ScalingActive"][2].endswith(
        "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)")


def test_autoscaling_v1_manifest_is_converted(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "180m", b: "180m"})
    cluster.k.apply("""
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 10
          targetCPUUtilizationPercentage: 60
        """)
    stored = cluster.hpa()
    assert stored["apiVersion"] == "autoscaling/v2"
    assert stored["spec"]["metrics"] == cpu_utilization(60)
    assert "targetCPUUtilizationPercentage" not in stored["spec"]
    assert cluster.replicas() == 3


def test_pods_metric_from_pod_annotations(cluster):
    cluster.start(deployment(pod_annotations={"metrics.kctl.io/packets-per-second": "2k"}))
    metrics = [{"type": "Pods", "pods": {"metric": {"name": "packets-per-second"},
                                         "target": {"type": "AverageValue", "averageValue": "1k"}}}]
    cluster.k.apply(hpa(metrics=metrics))
    assert cluster.replicas() == 4  # ratio 2 -> ceil(2 * 2)
    assert cluster.events() == [
        ("Normal", "SuccessfulRescale", "New size: 4; reason: pods metric packets-per-second above target")]
    assert cluster.hpa()["status"]["currentMetrics"][0]["pods"]["current"] == {"averageValue": "2k"}


def test_object_metric_from_an_annotation_on_the_described_object(cluster):
    cluster.start()
    cluster.k.apply("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, annotations: {metrics.kctl.io/requests-per-second: "2k"}}
        spec: {selector: {app: web}, ports: [{port: 80}]}
        """)
    metrics = [{"type": "Object", "object": {
        "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "web"},
        "metric": {"name": "requests-per-second"}, "target": {"type": "Value", "value": "1k"}}}]
    cluster.k.apply(hpa(metrics=metrics))
    assert cluster.replicas() == 4  # ratio 2 over 2 ready pods
    assert cluster.events()[-1][2] == "New size: 4; reason: Service metric requests-per-second above target"
    assert "2k/1k" in cluster.k.ok("get", "hpa")


def test_external_metric_from_labelled_configmaps(cluster):
    cluster.start()
    cluster.k.apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: queue-depth
          labels: {metrics.kctl.io/external-metric: queue_messages_ready, queue: worker}
        data: {value: "30"}
        """)
    metrics = [{"type": "External", "external": {
        "metric": {"name": "queue_messages_ready", "selector": {"matchLabels": {"queue": "worker"}}},
        "target": {"type": "AverageValue", "averageValue": "10"}}}]
    cluster.k.apply(hpa(metrics=metrics))
    assert cluster.replicas() == 3  # ceil(30 / 10); 30 / (10 * 2) = 1.5 is outside the tolerance
    selector = ("&LabelSelector{MatchLabels:map[string]string{queue: worker,},"
                "MatchExpressions:[]LabelSelectorRequirement{},}")
    assert cluster.events()[-1][2] == (
        f"New size: 3; reason: external metric queue_messages_ready({selector}) above target")
    assert cluster.hpa()["status"]["currentMetrics"][0]["external"]["current"] == {"averageValue": "15"}


def test_history_is_kept_on_the_hpa(cluster):
    cluster.start()
    a, b = cluster.pods()
    cluster.load({a: "180m", b: "180m"})
    cluster.k.apply(hpa(metrics=cpu_utilization(60)))
    annotations = cluster.hpa()["metadata"]["annotations"]
    assert annotations["kctl.io/recommendations"] == '[[2,"2025-05-01T12:01:00Z"],[3,"2025-05-01T12:01:00Z"]]'
    assert "kctl.io/scale-events" not in annotations  # legacy mode keeps no scale events
