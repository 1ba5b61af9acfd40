"""Every example a reader can run shows what it demonstrates: a Python block is followed by
the output block it is checked against (or by a ``>>>`` session that shows its result).

A block that only *defines* (imports, functions, classes, names bound to literal values)
has nothing to show, and says so by what it is: the examples after it call what it defines.
Every other runnable block prints."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.run.document import PageDocument

ROOT = Path(__file__).resolve().parents[2]
#: Pages where every runnable example prints (the review named these; first-fork is the tutorial).
SHOWN = [
    "README.md",
    "docs/index.md",
    "docs/tutorial/first-fork.md",
    "docs/vfork/borrowing.md",
    "docs/busybox/posix-spawn.md",
]
#: Examples that print nothing and are not definitions (76 before the review, then 14).
BUDGET = 0


def defines_only(source: str) -> bool:
    """True for code that only defines: imports, functions, classes, a docstring, and names
    bound to literals (a dict of cases, a list of plugins)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            try:
                ast.literal_eval(node.value)
            except ValueError:
                return False
            continue
        return False
    return True


def silent_examples() -> dict[str, list[int]]:
    """Page -> the lines of its runnable Python blocks that have no output block."""
    project = GuideProject(ROOT / "mkdocs.yml")
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    found: dict[str, list[int]] = {}
    for page in pages:
        document = project.parse(page)
        assert isinstance(document, PageDocument)
        blocks = [b for b in document.blocks.blocks if b.region is not None]  # type: ignore[attr-defined]
        silent = [
            document.page_line_of(block.start)
            for block, after in itertools.pairwise([*blocks, None])
            if block.kind == "executed"
            and block.output is None
            and not block.browser
            # a block whose result the >>> session right after it shows
            and not (after is not None and after.kind == "doctest")
            and not defines_only(str(block.region.lexemes["source"]))
        ]
        if silent:
            found[str(page.relative_to(ROOT))] = silent
    return found


SILENT = silent_examples()


def test_the_reviewed_pages_show_every_result() -> None:
    assert {} == {page: lines for page, lines in SILENT.items() if page in SHOWN}


def test_examples_without_output_only_go_down() -> None:
    count = sum(len(lines) for lines in SILENT.values())
    assert count <= BUDGET, f"{count} examples print nothing (budget {BUDGET}): {SILENT}"


def test_a_definitions_block_is_told_from_one_that_does_something() -> None:
    assert defines_only(
        '"""Helpers."""\nimport re\n\ncases = {"a": [1, 2]}\n\ndef f():\n    pass\n'
    )
    assert not defines_only("import re\nm = Machine()\n")
    assert not defines_only("assert x == 1\n")
