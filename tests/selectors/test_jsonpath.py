"""kubectl JSONPath: every construct, output formatting, errors, and the -o jsonpath printer."""

from __future__ import annotations

import pytest

from kctl.printers.jsonpath import (
    JSONPath,
    JSONPathError,
    JSONPathPrinter,
    go_format_float_g,
    go_format_float_json,
    go_json_marshal,
    go_sharp_v,
    go_sprint,
    read_template_file,
    relaxed_jsonpath_expression,
)


def run(template, data, allow_missing=False):
    return JSONPath("test", allow_missing_keys=allow_missing).parse(template).execute(data)


def error_of(template, data, allow_missing=False):
    with pytest.raises(JSONPathError) as err:
        run(template, data, allow_missing)
    return str(err.value)


TYPES = {
    "bools": [True, False, True, False],
    "integers": [1, 2, 3, 4],
    "floats": [1.0, 2.2, 3.3, 4.0],
    "strings": ["one", "two", "three", "four"],
    "mixed": [True, "one", 1, 1.1],
    "maps": [{"name": "one", "value": 1}, {"name": "two", "value": 2.02}, {"name": "three", "value": 3.03}],
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{ .bools }", "[true,false,true,false]"),
        ("{ .bools[0] }", "true"),
        ("{ .bools[-1] }", "false"),
        ("{ .bools[0:2] }", "true false"),
        ("{ .bools[:4:2] }", "true true"),
        ("{ .integers[-2] }", "3"),
        ("{ .integers[:2] }", "1 2"),
        ("{ .floats }", "[1,2.2,3.3,4]"),
        ("{ .floats[0] }", "1"),
        ("{ .floats[:4:2] }", "1 3.3"),
        ("{ .strings }", '["one","two","three","four"]'),
        ("{ .strings[-2] }", "three"),
        ("{ .mixed }", '[true,"one",1,1.1]'),
        ("{ .mixed[:4:2] }", "true 1"),
        ("{ .maps[0] }", '{"name":"one","value":1}'),
        ("{ .maps[::2] }", '{"name":"one","value":1} {"name":"three","value":3.03}'),
        ("{ .maps[*].name }", "one two three"),
        ("{.maps[*]['name','value']}", "one two three 1 2.02 3.03"),
    ],
)
def test_slices_and_value_printing(template, expected):
    assert run(template, TYPES) == expected


def test_text_and_quoted_literals():
    assert run("hello jsonpath", None) == "hello jsonpath"
    assert run('{"{"}', None) == "{"
    assert run('a{"\\n"}b{"\\t"}c', None) == "a\nb\tc"
    assert run("{'x'}", None) == "x"
    assert run("{.a} and {.b}", {"a": 1, "b": "two"}) == "1 and two"
    assert run("{.a}{.b}", {"a": 1, "b": "two"}) == "1two"
    assert run("}literal", {}) == "}literal"


def test_root_and_current_object():
    assert run("{@}", {"b": 1, "a": [1]}) == '{"a":[1],"b":1}'
    assert run("{$.a}", {"a": "x"}) == "x"


def test_unions_filters_recursion():
    assert run("{..}", [1, 2, 3]) == "[1,2,3]"
    assert run("{[?(@<5)]}", [2, 6, 3, 7]) == "2 3"
    assert run("{[?(@>=6)]}", [2, 6, 3, 7]) == "6 7"
    assert run("{[1,3,4]}", [0, 1, 2, 3, 4]) == "1 3 4"
    assert run("{[0:2]}", ["Monday", "Tuesday", "x"]) == "Monday Tuesday"
    points = [{"id": "i1", "x": 4}, {"id": "i2", "x": -2, "z": 1}, {"id": "i3", "x": 8}, {"id": "i5", "x": 0, "z": 1}]
    assert run("{[?(@.z)].id}", points) == "i2 i5"
    assert run("{[0]['id']}", points) == "i1"
    assert run("{[?(@.x>0)].id}", points) == "i1 i3"
    assert run("{[?(@.x<=0)].id}", points) == "i2 i5"
    assert run('{[?(@.id!="i1")].id}', points) == "i2 i3 i5"


NODES = {
    "kind": "List",
    "items": [
        {
            "kind": "None",
            "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
            "status": {
                "capacity": {"cpu": "4"},
                "ready": True,
                "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}],
            },
        },
        {
            "kind": "None",
            "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
            "status": {
                "capacity": {"cpu": "8"},
                "ready": False,
                "addresses": [
                    {"type": "LegacyHostIP", "address": "127.0.0.2"},
                    {"type": "another", "address": "127.0.0.3"},
                ],
            },
        },
    ],
    "users": [{"name": "myself", "user": {}}, {"name": "e2e", "user": {"username": "admin", "password": "secret"}}],
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{range .items[*]}{.metadata.name}, {end}{.kind}", "127.0.0.1, 127.0.0.2, List"),
        ('{range .items[*]}{.metadata.name}{"\\t"}{end}', "127.0.0.1\t127.0.0.2\t"),
        ("{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
        ("{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", "127.0.0.1, 127.0.0.2, 127.0.0.3, "),
        ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
        # A quoted key is re-parsed as a dotted path.
        ("{.items[*]['metadata.name', 'status.capacity']}", '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'),
        ("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}", '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '),
        ('{.users[?(@.name=="e2e")].user.password}', "secret"),
        ("{.items[0].metadata.labels.kubernetes\\.io/hostname}", "127.0.0.1"),
        ('{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', "None"),
        ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
        ("{.items[?(@.status.ready==false)].metadata.name}", "127.0.0.2"),
        ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
        ("{.items[-1:].metadata.name}", "127.0.0.2"),
        ("{.items[*].status.capacity.*}", "4 8"),
        ("{..address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
        ("{...address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
    ],
)
def test_kubernetes_shaped_templates(template, expected):
    assert run(template, NODES) == expected


PODS = {
    "items": [
        {
            "metadata": {"name": "pod1"},
            "spec": {
                "containers": [
                    {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
                    {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]},
                ]
            },
        },
        {"metadata": {"name": "pod2"}, "spec": {"containers": [{"name": "baz", "another": [{"name": "value1"}]}]}},
    ]
}


def test_nested_ranges():
    tpl = '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}'
    assert run(tpl, PODS) == "pod1:foo,bar,+pod2:baz,+"
    tpl = (
        '{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}'
        '{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}'
    )
    assert run(tpl, PODS) == "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,+#"
    tpl = (
        '{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}'
        '{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}'
    )
    assert run(tpl, PODS) == "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n"


def test_empty_range_prints_nothing_of_its_body_but_continues():
    empty = {"items": [], "kind": "List"}
    assert run("{range .items[*]}{.metadata.name}{end}", empty, allow_missing=True) == ""
    assert run("{range .items[*]}{.metadata.name}{end}done {.kind}", empty, allow_missing=True) == "done List"


def test_range_over_filter_with_missing_keys_allowed():
    data = {
        "items": [
            {"metadata": {"name": "pod1"}, "status": {"phase": "Running"}},
            {"metadata": {"name": "pod2"}, "status": {"phase": "Pending"}},
            {"metadata": {"name": "pod3"}, "status": {"phase": "Running"}},
            {"resourceVersion": ""},
        ]
    }
    tpl = '{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}'
    assert run(tpl, data, allow_missing=True) == "pod1 is Running\npod3 is Running\n"
    assert error_of(tpl, data) == "status is not found"


CONTAINERS = {"spec": {"containers": [{"name": f"fake{i}"} for i in range(6)]}}


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ("[0]", "fake0"),
        ("[0:0]", ""),
        ("[0:-1]", "fake0 fake1 fake2 fake3 fake4"),
        ("[-1]", "fake5"),
        ("[-1:]", "fake5"),
        ("[-2:]", "fake4 fake5"),
        ("[-6]", "fake0"),
        ("[6:6]", ""),
        ("[-7:-7]", ""),
        ("[0:]", "fake0 fake1 fake2 fake3 fake4 fake5"),
        ("[0:6:]", "fake0 fake1 fake2 fake3 fake4 fake5"),
        ("[1:4:2]", "fake1 fake3"),
        ("[1:4:4]", "fake1"),
        ("[0:6:5]", "fake0 fake5"),
        ("[*]", "fake0 fake1 fake2 fake3 fake4 fake5"),
        ("[]", "fake0"),
    ],
)
def test_array_indexing(index, expected):
    assert run(f"{{.spec.containers{index}.name}}", CONTAINERS) == expected


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("[-7]", "array index out of bounds: index -1, length 6"),
        ("[6]", "array index out of bounds: index 6, length 6"),
        ("[1:10]", "array index out of bounds: index 9, length 6"),
        ("[3:1]", "starting index 3 is greater than ending index 1"),
        ("[-1:0]", "starting index 5 is greater than ending index 0"),
        ("[0:6:0]", "step must be > 0: 0"),
        ("[0:6:-1]", "step must be > 0: -1"),
    ],
)
def test_array_index_errors_happen_even_with_missing_keys_allowed(index, message):
    assert error_of(f"{{.spec.containers{index}.name}}", CONTAINERS, allow_missing=True) == message


@pytest.mark.parametrize(
    ("template", "data", "message"),
    [
        ("{hello}", {}, "unrecognized identifier hello"),
        ("{.hello}", {}, "hello is not found"),
        ("{.labels[0]}", {"labels": {"a": 1}}, "map[string]interface {} is not array or slice"),
        ("{.name[0]}", {"name": "x"}, "string is not array or slice"),
        ("{.book[?(@.price<>10)]}", {"book": [{"price": 1}]}, "unrecognized filter operator <>"),
        ("{.book[?(@.price==\"1\")]}", {"book": [{"price": 1}]}, "incompatible types for comparison"),
        ("{.book[?(@.price<true)]}", {"book": [{"price": True}]}, "invalid type for comparison"),
        ("{.book[?(@.tags==1)]}", {"book": [{"tags": ["a"]}]}, "invalid type for comparison"),
        ("{.book[?(@.a==1)]}", {"book": {"a": 1}}, "map[a:1] is not array or slice and cannot be filtered"),
        ("{.book[?(@.*==1)]}", {"book": [{"a": 1, "b": 2}]}, "can only compare one element at a time"),
        ("{range .labels.*}{@}{end}{end}", {"labels": {"a": 1}}, "not in range, nothing to end"),
    ],
)
def test_evaluation_errors(template, data, message):
    assert error_of(template, data) == message


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{.metadata.name", "unclosed action"),
        ("{.a\n}", "unclosed action"),
        ("{.a[0}", "unterminated array"),
        ("{.a[x]}", "invalid array index x"),
        ("{.a[1:-]}", "array index - is not a number"),
        ("{.a[?(@.b==1}", "unterminated filter"),
        ("{.a[?(@.b==1)}", "unclosed array expect ]"),
        ('{"abc}', "unterminated quoted string"),
        ('{"a\\qb"}', 'unquote string "a\\qb" error invalid syntax'),
        ("{.a\t}", "unrecognized character in action: U+0009"),
        ("{#}", "unrecognized character in action: U+0023 '#'"),
        ("{....a}", "invalid multiple recursive descent"),
        ("{-}", "cannot parse number -"),
    ],
)
def test_parse_errors(template, message):
    with pytest.raises(JSONPathError) as err:
        JSONPath().parse(template)
    assert str(err.value) == message


def test_missing_keys_allowed_print_nothing():
    assert run("{.hello}", {"a": 1}, allow_missing=True) == ""
    assert run("before-{.hello}after", {"a": 1}, allow_missing=True) == "before-after"
    # On a List, metadata.name is missing: the classic gotcha prints nothing.
    assert run("{.metadata.name}", {"kind": "List", "items": [{"metadata": {"name": "a"}}]}, True) == ""


def test_number_and_bool_literals_in_filters():
    data = {"items": [{"n": 1, "f": 1.5, "ok": True}, {"n": 3, "f": 0.5, "ok": False}]}
    assert run("{.items[?(@.n>2)].n}", data) == "3"
    assert run("{.items[?(@.n==-1)].n}", data) == ""
    assert run("{.items[?(@.f>1.0)].n}", data) == "1"
    assert run("{.items[?(@.ok==true)].n}", data) == "1"
    assert error_of("{.items[?(@.f>1)].n}", data) == "incompatible types for comparison"


def test_value_formatting():
    assert go_sprint(None) == "<nil>"
    assert go_sprint({"b": [1, "x"], "a": {}}) == "map[a:map[] b:[1 x]]"
    assert [go_format_float_g(v) for v in (1.0, 1.5, 100000.0, 1e6, 1234567.0, 1e-5, -0.0)] == [
        "1", "1.5", "100000", "1e+06", "1.234567e+06", "1e-05", "-0",
    ]  # fmt: skip
    assert [go_format_float_json(v) for v in (1e6, 1e20, 1e21, 1e-7, 0.5)] == [
        "1000000", "100000000000000000000", "1e+21", "1e-7", "0.5",
    ]  # fmt: skip
    assert go_json_marshal({"b": "<&>", "a": "é\u2028"}) == '{"a":"é\\u2028","b":"\\u003c\\u0026\\u003e"}'
    assert run("{.big}", {"big": 1e6}) == "1e+06"
    assert run("{.obj}", {"obj": {"big": 1e6}}) == '{"big":1000000}'


def test_json_output_mode():
    jp = JSONPath("out", allow_missing_keys=True).parse("{.items[*].metadata.name}").enable_json_output()
    data = {"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}
    assert jp.execute(data) == '[\n    "a",\n    "b"\n]\n'
    jp = JSONPath("out").parse("{.spec}").enable_json_output()
    assert jp.execute({"spec": {"x": [1], "a": {}}}) == '[\n    {\n        "a": {},\n        "x": [\n            1\n        ]\n    }\n]\n'
    assert JSONPath("out").parse("{.none}").enable_json_output(True).find_results({"none": []}) == [[[]]]


def test_printer_parse_error_wording():
    with pytest.raises(JSONPathError) as err:
        JSONPathPrinter("{.metadata.name")
    assert str(err.value) == "error parsing jsonpath {.metadata.name, unclosed action\n"


def test_printer_allows_missing_keys_by_default():
    assert JSONPathPrinter("{.status.foo}").print_obj({"status": {}}) == ""


def test_printer_execution_error_wording():
    printer = JSONPathPrinter("{.foo}", allow_missing_keys=False)
    with pytest.raises(JSONPathError) as err:
        printer.print_obj({"kind": "Pod", "metadata": {"name": "x", "labels": {"a": "b"}}, "n": 1, "l": [True, None]})
    assert str(err.value) == (
        'error executing jsonpath "{.foo}": Error executing template: foo is not found. '
        "Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.foo}\n"
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"kind":"Pod", "l":[]interface {}{true, interface {}(nil)}, '
        '"metadata":map[string]interface {}{"labels":map[string]interface {}{"a":"b"}, "name":"x"}, "n":1}\n\n\n'
    )


def test_go_sharp_v_quoting():
    assert go_sharp_v('a"b\n') == '"a\\"b\\n"'
    assert go_sharp_v(2.5) == "2.5"


def test_relaxed_expressions():
    assert relaxed_jsonpath_expression(".metadata.name") == "{.metadata.name}"
    assert relaxed_jsonpath_expression("metadata.name") == "{.metadata.name}"
    assert relaxed_jsonpath_expression("{.metadata.name}") == "{.metadata.name}"
    assert relaxed_jsonpath_expression("{metadata.name}") == "{.metadata.name}"
    assert relaxed_jsonpath_expression("") == ""
    with pytest.raises(JSONPathError) as err:
        relaxed_jsonpath_expression("{.a}{.b}")
    assert str(err.value) == (
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
    )


def test_template_file(tmp_path):
    path = tmp_path / "tpl.txt"
    path.write_text('{range .items[*]}{.metadata.name}{"\\n"}{end}')
    tpl = read_template_file(str(path))
    out = JSONPathPrinter(tpl).print_obj({"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]})
    assert out == "a\nb\n"
    missing = tmp_path / "nope"
    with pytest.raises(JSONPathError) as err:
        read_template_file(str(missing))
    assert str(err.value) == f"error reading --template {missing}, open {missing}: no such file or directory\n"


def test_parsed_template_is_reusable():
    jp = JSONPath("t").parse("{range .items[*]}{.n}{end}")
    assert jp.execute({"items": [{"n": 1}, {"n": 2}]}) == "12"
    assert jp.execute({"items": [{"n": 3}]}) == "3"
