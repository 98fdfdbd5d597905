"""The fast path decides exactly as the plugin path, and both as the reference did.

``golden/decisions-seed*.txt`` were recorded from the plugin-by-plugin implementation
before any caching: one line per pending pod (node and feasible/evaluated counts, or
the FailedScheduling message) and a digest of every detail (per-plugin scores of every
scored node, per-node filter statuses).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kctl.scheduler import fastpath
from kctl.scheduler.framework import Framework
from kctl.scheduler.nodeinfo import Snapshot
from kctl.scheduler.profile import DEFAULT_PROFILE
from tests.scheduler import workload

GOLDEN = Path(__file__).parent / "golden"


def _lines(results) -> list[str]:
    return [f"{r[0]} -> {r[1]} ({r[3]}/{r[4]})" if r[1] else f"{r[0]} !! {r[2]}" for r in results]


def _golden(seed: int) -> tuple[tuple[int, ...], str, list[str]]:
    header, digest_line, *lines = (GOLDEN / f"decisions-seed{seed}.txt").read_text().splitlines()
    params = tuple(int(part.split("=")[1]) for part in header.lstrip("# ").split())
    return params, digest_line.rsplit(" ", 1)[1], lines


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plugins"])
@pytest.mark.parametrize("seed", [1, 4, 2])
def test_decisions_match_the_recorded_reference(seed, fast):
    (seed_, nodes, bound, pending), digest, lines = _golden(seed)
    results = workload.run(Framework, Snapshot, DEFAULT_PROFILE, seed_, nodes, bound, pending, fast=fast)
    assert _lines(results) == lines
    assert hashlib.sha256(repr(results).encode()).hexdigest() == digest


class _Counting(fastpath.FastPath):
    handled = 0
    declined = 0

    def schedule(self, pod, result):
        took = super().schedule(pod, result)
        if took:
            _Counting.handled += 1
        else:
            _Counting.declined += 1
        return took


@pytest.mark.parametrize(("seed", "nodes", "bound", "pending", "affinity_rate"), [
    (10, 40, 60, 300, 0.0),
    (11, 150, 100, 400, 0.0),
    (12, 8, 10, 120, 0.0),
    (13, 260, 50, 250, 0.1),
    (14, 40, 60, 300, 0.1),
    (15, 120, 300, 300, 0.0),
])
def test_fast_path_and_plugin_path_agree_on_every_detail(monkeypatch, seed, nodes, bound, pending, affinity_rate):
    monkeypatch.setattr(fastpath, "FastPath", _Counting)
    _Counting.handled = _Counting.declined = 0
    fast = workload.run(Framework, Snapshot, DEFAULT_PROFILE, seed, nodes, bound, pending, affinity_rate)
    assert _Counting.handled > pending // 3  # the fast path did a good share of the work
    assert _Counting.declined > 0  # and left the unusual pods to the plugins
    reference = workload.run(Framework, Snapshot, DEFAULT_PROFILE, seed, nodes, bound, pending, affinity_rate,
                             fast=False)
    for got, want in zip(fast, reference, strict=True):
        assert got == want
    outcomes = {r[1] is None for r in fast}
    assert outcomes == {True, False}  # some pods placed, some FailedScheduling


def test_fast_path_only_serves_the_default_profile():
    from kctl.scheduler.framework import Profile

    snapshot = Snapshot(workload.make_nodes(__import__("random").Random(1), 3), [])
    assert Framework(DEFAULT_PROFILE, snapshot)._fast is not None
    assert Framework(DEFAULT_PROFILE, snapshot, fast=False)._fast is None
    trimmed = Profile("custom", DEFAULT_PROFILE.plugins[:-1])
    assert Framework(trimmed, snapshot)._fast is None


def test_score_breakdown_of_the_fast_path_is_the_plugins_breakdown():
    nodes = [{"metadata": {"name": f"n{i}", "labels": {workload.HOSTNAME: f"n{i}", workload.ZONE: f"z{i % 2}"}},
              "spec": {"taints": [{"key": "spot", "effect": "PreferNoSchedule"}] if i == 1 else []},
              "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}} for i in range(4)]
    bound = [{"metadata": {"name": "w0", "namespace": "default", "labels": {"app": "web"}},
              "spec": {"nodeName": "n0", "containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]},
              "status": {"phase": "Running"}}]
    pod = {"metadata": {"name": "w1", "namespace": "default", "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}]},
           "status": {"phase": "Pending"}}
    results = [Framework(DEFAULT_PROFILE, Snapshot(nodes, bound, default_spread_selector=workload.spread_selector),
                         fast=fast).schedule_one(pod) for fast in (True, False)]
    assert results[0].score_columns is not None  # the fast path answered, lazily
    assert results[0].scores == results[1].scores
    # n2 (zone z0, like n0 that runs w0): LeastAllocated (87 + 87) // 2; spread raw
    # round(0*ln6 + 2 + 1*ln4 + 4) = 7 against low 6 / high 9 -> 100 * (15 - 7) // 9 = 88.
    assert results[0].scores["n2"] == {
        "TaintToleration": 300, "NodeAffinity": 0, "NodeResourcesFit": 87, "PodTopologySpread": 176,
        "NodeResourcesBalancedAllocation": 100,
    }
    # n1 carries the untolerated PreferNoSchedule taint; n3 is in the empty zone.
    assert results[0].scores["n1"]["TaintToleration"] == 0
    assert results[0].scores["n3"]["PodTopologySpread"] == 200
    assert results[0].node == results[1].node == "n3"
