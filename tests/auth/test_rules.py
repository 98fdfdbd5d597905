"""Rule matching (evaluation_helpers.go, RuleAllows): the cases of upstream's
``TestRuleMatches`` and the subresource / resourceNames / non-resource URL rules."""

from __future__ import annotations

import pytest

from kctl.api.authorization.attributes import non_resource_attributes, resource_attributes
from kctl.api.authorization.rules import rule_allows
from kctl.api.authorization.user import UserInfo

U = UserInfo("u")


def rule(verbs, groups=None, resources=None, urls=None, names=None) -> dict:
    r = {"verbs": verbs}
    for key, value in (("apiGroups", groups), ("resources", resources), ("nonResourceURLs", urls),
                       ("resourceNames", names)):
        if value is not None:
            r[key] = value
    return r


def res(verb, group="", resource="", subresource="", name=""):
    return resource_attributes(U, verb, namespace="ns", api_group=group, resource=resource,
                               subresource=subresource, name=name)


def url(verb, path):
    return non_resource_attributes(U, verb, path)


GRID = [(v, g, r) for v in ("verb1", "verb2") for g in ("group1", "group2") for r in ("resource1", "resource2")]


@pytest.mark.parametrize(("the_rule", "allowed"), [
    # star verb, exact match other
    (rule(["*"], ["group1"], ["resource1"]), {("verb1", "group1", "resource1"), ("verb2", "group1", "resource1")}),
    # star group, exact match other
    (rule(["verb1"], ["*"], ["resource1"]), {("verb1", "group1", "resource1"), ("verb1", "group2", "resource1")}),
    # star resource, exact match other
    (rule(["verb1"], ["group1"], ["*"]), {("verb1", "group1", "resource1"), ("verb1", "group1", "resource2")}),
    # tuple expansion: every combination
    (rule(["verb1", "verb2"], ["group1", "group2"], ["resource1", "resource2"]), set(GRID)),
])
def test_verbs_groups_and_resources(the_rule, allowed):
    for verb, group, resource in GRID:
        assert rule_allows(res(verb, group, resource), the_rule) is ((verb, group, resource) in allowed)


def test_subresource_expansion():
    r = rule(["*"], ["*"], ["resource1/subresource1"])
    assert rule_allows(res("verb1", "group1", "resource1", "subresource1"), r)
    assert rule_allows(res("verb2", "group1", "resource1", "subresource1"), r)
    assert not rule_allows(res("verb1", "group2", "resource1", "subresource2"), r)
    assert not rule_allows(res("verb1", "group1", "resource2", "subresource1"), r)
    assert not rule_allows(res("verb1", "group1", "resource1"), r)


def test_a_resource_does_not_grant_its_subresources_and_back():
    pods = rule(["*"], ["*"], ["pods"])
    assert rule_allows(res("get", resource="pods"), pods)
    assert not rule_allows(res("get", resource="pods", subresource="status"), pods)
    status = rule(["*"], ["*"], ["pods/status"])
    assert rule_allows(res("get", resource="pods", subresource="status"), status)
    assert not rule_allows(res("get", resource="pods"), status)


def test_star_resource_covers_subresources_and_star_slash_subresource_any_resource():
    assert rule_allows(res("get", resource="pods", subresource="log"), rule(["get"], [""], ["*"]))
    scale = rule(["update"], ["apps"], ["*/scale"])
    assert rule_allows(res("update", "apps", "deployments", "scale"), scale)
    assert rule_allows(res("update", "apps", "statefulsets", "scale"), scale)
    assert not rule_allows(res("update", "apps", "deployments"), scale)
    assert not rule_allows(res("update", "apps", "deployments", "status"), scale)
    assert not rule_allows(res("update", "apps", "deployments", "scalex"), scale)
    # "pods/*" is not a wildcard
    assert not rule_allows(res("get", resource="pods", subresource="log"), rule(["get"], [""], ["pods/*"]))


def test_core_group_is_the_empty_string():
    r = rule(["get"], [""], ["pods"])
    assert rule_allows(res("get", "", "pods"), r)
    assert not rule_allows(res("get", "metrics.k8s.io", "pods"), r)


def test_resource_names():
    r = rule(["get", "update"], [""], ["configmaps"], names=["app-config"])
    assert rule_allows(res("get", resource="configmaps", name="app-config"), r)
    assert not rule_allows(res("get", resource="configmaps", name="other"), r)
    assert not rule_allows(res("list", resource="configmaps"), r)
    assert not rule_allows(res("get", resource="configmaps"), r)  # no name: not listed
    assert rule_allows(res("get", resource="configmaps", name="anything"), rule(["get"], [""], ["configmaps"]))


@pytest.mark.parametrize(("urls", "path", "allowed"), [
    (["*"], "/foo", True), (["*"], "/foo/bar/one", True),
    (["/foo/*"], "/foo", False), (["/foo/*"], "/foo/bar", True), (["/foo/*"], "/foo/bar/one", True),
    (["/foo/*"], "/notfoo/bar", False),
    (["/foo", "/foo/bar/one"], "/foo", True), (["/foo", "/foo/bar/one"], "/foo/bar", False),
    (["/foo", "/foo/bar/one"], "/foo/bar/one", True),
    (["/healthz*"], "/healthz/etcd", True), (["/healthz*"], "/healthzzz", True),
])
def test_non_resource_urls(urls, path, allowed):
    assert rule_allows(url("get", path), rule(["get"], urls=urls)) is allowed
    assert not rule_allows(url("post", path), rule(["get"], urls=urls))
    assert rule_allows(url("post", path), rule(["*"], urls=urls)) is allowed


def test_resource_rules_do_not_match_non_resource_requests_and_back():
    assert not rule_allows(url("get", "/apis"), rule(["*"], ["*"], ["*"]))
    assert not rule_allows(res("get", resource="pods"), rule(["*"], urls=["*"]))
