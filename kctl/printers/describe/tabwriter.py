"""The text layout engine behind ``kubectl describe``.

Mirrors Go's ``text/tabwriter`` as kubectl's ``tabbedString`` configures it
(``tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)``: min width 0, padding 2, pad with spaces,
no flags) and kubectl's ``PrefixWriter`` (two spaces per nesting level, terminal escapes
neutralised). Private to describe: the ``get`` table printer has its own settings.

Go's algorithm (implemented once, in kctl.printers.tabwriter): a line is split at tabs
into cells; every cell but the last is tab-terminated and belongs to a column. A *column block* is a run of consecutive lines that
all have a tab-terminated cell in that column; the block's width is its widest cell plus the
padding. A line with fewer cells ends the block, so alignment restarts after e.g. a bare
``Containers:`` line or a blank line. The last cell of a line is never padded, while
tab-terminated empty cells are (which is why kubectl's output has trailing spaces in places).
"""

from __future__ import annotations

from kctl.printers.tabwriter import format_lines

__all__ = ["PrefixWriter", "tabwrite"]

LEVEL_SPACE = "  "


def tabwrite(text: str, *, minwidth: int = 0, padding: int = 2) -> str:
    """Align ``text`` exactly as Go's tabwriter with the given settings would.

    Delegates to the shared Go tabwriter port (kctl.printers.tabwriter) with describe's
    settings; text after the last newline is a partial line, written without a newline.
    """
    if not text:
        return ""
    lines = text.split("\n")
    complete = lines[-1] == ""
    out = format_lines(lines[:-1] if complete else lines, min_width=minwidth, padding=padding)
    return out if complete else out[:-1]


def escape_terminal(s: str) -> str:
    """cli-runtime's ``EscapeTerminal``: ESC becomes ``^[`` and CR a literal ``\\r``."""
    if "\x1b" in s or "\r" in s:
        return s.replace("\x1b", "^[").replace("\r", "\\r")
    return s


class PrefixWriter:
    """Collects describe text; ``write(level, s)`` indents ``s`` by two spaces per level.

    ``s`` is already formatted (tabs mark cells, newlines end lines). ``render()`` runs the
    tabwriter over everything written, as kubectl's ``tabbedString`` does on flush.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, level: int, s: str) -> None:
        self._parts.append(escape_terminal(LEVEL_SPACE * level + s))

    def write_line(self, s: str = "") -> None:
        self._parts.append(escape_terminal(s + "\n"))

    def render(self) -> str:
        return tabwrite("".join(self._parts))
