"""Label selectors: parsing, upstream error strings, matching truth tables, normalization."""

from __future__ import annotations

import pytest

from kctl.api import labels as L

QUALIFIED_NAME_RULE = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
    "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_RULE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
    "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("", ""),
        ("   ", ""),
        ("app=web", "app=web"),
        ("app==web", "app==web"),
        ("app!=web", "app!=web"),
        ("tier in (b,a)", "tier in (a,b)"),
        ("tier notin (z, y ,x)", "tier notin (x,y,z)"),
        ("app", "app"),
        ("!app", "!app"),
        ("  ! app  ", "!app"),
        ("replicas>5", "replicas>5"),
        ("replicas<5", "replicas<5"),
        ("tier in (a,b),app=web", "app=web,tier in (a,b)"),
        ("b=1,a=2,c", "a=2,b=1,c"),
        ("a in (x,x,y)", "a in (x,y)"),
        ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
        ("a in (,)", "a in ()"),
        ("a=", "a="),
        ("a=,b", "a=,b"),
        ("a in (in,notin)", "a in (in,notin)"),
        ("in=notin", "in=notin"),
        ("app.kubernetes.io/name=web", "app.kubernetes.io/name=web"),
        ("a = b , c != d", "a=b,c!=d"),
        ("a\t=\tb\n,\rc", "a=b,c"),
    ],
)
def test_parse_and_normalize(text, normalized):
    assert str(L.parse(text)) == normalized


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a=(b)", "unable to parse requirement: found '(', expected: identifier"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
        ("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("a in (b,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("=a", "found '=', expected: !, identifier, or 'end of string'"),
        ("a,", "found '', expected: identifier after ','"),
        ("a=b,=c", "found '=', expected: identifier after ','"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("a !b", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"),
        ("a=<", "unable to parse requirement: found '<', expected: identifier"),
        ("a ===b", "unable to parse requirement: found '=', expected: identifier"),
        ("a ====b", "unable to parse requirement: found '==', expected: identifier"),
        ("a ~ b", "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"),
        ("a>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("a>", "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("a_=x", f'unable to parse requirement: <nil>: Invalid value: "a_": name part {QUALIFIED_NAME_RULE}'),
        ("/a", 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'),
        (
            "a/b/c",
            f'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name {QUALIFIED_NAME_RULE}'
            " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ),
        ("a=b@c", f'unable to parse requirement: values[0][a]: Invalid value: "b@c": {LABEL_VALUE_RULE}'),
        (
            "k in (ok,-bad)",
            f'unable to parse requirement: values[0][k]: Invalid value: "-bad": {LABEL_VALUE_RULE}',
        ),
        (
            "a=" + "x" * 64,
            f'unable to parse requirement: values[0][a]: Invalid value: "{"x" * 64}": must be no more than 63 characters',
        ),
    ],
)
def test_parse_errors_have_upstream_wording(text, message):
    with pytest.raises(L.LabelSelectorError) as err:
        L.parse(text)
    assert str(err.value) == message


def test_bad_prefix_lists_each_problem():
    with pytest.raises(L.LabelSelectorError) as err:
        L.parse("Example.com/x")
    assert str(err.value) == (
        'unable to parse requirement: <nil>: Invalid value: "Example.com/x": prefix part a lowercase RFC 1123 '
        "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )


LABEL_SETS = {
    "none": {},
    "web": {"app": "web"},
    "db": {"app": "db"},
    "empty": {"app": ""},
    "other": {"tier": "a"},
    "n3": {"n": "3"},
    "n7": {"n": "7"},
    "nx": {"n": "x"},
}


@pytest.mark.parametrize(
    ("selector", "matching"),
    [
        ("app=web", {"web"}),
        ("app==web", {"web"}),
        ("app!=web", {"none", "db", "empty", "other", "n3", "n7", "nx"}),
        ("app in (web,db)", {"web", "db"}),
        ("app notin (web,db)", {"none", "empty", "other", "n3", "n7", "nx"}),
        ("app", {"web", "db", "empty"}),
        ("!app", {"none", "other", "n3", "n7", "nx"}),
        ("app=", {"empty"}),
        ("app in ()", {"empty"}),
        ("n>5", {"n7"}),
        ("n<5", {"n3"}),
        ("n>0", {"n3", "n7"}),
        ("app,!tier", {"web", "db", "empty"}),
        ("app=web,app=db", set()),
        ("", set(LABEL_SETS)),
    ],
)
def test_matching_truth_table(selector, matching):
    sel = L.parse(selector)
    assert {name for name, labels in LABEL_SETS.items() if sel.matches(labels)} == matching


def test_matches_none_labels_as_empty():
    assert L.parse("!app").matches(None)
    assert not L.parse("app").matches(None)


def test_negative_bound_is_not_a_valid_label_value():
    with pytest.raises(L.LabelSelectorError) as err:
        L.parse("n>-1")
    assert str(err.value) == f'unable to parse requirement: values[0][n]: Invalid value: "-1": {LABEL_VALUE_RULE}'


def test_gt_lt_values_follow_parseint():
    sel = L.parse("n>5")
    assert sel.matches({"n": "+6"})
    assert not sel.matches({"n": " 6"})
    assert not sel.matches({"n": "6_0"})
    assert not sel.matches({"n": "99999999999999999999"})  # overflows int64: no match


def test_nil_and_empty_label_selector_objects():
    assert L.selector_from_label_selector(None).matches({"a": "b"}) is False
    assert L.selector_from_label_selector(None).matches({}) is False
    assert L.selector_from_label_selector({}).matches({"a": "b"}) is True
    assert L.selector_from_label_selector({"matchLabels": {}, "matchExpressions": []}).empty()


def test_label_selector_object_conversion():
    sel = L.selector_from_label_selector(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["b", "a"]},
                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "zone", "operator": "Exists"},
            ],
        }
    )
    assert str(sel) == "app=web,!canary,env notin (prod),tier in (a,b),zone"
    assert sel.matches({"app": "web", "tier": "a", "zone": "z1"})
    assert not sel.matches({"app": "web", "tier": "a", "zone": "z1", "canary": "1"})
    assert not sel.matches({"app": "web", "tier": "a", "zone": "z1", "env": "prod"})
    assert not sel.matches({"app": "web", "tier": "c", "zone": "z1"})
    assert not sel.matches({"app": "web", "tier": "a"})


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"matchExpressions": [{"key": "a", "operator": "Foo"}]}, '"Foo" is not a valid label selector operator'),
        (
            {"matchExpressions": [{"key": "a", "operator": "In"}]},
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "NotIn", "values": []}]},
            "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]},
            'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
        ),
        (
            {"matchLabels": {"bad key": "v"}},
            f'key: Invalid value: "bad key": name part {QUALIFIED_NAME_RULE}',
        ),
        (
            {"matchLabels": {"bad key": "-v"}},
            f'[key: Invalid value: "bad key": name part {QUALIFIED_NAME_RULE}, '
            f'values[0][bad key]: Invalid value: "-v": {LABEL_VALUE_RULE}]',
        ),
    ],
)
def test_label_selector_object_errors(obj, message):
    with pytest.raises(L.LabelSelectorError) as err:
        L.selector_from_label_selector(obj)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("obj", "text"),
    [
        (None, "<none>"),
        ({}, "<none>"),
        ({"matchLabels": {"tier": "x", "app": "web"}}, "app=web,tier=x"),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}], "matchLabels": {"app": "web"}}, "app=web,tier in (a,b)"),
        ({"matchExpressions": [{"key": "tier", "operator": "Bogus"}]}, "<error>"),
    ],
)
def test_format_label_selector(obj, text):
    assert L.format_label_selector(obj) == text


def test_format_labels():
    assert L.format_labels({"b": "2", "a": "1"}) == "a=1,b=2"
    assert L.format_labels({}) == "<none>"
    assert L.format_labels(None) == "<none>"


def test_selector_from_set_and_exact_match():
    sel = L.selector_from_set({"b": "2", "a": "1"})
    assert str(sel) == "a=1,b=2"
    assert sel.matches({"a": "1", "b": "2", "c": "3"})
    assert not sel.matches({"a": "1"})
    assert L.selector_from_set({}).empty()
    assert sel.requires_exact_match("a") == ("1", True)
    assert L.parse("a in (x)").requires_exact_match("a") == ("x", True)
    assert L.parse("a in (x,y)").requires_exact_match("a") == ("", False)
    assert L.parse("b=1").requires_exact_match("a") == ("", False)


def test_new_requirement_operator_checks():
    with pytest.raises(L.LabelSelectorError) as err:
        L.new_requirement("a", "bogus", ["x"])
    assert str(err.value) == (
        'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", '
        '"exists", "!"'
    )
    with pytest.raises(L.LabelSelectorError) as err:
        L.new_requirement("a", L.EQUALS, ["x", "y"])
    assert str(err.value) == 'values: Invalid value: ["x","y"]: exact-match compatibility requires one single value'
    with pytest.raises(L.LabelSelectorError) as err:
        L.new_requirement("a", L.GREATER_THAN, [])
    assert str(err.value) == "values: Invalid value: []: for 'Gt', 'Lt' operators, exactly one value is required"


def test_string_sorts_values_without_mutating():
    req = L.new_requirement("a", L.IN, ["z", "b"])
    assert str(req) == "a in (b,z)"
    assert req.values == ("z", "b")


def test_selectors_are_values():
    assert L.parse("a=b,c") == L.parse("c, a=b")
    assert hash(L.parse("a=b")) == hash(L.parse("a=b"))
    assert L.NOTHING != L.EVERYTHING
    assert str(L.NOTHING) == ""
    assert L.EVERYTHING.add(L.new_requirement("a", L.EXISTS)).matches({"a": ""})
    assert not L.NOTHING.add(L.new_requirement("a", L.EXISTS)).matches({"a": ""})


def test_matching_many_pods_uses_compiled_requirements():
    sel = L.parse("app=web,tier in (a,b),!canary,env notin (prod)")
    pods = [{"app": "web" if i % 2 else "db", "tier": "ab"[i % 3 % 2], "env": "dev"} for i in range(2000)]
    assert sum(sel.matches(p) for p in pods) == sum(1 for i in range(2000) if i % 2)
