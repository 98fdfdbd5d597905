"""ReplicaSet controller: pod creation/naming, claiming, status, burst, and victim ranking."""

from __future__ import annotations

import re
from datetime import timedelta

from kctl.controllers.base import Create, Delete, Update, UpdateStatus
from kctl.controllers.ranking import (
    get_deletion_cost_from_pod_annotations,
    get_pods_to_delete,
    sort_active_pods_with_ranks,
)
from kctl.controllers.replicaset import (
    ReplicaSetController,
    generate_name_base,
    pod_name_suffix,
    slow_start_batches,
)
from kctl.controllers.view import MemoryView
from tests.deployment.sim import T0, FakeKubelet
from tests.harness import apply, run_until_stable


def replica_set(name="web-abc", replicas=3, uid=None, owner=None, **spec):
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": name, "namespace": "default", "uid": uid or f"uid-{name}", "generation": 1},
          "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web", "tier": "fe"}},
                                "spec": {"containers": [{"name": "app", "image": "nginx"}]}}, **spec}}
    if owner:
        rs["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "Deployment", "name": owner,
                                              "uid": f"uid-{owner}", "controller": True, "blockOwnerDeletion": True}]
    return rs


def pod(name, *, owner="web-abc", node="n1", phase="Running", ready=True, ready_at=None, created=None,
        restarts=0, cost=None, labels=None, deleting=False):
    p = {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}",
                      "labels": labels if labels is not None else {"app": "web", "tier": "fe"},
                      "creationTimestamp": (created or T0 - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")},
         "spec": {"nodeName": node} if node else {},
         "status": {"phase": phase, "containerStatuses": [{"name": "app", "restartCount": restarts}]}}
    if owner:
        p["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner,
                                             "uid": f"uid-{owner}", "controller": True, "blockOwnerDeletion": True}]
    if ready is not None:
        t = (ready_at or T0 - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        p["status"]["conditions"] = [{"type": "Ready", "status": "True" if ready else "False",
                                      "lastTransitionTime": t}]
    if cost is not None:
        p["metadata"]["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": str(cost)}
    if deleting:
        p["metadata"]["deletionTimestamp"] = "2025-05-01T11:59:00Z"
    return p


def names(pods):
    return [p["metadata"]["name"] for p in pods]


def test_creates_pods_with_deterministic_names_owner_refs_and_events():
    rs = replica_set(replicas=3)
    view = MemoryView([rs])
    actions = ReplicaSetController().sync(view, T0)
    creates = [a.obj for a in actions if isinstance(a, Create)]
    assert len(creates) == 3
    for p in creates:
        assert re.fullmatch(r"web-abc-[bcdfghjklmnpqrstvwxz2456789]{5}", p["metadata"]["name"])
        assert p["metadata"]["generateName"] == "web-abc-"
        assert p["metadata"]["labels"] == {"app": "web", "tier": "fe"}
        assert p["metadata"]["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                     "name": "web-abc", "uid": "uid-web-abc", "controller": True,
                                                     "blockOwnerDeletion": True}]
        assert p["spec"] == rs["spec"]["template"]["spec"] and p["spec"] is not rs["spec"]["template"]["spec"]
    events = [(a.event.reason, a.event.message, a.event.component) for a in actions if hasattr(a, "event")]
    assert events == [("SuccessfulCreate", f"Created pod: {n}", "replicaset-controller") for n in names(creates)]
    # same input, same names
    again = [a.obj["metadata"]["name"] for a in ReplicaSetController().sync(MemoryView([rs]), T0)
             if isinstance(a, Create)]
    assert again == names(creates)
    # status computed from the pods that existed before acting
    (status,) = [a.obj["status"] for a in actions if isinstance(a, UpdateStatus)]
    assert status == {"replicas": 0, "observedGeneration": 1}


def test_name_collisions_are_skipped_and_base_truncated():
    rs = replica_set(replicas=2)
    taken = pod("web-abc-" + pod_name_suffix("uid-web-abc", 0), owner=None, labels={"other": "x"})
    actions = ReplicaSetController().sync(MemoryView([rs, taken]), T0)
    created = [a.obj["metadata"]["name"] for a in actions if isinstance(a, Create)]
    assert created == ["web-abc-" + pod_name_suffix("uid-web-abc", i) for i in (1, 2)]
    assert generate_name_base("x" * 70) == "x" * 58
    assert generate_name_base("web-abc") == "web-abc-"


def test_status_counts_and_terminating_pods_do_not_count():
    rs = replica_set(replicas=3, minReadySeconds=60)
    pods = [pod("a", ready_at=T0 - timedelta(seconds=61)),
            pod("b", ready_at=T0 - timedelta(seconds=60)),          # not yet available (strictly before)
            pod("c", ready=False, labels={"app": "web"}),           # not fully labeled
            pod("d", deleting=True), pod("e", phase="Succeeded")]
    actions = ReplicaSetController().sync(MemoryView([rs, *pods]), T0)
    (status,) = [a.obj["status"] for a in actions if isinstance(a, UpdateStatus)]
    assert status == {"replicas": 3, "fullyLabeledReplicas": 2, "readyReplicas": 2, "availableReplicas": 1,
                      "observedGeneration": 1}
    assert not [a for a in actions if isinstance(a, (Create, Delete))]


def test_adopts_orphans_and_releases_mismatched_pods():
    rs = replica_set(replicas=2)
    orphan = pod("orphan", owner=None)
    stray = pod("stray", labels={"app": "other"})
    mine = pod("mine")
    actions = ReplicaSetController().sync(MemoryView([rs, orphan, stray, mine]), T0)
    updates = {a.obj["metadata"]["name"]: a.obj for a in actions if isinstance(a, Update)}
    assert updates["orphan"]["metadata"]["ownerReferences"][0]["uid"] == "uid-web-abc"
    assert "ownerReferences" not in updates["stray"]["metadata"]
    assert orphan["metadata"].get("ownerReferences") is None  # snapshot untouched
    assert not [a for a in actions if isinstance(a, (Create, Delete))]


def test_burst_limit():
    actions = ReplicaSetController(burst_replicas=5).sync(MemoryView([replica_set(replicas=12)]), T0)
    assert len([a for a in actions if isinstance(a, Create)]) == 5
    assert slow_start_batches(12) == [1, 2, 4, 5]
    assert slow_start_batches(500) == [1, 2, 4, 8, 16, 32, 64, 128, 245]


def test_scale_down_deletes_ranked_victims_with_events():
    rs = replica_set(replicas=1)
    pods = [pod("running"), pod("pending", phase="Pending", ready=False), pod("unassigned", node="", ready=False,
                                                                                phase="Pending")]
    view = MemoryView([rs, *pods])
    actions = ReplicaSetController().sync(view, T0)
    assert [a.ref.name for a in actions if isinstance(a, Delete)] == ["unassigned", "pending"]
    assert [a.event.message for a in actions if hasattr(a, "event")] == ["Deleted pod: unassigned",
                                                                       "Deleted pod: pending"]
    apply(view, actions)
    after = ReplicaSetController().sync(view, T0)
    assert [type(a).__name__ for a in after] == ["UpdateStatus"]
    assert after[0].obj["status"]["replicas"] == 1


def rank(pods, ranks=None, now=T0):
    return names(sort_active_pods_with_ranks(pods, ranks or [0] * len(pods), now))


def test_ranking_rules_in_priority_order():
    # 1. unassigned first
    assert rank([pod("assigned", ready=False, phase="Pending"), pod("none", node="")]) == ["none", "assigned"]
    # 2. Pending < Unknown < Running
    assert rank([pod("run"), pod("unk", phase="Unknown"), pod("pend", phase="Pending")]) == ["pend", "unk", "run"]
    # 3. not ready first
    assert rank([pod("ready"), pod("notready", ready=False)]) == ["notready", "ready"]
    # 4. lower deletion cost first (beats ranks and times)
    assert rank([pod("cheap", cost=-5), pod("dear", cost=10), pod("zero")], [0, 0, 9]) == ["cheap", "zero", "dear"]
    # 5. more co-located related pods first
    assert rank([pod("alone"), pod("crowded")], [1, 3]) == ["crowded", "alone"]
    # 6. ready more recently first, in log2 buckets of (now - readyTime)
    young = pod("young", ready_at=T0 - timedelta(seconds=10))
    old = pod("old", ready_at=T0 - timedelta(hours=5))
    assert rank([old, young]) == ["young", "old"]
    # same bucket (2^35ns ~ 34s .. 2^36ns ~ 68s): lower UID first regardless of exact time
    b1 = pod("b1", ready_at=T0 - timedelta(seconds=40))
    a2 = pod("a2", ready_at=T0 - timedelta(seconds=60))
    assert rank([b1, a2]) == ["a2", "b1"]
    # 7. more restarts first
    assert rank([pod("calm"), pod("crashy", restarts=4)]) == ["crashy", "calm"]
    # 8. newer first (creation time, log2 buckets)
    assert rank([pod("elder", created=T0 - timedelta(days=3)), pod("newer", created=T0 - timedelta(minutes=2))]) \
        == ["newer", "elder"]


def test_get_pods_to_delete_counts_related_pods_per_node():
    pods = [pod("a", node="n1"), pod("b", node="n2")]
    related = [*pods, pod("x", node="n2", owner="web-other"), pod("y", node="n2", owner="web-other")]
    assert names(get_pods_to_delete(pods, related, 1, T0)) == ["b"]
    assert names(get_pods_to_delete(pods, related, 2, T0)) == ["a", "b"]   # all go: no sorting


def test_deletion_cost_parsing():
    assert get_deletion_cost_from_pod_annotations({"controller.kubernetes.io/pod-deletion-cost": "-7"}) == -7
    assert get_deletion_cost_from_pod_annotations({"controller.kubernetes.io/pod-deletion-cost": "x"}) == 0
    assert get_deletion_cost_from_pod_annotations(None) == 0


def test_converges_with_kubelet_and_is_idempotent():
    view = MemoryView([replica_set(replicas=4)])
    run_until_stable(view, [ReplicaSetController(), FakeKubelet()], T0)
    (rs,) = view.list("replicasets.apps")
    assert rs["status"] == {"replicas": 4, "fullyLabeledReplicas": 4, "readyReplicas": 4, "availableReplicas": 4,
                            "observedGeneration": 1}
    assert ReplicaSetController().sync(view, T0) == []
