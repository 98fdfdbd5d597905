"""Field selectors: syntax, per-kind labels and their rejection messages, matching."""

from __future__ import annotations

import pytest

from kctl.api import fields as F


def test_parse_sorts_terms_and_normalizes_double_equals():
    sel = F.parse_field_selector("status.phase!=Running,spec.nodeName==node-1")
    assert str(sel) == "spec.nodeName=node-1,status.phase!=Running"
    assert [(r.field, r.operator, r.value) for r in sel.requirements] == [
        ("spec.nodeName", "=", "node-1"),
        ("status.phase", "!=", "Running"),
    ]


def test_escaped_commas_and_equals_round_trip():
    sel = F.parse_field_selector(r"metadata.name=a\,b\=c\\d")
    assert sel.requirements[0].value == "a,b=c\\d"
    assert str(sel) == r"metadata.name=a\,b\=c\\d"


def test_empty_terms_are_skipped_and_empty_selects_everything():
    assert F.parse_field_selector("").empty()
    assert str(F.parse_field_selector("a=b,,")) == "a=b"
    assert F.parse_field_selector("").matches({"kind": "Pod"})


def test_first_operator_wins_and_values_may_be_empty():
    sel = F.parse_field_selector("spec.nodeName=")
    assert (sel.requirements[0].field, sel.requirements[0].value) == ("spec.nodeName", "")
    sel = F.parse_field_selector("a!=b")
    assert sel.requirements[0].operator == "!="


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo", "invalid selector: 'foo'; can't understand 'foo'"),
        ("a=b,foo", "invalid selector: 'a=b,foo'; can't understand 'foo'"),
        ("a in (b)", "invalid selector: 'a in (b)'; can't understand 'a in (b)'"),
        ("a=b=c", "invalid field selector: unescaped character in value: ="),
        (r"a=b\x", r"invalid field selector: invalid escape sequence: \x"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_syntax_errors(text, message):
    with pytest.raises(F.FieldSelectorError) as err:
        F.parse_field_selector(text)
    assert str(err.value) == message


POD_LABELS = [
    "metadata.name",
    "metadata.namespace",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
]


@pytest.mark.parametrize(
    ("api_version", "kind", "label"),
    [("v1", "Pod", label) for label in POD_LABELS]
    + [
        ("v1", "Node", "metadata.name"),
        ("v1", "Node", "spec.unschedulable"),
        ("v1", "Namespace", "metadata.name"),
        ("v1", "Namespace", "status.phase"),
        ("v1", "Secret", "type"),
        ("v1", "Secret", "metadata.namespace"),
        ("v1", "Service", "spec.clusterIP"),
        ("v1", "Service", "spec.type"),
        ("v1", "ReplicationController", "status.replicas"),
        ("v1", "Event", "involvedObject.kind"),
        ("v1", "Event", "involvedObject.fieldPath"),
        ("v1", "Event", "reason"),
        ("v1", "Event", "reportingComponent"),
        ("v1", "Event", "source"),
        ("v1", "Event", "type"),
        ("batch/v1", "Job", "status.successful"),
        ("apps/v1", "Deployment", "metadata.name"),
        ("apps/v1", "ReplicaSet", "metadata.namespace"),
        ("v1", "ConfigMap", "metadata.name"),
    ],
)
def test_supported_labels(api_version, kind, label):
    assert F.convert_field_label(api_version, kind, label) == label


def test_pod_spec_host_is_renamed():
    sel = F.parse_and_convert("spec.host=node-1", "v1", "Pod")
    assert str(sel) == "spec.nodeName=node-1"


@pytest.mark.parametrize(
    ("api_version", "kind", "selector", "message"),
    [
        ("v1", "Pod", "spec.foo=1", "field label not supported: spec.foo"),
        ("v1", "Pod", "status.phase=Running,spec.containers=x", "field label not supported: spec.containers"),
        ("v1", "Node", "metadata.namespace=x", "field label not supported: metadata.namespace"),
        ("v1", "Namespace", "metadata.namespace=x", "field label not supported: metadata.namespace"),
        ("v1", "Service", "spec.ports=x", "field label not supported: spec.ports"),
        ("batch/v1", "Job", "status.failed=1", 'field label "status.failed" not supported for batchv1.Job'),
        (
            "apps/v1",
            "Deployment",
            "spec.replicas=1",
            '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
        ),
        # Upstream 1.34 never registered status.replicas for apps/v1 ReplicaSets.
        (
            "apps/v1",
            "ReplicaSet",
            "status.replicas=0",
            '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
        ),
        (
            "v1",
            "ConfigMap",
            "data=x",
            '"data" is not a known field selector: only "metadata.name", "metadata.namespace"',
        ),
    ],
)
def test_unsupported_labels(api_version, kind, selector, message):
    with pytest.raises(F.FieldSelectorError) as err:
        F.parse_and_convert(selector, api_version, kind)
    assert str(err.value) == message


def _pod(name, phase="Running", node="node-1", ip=None, host_network=None, ns="default"):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"nodeName": node, "restartPolicy": "Always", "schedulerName": "default-scheduler"},
        "status": {"phase": phase},
    }
    if ip:
        pod["status"]["podIP"] = ip
        pod["status"]["podIPs"] = [{"ip": ip}]
    if host_network is not None:
        pod["spec"]["hostNetwork"] = host_network
    return pod


PODS = [
    _pod("a", ip="10.0.0.1"),
    _pod("b", phase="Pending", node=""),
    _pod("c", phase="Succeeded", node="node-2", host_network=True, ns="kube-system"),
]


@pytest.mark.parametrize(
    ("selector", "names"),
    [
        ("status.phase=Running", ["a"]),
        ("status.phase!=Running", ["b", "c"]),
        ("status.phase!=Running,status.phase!=Pending", ["c"]),
        ("spec.nodeName=", ["b"]),
        ("spec.nodeName!=", ["a", "c"]),
        ("spec.hostNetwork=true", ["c"]),
        ("spec.hostNetwork=false", ["a", "b"]),
        ("status.podIP=10.0.0.1", ["a"]),
        # Accepted by the server but absent from the pod field set: always "".
        ("status.podIPs=10.0.0.1", []),
        ("status.podIPs=", ["a", "b", "c"]),
        ("metadata.namespace=kube-system", ["c"]),
        ("metadata.name==b", ["b"]),
        ("spec.restartPolicy=Always,spec.schedulerName=default-scheduler", ["a", "b", "c"]),
    ],
)
def test_pod_matching(selector, names):
    sel = F.parse_and_convert(selector, "v1", "Pod")
    assert [p["metadata"]["name"] for p in PODS if sel.matches(p)] == names


def test_selectable_fields_per_kind():
    node = {"kind": "Node", "metadata": {"name": "n1"}, "spec": {"unschedulable": True}}
    assert F.selectable_fields(node) == {"metadata.name": "n1", "spec.unschedulable": "true"}
    assert F.selectable_fields({"kind": "Node", "metadata": {"name": "n2"}})["spec.unschedulable"] == "false"
    secret = {"kind": "Secret", "metadata": {"name": "s", "namespace": "d"}, "type": "kubernetes.io/tls"}
    assert F.selectable_fields(secret)["type"] == "kubernetes.io/tls"
    svc = {"kind": "Service", "metadata": {"name": "s", "namespace": "d"}, "spec": {"clusterIP": "None", "type": "ClusterIP"}}
    assert F.parse_field_selector("spec.clusterIP=None,spec.type=ClusterIP").matches(svc)
    ns = {"kind": "Namespace", "metadata": {"name": "dev"}, "status": {"phase": "Terminating"}}
    assert F.parse_field_selector("status.phase=Terminating").matches(ns)
    rs = {"kind": "ReplicaSet", "metadata": {"name": "r", "namespace": "d"}, "status": {}}
    assert F.selectable_fields(rs)["status.replicas"] == "0"
    job = {"kind": "Job", "metadata": {"name": "j", "namespace": "d"}, "status": {"succeeded": 2}}
    assert F.parse_field_selector("status.successful=2").matches(job)
    cm = {"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}}
    assert F.selectable_fields(cm) == {"metadata.name": "c", "metadata.namespace": "d"}


def test_event_fields():
    event = {
        "kind": "Event",
        "metadata": {"name": "web.1", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default", "uid": "u1", "fieldPath": "spec.containers{app}"},
        "reason": "BackOff",
        "type": "Warning",
        "source": {},
        "reportingComponent": "kubelet",
    }
    fields = F.selectable_fields(event)
    assert fields["involvedObject.kind"] == "Pod"
    assert fields["involvedObject.fieldPath"] == "spec.containers{app}"
    assert fields["involvedObject.resourceVersion"] == ""
    assert fields["source"] == "kubelet"  # falls back to reportingComponent
    sel = F.parse_and_convert("involvedObject.name=web,type=Warning,reason=BackOff", "v1", "Event")
    assert sel.matches(event)
    assert not F.parse_field_selector("type!=Warning").matches(event)


def test_requires_exact_match():
    sel = F.parse_field_selector("metadata.name=a,spec.nodeName!=x")
    assert sel.requires_exact_match("metadata.name") == ("a", True)
    assert sel.requires_exact_match("spec.nodeName") == ("", False)
