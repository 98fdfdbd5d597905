from kctl.api import errors
from kctl.api.field import invalid, required
from kctl.api.registry import resolve


def test_not_found_and_already_exists():
    assert errors.new_not_found(resolve("deploy"), "web").render() == (
        'Error from server (NotFound): deployments.apps "web" not found'
    )
    assert errors.new_not_found(resolve("pods"), "x").render() == 'Error from server (NotFound): pods "x" not found'
    assert errors.new_not_found(resolve("hpa"), "web").render() == (
        'Error from server (NotFound): horizontalpodautoscalers.autoscaling "web" not found'
    )
    assert errors.new_already_exists(resolve("ing"), "web").render() == (
        'Error from server (AlreadyExists): ingresses.networking.k8s.io "web" already exists'
    )
    assert errors.new_namespace_not_found("dev").render() == 'Error from server (NotFound): namespaces "dev" not found'


def test_conflict():
    err = errors.new_conflict(resolve("deployments"), "web")
    assert err.reason == "Conflict" and err.code == 409 and err.exit_code == 1
    assert err.render() == (
        'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": the object has been '
        "modified; please apply your changes to the latest version and try again"
    )


def test_invalid_one_and_several_causes():
    one = errors.new_invalid("Deployment", "apps", "web", [invalid(("spec", "replicas"), -1, "must be greater than or equal to 0")])
    assert one.render() == (
        'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )
    assert str(one) == (
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )
    a = required(("spec", "template", "spec", "containers", 0, "image"))
    b = invalid(("spec", "replicas"), -1, "must be greater than or equal to 0")
    several = errors.new_invalid("Deployment", "apps", "web", [a, b, a])
    assert several.render() == (
        'The Deployment "web" is invalid: \n'
        "* spec.template.spec.containers[0].image: Required value\n"
        "* spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    )
    assert str(several).startswith('Deployment.apps "web" is invalid: [spec.template.spec.containers[0].image: Required value, ')
    assert several.code == 422


def test_core_kind_invalid_has_no_group():
    err = errors.new_invalid("Service", "", "web", [required(("spec", "ports"))])
    assert err.render() == 'The Service "web" is invalid: spec.ports: Required value'
    assert str(err) == 'Service "web" is invalid: spec.ports: Required value'


def test_with_source_prefix():
    err = errors.new_already_exists(resolve("deploy"), "web").with_source("creating", "web.yaml")
    assert err.render() == (
        'Error from server (AlreadyExists): error when creating "web.yaml": deployments.apps "web" already exists'
    )
    bad = errors.new_bad_request("boom").with_source("creating", "x.yaml")
    assert bad.render() == 'Error from server (BadRequest): error when creating "x.yaml": boom'


def test_reasonless_error_and_forbidden():
    assert errors.StatusError("", "resourceVersion should not be set on objects to be created", code=500).render() == (
        "Error from server: resourceVersion should not be set on objects to be created"
    )
    assert errors.new_forbidden(resolve("ns"), "default", "this namespace may not be deleted").render() == (
        'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted'
    )


def test_status_object():
    err = errors.new_invalid("Deployment", "apps", "web", [required(("spec", "selector"))])
    assert err.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'Deployment.apps "web" is invalid: spec.selector: Required value',
        "reason": "Invalid",
        "details": {
            "name": "web",
            "group": "apps",
            "kind": "Deployment",
            "causes": [{"reason": "FieldValueRequired", "message": "Required value", "field": "spec.selector"}],
        },
        "code": 422,
    }
