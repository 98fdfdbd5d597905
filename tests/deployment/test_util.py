"""Pure Deployment helpers against the fact sheet's worked examples (control-plane.md 1.2-1.6)."""

from __future__ import annotations

import re

import pytest

from kctl.controllers.base import Update
from kctl.controllers.deployment import sync_deployment
from kctl.controllers.deployment import util as u
from kctl.controllers.deployment.hash import compute_hash, fnv1a_32, safe_encode_string
from kctl.controllers.view import MemoryView
from tests.deployment.sim import T0, deployment


def with_strategy(replicas, surge, unavailable):
    return deployment(replicas=replicas, strategy={"type": "RollingUpdate",
                                                   "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}})


@pytest.mark.parametrize(("replicas", "surge", "unavailable"), [(1, 1, 0), (3, 1, 0), (4, 1, 1), (10, 3, 2), (0, 0, 0)])
def test_25_percent_fenceposts(replicas, surge, unavailable):
    d = with_strategy(replicas, "25%", "25%")
    assert (u.max_surge(d), u.max_unavailable(d)) == (surge, unavailable)


@pytest.mark.parametrize(("surge", "unavailable", "desired", "expected"), [
    ("10%", 0, 5, (1, 0)),          # surge rounds up
    (0, "10%", 5, (0, 1)),          # unavailable floors to 0, then 0/0 -> 1
    ("0%", "0%", 10, (0, 1)),
    (2, 3, 10, (2, 3)),             # integers as-is
    ("100%", 0, 3, (3, 0)),
    ("33%", "33%", 10, (4, 3)),
    ("5", "1", 10, (5, 1)),         # non-percent strings parse as integers
])
def test_resolve_fenceposts(surge, unavailable, desired, expected):
    assert u.resolve_fenceposts(surge, unavailable, desired) == expected


def test_max_unavailable_capped_at_replicas_and_zero_for_recreate():
    assert u.max_unavailable(with_strategy(2, 0, 5)) == 2
    recreate = deployment(replicas=4, strategy={"type": "Recreate"})
    assert (u.max_surge(recreate), u.max_unavailable(recreate)) == (0, 0)
    assert u.new_rs_new_replicas(recreate, [], {"spec": {"replicas": 0}}) == 4


def rs(name, replicas, *, available=None, ts="2025-05-01T12:00:00Z", revision=None, max_replicas=None, desired=None):
    ann = {}
    if revision is not None:
        ann[u.REVISION_ANNOTATION] = str(revision)
    if max_replicas is not None:
        ann[u.MAX_REPLICAS_ANNOTATION] = str(max_replicas)
    if desired is not None:
        ann[u.DESIRED_REPLICAS_ANNOTATION] = str(desired)
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}", "creationTimestamp": ts,
                         "annotations": ann, "labels": {"app": "web"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                              "uid": "uid-web", "controller": True, "blockOwnerDeletion": True}]},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}},
            "status": {"replicas": replicas, "availableReplicas": replicas if available is None else available}}


def test_worked_example_new_rs_new_replicas():
    d = with_strategy(10, "25%", "25%")
    old = rs("old", 10)
    new = rs("new", 0)
    assert u.new_rs_new_replicas(d, [old, new], new) == 3          # min(13 - 10, 10)
    assert u.new_rs_new_replicas(d, [rs("old", 8), rs("new", 3)], rs("new", 3)) == 5   # 13 - 11 = 2 more
    assert u.new_rs_new_replicas(d, [rs("old", 10), rs("new", 3)], rs("new", 3)) == 3  # saturated at 13


def test_round_half_away_from_zero():
    assert [u.round_half_away(x) for x in (0.5, 1.5, 2.5, 11.69, 4.38, -0.5, -2.5)] == [1, 2, 3, 12, 4, -1, -3]


def test_get_proportion_worked_example():
    d = with_strategy(15, "25%", "25%")  # allowed = 15 + 4 = 19
    old = rs("old", 8, max_replicas=13)
    new = rs("new", 3, max_replicas=13)
    assert u.get_replica_set_fraction(old, d) == 4   # round(8 * 19 / 13 = 11.69) - 8
    assert u.get_replica_set_fraction(new, d) == 1   # round(3 * 19 / 13 = 4.38) - 3
    assert u.get_proportion(old, d, 8, 0) == 4
    assert u.get_proportion(new, d, 8, 4) == 1
    assert u.get_proportion(new, d, 8, 8) == 0
    zero = with_strategy(0, "25%", "25%")
    assert u.get_replica_set_fraction(old, zero) == -8


def test_proportional_scaling_10_to_15_gives_old_15_new_4():
    """A scaling event mid-rollout: old 8 / new 3 (both annotated max 13) -> replicas 15."""
    d = with_strategy(15, "25%", "25%")
    d["spec"]["template"] = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app",
                                                                                               "image": "v2"}]}}
    d["status"] = {"replicas": 11}
    old = rs("web-old", 8, ts="2025-05-01T11:00:00Z", revision=1, max_replicas=13, desired=10)
    new = rs("web-new", 3, available=0, revision=2, max_replicas=13, desired=10)
    new["spec"]["template"] = d["spec"]["template"]
    actions = sync_deployment(MemoryView([d, old, new]), d, T0)
    sizes = {a.obj["metadata"]["name"]: a.obj["spec"]["replicas"] for a in actions
             if isinstance(a, Update) and a.obj["kind"] == "ReplicaSet"}
    assert sizes == {"web-old": 15, "web-new": 4}
    messages = [a.event.message for a in actions if hasattr(a, "event")]
    assert messages == ["Scaled up replica set web-old from 8 to 15", "Scaled up replica set web-new from 3 to 4"]
    for a in actions:
        if isinstance(a, Update) and a.obj["kind"] == "ReplicaSet":
            assert a.obj["metadata"]["annotations"][u.DESIRED_REPLICAS_ANNOTATION] == "15"
            assert a.obj["metadata"]["annotations"][u.MAX_REPLICAS_ANNOTATION] == "19"


def test_hash_alphabet_and_length():
    assert safe_encode_string("0123456789") == "456789bcdf"
    seen = set()
    for i in range(200):
        tmpl = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "a", "image": f"img:{i}"}]}}
        h = compute_hash(tmpl)
        assert re.fullmatch(r"[4-9bcdf]{1,10}", h)
        seen.add(h)
    assert len(seen) == 200
    tmpl = {"spec": {"containers": []}}
    assert compute_hash(tmpl) == compute_hash({"spec": {"containers": []}})        # deterministic
    assert compute_hash(tmpl, 1) != compute_hash(tmpl) != compute_hash(tmpl, 0)  # collisionCount counts, 0 too
    assert fnv1a_32(b"") == 0x811C9DC5 and fnv1a_32(b"a") == 0xE40C292C         # FNV-1a test vectors


def test_equal_ignore_hash():
    a = {"metadata": {"labels": {"app": "web", "pod-template-hash": "abc"}, "creationTimestamp": None},
         "spec": {"containers": [{"image": "x"}]}}
    b = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"image": "x"}]}}
    assert u.equal_ignore_hash(a, b)
    assert not u.equal_ignore_hash(a, {**b, "spec": {"containers": [{"image": "y"}]}})
    assert not u.equal_ignore_hash(a, {**b, "metadata": {"labels": {"app": "web", "x": "1"}}})


def test_find_new_replica_set_is_the_oldest_match_and_old_sets_split():
    d = deployment()
    tmpl = d["spec"]["template"]
    a = rs("a", 0, ts="2025-05-01T12:00:05Z")
    b = rs("b", 2, ts="2025-05-01T12:00:01Z")
    c = rs("c", 1, ts="2025-05-01T12:00:03Z")
    a["spec"]["template"] = c["spec"]["template"] = tmpl
    assert u.find_new_replica_set(d, [a, b, c]) is c
    required, all_old = u.find_old_replica_sets(d, [a, b, c])
    assert required == [b] and all_old == [a, b]


def test_revisions():
    rss = [rs("a", 0, revision=3), rs("b", 0, revision=7), rs("c", 0, revision=5), rs("d", 0)]
    assert u.max_revision(rss) == 7
    assert u.last_revision(rss) == 5


def test_set_new_replica_set_annotations_renumbers_and_keeps_history():
    d = deployment()
    d["metadata"]["annotations"] = {"team": "a", u.LAST_APPLIED_CONFIG_ANNOTATION: "{}",
                                    u.REVISION_ANNOTATION: "3"}
    ann = {u.REVISION_ANNOTATION: "2"}
    assert u.set_new_replica_set_annotations(d, ann, "4", exists=True)
    assert ann == {u.REVISION_ANNOTATION: "4", u.REVISION_HISTORY_ANNOTATION: "2", "team": "a"}
    ann[u.REVISION_ANNOTATION] = "6"
    u.set_new_replica_set_annotations(d, ann, "9", exists=True)
    assert ann[u.REVISION_HISTORY_ANNOTATION] == "2,6"
    assert not u.set_new_replica_set_annotations(d, ann, "9", exists=True)  # nothing new
    fresh: dict = {}
    u.set_new_replica_set_annotations(d, fresh, "1", exists=False)
    assert fresh == {"team": "a", u.REVISION_ANNOTATION: "1", u.DESIRED_REPLICAS_ANNOTATION: "3",
                     u.MAX_REPLICAS_ANNOTATION: "4"}


def test_deployment_complete_and_progressing():
    d = deployment(replicas=3)
    d["metadata"]["generation"] = 2
    done = {"updatedReplicas": 3, "replicas": 3, "availableReplicas": 3, "observedGeneration": 2}
    assert u.deployment_complete(d, done)
    assert not u.deployment_complete(d, {**done, "observedGeneration": 1})
    assert not u.deployment_complete(d, {**done, "replicas": 4})
    d["status"] = {"replicas": 4, "updatedReplicas": 1, "readyReplicas": 3, "availableReplicas": 3}
    assert u.deployment_progressing(d, {"replicas": 4, "updatedReplicas": 2, "readyReplicas": 3, "availableReplicas": 3})
    assert u.deployment_progressing(d, {"replicas": 3, "updatedReplicas": 1, "readyReplicas": 3, "availableReplicas": 3})
    assert not u.deployment_progressing(d, dict(d["status"]))
