"""apply / create -f / replace -f validate each object once: the document's schema up front,
the server-side rules by the API server on the object it stores, and lint's FILE:LINE:COL
report whenever the document itself breaks those rules (kctl.cli.files)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.cli_write.conftest import WEB, WEB_SVC

INVALID = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: -1
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers: [{name: c, image: nginx}]
"""

REPLICAS = "spec.replicas: Invalid value: -1: must be greater than or equal to 0"


def configmaps(n: int) -> str:
    return "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\ndata: {{a: b}}\n" for i in range(n))


@pytest.fixture
def validations(monkeypatch) -> Counter:
    """(kind, name) -> how many times the server-side rules ran on it (CLI and server)."""
    from kctl.api import validation

    seen: Counter = Counter()
    original = validation.validate

    def counting(obj):
        seen[(obj.get("kind"), (obj.get("metadata") or {}).get("name"))] += 1
        return original(obj)

    monkeypatch.setattr(validation, "validate", counting)
    return seen


@pytest.mark.parametrize("verb", ["apply", "create"])
def test_each_new_object_is_validated_once(k, validations, verb):
    r = k(verb, "-q", "-f", k.file("cms.yaml", configmaps(3)))
    assert (r.code, r.err) == (0, "")
    assert r.out == "configmap/cm-0 created\nconfigmap/cm-1 created\nconfigmap/cm-2 created\n"
    assert {key: n for key, n in validations.items() if key[0] == "ConfigMap"} == {
        ("ConfigMap", "cm-0"): 1, ("ConfigMap", "cm-1"): 1, ("ConfigMap", "cm-2"): 1}


def test_replace_validates_once(web, validations):
    r = web("replace", "-q", "-f", web.file("svc.yaml", WEB_SVC.replace("targetPort: 80", "targetPort: 8080")))
    assert (r.code, r.out) == (0, "service/web replaced\n")
    assert validations[("Service", "web")] == 1


@pytest.mark.parametrize("verb", ["apply", "create"])
def test_invalid_document_gets_lints_report_and_valid_ones_are_stored(k, verb):
    path = k.file("mixed.yaml", WEB_SVC + "---\n" + INVALID)
    r = k(verb, "-q", "-f", path)
    assert (r.code, r.out) == (1, "service/web created\n")
    assert r.err == f"error: {path}:15:13: Deployment/bad: {REPLICAS}\n"
    assert k.get("deployments", "bad") is None


def test_several_findings_are_listed_under_validation_failed(k):
    doc = INVALID.replace("name: c,", "name: Bad_Name,")
    path = k.file("bad.yaml", doc)
    r = k("apply", "-q", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == (
        "error: validation failed:\n"
        f"{path}:5:13: Deployment/bad: {REPLICAS}\n"
        f"{path}:10:27: Deployment/bad: spec.template.spec.containers[0].name: Invalid value: \"Bad_Name\": "
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
        "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n")


def test_document_problems_come_before_the_servers_refusal(k):
    """The server refuses for another reason first (no such namespace, no name): the
    document's own problems are what the user sees, as when the rules ran up front."""
    path = k.file("ns.yaml", INVALID.replace("{name: bad}", "{name: bad, namespace: nope}"))
    r = k("apply", "-q", "-f", path)
    assert (r.code, r.err) == (1, f"error: {path}:5:13: Deployment/bad: {REPLICAS}\n")
    path = k.file("noname.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n")
    r = k("apply", "-q", "-f", path)
    assert (r.code, r.err) == (
        1, f"error: {path}:3:11: ConfigMap: metadata.name: Required value: name or generateName is required\n")
    assert k("create", "-q", "-f", k.file("ok.yaml", WEB_SVC), "-n", "nope").err == (
        'Error from server (NotFound): error when creating "' + str(k.workdir / "ok.yaml") + '": namespaces "nope" not found\n')


def test_refusals_of_valid_documents_keep_the_servers_words(web):
    path = web.file("web.yaml", WEB)
    r = web("create", "-q", "-f", path)
    assert r.err == f'Error from server (AlreadyExists): error when creating "{path}": deployments.apps "web" already exists\n'


def test_patch_of_a_live_object_checks_the_document_as_written(web):
    """The merged object would be valid (the live container keeps its image), but the
    document is not: it is refused, as kctl lint would refuse it."""
    path = web.file("noimage.yaml", WEB.replace("        image: nginx:1.25\n", "").replace("replicas: 2", "replicas: 3"))
    r = web("apply", "-q", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == f"error: {path}:15:9: Deployment/web: spec.template.spec.containers[0].image: Required value\n"
    assert web.get("deployments", "web")["spec"]["replicas"] == 2


def test_server_validates_what_apply_adds(k):
    """The last-applied annotation is part of what the server validates (262144 bytes)."""
    path = k.file("big.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: " + "x" * 270000 + "\n")
    r = k("apply", "-q", "-f", path)
    assert (r.code, r.err) == (
        1, 'The ConfigMap "big" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n')
    assert k.get("configmaps", "big") is None
    assert k("create", "-q", "-f", path).code == 0  # without the annotation it fits


def test_replace_force_with_an_invalid_document_deletes_nothing(web):
    uid = web.get("deployments", "web")["metadata"]["uid"]
    path = web.file("bad.yaml", WEB.replace("replicas: 2", "replicas: -1"))
    r = web("replace", "--force", "-q", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == f"error: {path}:7:13: Deployment/web: {REPLICAS}\n"
    assert web.get("deployments", "web")["metadata"]["uid"] == uid


def test_replace_with_an_invalid_document(web):
    path = web.file("bad.yaml", WEB.replace("replicas: 2", "replicas: -1"))
    r = web("replace", "-q", "-f", path)
    assert (r.code, r.out, r.err) == (1, "", f"error: {path}:7:13: Deployment/web: {REPLICAS}\n")


@pytest.mark.parametrize("verb", ["apply", "create"])
def test_client_dry_run_checks_the_rules_up_front(k, verb):
    path = k.file("bad.yaml", INVALID)
    r = k(verb, "--dry-run=client", "-f", path)
    assert (r.code, r.out, r.err) == (1, "", f"error: {path}:5:13: Deployment/bad: {REPLICAS}\n")


def test_validate_warn_prints_findings_then_the_server_refuses(k):
    path = k.file("bad.yaml", INVALID)
    r = k("apply", "-q", "--validate=warn", "-f", path)
    assert r.code == 1
    assert r.err == (f"Warning: {path}:5:13: Deployment/bad: {REPLICAS}\n"
                     f'The Deployment "bad" is invalid: {REPLICAS}\n')


def test_large_apply_sees_existing_and_just_created_objects(k):
    """Past LiveLookup.MANY manifests the live objects are found through the partition's
    names: existing ones are patched, a name repeated in the run is unchanged the 2nd time."""
    from kctl.cli.apply import LiveLookup

    k.apply(configmaps(2).replace("{a: b}", "{a: old}"))
    n = LiveLookup.MANY + 1
    docs = configmaps(n) + "---\n" + configmaps(1)
    r = k("apply", "-q", "-f", k.file("many.yaml", docs))
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    assert lines[:3] == ["configmap/cm-0 configured", "configmap/cm-1 configured", "configmap/cm-2 created"]
    assert lines[-1] == "configmap/cm-0 unchanged" and len(lines) == n + 1
    assert len(k.names("configmaps")) == n + 1  # with kube-root-ca.crt
    assert k.get("configmaps", "cm-0")["data"] == {"a": "b"}
