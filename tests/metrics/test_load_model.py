"""The load model's arithmetic and the kctl.io/load annotation (pure functions)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kctl.controllers.view import MemoryView
from kctl.metrics.load import (
    IDLE_CPU_MILLI,
    IDLE_MEMORY_BYTES,
    Load,
    LoadError,
    container_usages,
    distribute,
    load_owner,
    parse_load,
    parse_spread,
    pod_usages,
)

MI = 2**20


def test_distribute_adds_up_exactly_and_gives_the_remainder_to_the_largest_fractions():
    assert distribute(100, [Fraction(1)] * 3) == [34, 33, 33]
    assert distribute(450, [Fraction(1), Fraction(1), Fraction(2)]) == [113, 112, 225]
    assert distribute(10, [Fraction(1), Fraction(3)]) == [3, 7]  # 2.5 / 7.5: tie -> first
    assert distribute(7, [Fraction(0), Fraction(0)]) == [4, 3]  # no weights: even
    assert sum(distribute(999_999, [Fraction(w) for w in (3, 5, 7, 11)])) == 999_999
    assert distribute(5, []) == []


def test_total_load_is_split_over_the_pods_with_the_spread_as_weights():
    load = Load(cpu="450m", memory="600Mi", spread=parse_spread("1,1,2"))
    assert pod_usages(load, 3) == [(113, 150 * MI), (112, 150 * MI), (225, 300 * MI)]
    # more pods than multipliers: the spread cycles
    assert [c for c, _ in pod_usages(Load(cpu="1", spread=(Fraction(1), Fraction(3))), 4)] == [125, 375, 125, 375]


def test_per_pod_load_scales_every_pod_and_rounds_half_up():
    load = Load(cpu="100m", memory="64Mi", per_pod=True, spread=parse_spread("0.8,1.0,1.25"))
    assert pod_usages(load, 3) == [(80, round(64 * MI * 0.8)), (100, 64 * MI), (125, 80 * MI)]
    assert pod_usages(Load(cpu="5m", per_pod=True, spread=(Fraction(1, 2),)), 1) == [(3, None)]  # 2.5 -> 3


def _pod(name, containers, owner=None, annotations=None):
    meta = {"name": name, "namespace": "default", "uid": f"uid-{name}"}
    if owner is not None:
        meta["ownerReferences"] = [{"apiVersion": owner["apiVersion"], "kind": owner["kind"],
                                    "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
                                    "controller": True}]
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": containers}}


def test_containers_share_the_pod_usage_by_their_requests_else_evenly():
    pod = _pod("p", [{"name": "app", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}},
                     {"name": "side", "resources": {"requests": {"cpu": "50m"}, "limits": {"memory": "64Mi"}}}])
    assert container_usages(pod, 113, 150 * MI) == [("app", 75, 100 * MI), ("side", 38, 50 * MI)]
    bare = _pod("q", [{"name": "a"}, {"name": "b"}])
    assert container_usages(bare, 3, 3) == [("a", 2, 2), ("b", 1, 1)]
    assert container_usages(bare, None, None) == [("a", IDLE_CPU_MILLI, IDLE_MEMORY_BYTES),
                                                  ("b", IDLE_CPU_MILLI, IDLE_MEMORY_BYTES)]
    assert (IDLE_CPU_MILLI, IDLE_MEMORY_BYTES) == (1, 8 * MI)


def test_the_annotation_round_trips_and_bad_ones_are_refused():
    load = Load(cpu="180m", memory="300Mi", per_pod=True, spread=parse_spread("0.8,1,1.2"))
    text = load.to_annotation()
    assert text == '{"cpu":"180m","memory":"300Mi","perPod":true,"spread":[0.8,1,1.2]}'
    assert parse_load(text) == load
    assert load.describe() == "cpu 180m, memory 300Mi (per pod, spread 0.8,1,1.2)"
    assert parse_load('{"cpu":"0.5"}') == Load(cpu="500m")
    assert parse_load(None) is None
    with pytest.raises(LoadError, match="not JSON"):
        parse_load("{")
    with pytest.raises(LoadError, match='invalid cpu quantity "lots"'):
        parse_load('{"cpu":"lots"}')
    with pytest.raises(LoadError, match="must not be negative"):
        parse_spread("1,-1")
    with pytest.raises(LoadError, match="at least one multiplier must be positive"):
        parse_spread("0,0")


def test_the_outermost_owner_with_a_load_carries_it():
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": "default", "uid": "d1",
                        "annotations": {"kctl.io/load": '{"cpu":"300m"}'}}}
    # the Deployment controller copied the annotation (an older value) to the ReplicaSet
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": "web-1", "namespace": "default", "uid": "r1",
                       "annotations": {"kctl.io/load": '{"cpu":"100m"}'},
                       "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                            "uid": "d1", "controller": True}]}}
    pod = _pod("web-1-abcde", [], owner=rs)
    view = MemoryView([dep, rs, pod])
    owner, load = load_owner(view, pod)
    assert (owner["metadata"]["name"], load.cpu) == ("web", "300m")
    # an owner with another uid (recreated under the same name) is not the pod's owner
    stale = _pod("web-1-zzzzz", [], owner={**rs, "metadata": {**rs["metadata"], "uid": "other"}})
    assert load_owner(MemoryView([dep, rs, stale]), stale) is None
    assert load_owner(view, _pod("bare", [])) is None
