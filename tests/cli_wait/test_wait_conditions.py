"""kctl.cli.wait's pure parts: --for parsing, condition and jsonpath matching as kubectl's
ConditionalWait / JSONPathWait do it, and the duration shown on stderr."""

from __future__ import annotations

import pytest

from kctl.cli.errors import CommandError
from kctl.cli.wait import (
    NEGATIVE_TIMEOUT_SECONDS,
    WaitError,
    condition_met,
    format_seconds,
    parse_for,
    parse_timeout,
    split_jsonpath_input,
)


def deployment(conditions, generation=1, observed=1):
    return {"metadata": {"generation": generation},
            "status": {"observedGeneration": observed, "conditions": conditions}}


AVAILABLE = {"type": "Available", "status": "True"}


def test_parse_for_forms():
    assert parse_for("Delete").kind == "delete"
    assert parse_for("CREATE").kind == "create"
    c = parse_for("condition=Available")
    assert (c.kind, c.name, c.value) == ("condition", "Available", "true")
    c = parse_for("condition=Ready=False")
    assert (c.name, c.value) == ("Ready", "False")
    c = parse_for("condition=Ready=")
    assert (c.name, c.value) == ("Ready", "")  # an explicit empty value, as kubectl keeps it
    c = parse_for("jsonpath='{.status.phase}'=\"Running\"".replace("'{", "{").replace("}'", "}"))
    assert (c.kind, c.value, c.match_any_value) == ("jsonpath", "Running", False)
    assert parse_for("jsonpath={.status.loadBalancer.ingress}").match_any_value


@pytest.mark.parametrize("text, message", [
    ("Condition=Ready", 'unrecognized condition: "Condition=Ready"'),
    ("", 'unrecognized condition: ""'),
    ("jsonpath=", "jsonpath expression cannot be empty"),
    ("jsonpath={.a}=''", "jsonpath wait has to have a value after equal sign, like "
                         "--for=jsonpath='{.status.readyReplicas}'=3"),
    ("jsonpath={.a[}", "unterminated array"),
])
def test_parse_for_errors(text, message):
    with pytest.raises(CommandError) as e:
        parse_for(text)
    assert e.value.message == message


def test_split_jsonpath_input_keeps_double_equals():
    assert split_jsonpath_input("a.b.c====d.e.f===g.h.i===") == ["a.b.c====d.e.f==", "g.h.i==", ""]
    assert split_jsonpath_input('{.x[?(@.type=="Ready")].status}=True') == ['{.x[?(@.type=="Ready")].status}', "True"]
    assert split_jsonpath_input("{.a}") == ["{.a}"]


def test_condition_met_folds_case_and_reads_the_first_matching_type():
    obj = deployment([{"type": "Progressing", "status": "True"}, {"type": "available", "status": "true"}])
    assert condition_met(obj, "Available", "True")
    assert not condition_met(obj, "Available", "False")
    assert not condition_met(obj, "Ready", "True")
    assert not condition_met({"status": {}}, "Ready", "True")
    assert not condition_met({}, "Ready", "True")
    # a condition without a status is skipped; the next one of the type decides
    obj = deployment([{"type": "Available"}, AVAILABLE])
    assert condition_met(obj, "available", "true")


def test_conditions_of_an_older_generation_do_not_count():
    assert not condition_met(deployment([AVAILABLE], generation=2, observed=1), "Available", "True")
    assert condition_met(deployment([AVAILABLE], generation=2, observed=2), "Available", "True")
    # the condition's own observedGeneration wins over status.observedGeneration
    fresh = {**AVAILABLE, "observedGeneration": 2}
    assert condition_met(deployment([fresh], generation=2, observed=1), "Available", "True")
    stale = {**AVAILABLE, "observedGeneration": 1}
    assert not condition_met(deployment([stale], generation=2, observed=2), "Available", "True")
    # no generation (pods): nothing to compare
    assert condition_met({"status": {"conditions": [{"type": "Ready", "status": "True"}]}}, "Ready", "True")


def test_jsonpath_matching():
    pod = {"metadata": {"generation": 1}, "status": {"phase": "Running", "ready": True, "ratio": 0.5,
                                                      "conditions": [{"type": "Ready", "status": "True"},
                                                                     {"type": "Initialized", "status": "True"}]}}
    assert parse_for("jsonpath={.status.phase}=Running").met(pod)
    assert parse_for("jsonpath={.status.phase}= Running ").met(pod)  # both sides trimmed
    assert not parse_for("jsonpath={.status.phase}=running").met(pod)  # values are not case folded
    assert parse_for("jsonpath={.status.ready}=true").met(pod)  # Go's %v of a bool
    assert parse_for("jsonpath={.metadata.generation}=1").met(pod)
    assert parse_for("jsonpath={.status.ratio}=0.5").met(pod)
    assert parse_for('jsonpath={.status.conditions[?(@.type=="Ready")].status}=True').met(pod)
    assert not parse_for("jsonpath={.status.missing}").met(pod)  # missing keys: not yet
    assert parse_for("jsonpath={.status.conditions}").met(pod)  # any value, even a list
    with pytest.raises(WaitError, match="matches more than one value"):
        parse_for("jsonpath={.status.conditions[*].type}=Ready").met(pod)
    with pytest.raises(WaitError, match="nested object or list"):
        parse_for("jsonpath={.status.conditions}=x").met(pod)


def test_timeouts_and_durations():
    assert parse_timeout("30s") == 30
    assert parse_timeout("1m30s") == 90
    assert parse_timeout("0") == 0
    assert parse_timeout("-1s") == NEGATIVE_TIMEOUT_SECONDS == 604800
    with pytest.raises(CommandError):
        parse_timeout("5 minutes")
    assert [format_seconds(s) for s in (0, 15, 45, 60, 135, 3600, 3725)] == \
        ["0s", "15s", "45s", "1m0s", "2m15s", "1h0m0s", "1h2m5s"]
