"""kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath) and the ``-o jsonpath`` printer.

The parser and evaluator mirror client-go node for node, quirks included:

- text outside ``{}`` is literal; each ``{...}`` is one action; results of one action are
  joined by single spaces, actions are concatenated (``{.a} {.b}`` keeps the literal space);
- ``{range X}...{end}`` runs the body once per element of X, then evaluation resumes after
  the ``{end}`` against the enclosing object (an empty range prints nothing of its body, but
  still evaluates it once on nothing to find its ``{end}``, so a missing key inside it is an
  error when missing keys are not allowed);
- ``[i]``, ``[a:b]``, ``[a:b:step]``, negative indices, ``[*]``, unions ``[0,1]`` and
  ``['a','b']`` (a quoted key is re-parsed as a dotted path: ``['a.b']`` means ``.a.b``),
  filters ``[?(@.x==1)]`` with ``== != < > <= >=`` and ``[?(@.x)]`` (exists), recursive
  descent ``..``, wildcards, ``\\.`` escaping dots in field names;
- missing keys: an error ``<key> is not found`` unless ``allow_missing_keys`` (kubectl's
  default for ``get``), in which case they yield nothing; filters skip elements whose
  left side is missing;
- printing: strings raw; integers and floats as Go's ``%v``; maps and lists as compact
  ``encoding/json`` (sorted keys, HTML-safe escapes); ``jsonpath-as-json`` prints each
  action's results as one indented JSON array.

Map iteration (``*``, ``..``) is in sorted key order: Go's order is random, so any order is
faithful and sorted is the deterministic one.

``JSONPathPrinter`` wraps errors as kubectl does: ``error parsing jsonpath <tpl>, <err>`` and
``error executing jsonpath "<tpl>": Error executing template: <err>. Printing more
information ...`` (with the Go ``%#v`` dump of the object).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any


class JSONPathError(Exception):
    """A parse or evaluation error; ``str()`` is client-go's message."""


# --- nodes -----------------------------------------------------------------------------


class _Node:
    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class ListNode(_Node):
    __slots__ = ("nodes",)

    def __init__(self, nodes: list[Any] | None = None):
        self.nodes = nodes if nodes is not None else []


class TextNode(_Node):
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class FieldNode(_Node):
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class IdentifierNode(_Node):
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class IntNode(_Node):
    __slots__ = ("value",)

    def __init__(self, value: int):
        self.value = value


class FloatNode(_Node):
    __slots__ = ("value",)

    def __init__(self, value: float):
        self.value = value


class BoolNode(_Node):
    __slots__ = ("value",)

    def __init__(self, value: bool):
        self.value = value


class WildcardNode(_Node):
    __slots__ = ()


class RecursiveNode(_Node):
    __slots__ = ()


class UnionNode(_Node):
    __slots__ = ("lists",)

    def __init__(self, lists: list[ListNode]):
        self.lists = lists


class ParamsEntry(_Node):
    __slots__ = ("value", "known", "derived")

    def __init__(self, value: int = 0, known: bool = False, derived: bool = False):
        self.value = value
        self.known = known
        self.derived = derived


class ArrayNode(_Node):
    __slots__ = ("params",)

    def __init__(self, params: tuple[ParamsEntry, ParamsEntry, ParamsEntry]):
        self.params = params


class FilterNode(_Node):
    __slots__ = ("left", "right", "operator")

    def __init__(self, left: ListNode, right: ListNode, operator: str):
        self.left = left
        self.right = right
        self.operator = operator


class _GoInt(int):
    """A Go ``int`` (from a template literal), as opposed to a JSON ``int64``."""


class _GoByte(int):
    """A ``uint8``: what indexing a Go string yields."""


# --- parser ----------------------------------------------------------------------------

_EOF = ""
_SLICE_RE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?\Z")
_DICT_KEY_RE = re.compile(r"^'([^']*)'\Z")
_FILTER_RE = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)\Z")


def _is_space(ch: str) -> bool:
    return ch in (" ", "\t")


def _is_end_of_line(ch: str) -> bool:
    return ch in ("\r", "\n")


def _is_terminator(ch: str) -> bool:
    return _is_space(ch) or _is_end_of_line(ch) or ch in (_EOF, ".", ",", "[", "]", "$", "@", "{", "}")


def _is_digit(ch: str) -> bool:
    return ch != "" and unicodedata.category(ch) == "Nd"


def _is_alphanumeric(ch: str) -> bool:
    return ch == "_" or (ch != "" and (ch.isalpha() or _is_digit(ch)))


def _go_rune_repr(ch: str) -> str:
    """Go's ``%#U``: ``U+0041 'A'`` (the quoted rune only when printable)."""
    if ch == _EOF:
        return "U+FFFFFFFFFFFFFFFF"
    text = f"U+{ord(ch):04X}"
    return f"{text} '{ch}'" if ch.isprintable() else text


def _go_atoi(text: str) -> int | None:
    if not re.match(r"^[+-]?[0-9]+\Z", text):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _go_parse_float(text: str) -> float | None:
    if not re.match(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z", text):
        return None
    return float(text)


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def unquote_extend(s: str) -> str:
    """``UnquoteExtend``: ``strconv.Unquote`` that also accepts single-quoted strings."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise JSONPathError("invalid syntax")
    quote, body = s[0], s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise JSONPathError("invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            raise JSONPathError("invalid syntax")
        e = body[i + 1]
        i += 2
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
        elif e in "'\"":
            if e != quote:
                raise JSONPathError("invalid syntax")
            out.append(e)
        elif e in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[e]
            digits = body[i : i + width]
            if len(digits) != width or not re.match(r"^[0-9a-fA-F]+\Z", digits):
                raise JSONPathError("invalid syntax")
            code = int(digits, 16)
            if e != "x" and (code > 0x10FFFF or 0xD800 <= code <= 0xDFFF):
                raise JSONPathError("invalid syntax")
            out.append(chr(code))
            i += width
        elif e in "01234567":
            digits = body[i - 1 : i + 2]
            if len(digits) != 3 or not re.match(r"^[0-7]{3}\Z", digits) or int(digits, 8) > 255:
                raise JSONPathError("invalid syntax")
            out.append(chr(int(digits, 8)))
            i += 2
        else:
            raise JSONPathError("invalid syntax")
    return "".join(out)


class Parser:
    """``jsonpath.Parser``: ``Parser(text).root`` is the template's top-level ListNode."""

    def __init__(self, text: str, name: str = ""):
        self.name = name
        self.input = text
        self.pos = 0
        self.start = 0
        self.width = 0
        self.root = ListNode()
        self._parse_text(self.root)

    # scanning helpers, as in the Go parser (positions are str indices)
    def _consume_text(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def _peek(self) -> str:
        ch = self._next()
        self._backup()
        return ch

    def _backup(self) -> None:
        self.pos -= self.width

    def _parse_text(self, cur: ListNode) -> None:
        # Iterative where Go recurses: text, then an action, then text again...
        while True:
            while not self.input.startswith("{", self.pos):
                if self._next() == _EOF:
                    if self.pos > self.start:
                        cur.nodes.append(TextNode(self._consume_text()))
                    return
            if self.pos > self.start:
                cur.nodes.append(TextNode(self._consume_text()))
            self.pos += 1
            self._consume_text()
            action = ListNode()
            cur.nodes.append(action)
            self._parse_inside_action(action)
            # _parse_inside_action returned at a "}" it consumed: back to text at the root.
            cur = self.root

    def _parse_inside_action(self, cur: ListNode) -> None:
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self._consume_text()
                return
            if rest.startswith("[?("):
                self._parse_filter(cur)
                continue
            if rest.startswith(".."):
                self._parse_recursive(cur)
                continue
            r = self._next()
            if r == _EOF or _is_end_of_line(r):
                raise JSONPathError("unclosed action")
            if r == " " or r in "@$":
                self._consume_text()
            elif r == "[":
                self._parse_array(cur)
            elif r in "\"'":
                self._parse_quote(cur, r)
            elif r == ".":
                self._parse_field(cur)
            elif r in "+-" or _is_digit(r):
                self._backup()
                self._parse_number(cur)
            elif _is_alphanumeric(r):
                self._backup()
                self._parse_identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: {_go_rune_repr(r)}")

    def _parse_identifier(self, cur: ListNode) -> None:
        while True:
            r = self._next()
            if _is_terminator(r):
                self._backup()
                break
        value = self._consume_text()
        if value in ("true", "false"):
            cur.nodes.append(BoolNode(value == "true"))
        else:
            cur.nodes.append(IdentifierNode(value))

    def _parse_recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self._consume_text()
        cur.nodes.append(RecursiveNode())
        if _is_alphanumeric(self._peek()):
            self._parse_field(cur)

    def _parse_number(self, cur: ListNode) -> None:
        r = self._peek()
        if r in ("+", "-"):
            self._next()
        while True:
            r = self._next()
            if r != "." and not _is_digit(r):
                self._backup()
                break
        value = self._consume_text()
        as_int = _go_atoi(value)
        if as_int is not None:
            cur.nodes.append(IntNode(as_int))
            return
        as_float = _go_parse_float(value)
        if as_float is not None:
            cur.nodes.append(FloatNode(as_float))
            return
        raise JSONPathError(f"cannot parse number {value}")

    def _parse_array(self, cur: ListNode) -> None:
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated array")
            if r == "]":
                break
        text = self._consume_text()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            union = [_parse_action("[" + part.strip(" ") + "]") for part in parts]
            cur.nodes.append(UnionNode(union))
            return
        key = _DICT_KEY_RE.match(text)
        if key:
            cur.nodes.extend(_parse_action("." + key.group(1)).nodes)
            return
        m = _SLICE_RE.match(text)
        if not m:
            raise JSONPathError(f"invalid array index {text}")
        groups = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
        params = (ParamsEntry(), ParamsEntry(), ParamsEntry())
        for i in range(3):
            raw = groups[i]
            if raw:
                if i > 0:
                    raw = raw[1:]
                if i > 0 and raw == "":
                    params[i].known = False
                else:
                    number = _go_atoi(raw)
                    if number is None:
                        raise JSONPathError(f"array index {raw} is not a number")
                    params[i].known = True
                    params[i].value = number
            elif i == 1:
                params[i].known = True
                params[i].value = params[0].value + 1
                params[i].derived = True
        cur.nodes.append(ArrayNode(params))

    def _parse_filter(self, cur: ListNode) -> None:
        self.pos += 3
        self._consume_text()
        begin = end = False
        pair = ""
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin = True
                    pair = r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self._next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self._consume_text()[:-2]
        m = _FILTER_RE.match(text)
        if m is None:
            cur.nodes.append(FilterNode(_parse_action(text), ListNode(), "exists"))
        else:
            left = _parse_action(m.group(1))
            right = _parse_action(m.group(3))
            cur.nodes.append(FilterNode(left, right, m.group(2)))

    def _parse_quote(self, cur: ListNode, end: str) -> None:
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self._consume_text()
        try:
            text = unquote_extend(value)
        except JSONPathError as err:
            raise JSONPathError(f"unquote string {value} error {err}") from None
        cur.nodes.append(TextNode(text))

    def _parse_field(self, cur: ListNode) -> None:
        self._consume_text()
        while True:
            r = self._next()
            if r == "\\":
                self._next()
            elif _is_terminator(r):
                self._backup()
                break
        value = self._consume_text()
        if value == "*":
            cur.nodes.append(WildcardNode())
        else:
            cur.nodes.append(FieldNode(value.replace("\\", "")))


def _parse_action(text: str) -> ListNode:
    """``parseAction``: parse ``{text}`` and return its single action."""
    return Parser("{" + text + "}").root.nodes[0]


# --- Go value helpers ------------------------------------------------------------------


def go_type_name(value: Any) -> str:
    """``%v`` of ``reflect.Value.Type()`` for decoded-JSON values."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, _GoByte):
        return "uint8"
    if isinstance(value, _GoInt):
        return "int"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    return type(value).__name__


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of ``|value|`` and the decimal point position.

    ``value == 0.<digits> * 10**dp`` (Go's ``decimalSlice`` ``d`` and ``dp``); Python's
    ``repr`` is the same shortest round-trip form Go's ``strconv`` produces.
    """
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    raw = "".join(map(str, digit_tuple)).lstrip("0")
    dp = len(raw) + int(exponent)
    return raw.rstrip("0") or "0", dp


def _fixed(neg: str, digits: str, dp: int) -> str:
    if dp <= 0:
        return f"{neg}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return f"{neg}{digits}{'0' * (dp - len(digits))}"
    return f"{neg}{digits[:dp]}.{digits[dp:]}"


def _exponent(neg: str, digits: str, exp: int, pad: bool) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    if exp < 0:
        return f"{neg}{mantissa}e-{-exp:02d}" if pad else f"{neg}{mantissa}e-{-exp}"
    return f"{neg}{mantissa}e+{exp:02d}"


def go_format_float_g(value: float) -> str:
    """``strconv.FormatFloat(v, 'g', -1, 64)``, which ``%v`` uses for float64.

    Exponent form when the exponent is < -4 or >= 6 (the shortest-precision rule):
    ``1e+06``, ``1.5``, ``100000``, ``1e-05``.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    neg = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return neg + "0"
    digits, dp = _shortest_digits(value)
    exp = dp - 1
    if exp < -4 or exp >= 6:
        return _exponent(neg, digits, exp, pad=True)
    return _fixed(neg, digits, dp)


def go_format_float_json(value: float) -> str:
    """A float64 as ``encoding/json`` writes it (``'f'`` unless < 1e-6 or >= 1e21)."""
    if math.isnan(value) or math.isinf(value):
        raise JSONPathError(f"json: unsupported value: {go_format_float_g(value)}")
    neg = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return neg + "0"
    digits, dp = _shortest_digits(value)
    if abs(value) < 1e-6 or abs(value) >= 1e21:
        return _exponent(neg, digits, dp - 1, pad=False)
    return _fixed(neg, digits, dp)


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    if any(ch in encoded for ch in _HTML_ESCAPES):
        encoded = "".join(_HTML_ESCAPES.get(ch, ch) for ch in encoded)
    return encoded


def go_json_marshal(value: Any, indent: str | None = None, _level: int = 0) -> str:
    """``json.Marshal`` (or ``json.MarshalIndent(v, "", indent)``) of decoded JSON."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return go_format_float_json(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = sorted((str(k), v) for k, v in value.items())
        if indent is None:
            return "{" + ",".join(f"{_json_string(k)}:{go_json_marshal(v)}" for k, v in items) + "}"
        pad = "\n" + indent * (_level + 1)
        body = ",".join(f"{pad}{_json_string(k)}: {go_json_marshal(v, indent, _level + 1)}" for k, v in items)
        return "{" + body + "\n" + indent * _level + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if indent is None:
            return "[" + ",".join(go_json_marshal(v) for v in value) + "]"
        pad = "\n" + indent * (_level + 1)
        body = ",".join(f"{pad}{go_json_marshal(v, indent, _level + 1)}" for v in value)
        return "[" + body + "\n" + indent * _level + "]"
    raise JSONPathError(f"json: unsupported type: {type(value).__name__}")


def go_sprint(value: Any) -> str:
    """``fmt.Sprint`` / ``%v`` of decoded JSON (maps as ``map[k:v]`` with sorted keys)."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return go_format_float_g(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def _go_quote(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\a\b\f\n\r\t\v":
            out.append(repr(ch)[1:-1] if ch not in "\a\v" else {"\a": "\\a", "\v": "\\v"}[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_sharp_v(value: Any, in_interface: bool = False) -> str:
    """Go's ``%#v`` of decoded JSON held in ``interface{}`` values."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = go_format_float_g(value)
        return text
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return _go_quote(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{_go_quote(str(k))}:{go_sharp_v(v, True)}" for k, v in sorted(value.items()))
        return "map[string]interface {}{" + inner + "}"
    if isinstance(value, list | tuple):
        return "[]interface {}{" + ", ".join(go_sharp_v(v, True) for v in value) + "}"
    return repr(value)


# --- template comparisons (k8s.io/client-go/third_party/forked/golang/template) --------

_BAD_TYPE = "invalid type for comparison"
_BAD_COMPARISON = "incompatible types for comparison"


def _basic_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, _GoByte):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise JSONPathError(_BAD_TYPE)


def _template_equal(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka != kb:
        if {ka, kb} == {"int", "uint"}:
            return int(a) == int(b)
        raise JSONPathError(_BAD_COMPARISON)
    return a == b


def _template_less(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka != kb:
        if {ka, kb} == {"int", "uint"}:
            return int(a) < int(b)
        raise JSONPathError(_BAD_COMPARISON)
    if ka == "bool":
        raise JSONPathError(_BAD_TYPE)
    return a < b


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "<":
        return _template_less(left, right)
    if op == ">":
        return not (_template_less(left, right) or _template_equal(left, right))
    if op == "==":
        return _template_equal(left, right)
    if op == "!=":
        return not _template_equal(left, right)
    if op == "<=":
        return _template_less(left, right) or _template_equal(left, right)
    if op == ">=":
        return not _template_less(left, right)
    raise JSONPathError(f"unrecognized filter operator {op}")


# --- evaluator -------------------------------------------------------------------------


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [_GoByte(b) for b in value.encode("utf-8")]
    return []


class JSONPath:
    """``jsonpath.JSONPath``: ``parse`` once, ``find_results``/``execute`` many times."""

    def __init__(self, name: str = "", allow_missing_keys: bool = False):
        self.name = name
        self.allow_missing_keys = allow_missing_keys
        self.output_json = False
        self._root: ListNode | None = None

    def parse(self, text: str) -> JSONPath:
        self._root = Parser(text, self.name).root
        return self

    def enable_json_output(self, enabled: bool = True) -> JSONPath:
        self.output_json = enabled
        return self

    # FindResults with client-go's range bookkeeping: a range re-runs the rest of the
    # template per element; each run stops at the matching {end}; processing then resumes
    # after the last {end} seen (by position), against this level's object.
    def find_results(self, data: Any) -> list[list[Any]]:
        if self._root is None:
            raise JSONPathError(f"{self.name} is an incomplete jsonpath template")
        self._nodes = self._root.nodes
        self._begin_range = self._in_range = self._end_range = 0
        self._last_end: int | None = None
        return self._find(data, 0)

    def _find(self, data: Any, start: int) -> list[list[Any]]:
        nodes = self._nodes
        cur = [data]
        full: list[list[Any]] = []
        i = start
        while i < len(nodes):
            results = self._walk(cur, nodes[i])
            if self._end_range > 0 and self._end_range <= self._in_range:
                self._end_range -= 1
                self._last_end = i
                break
            if self._begin_range > 0:
                self._begin_range -= 1
                self._in_range += 1
                if results:
                    for value in results:
                        full.extend(self._find(value, i + 1))
                else:
                    # Run the body once on nothing, only to find where its {end} is.
                    self._find(None, i + 1)
                self._in_range -= 1
                if self._last_end is not None and self._last_end > i:
                    i = self._last_end
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def execute(self, data: Any) -> str:
        return "".join(self.print_results(r) for r in self.find_results(data))

    def print_results(self, results: list[Any]) -> str:
        if self.output_json:
            return go_json_marshal(list(results), indent="    ") + "\n"
        parts = []
        for r in results:
            if isinstance(r, dict | list | tuple):
                parts.append(go_json_marshal(r))
            else:
                parts.append(go_sprint(r))
        return " ".join(parts)

    def _walk(self, values: list[Any], node: Any) -> list[Any]:
        if isinstance(node, ListNode):
            return self._eval_list(values, node)
        if isinstance(node, TextNode):
            return [node.text]
        if isinstance(node, FieldNode):
            return self._eval_field(values, node)
        if isinstance(node, ArrayNode):
            return self._eval_array(values, node)
        if isinstance(node, FilterNode):
            return self._eval_filter(values, node)
        if isinstance(node, IntNode):
            return [_GoInt(node.value) for _ in values]
        if isinstance(node, FloatNode | BoolNode):
            return [node.value for _ in values]
        if isinstance(node, WildcardNode):
            return [c for v in values if v is not None for c in _children(v)]
        if isinstance(node, RecursiveNode):
            return self._eval_recursive(values)
        if isinstance(node, UnionNode):
            out: list[Any] = []
            for lst in node.lists:
                out.extend(self._eval_list(values, lst))
            return out
        if isinstance(node, IdentifierNode):
            return self._eval_identifier(values, node)
        raise JSONPathError(f"unexpected Node {node}")

    def _eval_list(self, values: list[Any], node: ListNode) -> list[Any]:
        cur = values
        for child in node.nodes:
            cur = self._walk(cur, child)
        return cur

    def _eval_identifier(self, values: list[Any], node: IdentifierNode) -> list[Any]:
        if node.name == "range":
            self._begin_range += 1
            return values
        if node.name == "end":
            if self._in_range > 0:
                self._end_range += 1
                return []
            raise JSONPathError("not in range, nothing to end")
        raise JSONPathError(f"unrecognized identifier {node.name}")

    def _eval_field(self, values: list[Any], node: FieldNode) -> list[Any]:
        if not values:
            return []
        results = [v[node.name] for v in values if isinstance(v, dict) and node.name in v]
        if not results and not self.allow_missing_keys:
            raise JSONPathError(f"{node.name} is not found")
        return results

    def _eval_array(self, values: list[Any], node: ArrayNode) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list | tuple):
                raise JSONPathError(f"{go_type_name(value)} is not array or slice")
            p0, p1, p2 = (ParamsEntry(p.value, p.known, p.derived) for p in node.params)
            length = len(value)
            if not p0.known:
                p0.value = 0
            if p0.value < 0:
                p0.value += length
            if not p1.known:
                p1.value = length
            if p1.value < 0 or (p1.value == 0 and p1.derived):
                p1.value += length
            if p1.value == p0.value:
                continue
            if p0.value >= length or p0.value < 0:
                raise JSONPathError(f"array index out of bounds: index {p0.value}, length {length}")
            if p1.value > length or p1.value < 0:
                raise JSONPathError(f"array index out of bounds: index {p1.value - 1}, length {length}")
            if p0.value > p1.value:
                raise JSONPathError(f"starting index {p0.value} is greater than ending index {p1.value}")
            step = 1
            if p2.known:
                if p2.value <= 0:
                    raise JSONPathError(f"step must be > 0: {p2.value}")
                step = p2.value
            results.extend(value[p0.value : p1.value : step])
        return results

    def _eval_recursive(self, values: list[Any]) -> list[Any]:
        out: list[Any] = []
        for value in values:
            if value is None:
                continue
            children = _children(value)
            if children:
                out.append(value)
                out.extend(self._eval_recursive(children))
        return out

    def _eval_filter(self, values: list[Any], node: FilterNode) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if not isinstance(value, list | tuple):
                raise JSONPathError(f"{go_sprint(value)} is not array or slice and cannot be filtered")
            for item in value:
                temp = [item]
                if node.operator == "exists":
                    try:
                        lefts = self._eval_list(temp, node.left)
                    except JSONPathError:
                        lefts = []
                    if lefts:
                        results.append(item)
                    continue
                lefts = self._eval_list(temp, node.left)
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time")
                rights = self._eval_list(temp, node.right)
                if len(rights) != 1:
                    raise JSONPathError("can only compare one element at a time")
                if _compare(node.operator, lefts[0], rights[0]):
                    results.append(item)
        return results


# --- kubectl's wrappers ----------------------------------------------------------------

_RELAXED_RE = re.compile(r"^\{\.?([^{}]+)\}\Z|^\.?([^{}]+)\Z")


def relaxed_jsonpath_expression(path: str) -> str:
    """``RelaxedJSONPathExpression`` (custom columns, ``--sort-by``): ``a.b`` -> ``{.a.b}``."""
    if not path:
        return path
    m = _RELAXED_RE.match(path)
    if m is None:
        raise JSONPathError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (m.group(1) or m.group(2)) + "}"


class JSONPathPrinter:
    """``printers.JSONPathPrinter`` as ``kubectl get -o jsonpath=...`` configures it.

    Raises ``JSONPathError`` with the message kubectl prints after ``error: ``.
    """

    def __init__(self, template: str, allow_missing_keys: bool = True, json_output: bool = False):
        self.template = template
        self.jsonpath = JSONPath("out", allow_missing_keys=allow_missing_keys)
        try:
            self.jsonpath.parse(template)
        except JSONPathError as err:
            raise JSONPathError(f"error parsing jsonpath {template}, {err}\n") from None
        self.jsonpath.enable_json_output(json_output)

    def print_obj(self, obj: Any) -> str:
        try:
            return self.jsonpath.execute(obj)
        except JSONPathError as err:
            detail = (
                f"Error executing template: {err}. Printing more information for debugging the template:\n"
                f"\ttemplate was:\n\t\t{self.template}\n"
                f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(obj)}\n\n"
            )
            raise JSONPathError(f"error executing jsonpath {_go_quote(self.template)}: {detail}\n") from None


def read_template_file(path: str) -> str:
    """``-o jsonpath-file=`` / ``custom-columns-file``: the file's text, or kubectl's error."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:  # bytes, as Go reads them
            return fh.read()
    except OSError as err:
        raise JSONPathError(f"error reading --template {path}, {_os_error(path, err)}\n") from None


def _os_error(path: str, err: OSError) -> str:
    # Go's *PathError: "open <path>: no such file or directory"
    reason = (err.strerror or str(err)).lower() if err.strerror else str(err)
    return f"open {path}: {reason}"
