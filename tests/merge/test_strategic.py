"""Strategic merge patch: applying patches with directives, two-way patches, ordering."""

from __future__ import annotations

import pytest

from kctl.api.merge import (
    MergeError,
    create_two_way_merge_patch,
    patch_meta_for,
    strategic_merge,
    three_way_merge,
)

POD = patch_meta_for("v1", "Pod")


def pod(*containers, **extra):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", **extra},
            "spec": {"containers": list(containers)}}


def names(obj):
    return [c["name"] for c in obj["spec"]["containers"]]


def test_label_removal_and_addition_as_kubectl_label_sends_it():
    live = pod({"name": "a"}, labels={"app": "x", "old": "y"})
    result = strategic_merge(live, {"metadata": {"labels": {"old": None, "new": "z"}}}, POD)
    assert result["metadata"]["labels"] == {"app": "x", "new": "z"}
    assert live["metadata"]["labels"] == {"app": "x", "old": "y"}  # not modified


def test_null_for_a_missing_key_is_ignored_when_applying():
    live = pod({"name": "a"}, annotations={"keep": "1"})
    result = strategic_merge(live, {"metadata": {"annotations": {"gone": None}}}, POD)
    assert result["metadata"]["annotations"] == {"keep": "1"}


def test_a_map_new_to_the_object_is_taken_as_is_like_upstream():
    # mergeMap copies a value the original lacks without looking inside; the real API
    # server's typed decoding then drops or zeroes the nulls
    result = strategic_merge(pod({"name": "a"}), {"metadata": {"annotations": {"gone": None}}}, POD)
    assert result["metadata"]["annotations"] == {"gone": None}


def test_list_item_merges_by_key_and_new_item_is_appended():
    live = pod({"name": "a", "image": "1"}, {"name": "b", "image": "1"})
    result = strategic_merge(live, {"spec": {"containers": [{"name": "b", "image": "2"}, {"name": "c"}]}}, POD)
    assert result["spec"]["containers"] == [{"name": "a", "image": "1"}, {"name": "b", "image": "2"}, {"name": "c"}]


def test_delete_directive_in_list():
    live = pod({"name": "a"}, {"name": "b"})
    result = strategic_merge(live, {"spec": {"containers": [{"name": "a", "$patch": "delete"}]}}, POD)
    assert names(result) == ["b"]


def test_replace_directive_in_list_and_map():
    live = pod({"name": "a"}, {"name": "b"}, labels={"x": "1"})
    result = strategic_merge(live, {"spec": {"containers": [{"name": "c"}, {"$patch": "replace"}]}}, POD)
    assert names(result) == ["c"]
    result = strategic_merge(live, {"metadata": {"labels": {"y": "2", "$patch": "replace"}}}, POD)
    assert result["metadata"]["labels"] == {"y": "2"}
    result = strategic_merge(live, {"metadata": {"labels": {"$patch": "delete"}}}, POD)
    assert result["metadata"]["labels"] == {}


def test_merge_directive_in_list_is_rejected():
    with pytest.raises(MergeError, match="merging lists cannot yet be specified in the patch"):
        strategic_merge(pod({"name": "a"}), {"spec": {"containers": [{"$patch": "merge"}]}}, POD)


def test_missing_merge_key_is_an_error():
    with pytest.raises(MergeError, match="does not contain declared merge key: name"):
        strategic_merge(pod({"name": "a"}), {"spec": {"containers": [{"image": "x"}]}}, POD)


def test_delete_from_primitive_list_and_set_merge():
    live = pod({"name": "a"}, finalizers=["f1", "f2", "f3"])
    result = strategic_merge(live, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["f2"],
                                                 "finalizers": ["f4"]}}, POD)
    assert result["metadata"]["finalizers"] == ["f4", "f1", "f3"]


def test_set_element_order_interleaves_server_only_items():
    live = pod({"name": "a"}, {"name": "x"}, {"name": "b"})
    patch = {"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}],
                      "containers": [{"name": "c"}]}}
    assert names(strategic_merge(live, patch, POD)) == ["c", "a", "x", "b"]


def test_set_element_order_reorders_without_content_change():
    live = pod({"name": "a"}, {"name": "b"})
    patch = {"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}}
    assert names(strategic_merge(live, patch, POD)) == ["b", "a"]


def test_retain_keys_clears_other_volume_source():
    live = pod({"name": "a"})
    live["spec"]["volumes"] = [{"name": "v", "configMap": {"name": "c"}}]
    patch = {"spec": {"volumes": [{"name": "v", "secret": {"secretName": "s"}, "$retainKeys": ["name", "secret"]}]}}
    assert strategic_merge(live, patch, POD)["spec"]["volumes"] == [{"name": "v", "secret": {"secretName": "s"}}]
    with pytest.raises(MergeError, match="invalid patch format of retainKeys"):
        strategic_merge(live, {"spec": {"volumes": [{"name": "v", "emptyDir": {}, "$retainKeys": ["name"]}]}}, POD)


def test_two_way_patch_for_kubectl_patch_style_changes():
    before = pod({"name": "a", "image": "1", "ports": [{"containerPort": 80}, {"containerPort": 81}]})
    after = pod({"name": "a", "image": "2", "ports": [{"containerPort": 81}]})
    patch = create_two_way_merge_patch(before, after, POD)
    assert patch == {"spec": {
        "$setElementOrder/containers": [{"name": "a"}],
        "containers": [{"name": "a", "image": "2", "$setElementOrder/ports": [{"containerPort": 81}],
                        "ports": [{"containerPort": 80, "$patch": "delete"}]}],
    }}
    assert strategic_merge(before, patch, POD) == after


def test_same_container_port_with_two_protocols_collides_as_upstream():
    # merge key is containerPort alone: changing UDP 53 touches the TCP 53 item too
    live = pod({"name": "dns", "ports": [{"containerPort": 53, "protocol": "TCP"},
                                         {"containerPort": 53, "protocol": "UDP"}]})
    result = strategic_merge(live, {"spec": {"containers": [{"name": "dns", "ports": [
        {"containerPort": 53, "protocol": "UDP", "name": "udp"}]}]}}, POD)
    ports = result["spec"]["containers"][0]["ports"]
    assert ports[0] == {"containerPort": 53, "protocol": "UDP", "name": "udp"}


def test_replace_strategy_map_is_always_sent():
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "p"},
           "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "x"}}}}
    live = {**pdb, "status": {"currentHealthy": 1}}
    patch, result = three_way_merge(pdb, pdb, live, kind_info=patch_meta_for("policy/v1", "PodDisruptionBudget"))
    assert patch == {"spec": {"selector": {"matchLabels": {"app": "x"}}}}
    assert result == live


def test_integral_floats_compare_like_apimachinery_json():
    live = pod({"name": "a"})
    live["spec"]["terminationGracePeriodSeconds"] = 30
    modified = pod({"name": "a"})
    modified["spec"]["terminationGracePeriodSeconds"] = 30.0
    patch, _ = three_way_merge(modified, modified, live, kind_info=POD)
    assert patch == {}
    modified["spec"]["terminationGracePeriodSeconds"] = True
    patch, _ = three_way_merge(None, modified, live, kind_info=POD)
    assert patch == {"spec": {"terminationGracePeriodSeconds": True}}


def test_public_api():
    import inspect

    import kctl.api.merge as merge

    exported = [name for name in dir(merge) if not name.startswith("_") and name != "annotations"
                and not inspect.ismodule(getattr(merge, name))]
    assert sorted(merge.__all__) == sorted(exported)
