"""YAML as kubectl prints it (``-o yaml``): sigs.k8s.io/yaml over go-yaml v2.

go-yaml v2 is a port of libyaml, so PyYAML's libyaml emitter (``CSafeDumper``) produces
the same layout: 2-space indent, sequences not indented under their key, 80-column
folding of long scalars, ``|`` blocks for multi-line strings. What differs is decided
here, as go-yaml decides it:

- map keys in go-yaml's "natural" order (``keyList.Less``: non-letters before letters,
  digit runs compared as numbers), not plain code-point order;
- a string that would read back as another type (``"1"``, ``"true"``, ``"y"``, ``""``,
  ``"null"``, ``"1e3"``, a timestamp, ``"1:20"``...) is **double**-quoted;
- strings containing a newline ask for the literal style;
- non-ASCII text is written as is; integral floats print as integers (JSON round trip).
"""

from __future__ import annotations

import functools
import re

import yaml

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class GoYAMLDumper(_BaseDumper):  # type: ignore[misc, valid-type]
    pass


# --- go-yaml v2 resolve(): would this plain scalar resolve to a non-string? -------------

_SPECIAL = frozenset(
    ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<"]
) | {""}
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(([Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2}))"
    r"|( [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?))?\Z"
)
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")


def resolves_to_non_string(s: str) -> bool:
    """True when go-yaml v2 would not emit ``s`` plain because it reads back as a bool,
    null, int, float, timestamp or merge key (or a base-60 float)."""
    if s in _SPECIAL:
        return True
    c = s[0]
    if c in "0123456789+-":
        if _TIMESTAMP.match(s):
            return True
        plain = s.replace("_", "")
        return bool(_INT.match(plain) or _FLOAT.match(plain) or _BASE60.match(s))
    if c == ".":
        return bool(_FLOAT.match(s))
    return False


def _represent_str(dumper, value: str):
    if "\n" in value:
        style = "|"
    elif resolves_to_non_string(value):
        style = '"'
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_float(dumper, value: float):
    if value.is_integer() and abs(value) < 1e21:
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


# --- go-yaml v2 keyList.Less -------------------------------------------------------------

def go_key_less(a: str, b: str) -> bool:
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al = ar[i].isalpha()
        bl = br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = an * 10 + int(ar[ai])
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = bn * 10 + int(br[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def _go_cmp(a: str, b: str) -> int:
    if go_key_less(a, b):
        return -1
    if go_key_less(b, a):
        return 1
    return 0


_go_key = functools.cmp_to_key(_go_cmp)
# Keys made only of ASCII letters and the punctuation that sorts below letters (no digits)
# order the same bytewise as in go-yaml: sort those the fast way.
_SIMPLE_KEY = re.compile(r"[A-Za-z\x20-\x2f\x3a-\x40]*\Z")
_simple_cache: dict[str, bool] = {}


def _is_simple(k) -> bool:
    r = _simple_cache.get(k)
    if r is None:
        r = isinstance(k, str) and bool(_SIMPLE_KEY.match(k))
        if len(_simple_cache) < 100_000:
            _simple_cache[k] = r
    return r


def go_sorted_keys(d: dict) -> list:
    keys = list(d)
    if all(_is_simple(k) for k in keys):
        keys.sort()
    else:
        keys.sort(key=lambda k: _go_key(str(k)))
    return keys


def _represent_dict(dumper, data: dict):
    return dumper.represent_mapping("tag:yaml.org,2002:map", [(k, data[k]) for k in go_sorted_keys(data)])


GoYAMLDumper.add_representer(str, _represent_str)
GoYAMLDumper.add_representer(float, _represent_float)
GoYAMLDumper.add_representer(dict, _represent_dict)


def dump(obj) -> str:
    """One document, no ``---`` header, ending in a newline."""
    return yaml.dump(obj, Dumper=GoYAMLDumper, default_flow_style=False, allow_unicode=True, sort_keys=False)
