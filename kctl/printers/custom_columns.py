"""``-o custom-columns=`` and ``-o custom-columns-file=`` (kubectl/pkg/cmd/get/customcolumn.go).

Mirrors upstream:

- spec ``HEADER:PATH,HEADER2:PATH2``: split on ``,``, each part on the first ``:``; paths go
  through ``RelaxedJSONPathExpression`` (``.a.b``, ``a.b``, ``{.a.b}``, ``{a.b}``);
  headers are printed exactly as given (not upper-cased);
- file form: first line headers, second line paths, both split on whitespace;
- one row per object (a List prints its ``items``); the header row once, unless
  ``no_headers``; a column with no result prints ``<none>``; several results are joined
  with ``,``; each value is Go's ``%v`` (so maps print as ``map[k:v]``, lists as ``[a b]``)
  with terminal escapes neutralised; missing keys are allowed;
- rows are aligned by the same tabwriter as ``get`` tables (minwidth 6, padding 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from kctl.printers.jsonpath import JSONPath, JSONPathError, go_sprint, relaxed_jsonpath_expression


class CustomColumnsError(ValueError):
    """A bad spec or template; ``str()`` is kubectl's message (printed after ``error: ``)."""


class Column(NamedTuple):
    header: str
    field_spec: str  # a full JSONPath template, e.g. "{.metadata.name}"


def parse_custom_columns_spec(spec: str) -> list[Column]:
    """``NewCustomColumnsPrinterFromSpec``."""
    if not spec:
        raise CustomColumnsError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise CustomColumnsError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append(Column(header, _relaxed(path)))
    return columns


def parse_custom_columns_template(text: str) -> list[Column]:
    """``NewCustomColumnsPrinterFromTemplate``: a header line and a spec line."""
    lines = _scan_lines(text)
    if not lines:
        raise CustomColumnsError(
            "invalid template, missing header line. Expected format is one line of space separated headers, "
            "one line of space separated column specs."
        )
    if len(lines) < 2:
        raise CustomColumnsError(
            "invalid template, missing spec line. Expected format is one line of space separated headers, "
            "one line of space separated column specs."
        )
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise CustomColumnsError(
            f"number of headers ({len(headers)}) and field specifications ({len(specs)}) don't match"
        )
    return [Column(h, _relaxed(s)) for h, s in zip(headers, specs, strict=True)]


def _scan_lines(text: str) -> list[str]:
    """``bufio.ScanLines``: split on ``\\n``, drop one trailing ``\\r``, no empty final token."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def read_custom_columns_file(path: str) -> list[Column]:
    """``-o custom-columns-file=PATH``."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:  # bytes, as Go reads them
            text = fh.read()
    except OSError as err:
        raise CustomColumnsError(f"error reading template {path}, open {path}: {(err.strerror or str(err)).lower()}\n") from None
    return parse_custom_columns_template(text)


def _relaxed(path: str) -> str:
    try:
        return relaxed_jsonpath_expression(path)
    except JSONPathError as err:
        raise CustomColumnsError(str(err)) from None


def escape_terminal(text: str) -> str:
    """``printers.EscapeTerminal``: ESC and CR made visible so a value cannot drive the terminal."""
    return text.replace("\x1b", "^[").replace("\r", "\\r")


def _items(obj: Any) -> list[Any]:
    if isinstance(obj, Mapping) and isinstance(obj.get("items"), list):
        return list(obj["items"])
    if isinstance(obj, Mapping):
        return [obj]
    return list(obj)


def custom_column_cells(obj: Mapping[str, Any], parsers: Sequence[JSONPath]) -> list[str]:
    """One row's cells (``printOneObject``)."""
    cells = []
    for parser in parsers:
        values = parser.find_results(obj)
        strings = []
        if not values or not values[0]:
            strings.append("<none>")
        for group in values:
            strings.extend(escape_terminal(go_sprint(v)) for v in group)
        cells.append(",".join(strings))
    return cells


def print_custom_columns(objects: Any, columns: Sequence[Column], no_headers: bool = False) -> str:
    """The printer's whole output for a single object, a List dict, or an iterable of objects.

    Raises ``CustomColumnsError`` when a column's path does not parse or evaluate.
    """
    parsers = []
    for ix, column in enumerate(columns):
        try:
            parsers.append(JSONPath(f"column{ix}", allow_missing_keys=True).parse(column.field_spec))
        except JSONPathError as err:
            raise CustomColumnsError(str(err)) from None
    rows: list[list[str]] = []
    if not no_headers:
        rows.append([c.header for c in columns])
    for obj in _items(objects):
        try:
            rows.append(custom_column_cells(obj, parsers))
        except JSONPathError as err:
            raise CustomColumnsError(str(err)) from None
    return _tabwrite(rows)


def print_custom_columns_spec(objects: Any, spec: str, no_headers: bool = False) -> str:
    return print_custom_columns(objects, parse_custom_columns_spec(spec), no_headers)


def _tabwrite(rows: Iterable[Sequence[str]]) -> str:
    rows = [list(r) for r in rows]
    try:
        from kctl.printers.tabwriter import format_cells
    except ImportError:  # pragma: no cover - the shared tabwriter is the normal path
        return _minimal_tabwrite(rows)
    return format_cells(rows)


def _minimal_tabwrite(rows: list[list[str]], min_width: int = 6, padding: int = 3) -> str:
    """Go tabwriter for rows that all have the same number of cells (always true here)."""
    if not rows:
        return ""
    ncols = len(rows[0]) - 1
    widths = [max(min_width, max(len(r[c]) for r in rows) + padding) for c in range(ncols)]
    return "".join("".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + r[-1] + "\n" for r in rows)
