"""Load profiles: parsing, step and linear interpolation (pure)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import yaml

from kctl.metrics.load import Load
from kctl.metrics.profile import ProfileError, parse_offset, parse_profile

PROFILE = """
interpolation: linear
workloads:
- target: deployment/web
  points:
  - {at: 0s, cpu: 200m, memory: 256Mi}
  - {at: 5m, cpu: 1200m}
  - {at: 15m, cpu: 300m, memory: 512Mi}
- target: sts/db
  namespace: data
  interpolation: step
  perPod: true
  spread: [0.5, 1.5]
  points:
  - {at: 60, cpu: "1"}
  - {at: 2m, cpu: 2}
"""


def profile():
    return parse_profile(yaml.safe_load(PROFILE))


def test_linear_interpolation_per_resource_holding_before_and_after():
    web = profile().workloads[0]
    assert (web.target, web.namespace, web.interpolation) == ("deployment/web", "default", "linear")
    assert web.load_at(0) == Load(cpu="200m", memory="256Mi")
    assert web.load_at(75).cpu == "450m"  # 200 + 1000 * 75/300
    assert web.load_at(Fraction(1, 2)).cpu == "202m"  # 201.67 -> 202 (half up on the exact value)
    assert web.load_at(300).cpu == "1200m"
    assert web.load_at(600).cpu == "750m"
    # memory only has points at 0 and 15m: a straight line between them
    assert web.load_at(450).memory == "384Mi"
    assert web.load_at(3600) == Load(cpu="300m", memory="512Mi")


def test_step_interpolation_and_the_per_pod_options():
    db = profile().workloads[1]
    assert (db.target, db.namespace, db.per_pod, db.spread) == ("sts/db", "data", True, (Fraction(1, 2), Fraction(3, 2)))
    assert db.load_at(0).cpu == "1"  # before the first point: its value holds
    assert db.load_at(119).cpu == "1"
    assert db.load_at(120).cpu == "2"
    assert db.load_at(0).memory is None  # never set: idle
    assert db.load_at(0).to_annotation() == '{"cpu":"1","perPod":true,"spread":[0.5,1.5]}'


def test_equal_offsets_jump():
    doc = {"workloads": [{"target": "deploy/a", "interpolation": "linear", "points": [
        {"at": "1m", "cpu": "100m"}, {"at": "1m", "cpu": "900m"}, {"at": "2m", "cpu": "100m"}]}]}
    a = parse_profile(doc).workloads[0]
    assert [a.load_at(t).cpu for t in (59, 60, 90, 120)] == ["100m", "900m", "500m", "100m"]


def test_offsets():
    assert parse_offset("1h30m", "at") == 5400
    assert parse_offset("90s", "at") == 90
    assert parse_offset("1.5m", "at") == 90
    assert parse_offset(45, "at") == 45
    assert parse_offset("0", "at") == 0
    with pytest.raises(ProfileError, match='at: invalid duration "5 minutes"'):
        parse_offset("5 minutes", "at")


@pytest.mark.parametrize("doc, message", [
    ([], "a load profile must be a mapping with a 'workloads' list"),
    ({}, "workloads: required (a list)"),
    ({"kind": "Deployment", "workloads": []}, 'kind: expected "LoadProfile", got "Deployment"'),
    ({"interpolation": "cubic", "workloads": []}, 'interpolation: supported values: "step", "linear" (got "cubic")'),
    ({"workloads": [{"target": "web", "points": [{"at": 0}]}]},
     "workloads[0].target: required, as TYPE/NAME (e.g. deployment/web)"),
    ({"workloads": [{"target": "deploy/web"}]}, "workloads[0].points: required (a non-empty list)"),
    ({"workloads": [{"target": "deploy/web", "points": [{"cpu": "1"}]}]}, "workloads[0].points[0].at: required"),
    ({"workloads": [{"target": "deploy/web", "points": [{"at": 0, "cpu": "x"}]}]},
     'workloads[0].points[0]: invalid cpu quantity "x": quantities must match the regular expression'),
    ({"workloads": [{"target": "deploy/web", "points": [{"at": 0, "gpu": 1}]}]},
     'workloads[0].points[0]: unknown field "gpu"'),
    ({"workloads": [{"target": "deploy/web", "points": [{"at": 0}]}, {"target": "deploy/web", "points": [{"at": 0}]}]},
     "workloads[1].target: deploy/web in namespace default is listed twice"),
    ({"workloads": [{"target": "deploy/web", "spread": [0, 0], "points": [{"at": 0}]}]},
     "workloads[0].spread: invalid spread"),
])
def test_invalid_profiles_name_the_field(doc, message):
    with pytest.raises(ProfileError) as e:
        parse_profile(doc)
    assert str(e.value).startswith(message)
