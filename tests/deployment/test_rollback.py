"""kubectl rollout undo / history / status helpers, and the controller's renumbering on undo."""

from __future__ import annotations

import pytest

from kctl.controllers.deployment import rollback as rb
from tests.deployment.sim import Sim, deployment


def three_revisions(**spec):
    sim = Sim(deployment(replicas=2, **spec))
    sim.run()
    for i, image in enumerate(["nginx:1.26", "nginx:1.27"], start=1):
        sim.edit("web", lambda s: s, bump_generation=False)
        d = sim.deployment()
        d["metadata"]["annotations"] = {**d["metadata"].get("annotations", {}),
                                        "kubernetes.io/change-cause": f"kubectl set image deployment/web app={image}"}
        sim.set_image(image)
        sim.run(10 * i)
    return sim


def apply_undo(sim, result):
    def fn(spec):
        return {**spec, "template": result.template}
    sim.edit("web", fn)
    d = sim.deployment()
    d["metadata"]["annotations"] = result.annotations


def test_undo_targets_previous_revision_and_controller_renumbers():
    sim = three_revisions()
    d = sim.deployment()
    result = rb.rollback(d, sim.replica_sets())
    assert result.message == "rolled back"
    assert result.template["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert "pod-template-hash" not in result.template["metadata"]["labels"]
    assert result.annotations == {"deployment.kubernetes.io/revision": "3",
                                  "kubernetes.io/change-cause": "kubectl set image deployment/web app=nginx:1.26"}
    apply_undo(sim, result)
    sim.run(100)
    revs = {rs["spec"]["template"]["spec"]["containers"][0]["image"]:
            rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for rs in sim.replica_sets()}
    assert revs == {"nginx:1.25": "1", "nginx:1.26": "4", "nginx:1.27": "3"}
    reused = [rs for rs in sim.replica_sets() if rs["spec"]["template"]["spec"]["containers"][0]["image"]
              == "nginx:1.26"][0]
    assert reused["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2"
    assert sim.deployment()["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "4"
    assert [r.revision for r in rb.history(sim.deployment(), sim.replica_sets())] == [1, 3, 4]
    assert rb.format_history(rb.history(sim.deployment(), sim.replica_sets())) == (
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "3         kubectl set image deployment/web app=nginx:1.27\n"
        "4         kubectl set image deployment/web app=nginx:1.26\n")


def test_undo_to_revision_and_errors():
    sim = three_revisions()
    d = sim.deployment()
    result = rb.rollback(d, sim.replica_sets(), to_revision=1)
    assert result.template["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert rb.rollback(d, sim.replica_sets(), to_revision=3).message == \
        "skipped rollback (current template already matches revision 3)"
    assert not rb.rollback(d, sim.replica_sets(), to_revision=3).changed
    with pytest.raises(rb.RollbackError, match=r"^unable to find specified revision 5 in history$"):
        rb.rollback(d, sim.replica_sets(), to_revision=5)
    paused = {**d, "spec": {**d["spec"], "paused": True}}
    with pytest.raises(rb.RollbackError) as e:
        rb.rollback(paused, sim.replica_sets())
    assert str(e.value) == ("you cannot rollback a paused deployment; resume it first with "
                            "'kubectl rollout resume' and try again")


def test_no_history():
    sim = Sim(deployment(replicas=1))
    sim.run()
    with pytest.raises(rb.RollbackError) as e:
        rb.rollback(sim.deployment(), sim.replica_sets())
    assert str(e.value) == 'no rollout history found for deployment "web"'
    assert rb.format_history([]) == "No rollout history found."
    assert rb.history(deployment(), []) == []


def test_rollout_status_messages():
    d = deployment(replicas=3)
    d["metadata"]["generation"] = 2
    d["status"] = {"observedGeneration": 1}
    assert rb.rollout_status(d) == ("Waiting for deployment spec update to be observed...\n", False)
    d["status"] = {"observedGeneration": 2, "replicas": 4, "updatedReplicas": 1}
    assert rb.rollout_status(d)[0] == \
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'
    d["status"] = {"observedGeneration": 2, "replicas": 4, "updatedReplicas": 3}
    assert rb.rollout_status(d)[0] == \
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n'
    d["status"] = {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 2}
    assert rb.rollout_status(d)[0] == \
        'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n'
    d["status"] = {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3}
    assert rb.rollout_status(d) == ('deployment "web" successfully rolled out\n', True)
    d["status"]["conditions"] = [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]
    with pytest.raises(rb.RolloutStatusError, match='^deployment "web" exceeded its progress deadline$'):
        rb.rollout_status(d)


def test_rollout_status_revision_mismatch():
    d = deployment()
    d["metadata"]["annotations"] = {"deployment.kubernetes.io/revision": "2"}
    with pytest.raises(rb.RolloutStatusError, match=r"^desired revision \(3\) is different from the running "
                                                     r"revision \(2\)$"):
        rb.rollout_status(d, revision=3)


def test_legacy_rollback_annotation():
    sim = three_revisions()
    d = sim.deployment()
    d["metadata"]["annotations"]["deprecated.deployment.rollback.to"] = "1"
    events = sim.run(100)
    assert [(e.reason, e.message) for e in events if e.reason == "DeploymentRollback"] == [
        ("DeploymentRollback", 'Rolled back deployment "web" to revision 1')]
    d = sim.deployment()
    assert "deprecated.deployment.rollback.to" not in d["metadata"]["annotations"]
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "4"
