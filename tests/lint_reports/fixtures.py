"""Results that exercise every branch of every report format, built by hand (no runner)."""

from __future__ import annotations

from kctl.lint.results import ERROR, INVALID, SKIPPED, VALID, Finding, ResourceResult


def sample_results() -> list[ResourceResult]:
    return [
        ResourceResult(
            filename="k8s/app.yaml",
            kind="ConfigMap",
            name="settings",
            version="v1",
            status=VALID,
            line=1,
            column=1,
        ),
        ResourceResult(
            filename="k8s/app.yaml",
            kind="Deployment",
            name="web",
            version="apps/v1",
            status=INVALID,
            msg=(
                'metadata.name: Invalid value: "Web_App": a lowercase RFC 1123 subdomain must consist of lower case '
                "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character; "
                'spec.template.spec.containers[0].imagePullPolcy: unknown field "spec.template.spec.containers[0].imagePullPolcy"; '
                'metadata.labels[app.kubernetes.io/name]: Invalid value: "<a&b>": must be no more than 63 characters; '
                "spec.selector: Required value"
            ),
            findings=[
                Finding(
                    "metadata.name",
                    'Invalid value: "Web_App": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
                    "characters, '-' or '.', and must start and end with an alphanumeric character",
                    line=8,
                    column=9,
                ),
                Finding(
                    "spec.template.spec.containers[0].imagePullPolcy",
                    'unknown field "spec.template.spec.containers[0].imagePullPolcy"',
                    line=21,
                    column=11,
                ),
                Finding(
                    "metadata.labels[app.kubernetes.io/name]",
                    'Invalid value: "<a&b>": must be no more than 63 characters',
                    line=10,
                ),
                Finding("spec.selector", "Required value"),
            ],
            line=6,
            column=1,
        ),
        ResourceResult(
            filename="k8s/app.yaml",
            kind="Widget",
            name="w1",
            version="example.com/v1",
            status=ERROR,
            msg="could not find schema for Widget",
            line=30,
            column=1,
        ),
        ResourceResult(
            filename="k8s/bad syntax.yaml",
            status=ERROR,
            msg="yaml: line 3: mapping values are not allowed in this context",
            line=3,
            column=7,
        ),
        ResourceResult(
            filename="k8s/missing.yaml", status=ERROR, msg='the path "k8s/missing.yaml" does not exist'
        ),
        ResourceResult(
            filename="k8s/app.yaml",
            kind="Secret",
            name="token",
            version="v1",
            status=SKIPPED,
            line=40,
            column=1,
        ),
        ResourceResult(
            filename="k8s/café.json",
            kind="Service",
            name="api",
            version="v1",
            status=INVALID,
            msg='Invalid value: "x\x01y": bad control character',
            findings=[Finding("", 'Invalid value: "x\x01y": bad control character')],
        ),
    ]
