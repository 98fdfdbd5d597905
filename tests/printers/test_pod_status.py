"""The Pod READY / STATUS / RESTARTS algorithm (kubectl-behavior.md 1.4, upstream printPod)."""

from __future__ import annotations

import pytest

from kctl.printers.columns.pods import pod_row, pod_status_cells

from .golden import NOW


def pod(containers=1, *, phase="Running", statuses=(), init=(), init_statuses=(), conditions=(), **extra):
    spec = {"containers": [{"name": f"c{i}"} for i in range(containers)]}
    if init:
        spec["initContainers"] = list(init)
    status = {"phase": phase, "conditions": list(conditions)}
    if statuses:
        status["containerStatuses"] = list(statuses)
    if init_statuses:
        status["initContainerStatuses"] = list(init_statuses)
    status.update(extra.pop("status", {}))
    meta = {"name": "p", "creationTimestamp": "2024-05-01T11:00:00Z", **extra.pop("metadata", {})}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def running(name="c0", ready=True, restarts=0, **kw):
    return {"name": name, "ready": ready, "restartCount": restarts, "state": {"running": {}}, **kw}


def waiting(reason, name="c0", restarts=0, **kw):
    return {"name": name, "ready": False, "restartCount": restarts, "state": {"waiting": {"reason": reason}}, **kw}


def terminated(name="c0", exit_code=0, reason=None, signal=None, restarts=0):
    t = {"exitCode": exit_code}
    if reason:
        t["reason"] = reason
    if signal:
        t["signal"] = signal
    return {"name": name, "ready": False, "restartCount": restarts, "state": {"terminated": t}}


INIT2 = [{"name": "i0"}, {"name": "i1"}]
READY = [{"type": "Ready", "status": "True"}]


@pytest.mark.parametrize(
    ("obj", "ready", "status"),
    [
        # step 1: phase, or status.reason instead
        (pod(phase="Pending"), "0/1", "Pending"),
        (pod(phase="Failed", status={"reason": "Evicted"}), "0/1", "Evicted"),
        # step 2: scheduling gates
        (pod(phase="Pending", conditions=[{"type": "PodScheduled", "status": "False",
                                           "reason": "SchedulingGated"}]), "0/1", "SchedulingGated"),
        # step 3: init containers
        (pod(phase="Pending", init=INIT2, init_statuses=[running("i0", ready=False), waiting("PodInitializing", "i1")],
             statuses=[waiting("PodInitializing")]), "0/1", "Init:0/2"),
        (pod(phase="Pending", init=INIT2, init_statuses=[terminated("i0", 0, "Completed"), running("i1", False)]),
         "0/1", "Init:1/2"),
        (pod(phase="Pending", init=INIT2, init_statuses=[waiting("CrashLoopBackOff", "i0")]),
         "0/1", "Init:CrashLoopBackOff"),
        (pod(phase="Pending", init=INIT2, init_statuses=[terminated("i0", 1, "Error")]), "0/1", "Init:Error"),
        (pod(phase="Pending", init=INIT2, init_statuses=[terminated("i0", 3)]), "0/1", "Init:ExitCode:3"),
        (pod(phase="Pending", init=INIT2, init_statuses=[terminated("i0", 137, signal=9)]), "0/1", "Init:Signal:9"),
        # step 4: containers; the first waiting/terminated one (in list order) decides
        (pod(phase="Pending", statuses=[waiting("ContainerCreating")]), "0/1", "ContainerCreating"),
        (pod(phase="Pending", init=INIT2,
             init_statuses=[terminated("i0", 0, "Completed"), terminated("i1", 0, "Completed")],
             statuses=[waiting("PodInitializing")]), "0/1", "PodInitializing"),
        (pod(2, statuses=[waiting("ErrImagePull", "c0"), waiting("ImagePullBackOff", "c1")]), "0/2", "ErrImagePull"),
        (pod(2, statuses=[running("c0"), waiting("ImagePullBackOff", "c1")]), "1/2", "ImagePullBackOff"),
        (pod(phase="Pending", statuses=[waiting("CreateContainerConfigError")]), "0/1",
         "CreateContainerConfigError"),
        (pod(statuses=[terminated(exit_code=137, reason="OOMKilled")]), "0/1", "OOMKilled"),
        (pod(statuses=[terminated(exit_code=1)]), "0/1", "ExitCode:1"),
        (pod(statuses=[terminated(exit_code=0, signal=15)]), "0/1", "Signal:15"),
        (pod(phase="Succeeded", statuses=[terminated(exit_code=0, reason="Completed")]), "0/1", "Completed"),
        (pod(statuses=[running()], conditions=READY), "1/1", "Running"),
        # step 5: Completed with a container still running+ready
        (pod(2, statuses=[terminated("c0", 0, "Completed"), running("c1")], conditions=READY), "1/2", "Running"),
        (pod(2, statuses=[terminated("c0", 0, "Completed"), running("c1")]), "1/2", "NotReady"),
        # step 6: deletion
        (pod(statuses=[running()], metadata={"deletionTimestamp": "2024-05-01T11:59:00Z"}), "1/1", "Terminating"),
        (pod(statuses=[running()], status={"reason": "NodeLost"},
             metadata={"deletionTimestamp": "2024-05-01T11:59:00Z"}), "1/1", "Unknown"),
        (pod(phase="Succeeded", statuses=[terminated(exit_code=0, reason="Completed")],
             metadata={"deletionTimestamp": "2024-05-01T11:59:00Z"}), "0/1", "Completed"),
        (pod(phase="Failed", statuses=[terminated(exit_code=2, reason="Error")],
             metadata={"deletionTimestamp": "2024-05-01T11:59:00Z"}), "0/1", "Error"),
    ],
)
def test_ready_and_status(obj: dict, ready: str, status: str) -> None:
    row = pod_row(obj, NOW)
    assert (row[1], row[2]) == (ready, status)


def test_never_scheduled_pod_stays_pending() -> None:
    assert pod_status_cells(pod(phase="Pending"))[2] == "Pending"


def test_sidecars_count_in_ready_and_restarts() -> None:
    sidecar = {"name": "proxy", "restartPolicy": "Always"}
    obj = pod(
        init=[{"name": "setup"}, sidecar],
        init_statuses=[
            terminated("setup", 0, "Completed"),
            {**running("proxy", restarts=2), "started": True,
             "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2024-05-01T11:50:00Z"}}},
        ],
        statuses=[running(restarts=1, lastState={"terminated": {"exitCode": 1,
                                                                 "finishedAt": "2024-05-01T11:40:00Z"}})],
        conditions=READY,
    )
    row = pod_row(obj, NOW)
    assert row[1:4] == ["2/2", "Running", "3 (10m ago)"]


def test_restarts_while_initializing_count_init_containers() -> None:
    obj = pod(phase="Pending", init=INIT2,
              init_statuses=[waiting("CrashLoopBackOff", "i0", restarts=5)],
              statuses=[waiting("PodInitializing", restarts=0)])
    row = pod_row(obj, NOW)
    assert row[2:4] == ["Init:CrashLoopBackOff", "5"]  # no finishedAt -> no "(... ago)"


def test_restarts_use_newest_finished_at() -> None:
    obj = pod(2, statuses=[
        running("c0", restarts=1, lastState={"terminated": {"finishedAt": "2024-05-01T09:00:00Z"}}),
        running("c1", restarts=2, lastState={"terminated": {"finishedAt": "2024-05-01T11:57:50Z"}}),
    ])
    assert pod_row(obj, NOW)[3] == "3 (2m10s ago)"


def test_wide_cells() -> None:
    obj = pod(statuses=[running()], status={"podIPs": [{"ip": "10.1.2.3"}, {"ip": "fd00::3"}],
                                            "nominatedNodeName": "n2"})
    obj["spec"]["nodeName"] = "n1"
    obj["spec"]["readinessGates"] = [{"conditionType": "a"}, {"conditionType": "b"}]
    obj["status"]["conditions"] = [{"type": "a", "status": "True"}, {"type": "b", "status": "False"}]
    assert pod_row(obj, NOW)[5:] == ["10.1.2.3", "n1", "n2", "1/2"]
    bare = pod()
    assert pod_row(bare, NOW)[5:] == ["<none>", "<none>", "<none>", "<none>"]
