"""Built-in kinds: the API server's OpenAPI wording, every error collected."""

from __future__ import annotations

from kctl.api import field as fe

from .conftest import messages


def test_valid_deployment_has_no_errors(deployment_schema, deployment):
    assert deployment_schema.validate(deployment) == []


def test_wrong_type_is_invalid_value_with_kube_openapi_detail(deployment_schema, deployment):
    deployment["spec"]["replicas"] = "three"
    (err,) = deployment_schema.validate(deployment)
    assert err.type == fe.INVALID
    assert err.path == ("spec", "replicas")
    assert err.value == "three"
    assert str(err) == 'spec.replicas: Invalid value: "three": spec.replicas in body must be of type integer: "string"'


def test_type_names_of_other_values(deployment_schema, deployment):
    spec = deployment["spec"]["template"]["spec"]
    spec["containers"][0]["image"] = 5
    spec["containers"][0]["ports"] = {"containerPort": 80}
    spec["hostNetwork"] = "yes"
    deployment["spec"]["paused"] = 1
    deployment["spec"]["minReadySeconds"] = 1.5
    assert sorted(messages(deployment_schema.validate(deployment))) == [
        "spec.minReadySeconds: Invalid value: 1.5: spec.minReadySeconds in body must be of type integer: \"number\"",
        'spec.paused: Invalid value: 1: spec.paused in body must be of type boolean: "integer"',
        'spec.template.spec.containers[0].image: Invalid value: 5: '
        'spec.template.spec.containers[0].image in body must be of type string: "integer"',
        'spec.template.spec.containers[0].ports: Invalid value: {"containerPort":80}: '
        'spec.template.spec.containers[0].ports in body must be of type array: "object"',
        'spec.template.spec.hostNetwork: Invalid value: "yes": '
        'spec.template.spec.hostNetwork in body must be of type boolean: "string"',
    ]


def test_integral_float_is_an_integer(deployment_schema, deployment):
    deployment["spec"]["replicas"] = 3.0
    assert deployment_schema.validate(deployment) == []


def test_missing_required_fields(deployment_schema, deployment):
    del deployment["spec"]["selector"]
    del deployment["spec"]["template"]["spec"]["containers"][0]["name"]
    errs = deployment_schema.validate(deployment)
    assert messages(errs) == [
        "spec.template.spec.containers[0].name: Required value",
        "spec.selector: Required value",
    ]
    assert all(e.type == fe.REQUIRED for e in errs)


def test_null_is_absent_for_built_in_kinds(deployment_schema, deployment):
    deployment["spec"]["replicas"] = None
    deployment["metadata"]["labels"] = None
    assert deployment_schema.validate(deployment) == []
    deployment["spec"]["selector"] = None
    assert messages(deployment_schema.validate(deployment)) == ["spec.selector: Required value"]


def test_unknown_fields_strict_and_non_strict(deployment_schema, deployment):
    deployment["spec"]["replica"] = 2
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePolicy"] = "x"
    strict = deployment_schema.validate(deployment, strict=True)
    # document order: "replica" was added after "template"
    assert messages(strict) == [
        'spec.template.spec.containers[0].imagePolicy: unknown field "imagePolicy"',
        'spec.replica: unknown field "replica"',
    ]
    assert [e.type for e in strict] == [fe.UNKNOWN_FIELD, fe.UNKNOWN_FIELD]
    assert strict[1] == fe.unknown_field(("spec", "replica"))
    assert deployment_schema.validate(deployment, strict=False) == []


def test_int_or_string(deployment_schema, deployment):
    ru = deployment["spec"]["strategy"]["rollingUpdate"]
    ru["maxSurge"], ru["maxUnavailable"] = 1, "50%"
    assert deployment_schema.validate(deployment) == []
    ru["maxSurge"], ru["maxUnavailable"] = True, 1.5
    assert messages(deployment_schema.validate(deployment)) == [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: true: "
        'spec.strategy.rollingUpdate.maxSurge in body must be of type integer,string: "boolean"',
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 1.5: "
        'spec.strategy.rollingUpdate.maxUnavailable in body must be of type integer,string: "number"',
    ]


def test_quantity_accepts_strings_and_numbers(deployment_schema, deployment):
    res = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]
    res["limits"] = {"cpu": 0.5, "memory": "1Gi"}
    assert deployment_schema.validate(deployment) == []
    res["limits"] = {"cpu": [1]}
    assert messages(deployment_schema.validate(deployment)) == [
        "spec.template.spec.containers[0].resources.limits.cpu: Invalid value: [1]: "
        'spec.template.spec.containers[0].resources.limits.cpu in body must be of type string,number: "array"'
    ]


def test_int32_and_int64_ranges(deployment_schema, deployment):
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = 2**31
    deployment["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 2**63
    assert messages(deployment_schema.validate(deployment)) == [
        "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 2147483648: "
        'spec.template.spec.containers[0].ports[0].containerPort in body must be of type int32: "2147483648"',
        "spec.template.spec.activeDeadlineSeconds: Invalid value: 9223372036854775808: "
        'spec.template.spec.activeDeadlineSeconds in body must be of type int64: "9223372036854775808"',
    ]
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = 2**31 - 1
    deployment["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 2**63 - 1
    assert deployment_schema.validate(deployment) == []


def test_map_values_are_typed_and_keys_render_in_brackets(deployment_schema, deployment):
    deployment["metadata"]["labels"] = {"app.kubernetes.io/name": 1, "tier": "fe"}
    assert messages(deployment_schema.validate(deployment)) == [
        "metadata.labels[app.kubernetes.io/name]: Invalid value: 1: "
        'metadata.labels[app.kubernetes.io/name] in body must be of type string: "integer"'
    ]


def test_date_time_and_byte_formats(schemas):
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "creationTimestamp": "yesterday"},
              "data": {"ok": "aGVsbG8=", "bad": "not base64!"}}
    assert messages(schemas.find("v1", "Secret").validate(secret)) == [
        'metadata.creationTimestamp: Invalid value: "yesterday": '
        'metadata.creationTimestamp in body must be of type date-time: "yesterday"',
        'data.bad: Invalid value: "not base64!": data.bad in body must be of type byte: "not base64!"',
    ]
    secret["metadata"]["creationTimestamp"] = "2024-05-01T10:00:00Z"
    del secret["data"]["bad"]
    assert schemas.find("v1", "Secret").validate(secret) == []


def test_top_level_value_must_be_an_object(deployment_schema):
    assert messages(deployment_schema.validate(["x"])) == ['Invalid value: ["x"]:  in body must be of type object: "array"']


def test_free_form_fields_accept_anything(schemas):
    rev = {"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": {"name": "r"}, "revision": 1,
           "data": {"anything": {"goes": [1, 2]}}}
    assert schemas.find("apps/v1", "ControllerRevision").validate(rev) == []


def test_enum_in_handwritten_kind(schemas):
    vpa = {"apiVersion": "autoscaling.k8s.io/v1", "kind": "VerticalPodAutoscaler", "metadata": {"name": "v"},
           "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "updatePolicy": {"updateMode": "Sometimes"}}}
    (err,) = schemas.find("autoscaling.k8s.io/v1", "VerticalPodAutoscaler").validate(vpa)
    assert err == fe.not_supported(
        ("spec", "updatePolicy", "updateMode"), "Sometimes", ["Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto"])
    assert str(err) == ('spec.updatePolicy.updateMode: Unsupported value: "Sometimes": supported values: '
                        '"Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto"')


def test_nodegroup_schema(schemas):
    ng = {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeGroup", "metadata": {"name": "pool"},
          "spec": {"minSize": -1, "maxSize": 5,
                   "template": {"metadata": {"labels": {"pool": "a"}},
                                "spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]},
                                "status": {"capacity": {"cpu": "4", "memory": "16Gi"}}}}}
    assert messages(schemas.find("kctl.io/v1alpha1", "NodeGroup").validate(ng)) == [
        "spec.minSize: Invalid value: -1: spec.minSize in body should be greater than or equal to 0"
    ]


def test_validation_is_repeatable_and_shares_compiled_checks(schemas, deployment):
    a = schemas.find("apps/v1", "Deployment")
    from kctl.api.openapi import SchemaSet

    b = SchemaSet().find("apps/v1", "Deployment")
    assert a is b
    deployment["spec"]["replicas"] = "x"
    assert a.validate(deployment) == b.validate(deployment)
