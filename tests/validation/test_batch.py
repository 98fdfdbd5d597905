from __future__ import annotations

import pytest

from kctl.api.validation import validate
from kctl.api.validation.cron import CronError, parse_standard
from tests.validation.conftest import messages

TEMPLATE = {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "job", "image": "busybox:1.36"}]}}


def job(**spec):
    s = {"template": {"spec": dict(TEMPLATE["spec"])}}
    s.update(spec)
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": s}


def cron(**spec):
    s = {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": dict(TEMPLATE["spec"])}}}}
    s.update(spec)
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report"}, "spec": s}


def test_valid_jobs():
    assert validate(job(completions=5, parallelism=2, backoffLimit=4)) == []
    assert validate(cron()) == []
    assert validate(cron(schedule="@hourly", timeZone="Europe/Paris", concurrencyPolicy="Forbid")) == []


def test_job_rules():
    assert messages(validate(job(completions=-1, parallelism=-1))) == [
        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
        "spec.completions: Invalid value: -1: must be greater than or equal to 0",
    ]
    obj = job()
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert messages(validate(obj)) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'
    ]
    obj["spec"]["template"]["spec"].pop("restartPolicy")
    assert messages(validate(obj)) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'
    ]
    assert messages(validate(job(completionMode="Indexed"))) == [
        "spec.completions: Required value: when completion mode is Indexed"
    ]
    manual = job(manualSelector=True, selector={"matchLabels": {"app": "x"}})
    assert messages(validate(manual)) == [
        "spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`"
    ]


def test_cron_job_rules():
    assert messages(validate(cron(schedule="* * * *"))) == [
        'spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]'
    ]
    assert messages(validate(cron(schedule="60 * * * *"))) == [
        'spec.schedule: Invalid value: "60 * * * *": end of range (60) above maximum (59): 60'
    ]
    assert messages(validate(cron(schedule="TZ=UTC 0 * * * *"))) == [
        'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'
    ]
    assert messages(validate(cron(concurrencyPolicy="Sometimes", startingDeadlineSeconds=-5))) == [
        "spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0",
        'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]
    assert messages(validate(cron(timeZone="Mars/Olympus"))) == [
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'
    ]
    long_name = cron()
    long_name["metadata"]["name"] = "r" * 53
    assert messages(validate(long_name)) == [
        f'metadata.name: Invalid value: "{"r" * 53}": must be no more than 52 characters'
    ]


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("", "empty spec string"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every 5x", 'failed to parse duration @every 5x: time: invalid duration "5x"'),
    ],
)
def test_cron_parser_errors(spec, error):
    with pytest.raises(CronError) as exc:
        parse_standard(spec)
    assert str(exc.value) == error


@pytest.mark.parametrize(
    "spec", ["0 0 * * 0", "*/15 9-17 * * mon-fri", "0 0 1 jan,jul *", "@daily", "@every 1h30m", "? * * * ?"]
)
def test_cron_parser_accepts(spec):
    parse_standard(spec)
