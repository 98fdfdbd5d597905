"""``kctl auth can-i`` and ``kctl auth whoami``: kubectl 1.34's answers, warnings, errors and
exit codes over the RBAC manifests of ``conftest.RBAC``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.auth.conftest import golden

CI = "--as=system:serviceaccount:dev:ci"


def answer(k, *args):
    r = k("auth", "can-i", *args)
    return r.out, r.code


@pytest.mark.parametrize(("args", "expected"), [
    # the Role in dev, through the ServiceAccount's RoleBinding
    (("get", "pods", "-n", "dev", CI), "yes"),
    (("watch", "pods", "-n", "dev", CI), "yes"),
    (("delete", "pods", "-n", "dev", CI), "no"),
    (("get", "pods", CI), "no"),  # default namespace
    (("get", "pods", "-A", CI), "no"),  # cluster-wide: RoleBindings do not count
    (("get", "po", "-n", "dev", CI), "yes"),  # short names resolve
    (("get", "pods/web-1", "-n", "dev", CI), "yes"),
    # subresources
    (("get", "pods", "--subresource=log", "-n", "dev", CI), "yes"),
    (("get", "pods", "--subresource=exec", "-n", "dev", CI), "no"),
    # resourceNames
    (("get", "configmaps/app-config", "-n", "dev", CI), "yes"),
    (("update", "cm/app-config", "-n", "dev", CI), "yes"),
    (("get", "configmaps/other", "-n", "dev", CI), "no"),
    (("list", "configmaps", "-n", "dev", CI), "no"),
    # a ClusterRole through a RoleBinding: its namespace only
    (("create", "deployments", "-n", "prod", CI), "yes"),
    (("create", "deployments.apps", "-n", "prod", CI), "yes"),
    (("create", "deployments", "-n", "dev", CI), "no"),
    (("update", "deployments.apps", "--subresource=scale", "-n", "prod", CI), "yes"),
    (("update", "statefulsets", "--subresource=scale", "-n", "prod", CI), "yes"),
    (("update", "statefulsets", "-n", "prod", CI), "no"),
    # aggregation, through a group
    (("list", "nodes", "--as=erin", "--as-group=sre"), "yes"),
    (("list", "nodes.metrics.k8s.io", "--as=erin", "--as-group=sre", "-A"), "yes"),
    (("list", "nodes", "--as=erin"), "no"),
    (("get", "/metrics", "--as=erin", "--as-group=sre"), "yes"),
    (("get", "/debug/pprof/heap", "--as=erin", "--as-group=sre"), "yes"),
    (("post", "/metrics", "--as=erin", "--as-group=sre"), "no"),
    # the default policy: discovery for authenticated users, OIDC discovery for service accounts
    (("get", "/apis/apps/v1", "--as=erin"), "yes"),
    (("get", "/openid/v1/jwks", "--as=erin"), "no"),
    (("get", "/openid/v1/jwks", CI), "yes"),
    (("create", "selfsubjectaccessreviews.authorization.k8s.io", "--as=erin"), "yes"),
    # the admin (system:masters)
    (("delete", "nodes", "-A"), "yes"),
    (("*", "*"), "yes"),
    (("impersonate", "users"), "yes"),
])
def test_answers(k, args, expected):
    out, code = answer(k, *args)
    assert out == expected + "\n"
    assert code == (0 if expected == "yes" else 1)


def test_quiet_prints_nothing_and_keeps_the_exit_code(k):
    r = k("auth", "can-i", "get", "pods", "-n", "dev", CI, "-q")
    assert (r.code, r.out, r.err) == (0, "", "")
    r = k("auth", "can-i", "delete", "pods", "-n", "dev", CI, "--quiet")
    assert (r.code, r.out, r.err) == (1, "", "")


def test_a_binding_to_a_missing_role_is_the_reason(k):
    r = k("auth", "can-i", "get", "pods", "-n", "dev", "--as=dora")
    assert r.code == 1
    assert r.out == 'no - RBAC: role.rbac.authorization.k8s.io "missing" not found\n'


def test_warnings(k):
    r = k("auth", "can-i", "list", "nodes", "-n", "dev", "--as=erin", "--as-group=sre")
    assert (r.code, r.out, r.err) == (0, "yes\n", "Warning: resource 'nodes' is not namespace scoped\n")
    r = k("auth", "can-i", "get", "clusterroles", "--as=erin")
    assert r.err == "Warning: resource 'clusterroles' is not namespace scoped in group 'rbac.authorization.k8s.io'\n"
    assert (r.code, r.out) == (1, "no\n")
    r = k("auth", "can-i", "frob", "foos")
    assert r.err == ("Warning: the server doesn't have a resource type 'foos'\n"
                     "Warning: verb 'frob' is not a known verb\n")
    assert (r.code, r.out) == (0, "yes\n")
    r = k("auth", "can-i", "get", "widgets.example.com", "-A")
    assert r.err == "Warning: the server doesn't have a resource type 'widgets' in group 'example.com'\n"
    r = k("auth", "can-i", "fetch", "/healthz")
    assert r.err == "Warning: verb 'fetch' is not a known verb\n"
    # no warnings with -A, nor for the impersonation resources
    assert k("auth", "can-i", "frob", "nodes", "-A").err == ""
    assert k("auth", "can-i", "impersonate", "groups").err == ""


@pytest.mark.parametrize(("args", "message"), [
    (("get",), "error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
               "See 'kctl auth can-i -h' for help and examples.\n"),
    (("get", "pods", "extra"), "error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
                               "See 'kctl auth can-i -h' for help and examples.\n"),
    (("--list", "pods"), "error: list option must be specified with no arguments\n"),
    (("--list", "-A"), "error: list option can't be specified with neither quiet, all-namespaces nor subresource "
                       "options\n"),
    (("--list", "--subresource=log"), "error: list option can't be specified with neither quiet, all-namespaces nor "
                                      "subresource options\n"),
    (("get", "/logs", "--subresource=log"), "error: --subresource can not be used with NonResourceURL\n"),
    (("get", "pods", "--no-headers"), "error: --no-headers cannot be set without --list specified\n"),
    (("get", "pods", "--as-group=sre"), "error: invalid configuration: requesting uid, groups or user-extra for "
                                        "kubernetes-admin without impersonating a user\n"),
])
def test_errors(k, args, message):
    r = k("auth", "can-i", *args)
    assert (r.code, r.out, r.err) == (1, "", message)


def test_list_for_a_service_account(k):
    r = k("auth", "can-i", "--list", "-n", "dev", CI)
    assert r.code == 0 and r.err == ""
    golden("list_sa_dev.txt", r.out)
    r = k("auth", "can-i", "--list", "-n", "prod", CI)
    golden("list_sa_prod.txt", r.out)


def test_list_for_the_admin_and_a_group(k):
    golden("list_admin.txt", k.ok("auth", "can-i", "--list"))
    golden("list_sre_no_headers.txt", k.ok("auth", "can-i", "--list", "--as=erin", "--as-group=sre", "--no-headers"))


def test_list_table_layout(k):
    lines = k.ok("auth", "can-i", "--list", "-n", "prod", CI).splitlines()
    assert lines[0].split() == ["Resources", "Non-Resource", "URLs", "Resource", "Names", "Verbs"]
    assert "deployments.apps                                []                                     []" \
           "               [get list create update patch]" in lines
    # CombineResourceGroup puts the group between resource and subresource
    assert "*.apps/scale                                    []                                     []" \
           "               [update]" in lines


def test_whoami(k):
    assert k.ok("auth", "whoami") == ("ATTRIBUTE   VALUE\n"
                                      "Username    kubernetes-admin\n"
                                      "Groups      [system:masters system:authenticated]\n")
    assert k.ok("auth", "whoami", CI) == (
        "ATTRIBUTE   VALUE\n"
        "Username    system:serviceaccount:dev:ci\n"
        "Groups      [system:serviceaccounts system:serviceaccounts:dev system:authenticated]\n")
    assert k.ok("auth", "whoami", "--as=erin", "--as-group=sre", "--as-group=oncall") == (
        "ATTRIBUTE   VALUE\n"
        "Username    erin\n"
        "Groups      [sre oncall system:authenticated]\n")
    review = json.loads(k.ok("auth", "whoami", "-o", "json", "--as=erin"))
    assert review == {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                      "metadata": {"creationTimestamp": None},
                      "status": {"userInfo": {"username": "erin", "groups": ["system:authenticated"]}}}
    assert k.ok("auth", "whoami", "-o", "yaml", "--as=erin") == (
        "apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata:\n  creationTimestamp: null\n"
        "status:\n  userInfo:\n    groups:\n    - system:authenticated\n    username: erin\n")
    r = k("auth", "whoami", "--as-group=sre")
    assert (r.code, r.err) == (1, "error: invalid configuration: requesting uid, groups or user-extra for "
                                  "kubernetes-admin without impersonating a user\n")


def test_registering_auth_imports_no_heavy_library():
    heavy = ("rich", "sqlalchemy", "yaml", "ruamel", "jsonschema")
    code = ("import sys; from kctl.cli import build_app; build_app(only='auth'); "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
