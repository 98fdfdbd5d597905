"""Pod updates: upstream ``ValidatePodUpdate`` (1.34) through ``validate_update``.

The first line of the munged-spec Forbidden message is upstream's exactly; the go-cmp diff after
it is kctl's documented approximation, pinned here so that changes to it are deliberate.
"""

from __future__ import annotations

import copy

import pytest

from kctl.api.defaulting import apply_defaults
from kctl.api.validation import validate_update
from kctl.api.validation.pod_update import pod_spec_diff, validate_pod_update

FIRST_LINE = (
    "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
    "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
    "previously negative)"
)


def pod(**spec) -> dict:
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "x", "namespace": "default"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}], **spec},
    }
    apply_defaults(obj)
    return obj


def errors(new: dict, old: dict) -> list[str]:
    return [str(e) for e in validate_update(new, old)]


def changed(old: dict, fn) -> dict:
    new = copy.deepcopy(old)
    fn(new["spec"])
    return new


def test_unchanged_and_image_only_updates_are_allowed():
    old = pod(initContainers=[{"name": "init", "image": "busybox:1.36"}])
    assert errors(copy.deepcopy(old), old) == []

    def images(s):
        s["containers"][0]["image"] = "nginx:1.28"
        s["initContainers"][0]["image"] = "busybox:1.37"

    assert errors(changed(old, images), old) == []


def test_any_other_change_is_forbidden_with_the_diff():
    old = pod()
    new = changed(old, lambda s: s["containers"][0].__setitem__("env", [{"name": "A", "value": "1"}]))
    errs = validate_update(new, old)
    assert len(errs) == 1
    assert str(errs[0]) == FIRST_LINE + "\n" + "\n".join([
        "  core.PodSpec{",
        "  \tVolumes:        nil,",
        "  \tInitContainers: nil,",
        "  \tContainers: []core.Container{",
        "  \t\t{",
        "  \t\t\t... // 5 identical fields",
        "  \t\t\tPorts:        nil,",
        "  \t\t\tEnvFrom:      nil,",
        "- \t\t\tEnv:          nil,",
        '+ \t\t\tEnv:          []core.EnvVar{{Name: "A", Value: "1"}},',
        "  \t\t\tResources:    {},",
        "  \t\t\tResizePolicy: nil,",
        "  \t\t\t... // 15 identical fields",
        "  \t\t},",
        "  \t},",
        "  \tEphemeralContainers: nil,",
        '  \tRestartPolicy:       "Always",',
        "  \t... // 30 identical fields",
        "  }",
    ])


def test_diff_of_scalars_maps_and_quantities():
    old = pod(nodeSelector={"disk": "ssd"})
    old["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "100m", "memory": "64Mi"}}
    new = copy.deepcopy(old)
    new["spec"]["nodeSelector"] = {"disk": "hdd", "zone": "a"}
    new["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "250m"
    new["spec"]["restartPolicy"] = "OnFailure"
    assert pod_spec_diff(old["spec"], new["spec"]) == "\n".join([
        "  core.PodSpec{",
        "  \tVolumes:        nil,",
        "  \tInitContainers: nil,",
        "  \tContainers: []core.Container{",
        "  \t\t{",
        "  \t\t\t... // 6 identical fields",
        "  \t\t\tEnvFrom: nil,",
        "  \t\t\tEnv:     nil,",
        "  \t\t\tResources: core.ResourceRequirements{",
        "  \t\t\t\tRequests: core.ResourceList{",
        '- \t\t\t\t\ts"cpu":    {i: resource.int64Amount{value: 100, scale: -3}, s: "100m", Format: "DecimalSI"},',
        '+ \t\t\t\t\ts"cpu":    {i: resource.int64Amount{value: 250, scale: -3}, s: "250m", Format: "DecimalSI"},',
        '  \t\t\t\t\ts"memory": {i: resource.int64Amount{value: 67108864}, s: "64Mi", Format: "BinarySI"},',
        "  \t\t\t\t},",
        "  \t\t\t},",
        "  \t\t\tResizePolicy:  nil,",
        "  \t\t\tRestartPolicy: nil,",
        "  \t\t\t... // 14 identical fields",
        "  \t\t},",
        "  \t},",
        "  \tEphemeralContainers:           nil,",
        '- \tRestartPolicy:                 "Always",',
        '+ \tRestartPolicy:                 "OnFailure",',
        "  \tTerminationGracePeriodSeconds: &30,",
        "  \tActiveDeadlineSeconds:         nil,",
        '  \tDNSPolicy:                     "ClusterFirst",',
        "  \tNodeSelector: map[string]string{",
        '- \t\t"disk": "ssd",',
        '+ \t\t"disk": "hdd",',
        '+ \t\t"zone": "a",',
        "  \t},",
        '  \tServiceAccountName:           "",',
        "  \tAutomountServiceAccountToken: nil,",
        "  \t... // 24 identical fields",
        "  }",
    ])


def test_resources_change_through_a_plain_update_is_forbidden():
    """In-place resize is the ``resize`` subresource in 1.34."""
    old = pod()
    old["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "1"}}
    new = changed(old, lambda s: s["containers"][0]["resources"]["requests"].__setitem__("cpu", "2"))
    assert [e.splitlines()[0] for e in errors(new, old)] == [FIRST_LINE]
    # the same quantity written differently is no change at all
    same = changed(old, lambda s: s["containers"][0]["resources"]["requests"].__setitem__("cpu", "1000m"))
    assert errors(same, old) == []


def test_nil_and_empty_lists_and_maps_are_semantically_equal():
    old = pod()
    new = changed(old, lambda s: (s["containers"][0].__setitem__("env", []), s.__setitem__("nodeSelector", {})))
    assert errors(new, old) == []


def test_adding_or_removing_containers():
    old = pod()
    new = changed(old, lambda s: s["containers"].append({**s["containers"][0], "name": "side"}))
    assert errors(new, old) == ["spec.containers: Forbidden: pod updates may not add or remove containers"]
    with_init = pod(initContainers=[{"name": "init", "image": "busybox"}])
    new = changed(with_init, lambda s: s.pop("initContainers"))
    assert errors(new, with_init) == ["spec.initContainers: Forbidden: pod updates may not add or remove containers"]


@pytest.mark.parametrize(("image", "message"), [
    ("", "spec.containers[0].image: Required value"),
    (" nginx", 'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'),
])
def test_container_image_checks(image, message):
    old = pod()
    assert errors(changed(old, lambda s: s["containers"][0].__setitem__("image", image)), old) == [message]


def test_active_deadline_seconds():
    unset, set_ = pod(), pod(activeDeadlineSeconds=60)
    assert errors(set_, unset) == []
    assert errors(changed(set_, lambda s: s.__setitem__("activeDeadlineSeconds", 30)), set_) == []
    assert errors(changed(set_, lambda s: s.__setitem__("activeDeadlineSeconds", 90)), set_) == [
        "spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value"]
    assert errors(unset, set_) == [
        "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"]
    assert [str(e) for e in validate_pod_update(changed(set_, lambda s: s.__setitem__("activeDeadlineSeconds", -1)),
                                                set_)] == [
        "spec.activeDeadlineSeconds: Invalid value: -1: must be between 0 and 2147483647, inclusive"]


def test_tolerations_may_only_be_added():
    t = {"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoExecute", "tolerationSeconds": 60}
    old = pod(tolerations=[t])
    more = changed(old, lambda s: s["tolerations"].append({"key": "gpu", "operator": "Exists"}))
    assert errors(more, old) == []
    seconds = changed(old, lambda s: s["tolerations"][0].__setitem__("tolerationSeconds", 10))
    assert errors(seconds, old) == []
    for mutate in (lambda s: s["tolerations"].clear(), lambda s: s["tolerations"][0].__setitem__("value", "web")):
        assert errors(changed(old, mutate), old) == [
            "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]


def test_scheduling_gates_may_only_be_removed():
    old = pod(schedulingGates=[{"name": "example.com/a"}, {"name": "example.com/b"}])
    assert errors(changed(old, lambda s: s["schedulingGates"].pop(0)), old) == []
    assert errors(changed(old, lambda s: s.pop("schedulingGates")), old) == []
    added = changed(old, lambda s: s["schedulingGates"].append({"name": "example.com/c"}))
    assert errors(added, old) == [
        "spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate "
        "'example.com/c'"]


def test_termination_grace_period_may_go_from_negative_to_one_only():
    negative = pod(terminationGracePeriodSeconds=-1)
    assert errors(changed(negative, lambda s: s.__setitem__("terminationGracePeriodSeconds", 1)), negative) == []
    old = pod()
    new = changed(old, lambda s: s.__setitem__("terminationGracePeriodSeconds", 60))
    lines = errors(new, old)[0].splitlines()
    assert lines[0] == FIRST_LINE
    assert "- \tTerminationGracePeriodSeconds: &30," in lines
    assert "+ \tTerminationGracePeriodSeconds: &60," in lines


def test_gated_pods_may_gain_node_selector_and_required_node_affinity():
    term = {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}}}
    gated = pod(schedulingGates=[{"name": "example.com/a"}], nodeSelector={"disk": "ssd"}, affinity=affinity)

    def more(s):
        s["nodeSelector"]["zone"] = "a"
        s["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0][
            "matchExpressions"].append({"key": "rack", "operator": "Exists"})

    assert errors(changed(gated, more), gated) == []
    assert errors(changed(gated, lambda s: s["nodeSelector"].__setitem__("disk", "hdd")), gated) == [
        'spec.nodeSelector: Invalid value: {"disk":"hdd"}: only additions to spec.nodeSelector are allowed '
        "(no mutations or deletions)"]
    assert errors(changed(gated, lambda s: s["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"].append(term)), gated) == [
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Invalid value: "
        '[{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]},'
        '{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]: '
        "no additions/deletions to non-empty NodeSelectorTerms list are allowed"]
    # affinity set on a gated pod that had none: allowed
    bare = pod(schedulingGates=[{"name": "example.com/a"}])
    assert errors(changed(bare, lambda s: s.__setitem__("affinity", affinity)), bare) == []
    # an ungated pod gets the generic Forbidden
    ungated = pod(nodeSelector={"disk": "ssd"})
    assert [e.splitlines()[0] for e in errors(changed(ungated, lambda s: s["nodeSelector"].__setitem__("zone", "a")),
                                              ungated)] == [FIRST_LINE]


def test_mirror_pod_annotation_is_fixed():
    old = pod()
    new = copy.deepcopy(old)
    new["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "abc"}
    assert "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not add mirror pod annotation" in \
        errors(new, old)
    assert "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not remove or update mirror pod " \
        "annotation" in errors(old, new)


def test_status_and_metadata_changes_do_not_touch_the_spec_rules():
    old = pod()
    new = copy.deepcopy(old)
    new["metadata"]["labels"] = {"a": "b"}
    new["status"] = {"phase": "Running"}
    assert errors(new, old) == []


def test_deprecated_service_account_field_is_not_a_change():
    old = pod(serviceAccountName="web", serviceAccount="web")
    new = changed(old, lambda s: s.pop("serviceAccount"))
    assert errors(new, old) == []
