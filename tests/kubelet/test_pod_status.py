"""Kubelet pod status end to end through the controller: the kubectl STATUS column, the
status fields and the kubelet events for each case."""

from __future__ import annotations

from kctl.controllers.base import Emit, UpdateStatus
from kctl.kubelet import Kubelet
from tests.harness import apply, run_until_stable

from .helpers import T0, at, configmap, events_of, kubectl_status, node, pod, ready_column, secret, view


def get(v, name="web", ns="default"):
    return v.get("pods", ns, name)


def sync(v, now=T0):
    return apply(v, Kubelet().sync(v, now))


def test_running_pod_status_fields_and_events():
    v = view(node(), pod())
    events = run_until_stable(v, [Kubelet()], T0)
    p = get(v)
    st = p["status"]
    assert kubectl_status(p) == "Running"
    assert ready_column(p) == "1/1"
    assert st["phase"] == "Running"
    assert st["podIP"] == "10.244.1.2" and st["podIPs"] == [{"ip": "10.244.1.2"}]
    assert st["hostIP"] == "172.18.0.3" and st["hostIPs"] == [{"ip": "172.18.0.3"}]
    assert st["startTime"] == "2025-05-01T12:00:00Z"
    assert st["qosClass"] == "BestEffort"
    cs = st["containerStatuses"][0]
    assert cs["image"] == "docker.io/library/nginx:1.27"
    assert cs["imageID"].startswith("docker.io/library/nginx@sha256:") and len(cs["imageID"]) == 31 + 64
    assert cs["containerID"].startswith("containerd://") and len(cs["containerID"]) == 13 + 64
    assert cs["state"] == {"running": {"startedAt": "2025-05-01T12:00:00Z"}}
    assert (cs["ready"], cs["started"], cs["restartCount"], cs["lastState"]) == (True, True, 0, {})
    assert [(c["type"], c["status"]) for c in st["conditions"]] == [
        ("PodReadyToStartContainers", "True"), ("Initialized", "True"), ("Ready", "True"),
        ("ContainersReady", "True"), ("PodScheduled", "True")]
    assert events_of(events) == [
        ("Normal", "Pulled", 'Container image "nginx:1.27" already present on machine'),
        ("Normal", "Created", "Created container: app"),
        ("Normal", "Started", "Started container app"),
    ]
    assert all(e.component == "kubelet" and e.host == "node-1" for e in events)
    assert events[0].involved.field_path == "spec.containers{app}"


def test_second_sync_on_converged_cluster_is_a_no_op():
    v = view(node(), pod(), pod("job", annotations={"kctl.io/run-seconds": "0"}, restartPolicy="Never"),
             pod("broken", containers=[{"name": "app", "image": "nginx", "env": [
                 {"name": "X", "valueFrom": {"configMapKeyRef": {"name": "missing", "key": "k"}}}]}]))
    run_until_stable(v, [Kubelet()], T0)
    assert list(Kubelet().sync(v, T0)) == []
    assert list(Kubelet().sync(v, at(3600))) == []


def test_always_pull_policy_events():
    v = view(node(), pod(containers=[{"name": "app", "image": "nginx"}]))
    events = sync(v)
    pulled = events[1].message
    assert events_of(events)[0] == ("Normal", "Pulling", 'Pulling image "nginx"')
    assert pulled.startswith('Successfully pulled image "nginx" in ')
    assert " including waiting). Image size: " in pulled and pulled.endswith(" bytes.")
    assert get(v)["status"]["containerStatuses"][0]["image"] == "docker.io/library/nginx:latest"
    # Deterministic: the same image gives the same message.
    v2 = view(node(), pod("other", containers=[{"name": "c", "image": "nginx"}]))
    assert sync(v2)[1].message == pulled


def test_missing_configmap_volume_keeps_container_creating_then_recovers():
    p = pod(containers=[{"name": "app", "image": "nginx:1.27", "volumeMounts": [{"name": "cfg", "mountPath": "/c"}]}],
            volumes=[{"name": "cfg", "configMap": {"name": "settings"}}])
    v = view(node(), p)
    events = run_until_stable(v, [Kubelet()], T0)
    st = get(v)["status"]
    assert kubectl_status(get(v)) == "ContainerCreating"
    assert st["phase"] == "Pending" and "podIP" not in st
    assert st["conditions"][0]["type"] == "PodReadyToStartContainers" and st["conditions"][0]["status"] == "False"
    assert events_of(events) == [("Warning", "FailedMount",
                                  'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found')]
    assert list(Kubelet().sync(v, at(30))) == []
    v.put(configmap("settings", {"a": "1"}))
    events = run_until_stable(v, [Kubelet()], at(60))
    p = get(v)
    assert kubectl_status(p) == "Running"
    assert p["status"]["containerStatuses"][0]["state"] == {"running": {"startedAt": "2025-05-01T12:01:00Z"}}
    assert p["status"]["podIP"] == "10.244.1.2"
    assert [e.reason for e in events] == ["Pulled", "Created", "Started"]
    # Unchanged conditions keep their transition time, changed ones move.
    by_type = {c["type"]: c["lastTransitionTime"] for c in p["status"]["conditions"]}
    assert by_type["PodScheduled"] == "2025-05-01T12:00:00Z"
    assert by_type["Ready"] == "2025-05-01T12:01:00Z"


def test_missing_env_configmap_key_is_create_container_config_error_then_recovers():
    env = [{"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "mode"}}}]
    v = view(node(), configmap("app-config", {"other": "x"}),
             pod(containers=[{"name": "app", "image": "busybox:1.36", "env": env}]))
    events = run_until_stable(v, [Kubelet()], T0)
    p = get(v)
    assert kubectl_status(p) == "CreateContainerConfigError"
    assert p["status"]["phase"] == "Pending"
    assert p["status"]["podIP"] == "10.244.1.2"
    cs = p["status"]["containerStatuses"][0]
    assert cs["state"] == {"waiting": {"reason": "CreateContainerConfigError",
                                       "message": "couldn't find key mode in ConfigMap default/app-config"}}
    assert cs["image"] == "busybox:1.36" and cs["imageID"] == "" and "containerID" not in cs
    assert events_of(events) == [
        ("Normal", "Pulled", 'Container image "busybox:1.36" already present on machine'),
        ("Warning", "Failed", "Error: couldn't find key mode in ConfigMap default/app-config"),
    ]
    v.put(configmap("app-config", {"mode": "fast"}))
    events = run_until_stable(v, [Kubelet()], at(10))
    assert kubectl_status(get(v)) == "Running"
    assert get(v)["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] == "2025-05-01T12:00:10Z"
    assert [e.reason for e in events] == ["Pulled", "Created", "Started"]


def test_config_error_messages_for_each_reference_kind():
    from kctl.kubelet.config_refs import container_config_error

    cms = {"present": {"data": {"k": "v"}}}
    secrets = {"s": {"data": {"password": "cA=="}}}

    def err(container):
        return container_config_error(container, "ns1", lambda ns, n: cms.get(n), lambda ns, n: secrets.get(n))

    assert err({"envFrom": [{"configMapRef": {"name": "nope"}}]}) == 'configmap "nope" not found'
    assert err({"envFrom": [{"configMapRef": {"name": "nope", "optional": True}}]}) is None
    assert err({"envFrom": [{"secretRef": {"name": "gone"}}]}) == 'secret "gone" not found'
    assert err({"env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "user"}}}]}) == \
        "couldn't find key user in Secret ns1/s"
    assert err({"env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "x", "key": "k"}}}]}) == \
        'secret "x" not found'
    assert err({"env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "present", "key": "z",
                                                                        "optional": True}}}]}) is None
    # envFrom is processed before env.
    assert err({"env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "x", "key": "k"}}}],
                "envFrom": [{"configMapRef": {"name": "first"}}]}) == 'configmap "first" not found'


def test_volume_error_messages():
    from kctl.kubelet.config_refs import failed_mount_messages

    cms = {"cm": {"data": {"a": "1"}, "binaryData": {"b": "AA=="}}}
    p = pod(volumes=[
        {"name": "v1", "configMap": {"name": "cm", "items": [{"key": "b", "path": "b"}]}},
        {"name": "v2", "configMap": {"name": "cm", "items": [{"key": "zz", "path": "z"}]}},
        {"name": "v3", "secret": {"secretName": "tls"}},
        {"name": "v4", "secret": {"secretName": "tls", "optional": True}},
        {"name": "v5", "projected": {"sources": [{"configMap": {"name": "one"}}, {"secret": {"name": "two"}},
                                                 {"downwardAPI": {"items": []}}]}},
        {"name": "v6", "projected": {"sources": [{"configMap": {"name": "kube-root-ca.crt"}}]}},
        {"name": "v7", "emptyDir": {}},
    ])
    assert failed_mount_messages(p, lambda ns, n: cms.get(n), lambda ns, n: None) == [
        'MountVolume.SetUp failed for volume "v2" : configmap references non-existent config key: zz',
        'MountVolume.SetUp failed for volume "v3" : secret "tls" not found',
        'MountVolume.SetUp failed for volume "v5" : [configmap "one" not found, secret "two" not found]',
        'MountVolume.SetUp failed for volume "v6" : configmap "kube-root-ca.crt" not found',
    ]


def test_secret_volume_with_missing_item_key():
    v = view(node(), secret("creds", {"user": "dQ=="}),
             pod(volumes=[{"name": "creds", "secret": {"secretName": "creds", "items": [{"key": "pw", "path": "p"}]}}]))
    events = sync(v)
    assert kubectl_status(get(v)) == "ContainerCreating"
    assert events_of(events) == [("Warning", "FailedMount",
                                  'MountVolume.SetUp failed for volume "creds" : references non-existent secret key: pw')]


def test_job_pod_completes_immediately_by_default():
    v = view(node(), pod("job-x", restartPolicy="Never", containers=[{"name": "work", "image": "busybox:1.36"}]))
    run_until_stable(v, [Kubelet()], T0)
    p = get(v, "job-x")
    st = p["status"]
    assert kubectl_status(p) == "Completed"
    assert ready_column(p) == "0/1"
    assert st["phase"] == "Succeeded"
    term = st["containerStatuses"][0]["state"]["terminated"]
    assert (term["reason"], term["exitCode"]) == ("Completed", 0)
    assert term["startedAt"] == term["finishedAt"] == "2025-05-01T12:00:00Z"
    conds = {c["type"]: c for c in st["conditions"]}
    assert (conds["Ready"]["status"], conds["Ready"]["reason"]) == ("False", "PodCompleted")
    assert (conds["ContainersReady"]["status"], conds["ContainersReady"]["reason"]) == ("False", "PodCompleted")
    assert (conds["Initialized"]["status"], conds["Initialized"]["reason"]) == ("True", "PodCompleted")
    assert conds["PodReadyToStartContainers"]["status"] == "False"


def test_job_pod_runs_for_run_seconds():
    v = view(node(), pod("job-x", restartPolicy="OnFailure", annotations={"kctl.io/run-seconds": "30"}))
    run_until_stable(v, [Kubelet()], T0)
    assert kubectl_status(get(v, "job-x")) == "Running"
    run_until_stable(v, [Kubelet()], at(29))
    assert kubectl_status(get(v, "job-x")) == "Running"
    run_until_stable(v, [Kubelet()], at(45))
    p = get(v, "job-x")
    assert kubectl_status(p) == "Completed"
    assert p["status"]["containerStatuses"][0]["state"]["terminated"]["finishedAt"] == "2025-05-01T12:00:30Z"


def test_failing_job_pod_never_is_error_and_failed():
    v = view(node(), pod("job-x", restartPolicy="Never", annotations={"kctl.io/exit-code": "1"}))
    run_until_stable(v, [Kubelet()], T0)
    p = get(v, "job-x")
    assert kubectl_status(p) == "Error"
    assert p["status"]["phase"] == "Failed"
    term = p["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (term["reason"], term["exitCode"]) == ("Error", 1)
    ready = next(c for c in p["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "PodFailed")


def test_failing_on_failure_pod_crash_loops_with_back_off():
    v = view(node(), pod("job-x", restartPolicy="OnFailure", annotations={"kctl.io/exit-code": "1"}))
    events = run_until_stable(v, [Kubelet()], T0)
    p = get(v, "job-x")
    cs = p["status"]["containerStatuses"][0]
    # First failure restarts at once; the second waits 10 s.
    assert cs["restartCount"] == 1
    assert cs["state"] == {"waiting": {"reason": "CrashLoopBackOff",
                                       "message": "back-off 10s restarting failed container=app "
                                                  "pod=job-x_default(uid-job-x)"}}
    assert cs["lastState"]["terminated"]["reason"] == "Error"
    assert kubectl_status(p) == "CrashLoopBackOff"
    assert p["status"]["phase"] == "Running"
    assert events_of(events)[-1] == ("Warning", "BackOff",
                                     "Back-off restarting failed container app in pod job-x_default(uid-job-x)")
    assert list(Kubelet().sync(v, at(9))) == []
    run_until_stable(v, [Kubelet()], at(10))
    cs = get(v, "job-x")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 2
    assert "back-off 20s restarting" in cs["state"]["waiting"]["message"]
    # A long clock jump fast-forwards the loop up to the 5 minute cap.
    run_until_stable(v, [Kubelet()], at(3600))
    cs = get(v, "job-x")["status"]["containerStatuses"][0]
    assert "back-off 5m0s restarting" in cs["state"]["waiting"]["message"]


def test_image_pull_failure_then_back_off():
    v = view(node(), pod(annotations={"kctl.io/image-pull": "fail"}, containers=[{"name": "app", "image": "nginx:nope"}]))
    events = sync(v)
    p = get(v)
    assert kubectl_status(p) == "ErrImagePull"
    ref = "docker.io/library/nginx:nope"
    err = (f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": '
           f'failed to resolve reference "{ref}": {ref}: not found')
    assert p["status"]["containerStatuses"][0]["state"]["waiting"] == {"reason": "ErrImagePull", "message": err}
    assert events_of(events) == [
        ("Normal", "Pulling", 'Pulling image "nginx:nope"'),
        ("Warning", "Failed", f'Failed to pull image "nginx:nope": {err}'),
        ("Warning", "Failed", "Error: ErrImagePull"),
    ]
    events = sync(v, at(1))
    p = get(v)
    assert kubectl_status(p) == "ImagePullBackOff"
    assert p["status"]["containerStatuses"][0]["state"]["waiting"]["message"] == 'Back-off pulling image "nginx:nope"'
    assert events_of(events) == [("Normal", "BackOff", 'Back-off pulling image "nginx:nope"'),
                                 ("Warning", "Failed", "Error: ImagePullBackOff")]
    assert list(Kubelet().sync(v, at(2))) == []


def test_init_containers_in_order_and_init_status_column():
    p = pod(annotations={"kctl.io/init-run-seconds": "5"},
            initContainers=[{"name": "migrate", "image": "busybox:1.36"}, {"name": "seed", "image": "busybox:1.36"}])
    v = view(node(), p)
    run_until_stable(v, [Kubelet()], T0)
    p = get(v)
    assert kubectl_status(p) == "Init:0/2"
    init = p["status"]["initContainerStatuses"]
    assert "running" in init[0]["state"] and init[1]["state"] == {"waiting": {"reason": "PodInitializing"}}
    assert p["status"]["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    cond = next(c for c in p["status"]["conditions"] if c["type"] == "Initialized")
    assert cond["message"] == "containers with incomplete status: [migrate seed]"
    run_until_stable(v, [Kubelet()], at(7))
    assert kubectl_status(get(v)) == "Init:1/2"
    run_until_stable(v, [Kubelet()], at(10))
    p = get(v)
    assert kubectl_status(p) == "Running"
    init = p["status"]["initContainerStatuses"]
    assert [s["state"]["terminated"]["finishedAt"] for s in init] == ["2025-05-01T12:00:05Z", "2025-05-01T12:00:10Z"]
    assert all(s["ready"] for s in init)
    assert p["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] == "2025-05-01T12:00:10Z"


def test_init_container_config_error_shows_init_reason():
    p = pod(initContainers=[{"name": "init", "image": "busybox:1.36",
                             "envFrom": [{"secretRef": {"name": "db"}}]}])
    v = view(node(), p)
    run_until_stable(v, [Kubelet()], T0)
    assert kubectl_status(get(v)) == "Init:CreateContainerConfigError"


def test_sidecar_keeps_running_and_counts_in_ready_column():
    p = pod(initContainers=[{"name": "proxy", "image": "envoy:v1", "restartPolicy": "Always"},
                            {"name": "init", "image": "busybox:1.36"}])
    v = view(node(), p)
    run_until_stable(v, [Kubelet()], T0)
    p = get(v)
    assert kubectl_status(p) == "Running"
    assert ready_column(p) == "2/2"
    side, init = p["status"]["initContainerStatuses"]
    assert "running" in side["state"] and side["started"] is True and side["ready"] is True
    assert init["state"]["terminated"]["reason"] == "Completed"


def test_job_with_sidecar_completes_and_stops_sidecar():
    p = pod("job-x", restartPolicy="Never",
            initContainers=[{"name": "proxy", "image": "envoy:v1", "restartPolicy": "Always"}])
    v = view(node(), p)
    events = run_until_stable(v, [Kubelet()], T0)
    p = get(v, "job-x")
    assert p["status"]["phase"] == "Succeeded"
    assert p["status"]["initContainerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
    assert ("Normal", "Killing", "Stopping container proxy") in events_of(events)


def test_readiness_gate_keeps_ready_false_until_condition_true():
    p = pod(readinessGates=[{"conditionType": "example.com/lb"}])
    v = view(node(), p)
    run_until_stable(v, [Kubelet()], T0)
    ready = next(c for c in get(v)["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "ReadinessGatesNotReady")
    assert ready["message"] == 'corresponding condition of pod readiness gate "example.com/lb" does not exist.'
    p = get(v)
    p["status"]["conditions"].insert(0, {"type": "example.com/lb", "status": "True"})
    run_until_stable(v, [Kubelet()], at(1))
    conds = get(v)["status"]["conditions"]
    assert conds[0]["type"] == "example.com/lb"  # foreign conditions first, kept
    assert next(c for c in conds if c["type"] == "Ready")["status"] == "True"


def test_multi_container_unready_message_and_observed_generation():
    p = pod(containers=[{"name": "app", "image": "nginx:1.27"},
                        {"name": "side", "image": "busybox:1.36", "envFrom": [{"configMapRef": {"name": "x"}}]}])
    p["metadata"]["generation"] = 3
    v = view(node(), p)
    run_until_stable(v, [Kubelet()], T0)
    st = get(v)["status"]
    ready = next(c for c in st["conditions"] if c["type"] == "Ready")
    assert ready["message"] == "containers with unready status: [side]"
    assert ready["observedGeneration"] == 3 and st["observedGeneration"] == 3
    assert ready_column(get(v)) == "1/2"
    assert kubectl_status(get(v)) == "CreateContainerConfigError"


def test_host_network_pod_uses_node_ip():
    v = view(node(), pod(hostNetwork=True))
    run_until_stable(v, [Kubelet()], T0)
    assert get(v)["status"]["podIPs"] == [{"ip": "172.18.0.3"}]


def test_node_without_pod_cidr_reports_sandbox_failure():
    v = view(node(cidr=None), pod())
    events = run_until_stable(v, [Kubelet()], T0)
    assert kubectl_status(get(v)) == "ContainerCreating"
    assert [e.reason for e in events] == ["FailedCreatePodSandBox"]
    assert events[0].message.endswith('no podCIDR allocated to node "node-1"')


def test_pods_on_not_ready_or_missing_nodes_are_not_synced():
    v = view(node(ready="False"), pod(), pod("lost", node_name="gone"), pod("pending", node_name=None))
    assert list(Kubelet().sync(v, T0)) == []


def test_simulated_containers_stop_on_sigterm_then_the_pod_is_force_deleted():
    v = view(node(), pod())
    run_until_stable(v, [Kubelet()], T0)
    p = get(v)
    p["metadata"]["deletionTimestamp"] = "2025-05-01T12:00:40Z"  # deleted at 12:00:10, grace 30 s
    p["metadata"]["deletionGracePeriodSeconds"] = 30
    assert kubectl_status(p) == "Terminating"
    actions = list(Kubelet().sync(v, at(10)))
    assert [type(a).__name__ for a in actions] == ["Emit", "Delete"]


def test_slow_shutdown_annotation_keeps_the_pod_terminating_until_it_exits():
    v = view(node(), pod())
    run_until_stable(v, [Kubelet()], T0)
    p = get(v)
    p["metadata"]["deletionTimestamp"] = "2025-05-01T12:00:40Z"  # deleted at 12:00:10, grace 30 s
    p["metadata"]["deletionGracePeriodSeconds"] = 30
    p["metadata"].setdefault("annotations", {})["kctl.io/termination-seconds"] = "45"  # capped at the grace
    assert list(Kubelet().sync(v, at(39))) == []
    actions = list(Kubelet().sync(v, at(40)))
    assert [type(a).__name__ for a in actions] == ["Emit", "Delete"]
    assert actions[0].event.reason == "Killing" and actions[0].event.message == "Stopping container app"
    assert actions[0].event.involved.field_path == "spec.containers{app}"
    assert actions[1].grace_period_seconds == 0 and actions[1].ref.name == "web"
    apply(v, actions)
    assert get(v) is None


def test_deleting_a_pod_with_nothing_running_is_immediate():
    v = view(node(), pod("job-x", restartPolicy="Never"))
    run_until_stable(v, [Kubelet()], T0)
    get(v, "job-x")["metadata"]["deletionTimestamp"] = "2025-05-01T12:00:30Z"
    actions = list(Kubelet().sync(v, at(1)))
    assert [type(a).__name__ for a in actions] == ["Delete"]


def test_update_status_carries_only_changed_pods():
    v = view(node(), pod("a"), pod("b"))
    run_until_stable(v, [Kubelet()], T0)
    v.put(pod("c"))
    actions = [a for a in Kubelet().sync(v, at(5)) if not isinstance(a, Emit)]
    assert [a.obj["metadata"]["name"] for a in actions if isinstance(a, UpdateStatus)] == ["c"]


def test_restart_blocked_by_config_error_keeps_restart_count_and_last_state():
    env = [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "a"}}}]
    v = view(node(), configmap("cfg", {"a": "1"}),
             pod(annotations={"kctl.io/exit-code": "2"}, containers=[{"name": "app", "image": "nginx:1.27", "env": env}]))
    run_until_stable(v, [Kubelet()], T0)
    cs = get(v)["status"]["containerStatuses"][0]
    assert (cs["restartCount"], cs["state"]["waiting"]["reason"]) == (1, "CrashLoopBackOff")
    assert cs["lastState"]["terminated"]["exitCode"] == 2
    v.remove(v.get("configmaps", "default", "cfg"))
    events = run_until_stable(v, [Kubelet()], at(15))
    p = get(v)
    cs = p["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 1
    assert cs["state"] == {"waiting": {"reason": "CreateContainerConfigError", "message": 'configmap "cfg" not found'}}
    assert cs["lastState"]["terminated"]["exitCode"] == 2
    assert kubectl_status(p) == "CreateContainerConfigError"
    assert [e.reason for e in events] == ["Pulled", "Failed"]
