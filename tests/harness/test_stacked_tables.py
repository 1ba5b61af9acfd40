"""The stacked-tables extension labels each cell with its column's heading, for tables wide
enough to stack on a phone, and leaves the rest alone."""

from __future__ import annotations

import markdown


def html(text: str) -> str:
    return markdown.markdown(
        text, extensions=["tables", "forkdocs.doctools.integrations.stacked_tables"]
    )


def test_a_table_of_three_columns_labels_every_cell_with_its_heading() -> None:
    out = html("| call | `MMU` | peak |\n|---|---|--:|\n| fork | paging | 4 KiB |\n")
    assert "<table data-fd-stack" in out
    assert '<td data-label="call">fork</td>' in out
    assert '<td data-label="MMU">paging</td>' in out
    assert 'data-label="peak" style="text-align: right;"' in out or (
        'style="text-align: right;" data-label="peak"' in out
    )


def test_a_narrow_table_is_left_as_it_is() -> None:
    out = html("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "data-fd-stack" not in out and "data-label" not in out


def test_a_table_of_names_in_code_stacks_too() -> None:
    """Two columns, the first only options or commands: their names must not wrap."""
    out = html("| option | what it does |\n|---|---|\n| `--docs-timeout=S` | a limit |\n")
    assert "<table data-fd-stack" in out
    mixed = html("| option | what |\n|---|---|\n| `--a` | x |\n| plain | y |\n")
    assert "data-fd-stack" not in mixed
