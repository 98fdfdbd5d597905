"""Helpers whose exact text matters: durations, quantities, selectors, annotations, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kctl.printers.describe import describe, has_describer
from kctl.printers.describe.common import (
    format_label_selector,
    go_float,
    human_duration,
    rfc1123z,
    selector_string,
    taint_string,
)
from kctl.printers.describe.generic import smart_label_for
from kctl.printers.describe.pods import compute_pod_qos
from kctl.printers.describe.quantity import ZERO, parse_quantity, quantity_string

NOW = datetime(2024, 1, 15, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(-2, "<invalid>"), (-1, "0s"), (0, "0s"), (119, "119s"), (312, "5m12s"), (600, "10m"),
     (179 * 60, "179m"), (3 * 3600 + 240, "3h4m"), (7 * 3600, "7h"), (47 * 3600, "47h"),
     (3 * 86400 + 4 * 3600, "3d4h"), (400 * 86400, "400d"), (3 * 365 * 86400 + 45 * 86400, "3y45d"),
     (9 * 365 * 86400, "9y")],
)  # fmt: skip
def test_human_duration(seconds: int, text: str) -> None:
    assert human_duration(seconds) == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [("1000m", "1"), ("1000", "1k"), ("0.5", "500m"), ("1.5Gi", "1536Mi"), ("128974848", "128974848"),
     ("1023Ki", "1023Ki"), ("1024", "1024"), ("512", "512"), ("1e3", "1e3"), ("0", "0"), (2, "2"),
     ("100M", "100M"), ("1.5", "1500m"), ("0.1n", "1n")],
)  # fmt: skip
def test_quantity_canonical_form(raw: object, text: str) -> None:
    assert quantity_string(raw) == text


def test_quantity_add_keeps_the_first_non_zero_format() -> None:
    # The Node "Allocated resources" sums rely on Quantity.Add's format rule.
    total = ZERO + parse_quantity("64Mi") + parse_quantity("100M")
    assert str(total) == "167108864"
    assert str(parse_quantity("128Mi") + parse_quantity("170Mi")) == "298Mi"
    assert quantity_string("not-a-quantity") == "not-a-quantity"


def test_rfc1123z_uses_the_zone_of_now() -> None:
    pdt = datetime(2024, 1, 15, tzinfo=timezone(timedelta(hours=-7)))
    assert rfc1123z("2024-01-02T03:04:05Z", NOW) == "Tue, 02 Jan 2024 03:04:05 +0000"
    assert rfc1123z("2024-01-02T03:04:05Z", pdt) == "Mon, 01 Jan 2024 20:04:05 -0700"
    assert rfc1123z(None, NOW) == "Mon, 01 Jan 0001 00:00:00 +0000"


def test_selectors() -> None:
    sel = {
        "matchLabels": {"b": "2", "a": "1"},
        "matchExpressions": [{"key": "c", "operator": "NotIn", "values": ["y", "x"]}],
    }
    assert selector_string(sel) == "a=1,b=2,c notin (x,y)"
    assert selector_string({}) == ""
    assert format_label_selector({}) == "<none>"


def test_taint_strings() -> None:
    assert taint_string({"key": "k", "value": "v", "effect": "NoSchedule"}) == "k=v:NoSchedule"
    assert taint_string({"key": "k", "effect": "NoExecute"}) == "k:NoExecute"
    assert taint_string({"key": "k", "value": "v"}) == "k=v:"
    assert taint_string({"key": "k"}) == "k"


def test_smart_labels() -> None:
    assert smart_label_for("apiVersion") == "API Version"
    assert smart_label_for("uid") == "UID"
    assert smart_label_for("podIP") == "Pod IP"
    assert smart_label_for("nonResourceURLs") == "Non Resource UR Ls"
    assert smart_label_for("v1beta1") == "v1beta1"


def test_go_float() -> None:
    assert [go_float(f) for f in (1.0, 0.5, 1e6, 123456.0, 1e-5, -3.25)] == [
        "1",
        "0.5",
        "1e+06",
        "123456",
        "1e-05",
        "-3.25",
    ]


def test_qos_classes() -> None:
    def pod(*resources: dict) -> dict:
        return {"spec": {"containers": [{"name": str(i), "resources": r} for i, r in enumerate(resources)]}}

    assert compute_pod_qos(pod({})) == "BestEffort"
    assert compute_pod_qos(pod({"limits": {"cpu": "1", "memory": "1Gi"}})) == "Guaranteed"
    assert (
        compute_pod_qos(pod({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}))
        == "Burstable"
    )
    assert compute_pod_qos(pod({"limits": {"cpu": "1", "memory": "1Gi"}}, {})) == "Burstable"


def _annotated(annotations: dict) -> str:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "annotations": annotations}}
    return describe(obj, now=NOW, events=None)


def test_annotation_longer_than_140_is_wrapped_and_cut_at_138() -> None:
    value = "v" * 200
    out = _annotated({"k": value, "kubectl.kubernetes.io/last-applied-configuration": "{}"})
    lines = out.splitlines()
    assert lines[3] == "Annotations:  k:"
    assert lines[4] == " " * 16 + "v" * 138 + "..."
    assert "last-applied" not in out


def test_annotation_of_exactly_140_stays_inline() -> None:
    out = _annotated({"k": "v" * 137})  # 137 + len("k") + 2 == 140
    assert out.splitlines()[3] == "Annotations:  k: " + "v" * 137


def test_events_none_means_no_events_block_and_unknown_kinds_are_generic() -> None:
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "ns"},
        "spec": {"size": 3},
    }
    assert not has_describer(obj)
    assert describe(obj, now=NOW, events=None) == (
        "Name:         w\nNamespace:    ns\nLabels:       <none>\nAnnotations:  <none>\n"
        "API Version:  example.com/v1\nKind:         Widget\nMetadata:\nSpec:\n  Size:  3\n"
    )
    assert describe(obj, now=NOW, events=[]).endswith("  Size:  3\nEvents:  <none>\n")


def test_event_age_with_series_and_count() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "d"},
        "spec": {"containers": []},
    }
    events = [
        {"involvedObject": {"name": "p", "namespace": "d"}, "type": "Warning", "reason": "A", "message": " m ",
         "eventTime": "2024-01-15T11:00:00.000000Z", "series": {"count": 4, "lastObservedTime": "2024-01-15T11:59:00.5Z"},
         "reportingController": "ctl"},
        {"involvedObject": {"name": "p", "namespace": "other"}, "type": "Normal", "reason": "B", "message": "x"},
    ]  # fmt: skip
    out = describe(obj, now=NOW, events=events)
    assert out.endswith("  Warning  A       59s (x4 over 60m)  ctl   m\n")
    assert "  B  " not in out
