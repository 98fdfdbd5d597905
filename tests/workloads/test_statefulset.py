from __future__ import annotations

from kctl.controllers.base import Create, Delete, Emit
from kctl.controllers.statefulset import StatefulSetController
from kctl.controllers.view import MemoryView
from tests.harness import apply, run_until_stable
from tests.workloads.fakes import NOW, FakeKubelet, FakeScheduler, events_text, template


def sts(replicas=3, policy="OrderedReady", **spec):
    return {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default", "uid": "uid-web", "generation": 1},
        "spec": {"replicas": replicas, "serviceName": "nginx", "podManagementPolicy": policy,
                 "selector": {"matchLabels": {"app": "nginx"}},
                 "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                 "revisionHistoryLimit": 10,
                 "template": template({"app": "nginx"}), **spec},
    }


def pods(view):
    return {p["metadata"]["name"]: p for p in view.list("pods")}


def test_ordered_ready_creates_one_at_a_time():
    view = MemoryView([sts()])
    ctl = StatefulSetController()
    actions = list(ctl.sync(view, NOW))
    creates = [a.obj for a in actions if isinstance(a, Create)]
    assert [o["kind"] for o in creates] == ["ControllerRevision", "Pod"]
    rev, pod = creates
    assert rev["metadata"]["name"].startswith("web-")
    assert rev["metadata"]["labels"]["controller.kubernetes.io/hash"] == rev["metadata"]["name"][4:]
    assert rev["revision"] == 1
    assert pod["metadata"]["name"] == "web-0"
    assert pod["metadata"]["labels"] == {
        "app": "nginx", "statefulset.kubernetes.io/pod-name": "web-0", "apps.kubernetes.io/pod-index": "0",
        "controller-revision-hash": rev["metadata"]["name"]}
    assert pod["spec"]["hostname"] == "web-0" and pod["spec"]["subdomain"] == "nginx"
    apply(view, actions)
    # web-0 not yet Running and Ready: nothing more is created.
    again = list(ctl.sync(view, NOW))
    assert not [a for a in again if isinstance(a, Create)]


def test_scale_up_status_and_events():
    view = MemoryView([sts()])
    events = run_until_stable(view, [StatefulSetController(), FakeScheduler(), FakeKubelet()], NOW)
    assert sorted(pods(view)) == ["web-0", "web-1", "web-2"]
    assert [t for t in events_text(events) if "SuccessfulCreate" in t] == [
        "Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful",
        "Normal SuccessfulCreate create Pod web-1 in StatefulSet web successful",
        "Normal SuccessfulCreate create Pod web-2 in StatefulSet web successful",
    ]
    status = view.get("statefulsets.apps", "default", "web")["status"]
    rev = status["updateRevision"]
    assert status == {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "currentReplicas": 3,
                      "updatedReplicas": 3, "currentRevision": rev, "updateRevision": rev,
                      "collisionCount": 0, "availableReplicas": 3}
    assert [e.component for e in events] == ["statefulset-controller"] * 3
    # Idempotence: a converged set plans nothing.
    assert list(StatefulSetController().sync(view, NOW)) == []


def test_scale_down_from_highest_ordinal():
    view = MemoryView([sts()])
    ctls = [StatefulSetController(), FakeScheduler(), FakeKubelet()]
    run_until_stable(view, ctls, NOW)
    s = dict(view.get("statefulsets.apps", "default", "web"))
    s["spec"] = {**s["spec"], "replicas": 1}
    view.put(s)
    first = list(StatefulSetController().sync(view, NOW))
    deletes = [a.ref.name for a in first if isinstance(a, Delete)]
    assert deletes == ["web-2"]
    assert "Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful" in events_text(
        [a.event for a in first if isinstance(a, Emit)])
    apply(view, first)
    run_until_stable(view, ctls, NOW)
    assert sorted(pods(view)) == ["web-0"]


def test_parallel_creates_all_at_once():
    view = MemoryView([sts(policy="Parallel")])
    actions = list(StatefulSetController().sync(view, NOW))
    assert [a.obj["metadata"]["name"] for a in actions if isinstance(a, Create) and a.obj["kind"] == "Pod"] == [
        "web-0", "web-1", "web-2"]


def test_volume_claim_templates_create_pvcs():
    claim = {"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                                   "resources": {"requests": {"storage": "1Gi"}}}}
    view = MemoryView([sts(replicas=1, volumeClaimTemplates=[claim])])
    actions = list(StatefulSetController().sync(view, NOW))
    created = [a.obj for a in actions if isinstance(a, Create)]
    pvc = next(o for o in created if o["kind"] == "PersistentVolumeClaim")
    pod = next(o for o in created if o["kind"] == "Pod")
    assert pvc["metadata"] == {"name": "www-web-0", "namespace": "default", "labels": {"app": "nginx"}}
    assert pod["spec"]["volumes"] == [{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}}]
    assert events_text([a.event for a in actions if isinstance(a, Emit)]) == [
        "Normal SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success",
        "Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful",
    ]


def _roll(view, ctls, image, partition=0):
    s = dict(view.get("statefulsets.apps", "default", "web"))
    spec = dict(s["spec"])
    spec["template"] = template({"app": "nginx"}, image=image)
    spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": partition}}
    s["spec"] = spec
    s["metadata"] = {**s["metadata"], "generation": 2}
    view.put(s)
    return run_until_stable(view, ctls, NOW)


def test_rolling_update_from_highest_ordinal_with_partition():
    view = MemoryView([sts()])
    ctls = [StatefulSetController(), FakeScheduler(), FakeKubelet()]
    run_until_stable(view, ctls, NOW)
    old_rev = view.get("statefulsets.apps", "default", "web")["status"]["currentRevision"]
    events = _roll(view, ctls, "nginx:1.28", partition=1)
    deleted = [t for t in events_text(events) if "SuccessfulDelete" in t]
    assert deleted == ["Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful",
                       "Normal SuccessfulDelete delete Pod web-1 in StatefulSet web successful"]
    images = {n: p["spec"]["containers"][0]["image"] for n, p in pods(view).items()}
    assert images == {"web-0": "nginx:1.27", "web-1": "nginx:1.28", "web-2": "nginx:1.28"}
    status = view.get("statefulsets.apps", "default", "web")["status"]
    assert status["currentRevision"] == old_rev != status["updateRevision"]
    assert (status["currentReplicas"], status["updatedReplicas"], status["observedGeneration"]) == (1, 2, 2)
    assert len(view.list("controllerrevisions.apps")) == 2
    # Partition 0 finishes the rollout and the update revision becomes current.
    _roll(view, ctls, "nginx:1.28", partition=0)
    status = view.get("statefulsets.apps", "default", "web")["status"]
    assert status["currentRevision"] == status["updateRevision"]
    assert status["currentReplicas"] == status["updatedReplicas"] == 3
    assert list(StatefulSetController().sync(view, NOW)) == []


def test_on_delete_does_not_replace_pods():
    view = MemoryView([sts(updateStrategy={"type": "OnDelete"})])
    ctls = [StatefulSetController(), FakeScheduler(), FakeKubelet()]
    run_until_stable(view, ctls, NOW)
    s = dict(view.get("statefulsets.apps", "default", "web"))
    s["spec"] = {**s["spec"], "template": template({"app": "nginx"}, image="nginx:1.28")}
    view.put(s)
    events = run_until_stable(view, ctls, NOW)
    assert not [e for e in events if e.reason == "SuccessfulDelete"]
    status = view.get("statefulsets.apps", "default", "web")["status"]
    assert "updatedReplicas" not in status and status["currentReplicas"] == 3  # omitempty


def test_rollback_reuses_the_old_revision():
    view = MemoryView([sts(replicas=1)])
    ctls = [StatefulSetController(), FakeScheduler(), FakeKubelet()]
    run_until_stable(view, ctls, NOW)
    first = view.get("statefulsets.apps", "default", "web")["status"]["updateRevision"]
    _roll(view, ctls, "nginx:1.28")
    _roll(view, ctls, "nginx:1.27")
    revs = {r["metadata"]["name"]: r["revision"] for r in view.list("controllerrevisions.apps")}
    assert len(revs) == 2 and revs[first] == 3
    assert view.get("statefulsets.apps", "default", "web")["status"]["updateRevision"] == first


def test_failed_pod_is_recreated():
    view = MemoryView([sts(replicas=1)])
    ctls = [StatefulSetController(), FakeScheduler(), FakeKubelet()]
    run_until_stable(view, ctls, NOW)
    pod = dict(view.get("pods", "default", "web-0"))
    pod["status"] = {"phase": "Failed"}
    view.put(pod)
    events = run_until_stable(view, ctls, NOW)
    assert events_text(events)[:3] == [
        "Warning RecreatingFailedPod StatefulSet default/web is recreating failed Pod web-0",
        "Normal SuccessfulDelete delete Pod web-0 in StatefulSet web successful",
        "Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful",
    ]
    assert view.get("pods", "default", "web-0")["status"]["phase"] == "Running"
