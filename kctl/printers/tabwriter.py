"""Go ``text/tabwriter`` as kubectl configures it for ``get`` tables.

kubectl (cli-runtime ``printers.GetNewTabWriter``) uses minwidth 6, tabwidth 4, padding 3,
padchar ' ' and no alignment flags that matter for a single flush. Cells are tab-terminated;
the text after the last tab of a line is not part of any column and is written unpadded.
Column widths are computed per *column block*: a run of consecutive lines that all have a
terminated cell in that column (Go's recursive ``format``). A cell's width is
``max(minwidth, len(widest cell) + padding)``. Widths count runes, as Go does.

This module mirrors that algorithm exactly, including its quirks (a line with fewer
cells ends a block; an empty last cell leaves the previous column's padding as trailing
spaces).
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_WIDTH = 6
PADDING = 3


def format_lines(lines: Sequence[str], *, min_width: int = MIN_WIDTH, padding: int = PADDING) -> str:
    """Align tab-separated ``lines`` (without trailing newlines); returns text ending in newline
    for every line."""
    return format_cells([line.split("\t") for line in lines], min_width=min_width, padding=padding)


def format_cells(rows: Sequence[Sequence[str]], *, min_width: int = MIN_WIDTH, padding: int = PADDING) -> str:
    """Align rows of cells. Each row's cells except the last are tab-terminated cells of
    columns; the last one is free text. Returns the lines joined, each ending in ``\\n``."""
    if not rows:
        return ""
    ncols_max = max(len(r) for r in rows) - 1
    if ncols_max <= 0:
        return "".join(r[0] + "\n" if r else "\n" for r in rows)
    # Fast path: every row has the same number of cells -> one block per column.
    if all(len(r) == ncols_max + 1 for r in rows):
        widths = []
        for c in range(ncols_max):
            w = max(len(r[c]) for r in rows) + padding
            widths.append(w if w > min_width else min_width)
        out = []
        for r in rows:
            parts = [cell.ljust(w) for cell, w in zip(r, widths, strict=False)]
            parts.append(r[-1])
            out.append("".join(parts))
        out.append("")
        return "\n".join(out)
    line_widths: list[list[int]] = [[] for _ in rows]
    _format(rows, 0, len(rows), [], line_widths, min_width, padding)
    out = []
    for r, widths in zip(rows, line_widths, strict=True):
        parts = []
        last = len(r) - 1
        for j, cell in enumerate(r):
            if j < last and j < len(widths):
                parts.append(cell.ljust(widths[j]))
            else:
                parts.append(cell)
        out.append("".join(parts))
    out.append("")
    return "\n".join(out)


def _format(rows, line0: int, line1: int, widths: list[int], line_widths, min_width: int, padding: int) -> None:
    """Go's recursive block formatter: fixes the widths of column ``len(widths)`` for each
    block of lines in [line0, line1) that has a cell in it, then recurses to the right."""
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(rows[this]) - 1:
            line_widths[this] = list(widths)
            this += 1
            continue
        start = this
        width = min_width
        while this < line1 and column < len(rows[this]) - 1:
            w = len(rows[this][column]) + padding
            if w > width:
                width = w
            this += 1
        _format(rows, start, this, [*widths, width], line_widths, min_width, padding)
