"""The scheduler's FailedScheduling messages and PodScheduled condition, pods staying
Pending until a fitting node appears; the kubelet's missing ConfigMap/Secret handling."""

from __future__ import annotations

PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: picky}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: "8"}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: "8"}}}]
"""

SSD_NODE = """\
apiVersion: v1
kind: Node
metadata:
  name: node-4
  labels: {kubernetes.io/hostname: node-4, disk: ssd}
spec: {podCIDR: 10.244.4.0/24, podCIDRs: [10.244.4.0/24]}
status:
  capacity: {cpu: "16", memory: 64Gi, pods: "110"}
  allocatable: {cpu: "16", memory: 64Gi, pods: "110"}
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status}
  addresses: [{type: InternalIP, address: 10.0.0.4}, {type: Hostname, address: node-4}]
"""


def _scheduled(pod: dict) -> dict:
    return next(c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled")


def test_failed_scheduling_messages_then_a_fitting_node(k):
    r = k("taint", "nodes", "node-1", "dedicated=db:NoSchedule")
    assert (r.code, r.out) == (0, "node/node-1 tainted\n")
    k.apply(PODS)
    picky, huge = k.obj("pod", "picky"), k.obj("pod", "huge")
    # kctl prints the taint as servers before the v1.35 wording ("had untolerated taint(s)") did
    picky_msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 node(s) didn't match "
                 "Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
                 "for scheduling.")
    huge_msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 Insufficient cpu. "
                "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption "
                "victims found for incoming pod.")
    for pod, msg in ((picky, picky_msg), (huge, huge_msg)):
        assert pod["status"]["phase"] == "Pending" and "nodeName" not in pod["spec"]
        cond = _scheduled(pod)
        assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable", msg)
    assert k.events("pod/huge") == [("Warning", "FailedScheduling", huge_msg)]
    k.apply(SSD_NODE)
    for name in ("picky", "huge"):
        pod = k.obj("pod", name)
        assert (pod["spec"]["nodeName"], pod["status"]["phase"]) == ("node-4", "Running")
        assert pod["status"]["podIP"].startswith("10.244.4.")
        assert _scheduled(pod)["status"] == "True"
        assert ("Normal", "Scheduled", f"Successfully assigned default/{name} to node-4") in k.events(f"pod/{name}")


def test_cordoned_nodes_are_unschedulable(k):
    for node in ("node-1", "node-2", "node-3"):
        assert k.ok("cordon", node, "-q") == f"node/{node} cordoned\n"
    k.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n")
    cond = _scheduled(k.obj("pod", "p"))
    assert cond["message"] == ("0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are "
                               "available: 3 Preemption is not helpful for scheduling.")
    k.ok("uncordon", "node-2", "-q")
    assert k.obj("pod", "p")["spec"]["nodeName"] == "node-2"


CONSUMERS = """\
apiVersion: v1
kind: Pod
metadata: {name: cm}
spec:
  containers:
  - name: c
    image: "nginx:1.27"
    env: [{name: A, valueFrom: {configMapKeyRef: {name: cfg, key: a}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: sec}
spec:
  containers:
  - name: c
    image: "nginx:1.27"
    envFrom: [{secretRef: {name: creds}}]
---
apiVersion: v1
kind: Pod
metadata: {name: opt}
spec:
  containers:
  - name: c
    image: "nginx:1.27"
    env: [{name: A, valueFrom: {configMapKeyRef: {name: cfg, key: a, optional: true}}}]
"""


def _waiting(pod: dict) -> dict | None:
    return (pod["status"].get("containerStatuses") or [{}])[0].get("state", {}).get("waiting")


def test_missing_configmap_and_secret_then_recovery(k):
    k.apply(CONSUMERS)
    cm, sec, opt = (k.obj("pod", n) for n in ("cm", "sec", "opt"))
    assert (cm["status"]["phase"], _waiting(cm)) == (
        "Pending", {"reason": "CreateContainerConfigError", "message": 'configmap "cfg" not found'})
    assert (sec["status"]["phase"], _waiting(sec)) == (
        "Pending", {"reason": "CreateContainerConfigError", "message": 'secret "creds" not found'})
    assert opt["status"]["phase"] == "Running"  # optional: true
    assert ("Warning", "Failed", 'Error: configmap "cfg" not found') in k.events("pod/cm")
    k.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {b: '1'}\n")
    assert _waiting(k.obj("pod", "cm")) == {"reason": "CreateContainerConfigError",
                                            "message": "couldn't find key a in ConfigMap default/cfg"}
    k.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n")
    k.apply("apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {user: me}\n")
    for name in ("cm", "sec"):
        pod = k.obj("pod", name)
        assert pod["status"]["phase"] == "Running" and _waiting(pod) is None
        assert pod["status"]["containerStatuses"][0]["restartCount"] == 0
