"""Individual cell helpers mirrored from upstream printers.go."""

from __future__ import annotations

from kctl.printers.columns.autoscaling import format_hpa_metrics, horizontal_pod_autoscaler_row
from kctl.printers.columns.common import (
    format_label_selector,
    format_labels,
    label_selector_string,
    load_balancer_status_stringer,
)
from kctl.printers.columns.metrics import sum_quantities
from kctl.printers.columns.networking import format_hosts, make_port_string, service_external_ip
from kctl.printers.columns.storage import access_modes_as_string

from .golden import NOW


def test_load_balancer_status_stringer_cut_without_wide() -> None:
    ingress = [{"hostname": "a1b2c3d4e5f6-1234567890.elb.amazonaws.com"}, {"ip": "203.0.113.10"}]
    assert load_balancer_status_stringer(ingress, wide=False) == "203.0.113.10,..."
    assert load_balancer_status_stringer(ingress, wide=True) == "203.0.113.10,a1b2c3d4e5f6-1234567890.elb.amazonaws.com"
    assert load_balancer_status_stringer([{"ip": "10.0.0.1"}, {"ip": "10.0.0.1"}], wide=False) == "10.0.0.1"


def test_service_external_ip_rules() -> None:
    lb = {"spec": {"type": "LoadBalancer"}, "status": {"loadBalancer": {}}}
    assert service_external_ip(lb, True) == "<pending>"
    lb["spec"]["externalIPs"] = ["198.51.100.1"]
    assert service_external_ip(lb, True) == "198.51.100.1"
    assert service_external_ip({"spec": {"type": "ClusterIP"}}, True) == "<none>"
    assert service_external_ip({"spec": {"type": "ExternalName", "externalName": "x.example"}}, True) == "x.example"
    assert service_external_ip({"spec": {"type": "Weird"}}, True) == "<unknown>"


def test_port_strings() -> None:
    assert make_port_string([{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 443}]) == "80:30080/TCP,443/TCP"
    assert make_port_string([]) == ""


def test_ingress_hosts_count_rules_for_more() -> None:
    rules = [{"host": "a"}, {}, {"host": "b"}, {"host": "c"}, {"host": "d"}]
    assert format_hosts(rules) == "a,b,c + 2 more..."  # upstream quirk: N counts rules, not hosts
    assert format_hosts([{}]) == "*"


def test_selectors() -> None:
    sel = {"matchLabels": {"b": "2", "a": "1"}, "matchExpressions": [{"key": "c", "operator": "In", "values": ["y", "x"]}]}
    assert label_selector_string(sel) == "a=1,b=2,c in (x,y)"
    assert label_selector_string(None) == ""
    assert format_label_selector({}) == "<none>"
    assert format_label_selector({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}) == "<error>"
    assert label_selector_string({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}) == "<invalid>"
    assert format_labels({"z": "1", "a": "2"}) == "a=2,z=1"
    assert format_labels({}) == "<none>"


def test_hpa_metric_formats() -> None:
    specs = [
        {"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "app",
                                                            "target": {"type": "Utilization"}}},
        {"type": "External", "external": {"target": {"type": "Value"}}},
    ]
    statuses = [{"type": "ContainerResource", "containerResource": {"current": {"averageUtilization": 12}}},
                {"type": "External", "external": {"current": {}}}]
    assert format_hpa_metrics(specs, statuses) == "cpu: 12%/<auto>, <nil>/<nil>"
    assert format_hpa_metrics([{"type": "Bogus"}], []) == "<unknown type>"
    assert format_hpa_metrics([], []) == "<none>"


def test_hpa_autoscaling_v1() -> None:
    hpa = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web", "creationTimestamp": "2024-05-01T11:00:00Z"},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 4,
                    "targetCPUUtilizationPercentage": 80},
           "status": {"currentReplicas": 2, "currentCPUUtilizationPercentage": 33}}
    assert horizontal_pod_autoscaler_row(hpa, NOW) == ["web", "Deployment/web", "cpu: 33%/80%", "1", 4, 2, "60m"]


def test_access_modes_fixed_order() -> None:
    assert access_modes_as_string(["ReadWriteOncePod", "ReadOnlyMany", "ReadWriteOnce", "ReadOnlyMany"]) == "RWO,ROX,RWOP"
    assert access_modes_as_string(None) == ""


def test_sum_quantities_canonical() -> None:
    assert sum_quantities(["1234567n", "765433n"]) == "2m"
    assert sum_quantities(["512Ki", "512Ki"]) == "1Mi"
    assert sum_quantities(["500m", "500m"]) == "1"
    assert sum_quantities(["1500m"]) == "1500m"
    assert sum_quantities(["100Ki", "100Ki"]) == "200Ki"
    assert sum_quantities([]) == "0"


def test_quantities_print_canonically() -> None:
    from kctl.printers.columns.common import quantity_string

    assert quantity_string("1000m") == "1"
    assert quantity_string("1024Ki") == "1Mi"
    assert quantity_string(None) == "0"
    assert quantity_string("bogus") == "bogus"
    specs = [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue",
                                                                            "averageValue": "1024Mi"}}}]
    statuses = [{"type": "Resource", "resource": {"current": {"averageValue": "1500m"}}}]
    assert format_hpa_metrics(specs, statuses) == "memory: 1500m/1Gi"
