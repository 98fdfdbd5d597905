"""Ingress routing semantics: hosts, path types and upstream's precedence (pure functions)."""

from __future__ import annotations

import pytest

from kctl.networking.ingress import (
    admit_default_ingress_class,
    default_ingress_class,
    host_matches,
    match_request,
    path_matches,
    sort_ingresses,
)


def ingress(name: str, rules: list, *, created: str = "2025-05-01T12:00:00Z", default_backend: str | None = None,
            ns: str = "default") -> dict:
    spec: dict = {"rules": [
        {**({"host": host} if host else {}),
         "http": {"paths": [{"path": p, "pathType": t, "backend": {"service": {"name": svc, "port": {"number": 80}}}}
                            for p, t, svc in paths]}}
        for host, paths in rules
    ]}
    if default_backend:
        spec["defaultBackend"] = {"service": {"name": default_backend, "port": {"number": 80}}}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": ns, "creationTimestamp": created}, "spec": spec}


def winner(ingresses, host, path):
    m = match_request(ingresses, host, path)
    return None if m.winner is None else m.winner.backend["service"]["name"]


@pytest.mark.parametrize(("prefix", "path", "expected"), [
    ("/", "/anything/at/all", True),
    ("/foo", "/foo", True),
    ("/foo", "/foo/", True),
    ("/foo", "/foo/bar", True),
    ("/foo", "/foobar", False),
    ("/aaa/bb", "/aaa/bbb", False),
    ("/aaa/bbb", "/aaa/bbbxyz", False),
    ("/aaa/bbb/", "/aaa/bbb", True),
    ("/aaa/bbb", "/aaa/bbb/ccc", True),
    ("/Foo", "/foo", False),
])
def test_prefix_is_element_wise(prefix, path, expected):
    assert path_matches("Prefix", prefix, path) is expected


@pytest.mark.parametrize(("path", "request_path", "expected"), [
    ("/foo", "/foobar", True),  # nginx's prefix location: a string prefix
    ("/foo", "/foo/bar", True),
    ("/foo/", "/foo", False),
    ("/", "/x", True),
])
def test_implementation_specific_is_ingress_nginx_string_prefix(path, request_path, expected):
    assert path_matches("ImplementationSpecific", path, request_path) is expected


@pytest.mark.parametrize(("exact", "path", "expected"), [
    ("/foo", "/foo", True), ("/foo", "/foo/", False), ("/foo", "/foo/bar", False), ("/foo", "/Foo", False),
])
def test_exact_is_the_whole_path(exact, path, expected):
    assert path_matches("Exact", exact, path) is expected


@pytest.mark.parametrize(("rule", "host", "expected"), [
    ("*.foo.com", "bar.foo.com", True),
    ("*.foo.com", "baz.bar.foo.com", False),
    ("*.foo.com", "foo.com", False),
    ("foo.com", "FOO.com:8443", True),
    ("", "whatever.example", True),
])
def test_wildcard_hosts_cover_one_label(rule, host, expected):
    assert host_matches(rule, host) is expected


def test_exact_beats_prefix_at_equal_length_and_longest_prefix_wins():
    ing = ingress("web", [("shop.example.com", [("/", "Prefix", "root"), ("/api", "Prefix", "api-prefix"),
                                                ("/api", "Exact", "api-exact"), ("/api/v2", "Prefix", "v2")])])
    assert winner([ing], "shop.example.com", "/api") == "api-exact"
    assert winner([ing], "shop.example.com", "/api/") == "api-prefix"
    assert winner([ing], "shop.example.com", "/api/v2/orders") == "v2"
    assert winner([ing], "shop.example.com", "/apix") == "root"
    m = match_request([ing], "shop.example.com", "/api")
    reasons = {c.backend["service"]["name"]: why for c, why in m.losers}
    assert reasons == {
        "root": "shorter than /api (the longest matching path wins)",
        "api-prefix": "Exact /api takes precedence over Prefix at equal length",
        "v2": "Prefix path /api/v2 does not match /api",
    }


def test_foo_does_not_match_foobar_and_falls_to_the_default_backend():
    ing = ingress("web", [("", [("/foo", "Prefix", "foo")])], default_backend="fallback")
    assert winner([ing], "x.example", "/foo/bar") == "foo"
    m = match_request([ing], "x.example", "/foobar")
    assert m.winner is None
    assert m.default_backend[1]["service"]["name"] == "fallback"
    assert [why for _, why in m.losers] == ["Prefix path /foo does not match /foobar"]


def test_exact_host_beats_wildcard_beats_no_host():
    catch_all = ingress("any", [("", [("/", "Prefix", "any")])])
    wild = ingress("wild", [("*.example.com", [("/", "Prefix", "wild")])])
    exact = ingress("exact", [("shop.example.com", [("/", "Prefix", "exact")])])
    both = [catch_all, wild, exact]
    assert winner(both, "shop.example.com", "/x") == "exact"
    assert winner(both, "blog.example.com", "/x") == "wild"
    assert winner(both, "a.blog.example.com", "/x") == "any"
    m = match_request(both, "shop.example.com", "/")
    assert sorted(why for _, why in m.losers) == [
        "an exact host takes precedence over a rule without host",
        "an exact host takes precedence over a wildcard host",
    ]


def test_same_path_in_two_ingresses_the_oldest_wins():
    old = ingress("old", [("a.example", [("/", "Prefix", "old")])], created="2025-01-01T00:00:00Z")
    new = ingress("new", [("a.example", [("/", "Prefix", "new")])], created="2025-02-01T00:00:00Z")
    assert winner([old, new], "a.example", "/") == "old"


def test_query_strings_are_not_part_of_the_path():
    ing = ingress("web", [("", [("/search", "Exact", "search")])])
    assert winner([ing], "h", "/search?q=1") == "search"


def ic(name: str, created: str, default: bool) -> dict:
    annotations = {"ingressclass.kubernetes.io/is-default-class": "true"} if default else {}
    return {"metadata": {"name": name, "creationTimestamp": created, "annotations": annotations},
            "spec": {"controller": "k8s.io/ingress-nginx"}}


def test_default_class_newest_wins_and_only_when_unset():
    classes = [ic("a", "2025-01-01T00:00:00Z", True), ic("b", "2025-03-01T00:00:00Z", True),
               ic("c", "2025-06-01T00:00:00Z", False)]
    assert default_ingress_class(classes)["metadata"]["name"] == "b"
    ing = {"metadata": {"name": "x"}, "spec": {}}
    admit_default_ingress_class(ing, classes)
    assert ing["spec"]["ingressClassName"] == "b"
    named = {"metadata": {"name": "x"}, "spec": {"ingressClassName": "c"}}
    admit_default_ingress_class(named, classes)
    assert named["spec"]["ingressClassName"] == "c"
    legacy = {"metadata": {"name": "x", "annotations": {"kubernetes.io/ingress.class": "other"}}, "spec": {}}
    admit_default_ingress_class(legacy, classes)
    assert "ingressClassName" not in legacy["spec"]
    assert default_ingress_class([ic("z", "2025-01-01T00:00:00Z", False)]) is None


def test_prefix_trailing_slash_does_not_lengthen_it_exact_wins_the_tie():
    ing = ingress("web", [("h", [("/foo/", "Prefix", "prefix"), ("/foo", "Exact", "exact")])])
    assert winner([ing], "h", "/foo") == "exact"
    assert winner([ing], "h", "/foo/x") == "prefix"


def test_equal_timestamps_order_by_namespace_and_name_descending():
    a = ingress("a", [("h", [("/", "Prefix", "a")])])
    b = ingress("b", [("h", [("/", "Prefix", "b")])])
    assert [i["metadata"]["name"] for i in sort_ingresses([a, b])] == ["b", "a"]
    assert winner(sort_ingresses([a, b]), "h", "/") == "b"
    m = match_request(sort_ingresses([a, b]), "h", "/")
    assert [why for _, why in m.losers] == [
        "same path as ingress default/b rules[0].http.paths[0] (the oldest Ingress, then the first rule wins)"]


def test_a_host_server_without_a_matching_path_uses_its_first_ingress_default_backend():
    first = ingress("first", [("shop.example", [("/api", "Prefix", "api")])], created="2025-01-01T00:00:00Z")
    second = ingress("second", [("shop.example", [("/web", "Prefix", "web")])], created="2025-02-01T00:00:00Z",
                     default_backend="second-default")
    catch_all = ingress("catch", [], created="2025-03-01T00:00:00Z", default_backend="catch-all")
    ordered = [first, second, catch_all]
    m = match_request(ordered, "shop.example", "/other")
    assert (m.server, m.winner, m.default_backend) == ("shop.example", None, None)  # first has none: 404
    m = match_request(ordered, "blog.example", "/other")
    assert m.server == "_"
    assert m.default_backend[1]["service"]["name"] == "catch-all"  # the last Ingress with one
    m = match_request([second, first], "shop.example", "/other")
    assert m.default_backend[1]["service"]["name"] == "second-default"
