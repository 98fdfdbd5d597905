"""Client-side apply scenarios (fact sheet section 9), through ``client_side_apply``."""

from __future__ import annotations

import copy

import pytest

from kctl.api.merge import (
    LAST_APPLIED_CONFIG_ANNOTATION,
    PreconditionFailed,
    client_side_apply,
    patch_meta_for,
    three_way_merge,
)
from kctl.api.merge.gojson import marshal


def deployment(**spec_overrides):
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "nginx:1.27",
                            "args": ["--a", "--b"],
                            "ports": [{"containerPort": 80}, {"containerPort": 443}],
                            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                        }
                    ],
                },
            },
        },
    }
    obj["spec"].update(spec_overrides)
    return obj


def containers(obj):
    return obj["spec"]["template"]["spec"]["containers"]


def server_defaults(obj):
    """What the API server and controllers add after a write (a small part of it)."""
    obj = copy.deepcopy(obj)
    strategy = obj["spec"].setdefault("strategy", {"type": "RollingUpdate"})
    if strategy.get("type") == "RollingUpdate":
        strategy.setdefault("rollingUpdate", {"maxSurge": "25%", "maxUnavailable": "25%"})
    obj["spec"].setdefault("replicas", 1)
    for c in containers(obj):
        c.setdefault("imagePullPolicy", "IfNotPresent")
        c.setdefault("terminationMessagePath", "/dev/termination-log")
        for p in c.get("ports", []):
            p.setdefault("protocol", "TCP")
    obj["metadata"].update(uid="u-1", resourceVersion="7", generation=1)
    obj["status"] = {"replicas": obj["spec"]["replicas"]}
    return obj


def applied(manifest, live=None):
    outcome = client_side_apply(manifest, live, namespace="default")
    return outcome, server_defaults(outcome.result)


def test_create_then_reapply_is_unchanged():
    first, live = applied(deployment())
    assert first.operation == "created" and first.patch is None
    assert LAST_APPLIED_CONFIG_ANNOTATION in live["metadata"]["annotations"]
    again, _ = applied(deployment(), live)
    assert again.operation == "unchanged"
    assert again.patch == {}


def test_hpa_replicas_survive_reapply_without_replicas():
    manifest = deployment()
    del manifest["spec"]["replicas"]
    _, live = applied(manifest)
    assert live["spec"]["replicas"] == 1  # defaulted by the server
    live["spec"]["replicas"] = 7  # the HPA scales
    outcome, live = applied(manifest, live)
    assert outcome.operation == "unchanged"
    assert live["spec"]["replicas"] == 7


def test_replicas_in_the_file_fight_the_hpa():
    _, live = applied(deployment())
    live["spec"]["replicas"] = 7
    outcome, live = applied(deployment(), live)
    assert outcome.operation == "configured"
    assert outcome.patch == {"spec": {"replicas": 3}}
    assert live["spec"]["replicas"] == 3


def test_replicas_trap_deleting_the_line_removes_the_field():
    _, live = applied(deployment())  # last-applied includes replicas: 3
    live["spec"]["replicas"] = 7  # HPA
    manifest = deployment()
    del manifest["spec"]["replicas"]
    outcome = client_side_apply(manifest, live, namespace="default")
    assert outcome.patch["spec"]["replicas"] is None
    assert "replicas" not in outcome.result["spec"]  # the server then defaults it to 1
    assert server_defaults(outcome.result)["spec"]["replicas"] == 1


def test_removing_a_field_removes_it_and_defaults_survive():
    _, live = applied(deployment())
    manifest = deployment()
    del containers(manifest)[0]["args"]
    del manifest["metadata"]["labels"]["tier"]
    outcome, live = applied(manifest, live)
    c = containers(live)[0]
    assert "args" not in c
    assert c["imagePullPolicy"] == "IfNotPresent"  # only in live: left alone
    assert live["metadata"]["labels"] == {"app": "web"}


def test_maps_merge_key_by_key():
    _, live = applied(deployment())
    live["metadata"]["labels"]["owner"] = "ops"  # someone else's label
    manifest = deployment()
    manifest["metadata"]["labels"] = {"app": "web", "tier": "back", "new": "yes"}
    outcome, live = applied(manifest, live)
    assert live["metadata"]["labels"] == {"app": "web", "tier": "back", "new": "yes", "owner": "ops"}
    assert outcome.patch["metadata"]["labels"] == {"tier": "back", "new": "yes"}


def test_remove_env_var_by_name_exact_patch():
    _, live = applied(deployment())
    manifest = deployment()
    containers(manifest)[0]["env"] = [{"name": "A", "value": "1"}]
    outcome, live = applied(manifest, live)
    assert containers(live)[0]["env"] == [{"name": "A", "value": "1"}]
    patch = dict(outcome.patch)
    patch["metadata"] = {"annotations": "<elided>"}
    assert marshal(patch) == (
        '{"metadata":{"annotations":"\\u003celided\\u003e"},"spec":{"template":{"spec":{'
        '"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],'
        '"env":[{"$patch":"delete","name":"B"}],"name":"web"}]}}}}'
    )


def test_remove_port_and_container_by_key():
    manifest = deployment()
    containers(manifest).append({"name": "log", "image": "busybox"})
    _, live = applied(manifest)
    manifest = deployment()
    containers(manifest)[0]["ports"] = [{"containerPort": 443}]
    outcome, live = applied(manifest, live)
    assert [c["name"] for c in containers(live)] == ["web"]
    assert containers(live)[0]["ports"] == [{"containerPort": 443, "protocol": "TCP"}]


def test_items_added_by_others_survive():
    _, live = applied(deployment())
    containers(live).append({"name": "istio-proxy", "image": "proxy"})
    containers(live)[0]["env"].append({"name": "INJECTED", "value": "x"})
    manifest = deployment()
    containers(manifest)[0]["image"] = "nginx:1.28"
    containers(manifest)[0]["env"][1]["value"] = "3"
    outcome, live = applied(manifest, live)
    assert [c["name"] for c in containers(live)] == ["web", "istio-proxy"]
    web = containers(live)[0]
    assert web["image"] == "nginx:1.28"
    assert web["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "INJECTED", "value": "x"}]


def test_server_only_items_make_every_apply_configured():
    # upstream sends $setElementOrder whenever the live list differs in length from the file
    _, live = applied(deployment())
    containers(live).append({"name": "istio-proxy", "image": "proxy"})
    outcome = client_side_apply(deployment(), live, namespace="default")
    assert outcome.operation == "configured"
    assert outcome.patch == {"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "web"}]}}}}
    assert outcome.result == live


def test_new_items_follow_the_file_order():
    _, live = applied(deployment())
    manifest = deployment()
    containers(manifest).insert(0, {"name": "init-ish", "image": "busybox"})
    outcome, live = applied(manifest, live)
    assert [c["name"] for c in containers(live)] == ["init-ish", "web"]


def test_lists_without_merge_key_are_replaced():
    manifest = deployment()
    manifest["spec"]["template"]["spec"]["tolerations"] = [{"key": "a", "operator": "Exists"}]
    _, live = applied(manifest)
    live["spec"]["template"]["spec"]["tolerations"].append({"key": "added", "operator": "Exists"})
    manifest = copy.deepcopy(manifest)
    manifest["spec"]["template"]["spec"]["tolerations"] = [{"key": "b", "operator": "Exists"}]
    containers(manifest)[0]["args"] = ["--c"]
    outcome, live = applied(manifest, live)
    assert live["spec"]["template"]["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]
    assert containers(live)[0]["args"] == ["--c"]


def test_strategy_switch_to_recreate_drops_rolling_update():
    manifest = deployment(strategy={"type": "RollingUpdate"})
    _, live = applied(manifest)
    assert "rollingUpdate" in live["spec"]["strategy"]
    outcome, live2 = applied(deployment(strategy={"type": "Recreate"}), live)
    assert outcome.patch["spec"]["strategy"] == {"$retainKeys": ["type"], "type": "Recreate"}
    assert live2["spec"]["strategy"] == {"type": "Recreate"}


def test_defaulted_retain_keys_field_makes_every_apply_configured():
    # upstream sends $retainKeys whenever live has a key the file lacks (rollingUpdate defaults)
    manifest = deployment(strategy={"type": "RollingUpdate"})
    _, live = applied(manifest)
    outcome = client_side_apply(manifest, live, namespace="default")
    assert outcome.patch == {"spec": {"strategy": {"$retainKeys": ["type"]}}}
    assert outcome.result["spec"]["strategy"] == {"type": "RollingUpdate"}  # re-defaulted by the server


def test_finalizers_merge_as_a_set():
    manifest = deployment()
    manifest["metadata"]["finalizers"] = ["example.com/a", "example.com/b"]
    _, live = applied(manifest)
    live["metadata"]["finalizers"].append("controller/x")
    manifest = copy.deepcopy(manifest)
    manifest["metadata"]["finalizers"] = ["example.com/b", "example.com/c"]
    outcome, live = applied(manifest, live)
    assert live["metadata"]["finalizers"] == ["example.com/b", "example.com/c", "controller/x"]
    assert outcome.patch["metadata"]["$deleteFromPrimitiveList/finalizers"] == ["example.com/a"]


def test_service_ports_merge_by_port():
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080},
                                                       {"name": "https", "port": 443}]},
    }
    outcome = client_side_apply(svc, None, namespace="default")
    live = copy.deepcopy(outcome.result)
    live["spec"]["clusterIP"] = "10.96.0.10"
    for p in live["spec"]["ports"]:
        p["protocol"] = "TCP"
    svc2 = copy.deepcopy(svc)
    svc2["spec"]["ports"] = [{"name": "http", "port": 80, "targetPort": 9090}]
    outcome = client_side_apply(svc2, live, namespace="default")
    assert outcome.result["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": 9090, "protocol": "TCP"}]
    assert outcome.result["spec"]["clusterIP"] == "10.96.0.10"


def test_cronjob_job_template_containers_merge():
    cj = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "c"},
        "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never",
            "containers": [{"name": "a", "image": "x", "env": [{"name": "E", "value": "1"}]}]}}}}},
    }
    live = client_side_apply(cj, None, namespace="default").result
    pod = live["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    pod["containers"][0]["env"].append({"name": "OTHER", "value": "o"})
    cj2 = copy.deepcopy(cj)
    cj2["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"] = []
    result = client_side_apply(cj2, live, namespace="default").result
    assert result["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "OTHER", "value": "o"}
    ]


def test_custom_resource_lists_are_replaced_whole():
    vpa = {
        "apiVersion": "autoscaling.k8s.io/v1",
        "kind": "VerticalPodAutoscaler",
        "metadata": {"name": "v"},
        "spec": {
            "targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "resourcePolicy": {"containerPolicies": [{"containerName": "web", "minAllowed": {"cpu": "100m"}},
                                                     {"containerName": "side", "mode": "Off"}]},
        },
    }
    live = client_side_apply(vpa, None, namespace="default").result
    live["status"] = {"recommendation": {}}
    vpa2 = copy.deepcopy(vpa)
    vpa2["spec"]["resourcePolicy"]["containerPolicies"] = [{"containerName": "web", "minAllowed": {"cpu": "200m"}}]
    outcome = client_side_apply(vpa2, live, namespace="default")
    assert outcome.result["spec"]["resourcePolicy"]["containerPolicies"] == [
        {"containerName": "web", "minAllowed": {"cpu": "200m"}}
    ]
    assert outcome.result["status"] == {"recommendation": {}}
    assert outcome.patch["spec"] == {"resourcePolicy": {"containerPolicies": [
        {"containerName": "web", "minAllowed": {"cpu": "200m"}}]}}
    again = client_side_apply(vpa2, outcome.result, namespace="default")
    assert again.operation == "unchanged"


def test_custom_resource_removed_field_is_deleted():
    ng = {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeGroup", "metadata": {"name": "g"},
          "spec": {"minSize": 1, "maxSize": 3, "labels": {"a": "1"}}}
    live = client_side_apply(ng, None).result
    live["spec"]["size"] = 2  # written by someone else
    ng2 = copy.deepcopy(ng)
    del ng2["spec"]["maxSize"]
    outcome = client_side_apply(ng2, live)
    assert outcome.patch["spec"] == {"maxSize": None}
    assert outcome.result["spec"] == {"minSize": 1, "labels": {"a": "1"}, "size": 2}


def test_live_object_without_annotation():
    live = server_defaults(deployment())
    outcome = client_side_apply(deployment(), live, namespace="default")
    assert outcome.missing_last_applied is True
    assert outcome.operation == "configured"  # the annotation itself is patched in
    assert set(outcome.patch) == {"metadata"}


def test_name_change_fails_precondition():
    _, live = applied(deployment())
    renamed = deployment()
    renamed["metadata"]["name"] = "other"
    with pytest.raises(PreconditionFailed, match="At least one of apiVersion, kind and name was changed"):
        client_side_apply(renamed, live, namespace="default")


def test_three_way_merge_does_not_modify_its_arguments():
    original = {"metadata": {"name": "a"}, "spec": {"replicas": 2}}
    modified = {"metadata": {"name": "a"}, "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}
    current = {"metadata": {"name": "a"}, "spec": {"replicas": 2, "template": {"spec": {"containers": [
        {"name": "c", "image": "i"}]}}}}
    snapshot = copy.deepcopy((original, modified, current))
    patch, result = three_way_merge(original, modified, current, kind_info=patch_meta_for("apps/v1", "Deployment"))
    assert (original, modified, current) == snapshot
    assert patch == {"spec": {"replicas": None}}
    assert result == {"metadata": {"name": "a"}, "spec": {"template": {"spec": {"containers": [
        {"name": "c", "image": "i"}]}}}}
