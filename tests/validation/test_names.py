from __future__ import annotations

from kctl.api.validation import names

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
QNAME_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)


def test_dns1123_subdomain():
    assert names.is_dns1123_subdomain("web.example.com") == []
    assert names.is_dns1123_subdomain("Web") == [SUBDOMAIN_MSG]
    assert names.is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]


def test_dns1123_label():
    assert names.is_dns1123_label("my-name") == []
    assert names.is_dns1123_label("my_name") == [LABEL_MSG]
    assert names.is_dns1123_label("a.b") == ["must not contain dots"]
    assert names.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]


def test_dns1035_label():
    assert names.is_dns1035_label("web") == []
    assert names.is_dns1035_label("1web") == [DNS1035_MSG]


def test_qualified_name():
    assert names.is_qualified_name("app.kubernetes.io/name") == []
    assert names.is_qualified_name("-bad") == [QNAME_MSG]
    assert names.is_qualified_name("/x") == ["prefix part must be non-empty"]
    assert names.is_qualified_name("Foo.com/x") == ["prefix part " + SUBDOMAIN_MSG]
    assert names.is_qualified_name("a/") == ["name part must be non-empty", QNAME_MSG]
    assert names.is_qualified_name("a/b/c") == [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
        "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
        "'example.com/MyName')"
    ]
    assert names.is_qualified_name("x" * 64) == ["name part must be no more than 63 characters"]


def test_label_value():
    assert names.is_valid_label_value("") == []
    assert names.is_valid_label_value("v1.2_3") == []
    assert names.is_valid_label_value("-x") == [
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
        "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    ]


def test_port_name():
    assert names.is_valid_port_name("http") == []
    assert names.is_valid_port_name("8080") == ["must contain at least one letter (a-z)"]
    assert names.is_valid_port_name("my--port") == ["must not contain consecutive hyphens"]
    assert names.is_valid_port_name("-http") == ["must not begin or end with a hyphen"]
    assert names.is_valid_port_name("HTTP") == [
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "must contain at least one letter (a-z)",
    ]
    assert names.is_valid_port_name("a-very-long-port-name") == ["must be no more than 15 characters"]


def test_port_num():
    assert names.is_valid_port_num(1) == []
    assert names.is_valid_port_num(0) == ["must be between 1 and 65535, inclusive"]
    assert names.is_valid_port_num(65536) == ["must be between 1 and 65535, inclusive"]


def test_c_identifier_and_env_names():
    assert names.is_c_identifier("MY_VAR") == []
    assert names.is_c_identifier("1X") == [
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric "
        "characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is "
        "'[A-Za-z_][A-Za-z0-9_]*')"
    ]
    assert names.is_env_var_name("1X") == [
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and "
        "must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for "
        "validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
    ]
    assert names.is_env_var_name("..x") == ["must not start with '..'"]
    # 1.34 (RelaxedEnvironmentVariableValidation GA): any printable ASCII but '='
    assert names.is_relaxed_env_var_name("1X:y") == []
    assert names.is_relaxed_env_var_name("A=B") == [
        "a valid environment variable name must consist only of printable ASCII characters other than '='"
    ]
    assert names.is_relaxed_env_var_name("") == ["environment variable name must be non-empty"]


def test_config_map_key():
    assert names.is_config_map_key("app.properties") == []
    assert names.is_config_map_key("a b") == [
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
        "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    ]
    assert names.is_config_map_key("..") == ["must not be '..'"]
    assert names.is_config_map_key(".env") == []


def test_wildcard_and_generate_name():
    assert names.is_wildcard_dns1123_subdomain("*.example.com") == []
    assert names.is_wildcard_dns1123_subdomain("*.*.example.com") != []
    # generateName prefixes may end with '-'
    assert names.name_is_dns_subdomain("web-", True) == []
    assert names.name_is_dns_subdomain("web-", False) == [SUBDOMAIN_MSG]


def test_results_are_fresh_lists():
    first = names.is_dns1123_label("Bad")
    first.append("mutated")
    assert names.is_dns1123_label("Bad") == [LABEL_MSG]
