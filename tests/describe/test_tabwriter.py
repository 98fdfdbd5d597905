"""The Go tabwriter port: column blocks, padding, trailing cells, escaping."""

from __future__ import annotations

from kctl.printers.describe.tabwriter import PrefixWriter, escape_terminal, tabwrite


def test_cells_align_per_column_with_padding_two() -> None:
    assert tabwrite("a:\t1\nlonger:\t2\n") == "a:       1\nlonger:  2\n"


def test_a_line_without_tabs_ends_the_block() -> None:
    text = "Name:\tx\nContainers:\n  web:\n    Image:\tnginx\n    Port:\t80\n"
    assert tabwrite(text) == "Name:  x\nContainers:\n  web:\n    Image:  nginx\n    Port:   80\n"


def test_inner_columns_form_their_own_blocks() -> None:
    # Column 1 of the header and of the rows is interrupted by the 2-cell host line.
    text = "  Host\tPath\tBackends\n  a.com\t\n    \t/ \tsvc:80\n"
    assert tabwrite(text) == "  Host   Path  Backends\n  a.com  \n         /   svc:80\n"


def test_empty_tab_terminated_cells_are_padded_but_the_last_cell_is_not() -> None:
    assert tabwrite("IP:\t\nIPs:\t<none>\n") == "IP:   \nIPs:  <none>\n"
    assert tabwrite("  Ready \tTrue \n") == "  Ready   True \n"


def test_text_without_final_newline_is_kept_as_is() -> None:
    assert tabwrite("a\tb") == "a  b"
    assert tabwrite("") == ""


def test_width_counts_characters_not_bytes() -> None:
    assert tabwrite("é:\t1\nab:\t2\n") == "é:   1\nab:  2\n"  # bytes would give "é:  1"


def test_prefix_writer_indents_two_spaces_per_level_and_escapes() -> None:
    w = PrefixWriter()
    w.write(0, "Name:\tx\x1b[31m\n")
    w.write(2, "Image:\tnginx\r\n")
    w.write(0, "Labels:\t")
    w.write_line("<none>")
    assert w.render() == "Name:       x^[[31m\n    Image:  nginx\\r\nLabels:     <none>\n"
    assert escape_terminal("plain") == "plain"
