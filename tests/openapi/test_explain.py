from __future__ import annotations

import pytest

from kctl.api.openapi import ChildField, FieldNotFound, SchemaSet, explain

from .test_crd import CRD


def test_kind_level(schemas):
    e = explain(schemas, "apps/v1", "Deployment")
    assert (e.group, e.version, e.type, e.path) == ("apps", "v1", "Deployment", "")
    assert e.fields == (
        ChildField("apiVersion", "string"),
        ChildField("kind", "string"),
        ChildField("metadata", "ObjectMeta"),
        ChildField("spec", "DeploymentSpec"),
        ChildField("status", "DeploymentStatus"),
    )


def test_field_types_render_like_kubectl(schemas):
    def t(path):
        return explain(schemas, "apps/v1", "Deployment", path).type

    assert t("spec.replicas") == "integer"
    assert t("spec.paused") == "boolean"
    assert t("spec.template.spec.containers") == "[]Container"
    assert t("spec.template.spec.containers.args") == "[]string"
    assert t("metadata.labels") == "map[string]string"
    assert t("metadata.creationTimestamp") == "string"
    assert t("spec.strategy.rollingUpdate.maxSurge") == "IntOrString"
    assert t("spec.template.spec.containers.resources.limits") == "map[string]Quantity"
    assert t("spec.template.spec.overhead") == "map[string]Quantity"


def test_required_flags_and_children_through_lists(schemas):
    e = explain(schemas, "apps/v1", "Deployment", "spec.template.spec.containers")
    assert e.required is True
    names = {f.name: f for f in e.fields}
    assert names["name"] == ChildField("name", "string", True)
    assert names["ports"] == ChildField("ports", "[]ContainerPort")
    leaf = explain(schemas, "apps/v1", "Deployment", "spec.template.spec.containers.ports.containerPort")
    assert (leaf.type, leaf.required, leaf.fields) == ("integer", True, ())


def test_enum_values(schemas):
    e = explain(schemas, "autoscaling.k8s.io/v1", "VerticalPodAutoscaler", "spec.updatePolicy.updateMode")
    assert e.enum == ("Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto")


def test_unknown_field_and_kind(schemas):
    with pytest.raises(FieldNotFound) as exc:
        explain(schemas, "apps/v1", "Deployment", "spec.replica")
    assert str(exc.value) == 'field "replica" does not exist'
    with pytest.raises(LookupError):
        explain(schemas, "apps/v1", "Nope")


def test_crd_fields():
    s = SchemaSet()
    s.add_crd(CRD)
    e = explain(s, "stable.example.com/v1", "CronTab", "spec")
    assert e.type == "Object"
    fields = {f.name: f.type for f in e.fields}
    assert fields["tags"] == "[]string"
    assert fields["env"] == "map[string]string"
    assert fields["port"] == "IntOrString"
    assert ChildField("cronSpec", "string", True) in e.fields
    assert explain(s, "stable.example.com/v1", "CronTab", "spec.mode").enum == ("Fast", "Slow")
    assert explain(s, "stable.example.com/v1", "CronTab", "metadata").type == "ObjectMeta"
