"""Every example a reader can run shows what it demonstrates: a Python block is followed by
the output block it is checked against (or by a ``>>>`` session that shows its result). The pages the reader review named have none without
one; across the guide, the count of examples still without output may only go down."""

from __future__ import annotations

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
#: Examples elsewhere that still print nothing (76 before the review): lower it as pages print.
BUDGET = 14


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
