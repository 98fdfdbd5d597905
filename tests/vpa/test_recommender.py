"""The recommender's numbers against hand-computed upstream results.

Buckets (exponential, first 0.01 core / 1e7 bytes, ratio 1.05): a value v falls in bucket
n = floor(ln(v x 0.05 / first + 1) / ln 1.05) and a percentile answers the bucket's end,
first x (1.05^(n+1) - 1) / 0.05; then x1.15 (truncated to whole millicores / bytes).
- 500m: n = floor(ln 3.5 / ln 1.05) = 25 -> end 0.511 core -> 511m -> x1.15 = 587m
- 300Mi = 314572800 B: n = 19 -> end 330659541 B -> x1.15 = 380258472 B
- 200m: n = 14 -> 215m -> 247m;  1 core: n = 36 -> 1016m -> 1168m
"""

from __future__ import annotations

import math

from kctl.controllers.vpa.estimator import pod_minimum, recommend
from kctl.controllers.vpa.histogram import CPU_HISTOGRAM, MEMORY_HISTOGRAM, DecayingHistogram
from kctl.controllers.vpa.model import AggregateContainerState, Checkpoint
from kctl.controllers.vpa.policy import apply_to_container, container_recommendation

T0 = 1_746_100_800.0  # 2025-05-01T12:00:00Z
MI = 1024 * 1024


def constant_day(cpu: float, mem: float) -> AggregateContainerState:
    state = AggregateContainerState()
    for minute in range(1441):  # one sample a minute for a day: confidence 1
        t = T0 + 60 * minute
        state.add_cpu_sample(cpu, 0.5, t)
        state.add_memory_sample(mem, t)
    return state


def test_buckets():
    assert CPU_HISTOGRAM.find_bucket(0.5) == 25
    assert CPU_HISTOGRAM.find_bucket(0.005) == 0
    assert MEMORY_HISTOGRAM.find_bucket(300 * MI) == 19
    assert CPU_HISTOGRAM.num_buckets == 176
    assert round(CPU_HISTOGRAM.bucket_start(26), 6) == 0.511135


def test_one_day_of_constant_usage():
    state = constant_day(0.5, 300 * MI)
    assert state.confidence_days() == 1.0
    rec = recommend(state, 1)
    assert (rec.target.cpu, rec.target.memory) == (587, 380258472)
    # upper x (1 + 1/1) = x2; lower x (1 + 0.001)^-2
    assert (rec.upper.cpu, rec.upper.memory) == (1174, 760516944)
    assert (rec.lower.cpu, rec.lower.memory) == (585, 379499094)


def test_percentiles_of_a_mixed_history():
    # 60% of the samples at 200m, 40% at 1 core, over 100 minutes: P50 in the 200m bucket,
    # P90 and P95 in the 1-core bucket.
    state = AggregateContainerState()
    for minute in range(100):
        state.add_cpu_sample(0.2 if minute % 5 < 3 else 1.0, 0.5, T0 + 60 * minute)
        state.add_memory_sample(100 * MI, T0 + 60 * minute)
    c = min(99 / 1440, 100 / 1440)
    rec = recommend(state, 1)
    assert rec.target.cpu == 1168
    assert rec.lower.cpu == int(247 * math.pow(1 + 0.001 / c, -2))
    assert rec.upper.cpu == int(1168 * (1 + 1 / c))
    # 100Mi is under the 250Mi pod minimum.
    assert rec.target.memory == 250 * MI


def test_minimums_split_across_containers():
    assert pod_minimum(1).cpu == 25 and pod_minimum(1).memory == 262144000
    assert pod_minimum(2).cpu == 12 and pod_minimum(2).memory == 131072000
    state = constant_day(0.001, 1e6)
    rec = recommend(state, 2)
    assert (rec.target.cpu, rec.target.memory) == (12, 131072000)


def test_no_history_bounds():
    state = AggregateContainerState()
    state.add_cpu_sample(0.5, 0.5, T0)
    state.add_memory_sample(300 * MI, T0)
    rec = recommend(state, 1)
    assert rec.lower.cpu == 25 and rec.lower.memory == 262144000  # x0, then the minimum
    assert rec.upper.cpu == 10**14  # x infinity, capped


def test_memory_peak_per_interval_and_oom_bump():
    state = AggregateContainerState()
    state.add_memory_sample(100 * MI, T0)
    state.add_memory_sample(300 * MI, T0 + 60)  # replaces the interval's sample
    assert math.isclose(state.memory.total, 1.0) and list(state.memory.weights) == [19]
    state.record_oom(200 * MI, T0 + 120)  # used = max(200Mi request, 300Mi peak): max(400Mi, 360Mi)
    assert (state.window_peak, state.oom_peak) == (300 * MI, 400 * MI)
    assert list(state.memory.weights) == [23]  # the interval's sample moved to 400Mi's bucket
    # A second OOM at the same request bumps from the usage peak again (not from the 400Mi
    # OOM peak): 400Mi is not above the interval's peak, nothing changes (upstream's RecordOOM).
    state.record_oom(200 * MI, T0 + 180)
    assert (state.window_peak, state.oom_peak, list(state.memory.weights)) == (300 * MI, 400 * MI, [23])
    assert math.isclose(state.memory.total, 1.0)
    state2 = AggregateContainerState()
    state2.record_oom(1000 * MI, T0)  # used 1000Mi: x1.2 (1200Mi) beats +100Mi
    assert state2.oom_peak == 1200 * MI


def test_decay_halves_weight_per_day():
    h = DecayingHistogram(CPU_HISTOGRAM, 86400.0)
    h.add_sample(0.1, 1.0, T0)
    h.add_sample(1.0, 1.0, T0 + 86400)
    w = sorted(h.weights.items())
    assert math.isclose(w[1][1] / w[0][1], 2.0)


def test_checkpoint_round_trip():
    cp = Checkpoint()
    cp.container("main").add_cpu_sample(0.5, 0.5, T0)
    cp.last_sample_time = T0
    text = cp.dumps()
    again = Checkpoint.of({"metadata": {"annotations": {"kctl.io/vpa-checkpoint": text}}})
    assert again.dumps() == text


def test_capping_and_limit_ratio():
    state = constant_day(0.5, 300 * MI)
    policy = {"containerName": "*", "maxAllowed": {"cpu": "500m"}, "controlledResources": ["cpu", "memory"]}
    entry = container_recommendation("main", recommend(state, 1), policy)
    assert entry["target"] == {"cpu": "500m", "memory": "380258472"}
    assert entry["uncappedTarget"] == {"cpu": "587m", "memory": "380258472"}
    assert entry["upperBound"]["cpu"] == "500m"
    container = {"name": "main", "resources": {"requests": {"cpu": "100m", "memory": "100Mi"},
                                               "limits": {"cpu": "200m", "memory": "200Mi"}}}
    changed = apply_to_container(container, entry, policy)
    assert changed == ["cpu request", "cpu limit", "memory request", "memory limit"]
    assert container["resources"] == {"requests": {"cpu": "500m", "memory": "380258472"},
                                      "limits": {"cpu": "1", "memory": "760516944"}}
    only_requests = {"name": "main", "resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "200m"}}}
    apply_to_container(only_requests, entry, {"controlledValues": "RequestsOnly"})
    assert only_requests["resources"]["limits"] == {"cpu": "200m"}
