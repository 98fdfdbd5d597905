"""The pure parts: replica calculator, normalization, history, conversion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kctl.controllers.podautoscaler import behavior as bh
from kctl.controllers.podautoscaler import history
from kctl.controllers.podautoscaler import replica_calculator as rc
from kctl.controllers.podautoscaler.conversion import convert_v1_to_v2

NOW = datetime(2025, 5, 1, 13, 0, 0, tzinfo=UTC)
STARTED = "2025-05-01T12:00:00Z"


def pod(name: str, cpu: str = "200m", phase: str = "Running", ready: str = "True") -> dict:
    return {"metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "resources": {"requests": {"cpu": cpu}}}]},
            "status": {"phase": phase, "startTime": STARTED,
                       "conditions": [{"type": "Ready", "status": ready, "lastTransitionTime": STARTED}]}}


def metrics(**values: int) -> dict:
    return {name: rc.PodMetric(v, NOW - timedelta(seconds=10), timedelta(seconds=30)) for name, v in values.items()}


def test_fact_sheet_example_three_pods_at_95_percent_of_a_50_percent_target():
    pods = [pod("a"), pod("b"), pod("c")]
    assert rc.resource_replicas(3, 50, "cpu", pods, metrics(a=180, b=190, c=200), NOW) == (6, 95, 190)


def test_go_float_ceil_pitfall_22_percent_over_10_with_25_pods():
    pods = [pod(f"p{i}", cpu="100m") for i in range(25)]
    # 2.2 * 25 = 55.00000000000001 in float64 -> 56 (exact arithmetic says 55)
    assert rc.resource_replicas(25, 10, "cpu", pods, metrics(**{f"p{i}": 22 for i in range(25)}), NOW)[0] == 56


@pytest.mark.parametrize(("utilization", "expected"), [(66, 10), (67, 12), (54, 10), (53, 9)])
def test_tolerance_bounds_are_inclusive(utilization, expected):
    # target 60 %: 66/60 = 1.1 and 54/60 = 0.9 are kept ([1 - 0.1, 1 + 0.1], bounds included;
    # |1 - 1.1| > 0.1 in float64, so an abs() test would scale 66 % to 12)
    pods = [pod(f"p{i}", cpu="100m") for i in range(10)]
    values = {f"p{i}": utilization for i in range(10)}
    assert rc.resource_replicas(10, 60, "cpu", pods, metrics(**values), NOW)[0] == expected


def test_integer_truncated_utilization():
    assert rc.get_resource_utilization_ratio(metrics(a=199), {"a": 300}, 60)[1] == 66  # 66.33 -> 66


def test_unready_pods_count_as_zero_on_a_scale_up():
    pods = [pod("a"), pod("b"), pod("c", phase="Pending")]
    # ready: 90 % of 60 -> 1.5; with the pending pod at 0: 360*100/600 = 60 -> 1.0 -> keep 3
    assert rc.resource_replicas(3, 60, "cpu", pods, metrics(a=180, b=180), NOW)[0] == 3


def test_failed_and_deleted_pods_are_ignored():
    gone = pod("c")
    gone["metadata"]["deletionTimestamp"] = STARTED
    pods = [pod("a"), pod("b"), gone, pod("d", phase="Failed")]
    assert rc.resource_replicas(4, 60, "cpu", pods, metrics(a=180, b=180, c=0, d=0), NOW)[0] == 3


def test_missing_pods_above_100_percent_target_use_the_target():
    pods = [pod("a"), pod("b")]
    # target 150 %: a at 75 % -> ratio 0.5; b missing counts as 150 %: (150+300)*100/400 = 112 -> 0.7467
    assert rc.resource_replicas(2, 150, "cpu", pods, metrics(a=150), NOW) == (2, 75, 150)


def test_errors():
    with pytest.raises(rc.CalculationError, match="no pods returned by selector"):
        rc.resource_replicas(1, 50, "cpu", [], metrics(a=1), NOW)
    no_request = pod("a")
    no_request["spec"]["containers"][0]["resources"] = {}
    with pytest.raises(rc.CalculationError, match="missing request for cpu in container app of Pod a"):
        rc.resource_replicas(1, 50, "cpu", [no_request], metrics(a=1), NOW)


def test_plain_metric_missing_pods_count_as_the_target_on_a_scale_down():
    pods = [pod("a"), pod("b"), pod("c")]
    # average 100 of a 1000 target (0.1); c missing -> 1000: (100+100+1000)/3 = 400 -> ceil(0.4*3) = 2
    assert rc.plain_metric_replicas(3, 1000, "", pods, metrics(a=100, b=100), NOW) == (2, 100)


def test_per_pod_replicas():
    assert rc.per_pod_replicas(2, 30_000, 10_000) == (3, 15_000)
    assert rc.per_pod_replicas(3, 31_000, 10_000) == (3, 10_334)  # 1.033 is within the tolerance


def test_legacy_stabilization_keeps_the_highest_recommendation_of_the_window():
    t0 = NOW
    recs = [bh.Recommendation(5, t0)]
    got, recs = bh.stabilize_recommendation(recs, 2, t0 + timedelta(seconds=300))
    assert got == 5  # exactly 300 s old is not "before" the cutoff
    got, recs = bh.stabilize_recommendation(recs, 2, t0 + timedelta(seconds=315))
    assert got == 2
    assert recs == [bh.Recommendation(2, t0 + timedelta(seconds=315)), bh.Recommendation(2, t0 + timedelta(seconds=300))]


def test_legacy_rules():
    assert bh.calculate_scale_up_limit(1) == 4
    assert bh.calculate_scale_up_limit(3) == 6
    assert bh.convert_desired_replicas_with_rules(3, 20, 1, 10) == (6, *bh.SCALE_UP_LIMIT)
    assert bh.convert_desired_replicas_with_rules(3, 20, 1, 5) == (5, *bh.TOO_MANY_REPLICAS)
    assert bh.convert_desired_replicas_with_rules(3, 1, 2, 5) == (2, *bh.TOO_FEW_REPLICAS)


def test_behavior_rate_limits():
    up = {"selectPolicy": "Max", "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                              {"type": "Percent", "value": 100, "periodSeconds": 15}]}
    assert bh.calculate_scale_up_limit_with_scaling_rules(10, [], [], up, NOW) == 20
    assert bh.calculate_scale_up_limit_with_scaling_rules(10, [], [], {**up, "selectPolicy": "Min"}, NOW) == 14
    # 7 added 10 s ago: the period started at 3 replicas -> max(3+4, 6) = 7
    events = [bh.ScaleEvent(7, NOW - timedelta(seconds=10))]
    assert bh.calculate_scale_up_limit_with_scaling_rules(10, events, [], up, NOW) == 7
    down = {"policies": [{"type": "Percent", "value": 30, "periodSeconds": 60}]}
    assert bh.calculate_scale_down_limit_with_behaviors(9, [], [], down, NOW) == 6  # int(9 * 0.7) = int(6.3)


def test_behavior_stabilization_window():
    recs = [bh.Recommendation(8, NOW - timedelta(seconds=100)), bh.Recommendation(3, NOW - timedelta(seconds=400))]
    up, down = {"stabilizationWindowSeconds": 0}, {"stabilizationWindowSeconds": 300}
    got, reason, _, recs = bh.stabilize_recommendation_with_behaviors(recs, 10, 4, up, down, NOW)
    assert (got, reason) == (8, "ScaleDownStabilized")
    assert recs[1] == bh.Recommendation(4, NOW)  # the sample older than both windows was replaced


def test_history_round_trip():
    h = history.History([bh.Recommendation(3, NOW)], [bh.ScaleEvent(2, NOW)], [], True)
    annotations = history.dump(h, {"a": "b"})
    assert annotations == {"a": "b", "kctl.io/recommendations": '[[3,"2025-05-01T13:00:00Z"]]',
                           "kctl.io/scale-events": '{"up":[[2,"2025-05-01T13:00:00Z"]],"down":[]}'}
    back = history.load({"metadata": {"annotations": annotations}})
    assert (back.recommendations, back.scale_up_events, back.known) == (h.recommendations, h.scale_up_events, True)


def test_convert_v1_to_v2():
    v1 = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
          "metadata": {"name": "web", "annotations": {
              "autoscaling.alpha.kubernetes.io/metrics":
                  '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10"}}]',
              "autoscaling.alpha.kubernetes.io/conditions": "[]", "team": "a"}},
          "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5,
                   "targetCPUUtilizationPercentage": 70},
          "status": {"currentReplicas": 2, "desiredReplicas": 2, "currentCPUUtilizationPercentage": 40}}
    v2 = convert_v1_to_v2(v1)
    assert v1["apiVersion"] == "autoscaling/v1"  # not modified
    assert v2 == {
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "annotations": {"team": "a"}},
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5, "metrics": [
            {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "10"}}},
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
        ]},
        "status": {"currentReplicas": 2, "desiredReplicas": 2, "currentMetrics": [
            {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 40}}}]},
    }
