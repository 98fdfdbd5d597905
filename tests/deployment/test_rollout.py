"""Whole rollouts driven round by round (controllers + a fake kubelet) with exact event order."""

from __future__ import annotations

import pytest

from kctl.controllers.deployment import DeploymentController, sync_deployment
from kctl.controllers.replicaset import ReplicaSetController
from tests.deployment.sim import T0, Sim, deployment, rs_name_for, scaling_messages


def rolling(surge, unavailable):
    return {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}


def rollout(replicas, strategy, **spec):
    sim = Sim(deployment(replicas=replicas, strategy=strategy, **spec))
    first = scaling_messages(sim.run())
    sim.set_image("nginx:1.26")
    events = scaling_messages(sim.run(60))
    return sim, first, events


def expand(sim, lines):
    old, new = rs_name_for(sim, "nginx:1.25"), rs_name_for(sim, "nginx:1.26")
    return [line.format(old=old, new=new) for line in lines]


@pytest.mark.parametrize(("replicas", "strategy", "expected"), [
    (4, rolling("25%", "25%"), [
        "Scaled up replica set {new} from 0 to 1", "Scaled down replica set {old} from 4 to 3",
        "Scaled up replica set {new} from 1 to 2", "Scaled down replica set {old} from 3 to 2",
        "Scaled up replica set {new} from 2 to 3", "Scaled down replica set {old} from 2 to 1",
        "Scaled up replica set {new} from 3 to 4", "Scaled down replica set {old} from 1 to 0",
    ]),
    (3, rolling(1, 0), [
        "Scaled up replica set {new} from 0 to 1", "Scaled down replica set {old} from 3 to 2",
        "Scaled up replica set {new} from 1 to 2", "Scaled down replica set {old} from 2 to 1",
        "Scaled up replica set {new} from 2 to 3", "Scaled down replica set {old} from 1 to 0",
    ]),
    (3, rolling(0, 1), [
        # the new RS is created with 0 replicas (no event), then old goes down first
        "Scaled down replica set {old} from 3 to 2", "Scaled up replica set {new} from 0 to 1",
        "Scaled down replica set {old} from 2 to 1", "Scaled up replica set {new} from 1 to 2",
        "Scaled down replica set {old} from 1 to 0", "Scaled up replica set {new} from 2 to 3",
    ]),
    (3, rolling("100%", 0), [
        "Scaled up replica set {new} from 0 to 3", "Scaled down replica set {old} from 3 to 0",
    ]),
    (10, rolling("25%", "25%"), [
        "Scaled up replica set {new} from 0 to 3", "Scaled down replica set {old} from 10 to 8",
        "Scaled up replica set {new} from 3 to 5", "Scaled down replica set {old} from 8 to 5",
        "Scaled up replica set {new} from 5 to 8", "Scaled down replica set {old} from 5 to 3",
        "Scaled up replica set {new} from 8 to 10", "Scaled down replica set {old} from 3 to 0",
    ]),
])
def test_rolling_update_event_sequence(replicas, strategy, expected):
    sim, first, events = rollout(replicas, strategy)
    assert first == [f"Scaled up replica set {rs_name_for(sim, 'nginx:1.25')} from 0 to {replicas}"]
    assert events == expand(sim, expected)
    d = sim.deployment()
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert {k: d["status"].get(k) for k in ("observedGeneration", "replicas", "updatedReplicas",
                                             "availableReplicas")} == {
        "observedGeneration": 2, "replicas": replicas, "updatedReplicas": replicas, "availableReplicas": replicas}
    progressing = [c for c in d["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert progressing["reason"] == "NewReplicaSetAvailable"
    assert progressing["message"] == f'ReplicaSet "{rs_name_for(sim, "nginx:1.26")}" has successfully progressed.'
    assert progressing["lastUpdateTime"] == "2025-05-01T12:01:00Z"
    assert progressing["lastTransitionTime"] == "2025-05-01T12:00:00Z"
    assert len(sim.pods()) == replicas


def test_converged_cluster_syncs_to_no_actions():
    sim, _, _ = rollout(4, rolling("25%", "25%"))
    for controller in (DeploymentController(), ReplicaSetController()):
        assert controller.sync(sim.view, sim.now) == []
    later = sim.now.replace(hour=18)
    assert DeploymentController().sync(sim.view, later) == []


def test_fresh_deployment_status_and_names():
    sim = Sim(deployment(replicas=3))
    events = sim.run()
    (rs,) = sim.replica_sets()
    name = rs["metadata"]["name"]
    hash_ = rs["metadata"]["labels"]["pod-template-hash"]
    assert name == f"web-{hash_}"
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": hash_}}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", "pod-template-hash": hash_}
    assert rs["metadata"]["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                                  "uid": "uid-web", "controller": True, "blockOwnerDeletion": True}]
    assert rs["metadata"]["annotations"] == {"deployment.kubernetes.io/desired-replicas": "3",
                                             "deployment.kubernetes.io/max-replicas": "4",
                                             "deployment.kubernetes.io/revision": "1"}
    assert [(e.reason, e.component) for e in events][:2] == [("ScalingReplicaSet", "deployment-controller"),
                                                             ("SuccessfulCreate", "replicaset-controller")]
    d = sim.deployment()
    assert d["status"]["conditions"] == [
        {"type": "Available", "status": "True", "lastUpdateTime": "2025-05-01T12:00:00Z",
         "lastTransitionTime": "2025-05-01T12:00:00Z", "reason": "MinimumReplicasAvailable",
         "message": "Deployment has minimum availability."},
        {"type": "Progressing", "status": "True", "lastUpdateTime": "2025-05-01T12:00:00Z",
         "lastTransitionTime": "2025-05-01T12:00:00Z", "reason": "NewReplicaSetAvailable",
         "message": f'ReplicaSet "{name}" has successfully progressed.'},
    ]


def test_first_sync_plan_creates_rs_and_sets_progressing():
    d = deployment(replicas=3)
    from kctl.controllers.view import MemoryView
    actions = sync_deployment(MemoryView([d]), d, T0)
    kinds = [type(a).__name__ for a in actions]
    assert kinds == ["Create", "Emit", "UpdateStatus"]  # the revision annotation rides on the status write
    status = actions[-1].obj["status"]
    assert [(c["type"], c["status"], c["reason"]) for c in status["conditions"]] == [
        ("Progressing", "True", "NewReplicaSetCreated"), ("Available", "False", "MinimumReplicasUnavailable")]
    assert status["unavailableReplicas"] == 3 and status["observedGeneration"] == 1
    assert actions[-1].obj["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}


def test_recreate_scales_old_to_zero_before_creating_new():
    sim, first, events = rollout(3, {"type": "Recreate"})
    assert events == expand(sim, ["Scaled down replica set {old} from 3 to 0",
                                  "Scaled up replica set {new} from 0 to 3"])
    # while old pods exist the new RS is not created
    sim2 = Sim(deployment(replicas=2, strategy={"type": "Recreate"}))
    sim2.run()
    sim2.set_image("nginx:1.26")
    d = sim2.deployment()
    actions = sync_deployment(sim2.view, d, sim2.now)
    assert [type(a).__name__ for a in actions if type(a).__name__ != "Emit"] == ["Update", "UpdateStatus"]
    assert all(rs["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25" for rs in sim2.replica_sets())


def test_min_ready_seconds_holds_the_rollout_until_time_passes():
    sim = Sim(deployment(replicas=2, strategy=rolling(1, 0), minReadySeconds=10))
    sim.run()
    d = sim.deployment()
    assert d["status"].get("availableReplicas") is None
    assert d["status"]["unavailableReplicas"] == 2
    sim.run(10)   # lastTransitionTime + 10s is not *before* now yet
    assert sim.deployment()["status"].get("availableReplicas") is None
    sim.run(1)
    assert sim.deployment()["status"]["availableReplicas"] == 2
    (rs,) = sim.replica_sets()
    assert rs["spec"]["minReadySeconds"] == 10


def test_progress_deadline_exceeded():
    sim = Sim(deployment(replicas=1, progressDeadlineSeconds=30), kubelet=False)
    sim.run()
    cond = [c for c in sim.deployment()["status"]["conditions"] if c["type"] == "Progressing"][0]
    # created, then progress (the pod appeared: updatedReplicas 0 -> 1), never ready
    assert (cond["reason"], cond["lastUpdateTime"]) == ("ReplicaSetUpdated", "2025-05-01T12:00:00Z")
    sim.run(30)
    cond = [c for c in sim.deployment()["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert cond["reason"] == "ReplicaSetUpdated"
    sim.run(1)
    cond = [c for c in sim.deployment()["status"]["conditions"] if c["type"] == "Progressing"][0]
    rs_name = sim.replica_sets()[0]["metadata"]["name"]
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "ProgressDeadlineExceeded", f'ReplicaSet "{rs_name}" has timed out progressing.')
    assert cond["lastTransitionTime"] == "2025-05-01T12:00:31Z"


def test_paused_deployment_scales_but_does_not_roll_out():
    sim = Sim(deployment(replicas=2))
    sim.run()
    sim.edit("web", lambda s: {**s, "paused": True})
    sim.set_image("nginx:1.26")
    sim.run(5)
    d = sim.deployment()
    cond = [c for c in d["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert (cond["status"], cond["reason"], cond["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    assert len(sim.replica_sets()) == 1
    sim.edit("web", lambda s: {**s, "replicas": 4})
    events = scaling_messages(sim.run(5))
    old = sim.replica_sets()[0]["metadata"]["name"]
    assert events == [f"Scaled up replica set {old} from 2 to 4"]
    assert sim.deployment()["status"].get("updatedReplicas") is None  # template changed: no RS is "new"
    sim.edit("web", lambda s: {**s, "paused": False})
    events = scaling_messages(sim.run(5))
    assert events[0] == f"Scaled up replica set {rs_name_for(sim, 'nginx:1.26')} from 0 to 1"
    assert events[-1] == f"Scaled down replica set {old} from 1 to 0"
    cond = [c for c in sim.deployment()["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert cond["reason"] == "NewReplicaSetAvailable"


def test_scaling_event_without_rollout():
    sim = Sim(deployment(replicas=2))
    sim.run()
    sim.edit("web", lambda s: {**s, "replicas": 5})
    events = sim.run(1)
    name = sim.replica_sets()[0]["metadata"]["name"]
    assert scaling_messages(events) == [f"Scaled up replica set {name} from 2 to 5"]
    assert sim.replica_sets()[0]["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "5"
    sim.edit("web", lambda s: {**s, "replicas": 1})
    assert scaling_messages(sim.run(1)) == [f"Scaled down replica set {name} from 5 to 1"]
    assert len(sim.pods()) == 1


def test_revision_history_limit_cleanup():
    sim = Sim(deployment(replicas=1, revisionHistoryLimit=2))
    sim.run()
    for i, image in enumerate(["v2", "v3", "v4", "v5"], start=1):
        sim.set_image(image)
        sim.run(10 * i)
    revisions = sorted(int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"])
                       for rs in sim.replica_sets())
    assert revisions == [3, 4, 5]   # the new RS + 2 old ones
    zero = Sim(deployment(replicas=1, revisionHistoryLimit=0))
    zero.run()
    zero.set_image("v2")
    zero.run(10)
    assert [rs["spec"]["template"]["spec"]["containers"][0]["image"] for rs in zero.replica_sets()] == ["v2"]


def test_hash_collision_bumps_collision_count():
    from kctl.controllers.deployment.hash import compute_hash
    d = deployment(replicas=1)
    h = compute_hash(d["spec"]["template"])
    squatter = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": f"web-{h}", "namespace": "default", "uid": "uid-squat", "labels": {"x": "y"}},
                "spec": {"replicas": 0, "selector": {"matchLabels": {"x": "y"}},
                         "template": {"metadata": {"labels": {"x": "y"}}, "spec": {"containers": []}}}}
    sim = Sim(d, squatter)
    sim.run()
    d = sim.deployment()
    assert d["status"]["collisionCount"] == 1
    ours = [rs for rs in sim.replica_sets() if rs["metadata"]["name"] != f"web-{h}"]
    assert [rs["metadata"]["name"] for rs in ours] == [f"web-{compute_hash(d['spec']['template'], 1)}"]
    assert d["status"]["availableReplicas"] == 1


def test_selecting_all_warns():
    d = deployment()
    d["spec"]["selector"] = {}
    from kctl.controllers.view import MemoryView
    actions = sync_deployment(MemoryView([d]), d, T0)
    assert [(a.event.type, a.event.reason, a.event.message) for a in actions if hasattr(a, "event")] == [
        ("Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")]
    assert actions[-1].obj["status"] == {"observedGeneration": 1}
