"""Identifier formats: k8s.io/apimachinery/pkg/util/validation (1.34).

Each ``is_*`` function returns upstream's list of error strings (empty when the
value is valid), worded exactly as upstream (``RegexError`` examples joined with
``",  or "``, hence the double spaces). Name functions (``name_is_dns_subdomain``
...) mirror ``ValidateNameFunc``: ``prefix=True`` means the value is a
``generateName`` prefix, whose trailing dash is allowed.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache, wraps

__all__ = [
    "empty_error",
    "inclusive_range_error",
    "is_c_identifier",
    "is_config_map_key",
    "is_dns1035_label",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_env_var_name",
    "is_http_header_name",
    "is_qualified_name",
    "is_relaxed_env_var_name",
    "is_valid_cidr",
    "is_valid_ip",
    "is_valid_label_value",
    "is_valid_path_segment_name",
    "is_valid_percent",
    "is_valid_port_name",
    "is_valid_port_num",
    "is_wildcard_dns1123_subdomain",
    "max_len_error",
    "name_is_dns1035_label",
    "name_is_dns_label",
    "name_is_dns_subdomain",
    "regex_error",
]


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def empty_error() -> str:
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """Upstream ``RegexError``."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    parts = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {parts}regex used for validation is '{fmt}')"


def _cached(fn):
    """Memoize a string check (names repeat across objects); callers get a fresh list."""
    memo = lru_cache(maxsize=8192)(lambda value: tuple(fn(value)))

    @wraps(fn)
    def wrapper(value: str) -> list[str]:
        found = memo(value)
        return list(found) if found else []

    wrapper.cache_clear = memo.cache_clear  # type: ignore[attr-defined]
    return wrapper


def _full(fmt: str) -> re.Pattern[str]:
    return re.compile("^(?:" + fmt + r")\Z")


# -- qualified names (label keys) and label values ------------------------------

QUALIFIED_NAME_CHAR_FMT = "[A-Za-z0-9]"
QUALIFIED_NAME_EXT_CHAR_FMT = "[-A-Za-z0-9_.]"
QUALIFIED_NAME_FMT = f"({QUALIFIED_NAME_CHAR_FMT}{QUALIFIED_NAME_EXT_CHAR_FMT}*)?{QUALIFIED_NAME_CHAR_FMT}"
QUALIFIED_NAME_ERR_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
QUALIFIED_NAME_MAX_LENGTH = 63
_QUALIFIED_NAME_RE = _full(QUALIFIED_NAME_FMT)
_QUALIFIED_NAME_REGEX_ERR = regex_error(
    QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"
)


@_cached
def is_qualified_name(value: str) -> list[str]:
    """``IsQualifiedName``: an optional DNS-1123 subdomain prefix and ``/``, then a name of at most 63 characters."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return [
            "a qualified name "
            + _QUALIFIED_NAME_REGEX_ERR
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part " + empty_error())
    elif len(name) > QUALIFIED_NAME_MAX_LENGTH:
        errs.append("name part " + max_len_error(QUALIFIED_NAME_MAX_LENGTH))
    if not _QUALIFIED_NAME_RE.match(name):
        errs.append("name part " + _QUALIFIED_NAME_REGEX_ERR)
    return errs


LABEL_VALUE_FMT = f"({QUALIFIED_NAME_FMT})?"
LABEL_VALUE_ERR_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
LABEL_VALUE_MAX_LENGTH = 63
_LABEL_VALUE_RE = _full(LABEL_VALUE_FMT)


@_cached
def is_valid_label_value(value: str) -> list[str]:
    """``IsValidLabelValue``."""
    if len(value) <= LABEL_VALUE_MAX_LENGTH and _LABEL_VALUE_RE.match(value):
        return []
    errs = []
    if len(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _LABEL_VALUE_RE.match(value):
        errs.append(regex_error(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# -- DNS names ------------------------------------------------------------------

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_ERR_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_LABEL_MAX_LENGTH = 63
_DNS1123_LABEL_RE = _full(DNS1123_LABEL_FMT)

DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_ERR_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
_DNS1123_SUBDOMAIN_RE = _full(DNS1123_SUBDOMAIN_FMT)

DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_ERR_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
DNS1035_LABEL_MAX_LENGTH = 63
_DNS1035_LABEL_RE = _full(DNS1035_LABEL_FMT)

WILDCARD_DNS1123_SUBDOMAIN_FMT = r"\*\." + DNS1123_SUBDOMAIN_FMT
WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
)
_WILDCARD_DNS1123_SUBDOMAIN_RE = _full(WILDCARD_DNS1123_SUBDOMAIN_FMT)


@_cached
def is_dns1123_label(value: str) -> list[str]:
    """``IsDNS1123Label``; a valid subdomain that is not a label gets ``must not contain dots``."""
    if len(value) <= DNS1123_LABEL_MAX_LENGTH and _DNS1123_LABEL_RE.match(value):
        return []
    errs = []
    if len(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _DNS1123_LABEL_RE.match(value):
        if _DNS1123_SUBDOMAIN_RE.match(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


@_cached
def is_dns1123_subdomain(value: str) -> list[str]:
    """``IsDNS1123Subdomain``."""
    if len(value) <= DNS1123_SUBDOMAIN_MAX_LENGTH and _DNS1123_SUBDOMAIN_RE.match(value):
        return []
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _DNS1123_SUBDOMAIN_RE.match(value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


@_cached
def is_dns1035_label(value: str) -> list[str]:
    """``IsDNS1035Label``."""
    if len(value) <= DNS1035_LABEL_MAX_LENGTH and _DNS1035_LABEL_RE.match(value):
        return []
    errs = []
    if len(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _DNS1035_LABEL_RE.match(value):
        errs.append(regex_error(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    """``IsWildcardDNS1123Subdomain``: ``*.example.com``."""
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _WILDCARD_DNS1123_SUBDOMAIN_RE.match(value):
        errs.append(
            regex_error(WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com")
        )
    return errs


# -- identifiers, ports, env vars, config keys -----------------------------------

C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*"
C_IDENTIFIER_ERR_MSG = (
    "a valid C identifier must start with alphabetic character or '_', followed by a string of "
    "alphanumeric characters or '_'"
)
_C_IDENTIFIER_RE = _full(C_IDENTIFIER_FMT)


def is_c_identifier(value: str) -> list[str]:
    """``IsCIdentifier``."""
    if _C_IDENTIFIER_RE.match(value):
        return []
    return [regex_error(C_IDENTIFIER_ERR_MSG, C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName")]


def is_valid_port_num(port: int) -> list[str]:
    """``IsValidPortNum``: 1-65535."""
    if 1 <= port <= 65535:
        return []
    return [inclusive_range_error(1, 65535)]


def is_in_range(value: int, lo: int, hi: int) -> list[str]:
    return [] if lo <= value <= hi else [inclusive_range_error(lo, hi)]


_PORT_NAME_CHARSET_RE = re.compile(r"^[-a-z0-9]+\Z")
_PORT_NAME_ONE_LETTER_RE = re.compile("[a-z]")


@_cached
def is_valid_port_name(port: str) -> list[str]:
    """``IsValidPortName`` (IANA_SVC_NAME): at most 15 of ``[-a-z0-9]``, a letter, no ``--``, no edge ``-``."""
    errs = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not _PORT_NAME_CHARSET_RE.match(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_ONE_LETTER_RE.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


PERCENT_FMT = "[0-9]+%"
PERCENT_ERR_MSG = "a valid percent string must be a numeric string followed by an ending '%'"
_PERCENT_RE = _full(PERCENT_FMT)


@_cached
def is_valid_percent(percent: str) -> list[str]:
    """``IsValidPercent``."""
    if _PERCENT_RE.match(percent):
        return []
    return [regex_error(PERCENT_ERR_MSG, PERCENT_FMT, "1%", "93%")]


HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+"
HTTP_HEADER_NAME_ERR_MSG = "a valid HTTP header must consist of alphanumeric characters or '-'"
_HTTP_HEADER_NAME_RE = _full(HTTP_HEADER_NAME_FMT)


def is_http_header_name(value: str) -> list[str]:
    if _HTTP_HEADER_NAME_RE.match(value):
        return []
    return [regex_error(HTTP_HEADER_NAME_ERR_MSG, HTTP_HEADER_NAME_FMT, "X-Header-Name")]


ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
ENV_VAR_NAME_ERR_MSG = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
    "and must not start with a digit"
)
RELAXED_ENV_VAR_NAME_ERR_MSG = (
    "a valid environment variable name must consist only of printable ASCII characters other than '='"
)
_ENV_VAR_NAME_RE = _full(ENV_VAR_NAME_FMT)


def _has_chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


@_cached
def is_env_var_name(value: str) -> list[str]:
    """``IsEnvVarName``: the strict (pre-1.34) rule."""
    errs = []
    if not _ENV_VAR_NAME_RE.match(value):
        errs.append(
            regex_error(ENV_VAR_NAME_ERR_MSG, ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1")
        )
    errs.extend(_has_chdir_prefix(value))
    return errs


@_cached
def is_relaxed_env_var_name(value: str) -> list[str]:
    """``IsRelaxedEnvVarName``: the rule 1.34 applies (RelaxedEnvironmentVariableValidation is GA)."""
    errs = []
    if not value:
        errs.append("environment variable name " + empty_error())
    for ch in value:
        if ord(ch) > 127 or not ch.isprintable() or ch == "=":
            errs.append(RELAXED_ENV_VAR_NAME_ERR_MSG)
            break
    return errs


CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
CONFIG_MAP_KEY_ERR_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_CONFIG_MAP_KEY_RE = _full(CONFIG_MAP_KEY_FMT)


@_cached
def is_config_map_key(value: str) -> list[str]:
    """``IsConfigMapKey``: a key of a ConfigMap or Secret."""
    if (
        len(value) <= DNS1123_SUBDOMAIN_MAX_LENGTH
        and _CONFIG_MAP_KEY_RE.match(value)
        and not value.startswith(".")
    ):
        return []
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _CONFIG_MAP_KEY_RE.match(value):
        errs.append(
            regex_error(CONFIG_MAP_KEY_ERR_MSG, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name")
        )
    errs.extend(_has_chdir_prefix(value))
    return errs


def is_valid_path_segment_name(name: str) -> list[str]:
    """``path.IsValidPathSegmentName``: not ``.``/``..``, no ``/`` or ``%``."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    errs = []
    for bad in ("/", "%"):
        if bad in name:
            errs.append(f"may not contain '{bad}'")
    return errs


# -- IPs and CIDRs (legacy-field parsing: leading zeros tolerated as Go's ParseIPSloppy) --------

IP_ERR_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
CIDR_ERR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def _sloppy(text: str) -> str:
    if "." in text and ":" not in text:
        head, _, mask = text.partition("/")
        parts = head.split(".")
        if len(parts) == 4 and all(p.isdigit() and p.isascii() for p in parts):
            head = ".".join(str(int(p)) for p in parts)
        return head + ("/" + mask if mask else "")
    return text


def is_valid_ip(value: str) -> list[str]:
    try:
        ipaddress.ip_address(_sloppy(value))
    except ValueError:
        return [IP_ERR_MSG]
    return []


def is_valid_cidr(value: str) -> list[str]:
    if "/" not in value:
        return [CIDR_ERR_MSG]
    try:
        ipaddress.ip_network(_sloppy(value), strict=False)
    except ValueError:
        return [CIDR_ERR_MSG]
    return []


# -- ValidateNameFunc variants ---------------------------------------------------------------


def _mask_trailing_dash(name: str) -> str:
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    """``NameIsDNSSubdomain`` (most kinds)."""
    return is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    """``NameIsDNSLabel`` (Namespace)."""
    return is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    """``NameIsDNS1035Label`` (Service)."""
    return is_dns1035_label(_mask_trailing_dash(name) if prefix else name)


def validate_path_segment_name(name: str, prefix: bool = False) -> list[str]:
    """``path.ValidatePathSegmentName`` (RBAC objects)."""
    if prefix:
        return [m for m in is_valid_path_segment_name(name) if m not in ("may not be '.'", "may not be '..'")]
    return is_valid_path_segment_name(name)
