"""Every block of every page, accounted for, from the one classifier
([`blocks`][forkdocs.doctools.grammar.blocks], which lists the kinds).

[`problems()`][forkdocs.doctools.check.inventory.PageInventory.problems] lists what strict mode refuses: a Python-looking block that is
neither run nor skipped with a reason, a skip without a reason, an unclosed Python fence,
and a page with no visible example that runs (hidden code is set-up, not an example)
unless it is marked ``<!-- prose-only: reason -->``. ``disagreements`` are the places where
the harness and the rendered site disagree (an error in every run, strict or not).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from forkdocs.doctools.grammar.blocks import PageBlocks, column
from forkdocs.doctools.run.document import PageDocument

#: Kinds that count as an example that runs, for the prose-only rule.
RAN = ("executed", "doctest", "conditional", "figure", "table", "exercise")


@dataclass(frozen=True)
class Block:
    """One row of the inventory: where a block is (the page's line and column), its
    language and kind, the reason given for skipping or not running it, and why it does not
    run in the reader's browser (``not-in-browser``; empty when it does)."""

    line: int
    column: int
    language: str
    kind: str
    reason: str = ""
    browser: str = ""


@dataclass
class PageInventory:
    """The blocks of one page, whether it is marked prose-only, and its disagreements with
    the rendered site."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    prose_only: str | None = None
    disagreements: list[str] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(block.kind for block in self.blocks)

    def problems(self) -> list[str]:
        """What strict mode refuses, as ``path:line:column: message`` lines."""
        found = []
        for block in self.blocks:
            where = f"{self.path}:{block.line}:{block.column}"
            if block.kind == "skipped" and not block.reason:
                found.append(f'{where}: a skip without a reason; write <!-- skip: next "why" -->')
            if block.kind == "unclosed" and block.reason == "python-looking":
                found.append(
                    f"{where}: this fence is never closed, so Markdown shows it as text and it does not run"
                )
            if block.reason == "output compared with nothing":
                found.append(
                    f"{where}: an output block that nothing is compared with: it must follow its"
                    " code block directly (not in another tab, admonition or after prose)"
                )
            if block.kind == "unknown" and block.reason == "python-looking":
                found.append(
                    f"{where}: this block looks like Python but is not run: mark it ```python to run it,"
                    " or ```text to show it"
                )
        if not any(self.counts()[kind] for kind in RAN) and self.prose_only is None:
            found.append(
                f"{self.path}:1:1: no example on this page runs; add one, or mark the page <!-- prose-only: why -->"
            )
        return found

    def as_json(self) -> dict[str, Any]:
        """The page's inventory as the plugin writes it: its blocks, their counts by kind,
        how many do not run in the browser, the prose-only mark, what strict mode refuses
        (``problems``) and the ``disagreements`` with the rendered site."""
        return {
            "blocks": [
                vars(block).copy() for block in self.blocks
            ],  # asdict, without its deep copy
            "counts": dict(self.counts()),
            "not_in_browser": sum(1 for block in self.blocks if block.browser),
            "prose_only": self.prose_only,
            "problems": self.problems(),
            "disagreements": self.disagreements,
        }


def take(document: PageDocument, display_path: str, page: PageBlocks) -> PageInventory:
    """The inventory of one classified page (lines and columns are the page's own)."""
    inventory = PageInventory(display_path, prose_only=page.prose_only)
    for block in page.blocks:
        inventory.blocks.append(
            Block(
                document.page_line_of(block.start),
                column(document.text, block),
                block.language,
                block.kind,
                block.reason,
                block.browser,
            )
        )
    return inventory
