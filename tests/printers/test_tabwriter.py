"""Go text/tabwriter semantics as kubectl configures it (minwidth 6, padding 3)."""

from __future__ import annotations

from kctl.printers.tabwriter import format_cells, format_lines


def test_padding_and_min_width() -> None:
    assert format_lines(["NAME\tAGE", "a\t5m"]) == "NAME   AGE\na      5m\n"
    # a column is at least 6 wide even when its cells are short
    assert format_lines(["a\tb", "cc\td"]) == "a     b\ncc    d\n"


def test_last_column_is_not_padded() -> None:
    out = format_lines(["NAME\tSTATUS", "web\tRunning", "x\tCrashLoopBackOff"])
    assert out.splitlines() == ["NAME   STATUS", "web    Running", "x      CrashLoopBackOff"]


def test_empty_last_cell_keeps_previous_padding() -> None:
    # Go pads every tab-terminated cell; an empty trailing cell leaves those spaces.
    assert format_lines(["A\tB", "x\t"]) == "A     B\nx     \n"


def test_column_blocks_break_on_shorter_lines() -> None:
    # Line 2 has no cell in column 1, so column 1 forms two independent blocks.
    out = format_lines(["a\tb\tc", "aaaaaaaa\tb", "a\tbbbbbbbbbb\tc"])
    assert out.splitlines() == ["a          b     c", "aaaaaaaa   b", "a          bbbbbbbbbb   c"]


def test_width_counts_characters_not_bytes() -> None:
    assert format_cells([["é", "x"], ["ab", "y"]]) == "é     x\nab    y\n"


def test_empty_input() -> None:
    assert format_lines([]) == ""
