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

_BOOL_WORDS = ("y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF")
_OTHER_WORDS = "~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<"
# "=": go-yaml writes it plain, but PyYAML (our own reader) cannot load that back: quote it.
_SPECIAL = frozenset(_BOOL_WORDS.split()) | frozenset(_OTHER_WORDS.split()) | {"", "="}
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
    return dumper.represent_scalar("tag:yaml.org,2002:float", _format_go_float(value))


_STR_TAG = "tag:yaml.org,2002:str"
_BOOLS = frozenset(_BOOL_WORDS.split())
_NULLS = frozenset(["~", "null", "Null", "NULL", ""])


def go_plain_tag(value: str) -> str:
    """The tag go-yaml v2 resolves an unquoted scalar to."""
    if not resolves_to_non_string(value):
        return _STR_TAG
    if value in _BOOLS:
        return "tag:yaml.org,2002:bool"
    if value in _NULLS:
        return "tag:yaml.org,2002:null"
    if value == "<<":
        return "tag:yaml.org,2002:merge"
    if value == "=":
        return "tag:yaml.org,2002:value"
    if _TIMESTAMP.match(value):
        return "tag:yaml.org,2002:timestamp"
    if _INT.match(value.replace("_", "")):
        return "tag:yaml.org,2002:int"
    return "tag:yaml.org,2002:float"


def _resolve(self, kind, value, implicit):
    """Resolver hook used by the emitter to decide implicit tags: go-yaml's rules."""
    if kind is yaml.ScalarNode:
        return go_plain_tag(value) if implicit[0] else _STR_TAG
    return _base_resolve(self, kind, value, implicit)


_base_resolve = _BaseDumper.resolve
GoYAMLDumper.resolve = _resolve


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


GoYAMLDumper.ignore_aliases = lambda self, data: True  # never emit &anchors / *aliases


def dump_reference(obj, *, width: int = 80) -> str:
    """The document through PyYAML's libyaml emitter (slow but general)."""
    return yaml.dump(obj, Dumper=GoYAMLDumper, default_flow_style=False, allow_unicode=True,
                     sort_keys=False, width=width)


# --- fast emitter -------------------------------------------------------------------------
#
# Writes block YAML directly for the common case (keys and values that libyaml would emit
# plain or as a short double-quoted token) and hands every other scalar, with its exact
# column context, to the libyaml path above. Output is identical to ``dump_reference``.

_BEST_WIDTH = 80
_FIRST_BAD = frozenset("#,[]{}&*!|>'\"%@`")
_SAFE_CHARS = re.compile(r"[\x20-\x7e]*\Z")
_PLAIN, _DQUOTE, _OTHER = 0, 1, 2
_kind_cache: dict[str, int] = {}


def _scalar_kind(s: str) -> int:
    k = _kind_cache.get(s)
    if k is not None:
        return k
    if resolves_to_non_string(s):
        k = _DQUOTE if (_SAFE_CHARS.match(s) and '"' not in s and "\\" not in s) else _OTHER
    elif (
        not _SAFE_CHARS.match(s)
        or s[0] in _FIRST_BAD
        or s[0] == " "
        or s[-1] == " "
        or s[-1] == ":"
        or ": " in s
        or " #" in s
        or (s[0] in "-?:" and (len(s) == 1 or s[1] == " "))
        or s.startswith(("---", "..."))
    ):
        k = _OTHER
    else:
        k = _PLAIN
    if len(_kind_cache) < 200_000:
        _kind_cache[s] = k
    return k


def _format_go_float(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64) as go-yaml v2 writes floats."""
    if f != f:
        return ".nan"
    if f in (float("inf"), float("-inf")):
        return ".inf" if f > 0 else "-.inf"
    from decimal import Decimal

    sign, digits, exp = Decimal(repr(f)).normalize().as_tuple()
    ds = "".join(map(str, digits))
    x = len(ds) + exp - 1  # decimal exponent of the first digit
    neg = "-" if sign else ""
    if x < -4 or x >= 6:  # shortest 'g' uses precision 6 for this choice
        mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return f"{neg}{mant}e{'-' if x < 0 else '+'}{abs(x):02d}"
    if exp >= 0:
        return neg + ds + "0" * exp
    point = len(ds) + exp
    if point > 0:
        return neg + ds[:point] + "." + ds[point:]
    return neg + "0." + "0" * (-point) + ds


class _Emitter:
    __slots__ = ("out",)

    def __init__(self) -> None:
        self.out: list[str] = []

    def scalar(self, v, col: int) -> str | None:
        """The scalar's text when it fits on the line starting at ``col``; else None."""
        t = type(v)
        if t is str:
            k = _scalar_kind(v)
            if k == _PLAIN:
                if " " in v and col + len(v) > _BEST_WIDTH:
                    return None
                return v
            if k == _DQUOTE:
                if " " in v and col + len(v) + 2 > _BEST_WIDTH:
                    return None
                return '"' + v + '"'
            return None
        if t is bool:
            return "true" if v else "false"
        if t is int:
            return int.__repr__(v)
        if v is None:
            return "null"
        if t is float:
            if v.is_integer() and abs(v) < 1e21:
                return str(int(v))
            return _format_go_float(v)
        return None

    def fallback(self, doc, indent: int, lead: str) -> None:
        text = dump_reference(doc, width=max(_BEST_WIDTH - indent, 5))
        pad = " " * indent
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.out.append(lead + lines[0])
        self.out.extend(pad + line for line in lines[1:])

    def mapping(self, d: dict, indent: int, lead: str) -> None:
        pad = " " * indent
        out = self.out
        first = True
        for k in go_sorted_keys(d):
            v = d[k]
            start = lead if first else pad
            first = False
            if type(k) is not str or len(k) > 128 or _scalar_kind(k) != _PLAIN:
                self.fallback({k: v}, indent, start)
                continue
            tv = type(v)
            if tv is dict:
                if v:
                    out.append(start + k + ":")
                    self.mapping(v, indent + 2, " " * (indent + 2))
                else:
                    out.append(start + k + ": {}")
            elif tv is list:
                if v:
                    out.append(start + k + ":")
                    self.sequence(v, indent, pad)
                else:
                    out.append(start + k + ": []")
            else:
                text = self.scalar(v, indent + len(k) + 2)
                if text is None:
                    self.fallback({k: v}, indent, start)
                else:
                    out.append(start + k + ": " + text)

    def sequence(self, items: list, indent: int, lead: str) -> None:
        """Items with the dash at column ``indent``; ``lead`` prefixes the first one."""
        pad = " " * indent
        out = self.out
        first = True
        for v in items:
            start = (lead if first else pad) + "- "
            first = False
            tv = type(v)
            if tv is dict:
                if v:
                    self.mapping(v, indent + 2, start)
                else:
                    out.append(start + "{}")
            elif tv is list:
                if v:
                    self.sequence(v, indent + 2, start)
                else:
                    out.append(start + "[]")
            else:
                text = self.scalar(v, indent + 2)
                if text is None:
                    self.fallback([v], indent, start[:-2])
                else:
                    out.append(start + text)


def dump(obj) -> str:
    """One document, no ``---`` header, ending in a newline (same text as
    ``dump_reference``, much faster for API objects)."""
    if type(obj) is not dict or not obj:
        return dump_reference(obj)
    import gc

    em = _Emitter()
    enabled = gc.isenabled()
    gc.disable()
    try:
        em.mapping(obj, 0, "")
    finally:
        if enabled:
            gc.enable()
    em.out.append("")
    return "\n".join(em.out)
