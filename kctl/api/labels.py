"""Label selectors, as k8s.io/apimachinery/pkg/labels and metav1's LabelSelector helpers do them.

Mirrors upstream (1.34):

- ``parse(text)`` is ``labels.Parse``: the same lexer (special symbols ``= ! ( ) , > <``,
  whitespace `` \\t\\r\\n``, keywords ``in`` / ``notin``), the same recursive-descent parser
  and the same error strings (``unable to parse requirement: ...``, ``found '...',
  expected: ...``). Requirements are sorted by key; ``in``/``notin`` values are a
  de-duplicated sorted set, as ``sets.String.List()`` returns them.
- ``new_requirement`` is ``labels.NewRequirement`` with its validation (label key =
  qualified name, label values, operator arity, integer values for ``gt``/``lt``); errors are
  field errors rendered as Go renders them (``values[0][app]: Invalid value: "a@b": ...``,
  several joined as an aggregate ``[e1, e2]``).
- ``Selector.matches`` is ``internalSelector.Matches``; ``str(selector)`` is ``String()``
  (values sorted on output only).
- ``selector_from_label_selector`` is ``metav1.LabelSelectorAsSelector``: ``None`` (nil)
  selects nothing, ``{}`` selects everything; ``format_label_selector`` is
  ``metav1.FormatLabelSelector`` (``<none>`` when empty, ``<error>`` when invalid).

Matching is the hot path (controllers match every pod against every selector), so each
requirement is compiled once into a small closure over the label dict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

# selection.Operator values
DOES_NOT_EXIST = "!"
EQUALS = "="
DOUBLE_EQUALS = "=="
IN = "in"
NOT_EQUALS = "!="
NOT_IN = "notin"
EXISTS = "exists"
GREATER_THAN = "gt"
LESS_THAN = "lt"

_BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
_UNARY_OPERATORS = (EXISTS, DOES_NOT_EXIST)
VALID_REQUIREMENT_OPERATORS = _BINARY_OPERATORS + _UNARY_OPERATORS

_MISSING = object()


class LabelSelectorError(ValueError):
    """A selector that does not parse or validate; ``str()`` is the upstream message."""


# --- validation (k8s.io/apimachinery/pkg/util/validation) --------------------------------

_QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QUALIFIED_NAME_RE = re.compile(f"^{_QUALIFIED_NAME_FMT}$")
_QUALIFIED_NAME_ERR = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
_QUALIFIED_NAME_MAX_LENGTH = 63
_LABEL_VALUE_FMT = f"({_QUALIFIED_NAME_FMT})?"
_LABEL_VALUE_RE = re.compile(f"^{_LABEL_VALUE_FMT}$")
_LABEL_VALUE_ERR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_LABEL_VALUE_MAX_LENGTH = 63
_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_RE = re.compile(f"^{_DNS1123_SUBDOMAIN_FMT}$")
_DNS1123_SUBDOMAIN_ERR = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_MAX_LENGTH = 253


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    # validation.RegexError, including its double space before each " or ".
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    text = msg + " (e.g. " + " or ".join(f"'{e}', " for e in examples)
    return text + f"regex used for validation is '{fmt}')"


def _max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def _fullmatch(regex: re.Pattern[str], value: str) -> bool:
    # Go's "^...$" never matches across a trailing newline; Python's "$" would.
    return regex.match(value) is not None and not value.endswith("\n")


def is_dns1123_subdomain(value: str) -> list[str]:
    """``validation.IsDNS1123Subdomain``."""
    errs = []
    if len(value) > _DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(_max_len_error(_DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _fullmatch(_DNS1123_SUBDOMAIN_RE, value):
        errs.append(_regex_error(_DNS1123_SUBDOMAIN_ERR, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """``validation.IsQualifiedName``: a label key (``[prefix/]name``)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return [
            "a qualified name "
            + _regex_error(_QUALIFIED_NAME_ERR, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > _QUALIFIED_NAME_MAX_LENGTH:
        errs.append("name part " + _max_len_error(_QUALIFIED_NAME_MAX_LENGTH))
    if not _fullmatch(_QUALIFIED_NAME_RE, name):
        errs.append(
            "name part " + _regex_error(_QUALIFIED_NAME_ERR, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


def is_valid_label_value(value: str) -> list[str]:
    """``validation.IsValidLabelValue``."""
    errs = []
    if len(value) > _LABEL_VALUE_MAX_LENGTH:
        errs.append(_max_len_error(_LABEL_VALUE_MAX_LENGTH))
    if not _fullmatch(_LABEL_VALUE_RE, value):
        errs.append(_regex_error(_LABEL_VALUE_ERR, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# --- Go rendering of field errors with apimachinery's *field.Path semantics -------------


def _go_quote(text: str) -> str:
    """``strconv.Quote``."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\a\b\f\n\r\t\v":
            out.append({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _go_json_list(values: list[str] | None) -> str:
    if values is None:
        return "null"
    return "[" + ",".join(_go_quote(v) for v in values) + "]"


def _invalid(path: str, value: Any, detail: str) -> str:
    """``field.Invalid(path, value, detail).Error()``; ``path`` already rendered."""
    rendered = _go_quote(value) if isinstance(value, str) else _go_json_list(value)
    return f"{path}: Invalid value: {rendered}: {detail}"


def _aggregate(messages: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: one as is, several de-duplicated in brackets."""
    seen: list[str] = []
    for m in messages:
        if m not in seen:
            seen.append(m)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


def _validate_label_key(key: str, path: str) -> str | None:
    errs = is_qualified_name(key)
    return _invalid(path, key, "; ".join(errs)) if errs else None


# --- requirements ----------------------------------------------------------------------

_INT64_RE = re.compile(r"^[+-]?[0-9]+\Z")


def _parse_int64(text: str) -> int | None:
    """``strconv.ParseInt(text, 10, 64)``; ``None`` where Go returns an error."""
    if not _INT64_RE.match(text):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _compile(key: str, op: str, values: tuple[str, ...]) -> Callable[[Mapping[str, str]], bool]:
    if op in (EQUALS, DOUBLE_EQUALS) or (op == IN and len(values) == 1):
        only = values[0]
        return lambda labels: labels.get(key, _MISSING) == only
    if op == IN:
        allowed = frozenset(values)
        return lambda labels: labels.get(key, _MISSING) in allowed
    if op == NOT_EQUALS or (op == NOT_IN and len(values) == 1):
        only = values[0]
        return lambda labels: labels.get(key, _MISSING) != only
    if op == NOT_IN:
        denied = frozenset(values)
        return lambda labels: labels.get(key, _MISSING) not in denied
    if op == EXISTS:
        return lambda labels: key in labels
    if op == DOES_NOT_EXIST:
        return lambda labels: key not in labels
    if op in (GREATER_THAN, LESS_THAN):
        bound = _parse_int64(values[0]) if len(values) == 1 else None
        if bound is None:
            return lambda labels: False
        greater = op == GREATER_THAN

        def compare(labels: Mapping[str, str]) -> bool:
            raw = labels.get(key)
            if raw is None:
                return False
            actual = _parse_int64(raw)
            if actual is None:
                return False
            return actual > bound if greater else actual < bound

        return compare
    return lambda labels: False


def _safe_sorted(values: tuple[str, ...]) -> list[str]:
    # Go sorts by bytes; for str that is code-point order, which Python's sort also uses.
    return sorted(values)


class Requirement:
    """One ``key op values`` term (``labels.Requirement``); build with ``new_requirement``."""

    __slots__ = ("key", "operator", "values", "_match")

    def __init__(self, key: str, operator: str, values: Iterable[str] = ()):
        self.key = key
        self.operator = operator
        self.values = tuple(values)
        self._match = _compile(key, operator, self.values)

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        return self._match(labels or {})

    def __str__(self) -> str:
        op = self.operator
        head = ("!" if op == DOES_NOT_EXIST else "") + self.key
        if op in (EXISTS, DOES_NOT_EXIST):
            return head
        sep = {
            EQUALS: "=",
            DOUBLE_EQUALS: "==",
            NOT_EQUALS: "!=",
            IN: " in ",
            NOT_IN: " notin ",
            GREATER_THAN: ">",
            LESS_THAN: "<",
        }.get(op, "")
        vals = self.values[0] if len(self.values) == 1 else ",".join(_safe_sorted(self.values))
        if op in (IN, NOT_IN):
            vals = f"({vals})"
        return head + sep + vals

    def __repr__(self) -> str:
        return f"Requirement({self.key!r}, {self.operator!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Requirement)
            and (self.key, self.operator, self.values) == (other.key, other.operator, other.values)
        )

    def __hash__(self) -> int:
        return hash((self.key, self.operator, self.values))


def new_requirement(key: str, operator: str, values: Iterable[str] | None = (), path: str | None = None) -> Requirement:
    """``labels.NewRequirement``: validates and raises ``LabelSelectorError`` like upstream.

    ``values=None`` stands for a nil slice (it renders as ``null`` in an error). ``path`` is
    the rendered ``field.Path`` prefix (``None`` = nil path, as ``labels.Parse`` uses).
    """
    vals = None if values is None else list(values)
    vlist = vals or []
    errs: list[str] = []
    key_path = f"{path}.key" if path else "key"
    value_path = f"{path}.values" if path else "values"
    err = _validate_label_key(key, key_path)
    if err:
        errs.append(err)
    if operator in (IN, NOT_IN):
        if not vlist:
            errs.append(_invalid(value_path, vals, "for 'in', 'notin' operators, values set can't be empty"))
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(vlist) != 1:
            errs.append(_invalid(value_path, vals, "exact-match compatibility requires one single value"))
    elif operator in (EXISTS, DOES_NOT_EXIST):
        if vlist:
            errs.append(_invalid(value_path, vals, "values set must be empty for exists and does not exist"))
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(vlist) != 1:
            errs.append(_invalid(value_path, vals, "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, v in enumerate(vlist):
            if _parse_int64(v) is None:
                errs.append(
                    _invalid(f"{value_path}[{i}]", v, "for 'Gt', 'Lt' operators, the value must be an integer")
                )
    else:
        supported = ", ".join(_go_quote(o) for o in VALID_REQUIREMENT_OPERATORS)
        op_path = f"{path}.operator" if path else "operator"
        errs.append(f"{op_path}: Unsupported value: {_go_quote(operator)}: supported values: {supported}")
    for i, v in enumerate(vlist):
        problems = is_valid_label_value(v)
        if problems:
            errs.append(_invalid(f"{value_path}[{i}][{key}]", v, "; ".join(problems)))
    if errs:
        raise LabelSelectorError(_aggregate(errs))
    return Requirement(key, operator, vlist)


# --- selectors -------------------------------------------------------------------------


class Selector:
    """A conjunction of requirements (``labels.internalSelector``), sorted by key."""

    __slots__ = ("requirements", "_matchers", "_nothing")

    def __init__(self, requirements: Iterable[Requirement] = (), *, _nothing: bool = False):
        # sort.Sort(ByKey) on the few requirements a selector has behaves as a stable sort.
        self.requirements = tuple(sorted(requirements, key=lambda r: r.key))
        self._matchers = tuple(r._match for r in self.requirements)
        self._nothing = _nothing

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self._nothing:
            return False
        labels = labels or {}
        for match in self._matchers:  # noqa: SIM110 - a plain loop beats all(genexpr) on the hot path
            if not match(labels):
                return False
        return True

    def empty(self) -> bool:
        """True when the selector does not restrict anything (``Everything()``)."""
        return not self._nothing and not self.requirements

    def is_nothing(self) -> bool:
        return self._nothing

    def add(self, *requirements: Requirement) -> Selector:
        if self._nothing:
            return self
        return Selector(self.requirements + requirements)

    def requires_exact_match(self, key: str) -> tuple[str, bool]:
        """``RequiresExactMatch``: the single value ``key`` must have, if the selector pins it."""
        for r in self.requirements:
            if r.key == key:
                if r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1:
                    return r.values[0], True
                return "", False
        return "", False

    def __str__(self) -> str:
        if self._nothing:
            return ""
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return "Selector(nothing)" if self._nothing else f"Selector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Selector)
            and self._nothing == other._nothing
            and self.requirements == other.requirements
        )

    def __hash__(self) -> int:
        return hash((self._nothing, self.requirements))


EVERYTHING = Selector()
NOTHING = Selector(_nothing=True)


def everything() -> Selector:
    return EVERYTHING


def nothing() -> Selector:
    return NOTHING


# --- lexer / parser (labels.Parse) -----------------------------------------------------

_ERROR, _EOS, _CLOSED_PAR, _COMMA, _NOT, _DOUBLE_EQUALS, _EQUALS, _GT, _IDENT, _IN, _LT, _NOT_EQUALS, _NOT_IN, _OPEN_PAR = range(14)

_STRING_TO_TOKEN = {
    ")": _CLOSED_PAR,
    ",": _COMMA,
    "!": _NOT,
    "==": _DOUBLE_EQUALS,
    "=": _EQUALS,
    ">": _GT,
    "in": _IN,
    "<": _LT,
    "!=": _NOT_EQUALS,
    "notin": _NOT_IN,
    "(": _OPEN_PAR,
}
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")


def _lex(text: str) -> list[tuple[int, str]]:
    """All tokens up to and including end-of-string, as ``Lexer.Lex`` returns them."""
    items: list[tuple[int, str]] = []
    n = len(text)
    pos = 0
    while True:
        while pos < n and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= n or text[pos] == "\0":  # Go's lexer reads a NUL byte as end of input
            items.append((_EOS, ""))
            return items
        if text[pos] in _SPECIAL:
            buffer = ""
            last: tuple[int, str] | None = None
            while pos < n and text[pos] in _SPECIAL:
                buffer += text[pos]
                pos += 1
                tok = _STRING_TO_TOKEN.get(buffer)
                if tok is not None:
                    last = (tok, buffer)
                elif last is not None:
                    pos -= 1
                    break
            items.append(last if last is not None else (_ERROR, f"error expected: keyword found '{buffer}'"))
        else:
            start = pos
            while pos < n and text[pos] not in _SPECIAL and text[pos] not in _WHITESPACE and text[pos] != "\0":
                pos += 1
            word = text[start:pos]
            items.append((_STRING_TO_TOKEN.get(word, _IDENT), word))


class _Parser:
    def __init__(self, text: str):
        self.items = _lex(text)
        self.pos = 0

    def lookahead(self, values: bool) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        if values and tok in (_IN, _NOT_IN):
            tok = _IDENT
        return tok, lit

    def consume(self, values: bool) -> tuple[int, str]:
        tok, lit = self.lookahead(values)
        self.pos += 1
        return tok, lit

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            tok, lit = self.lookahead(True)
            if tok in (_IDENT, _NOT):
                try:
                    requirements.append(self.parse_requirement())
                except LabelSelectorError as err:
                    raise LabelSelectorError(f"unable to parse requirement: {err}") from None
                t, lit = self.consume(True)
                if t == _EOS:
                    return requirements
                if t == _COMMA:
                    t2, l2 = self.lookahead(True)
                    if t2 not in (_IDENT, _NOT):
                        raise LabelSelectorError(f"found '{l2}', expected: identifier after ','")
                else:
                    raise LabelSelectorError(f"found '{lit}', expected: ',' or 'end of string'")
            elif tok == _EOS:
                return requirements
            else:
                raise LabelSelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def parse_requirement(self) -> Requirement:
        key, operator = self.parse_key_and_infer_operator()
        if operator in (EXISTS, DOES_NOT_EXIST):
            return new_requirement(key, operator, [])
        operator = self.parse_operator()
        values = self.parse_values() if operator in (IN, NOT_IN) else self.parse_exact_value()
        return new_requirement(key, operator, sorted(values))

    def parse_key_and_infer_operator(self) -> tuple[str, str]:
        operator = ""
        tok, literal = self.consume(True)
        if tok == _NOT:
            operator = DOES_NOT_EXIST
            tok, literal = self.consume(True)
        if tok != _IDENT:
            raise LabelSelectorError(f"found '{literal}', expected: identifier")
        err = _validate_label_key(literal, "<nil>")
        if err:
            raise LabelSelectorError(err)
        t, _ = self.lookahead(True)
        if t in (_EOS, _COMMA) and operator != DOES_NOT_EXIST:
            operator = EXISTS
        return literal, operator

    def parse_operator(self) -> str:
        tok, lit = self.consume(False)
        op = {
            _IN: IN,
            _EQUALS: EQUALS,
            _DOUBLE_EQUALS: DOUBLE_EQUALS,
            _GT: GREATER_THAN,
            _LT: LESS_THAN,
            _NOT_IN: NOT_IN,
            _NOT_EQUALS: NOT_EQUALS,
        }.get(tok)
        if op is None:
            raise LabelSelectorError(f"found '{lit}', expected: {', '.join(_BINARY_OPERATORS)}")
        return op

    def parse_values(self) -> set[str]:
        tok, lit = self.consume(True)
        if tok != _OPEN_PAR:
            raise LabelSelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead(True)
        if tok in (_IDENT, _COMMA):
            values = self.parse_identifiers_list()
            tok, _ = self.consume(True)
            if tok != _CLOSED_PAR:
                raise LabelSelectorError(f"found '{lit}', expected: ')'")
            return values
        if tok == _CLOSED_PAR:
            self.consume(True)
            return {""}
        raise LabelSelectorError(f"found '{lit}', expected: ',', ')' or identifier")

    def parse_identifiers_list(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit = self.consume(True)
            if tok == _IDENT:
                values.add(lit)
                tok2, lit2 = self.lookahead(True)
                if tok2 == _COMMA:
                    continue
                if tok2 == _CLOSED_PAR:
                    return values
                raise LabelSelectorError(f"found '{lit2}', expected: ',' or ')'")
            if tok == _COMMA:
                if not values:
                    values.add("")  # "(,"
                tok2, _ = self.lookahead(True)
                if tok2 == _CLOSED_PAR:
                    values.add("")  # ",)"
                    return values
                if tok2 == _COMMA:
                    self.consume(True)
                    values.add("")  # ",,"
                continue
            raise LabelSelectorError(f"found '{lit}', expected: ',', or identifier")

    def parse_exact_value(self) -> set[str]:
        tok, _ = self.lookahead(True)
        if tok in (_EOS, _COMMA):
            return {""}
        tok, lit = self.consume(True)
        if tok == _IDENT:
            return {lit}
        raise LabelSelectorError(f"found '{lit}', expected: identifier")


def parse(selector: str) -> Selector:
    """``labels.Parse``: raises ``LabelSelectorError`` with upstream's message."""
    if not selector.strip(" \t\r\n"):
        return EVERYTHING
    return Selector(_Parser(selector).parse())


def selector_from_set(labels: Mapping[str, str] | None) -> Selector:
    """``labels.SelectorFromSet``: equality on every pair; empty or None selects everything."""
    if not labels:
        return EVERYTHING
    return Selector(Requirement(k, EQUALS, (v,)) for k, v in labels.items())


_LABEL_SELECTOR_OPERATORS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def selector_from_label_selector(obj: Mapping[str, Any] | None) -> Selector:
    """``metav1.LabelSelectorAsSelector``: ``None`` -> nothing, ``{}`` -> everything.

    Raises ``LabelSelectorError`` for an unknown operator (``"Foo" is not a valid label
    selector operator``) or a requirement that ``new_requirement`` rejects.
    """
    if obj is None:
        return NOTHING
    match_labels = obj.get("matchLabels") or {}
    match_expressions = obj.get("matchExpressions") or []
    if not match_labels and not match_expressions:
        return EVERYTHING
    requirements = [new_requirement(k, EQUALS, [v]) for k, v in match_labels.items()]
    for expr in match_expressions:
        raw_op = expr.get("operator", "")
        op = _LABEL_SELECTOR_OPERATORS.get(raw_op)
        if op is None:
            raise LabelSelectorError(f"{_go_quote(str(raw_op))} is not a valid label selector operator")
        values = expr.get("values")
        requirements.append(new_requirement(expr.get("key", ""), op, None if values is None else list(values)))
    return Selector(requirements)


def format_label_selector(obj: Mapping[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector``: ``app=web,tier in (a,b)``; ``<none>``; ``<error>``."""
    try:
        text = str(selector_from_label_selector(obj))
    except LabelSelectorError:
        return "<error>"
    return text or "<none>"


def format_labels(labels: Mapping[str, str] | None) -> str:
    """``labels.FormatLabels``: ``k=v`` pairs sorted by key, ``<none>`` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))
