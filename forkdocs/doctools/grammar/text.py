"""Positions in a text: 1-based lines and columns of character offsets, and a file's path as
messages show it."""

from __future__ import annotations

import functools
import os
from pathlib import Path


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


def display_path(path: str) -> str:
    """``path`` relative to the current directory when it is below it."""
    return _relative(path, os.getcwd())


@functools.lru_cache(maxsize=4096)
def _relative(path: str, cwd: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(cwd))
    except ValueError:
        return path
