"""Positions in a text: 1-based lines and columns of character offsets."""

from __future__ import annotations


def line_of(text: str, position: int) -> int:
    """The 1-based line holding character ``position``."""
    return text.count("\n", 0, position) + 1


def column_of(text: str, position: int) -> int:
    """The 1-based column of character ``position`` in its line."""
    return position - text.rfind("\n", 0, position)


def line_start(text: str, line: int) -> int:
    """The offset where 1-based ``line`` starts."""
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    return position
