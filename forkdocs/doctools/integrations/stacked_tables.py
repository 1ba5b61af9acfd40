"""A Python-Markdown extension that lets wide tables stack on a phone.

Every cell of a table's body gets ``data-label``, the text of its column's heading, and a
table of three columns or more gets ``data-fd-stack``, as does a table whose first column
holds only inline code (options, commands: a name that must not wrap, then what it does); the site's stylesheet
(``docs/stylesheets/forkdocs.css``) then shows such a table on a narrow screen as one block
per row, each cell under its label, instead of a table wider than the screen. Nothing
changes on a wide screen, and nothing here needs MkDocs: list it under
``markdown_extensions`` as ``forkdocs.doctools.integrations.stacked_tables``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

#: A table with this many columns or more stacks on a narrow screen.
STACK_FROM = 3


class _Label(Treeprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    def run(self, root: ElementTree.Element) -> None:
        for table in root.iter("table"):
            headings = [" ".join("".join(th.itertext()).split()) for th in table.iter("th")]
            if len(headings) < STACK_FROM and not _names_in_code(table):
                continue
            table.set("data-fd-stack", "")
            for body in table.iter("tbody"):
                for row in body.iter("tr"):
                    for cell, heading in zip(row.findall("td"), headings, strict=False):
                        cell.set("data-label", heading)


def _names_in_code(table: ElementTree.Element) -> bool:
    """True when every body row's first cell is one inline ``code`` element and nothing else."""
    rows = [row for body in table.iter("tbody") for row in body.iter("tr")]
    firsts = [row.find("td") for row in rows]
    return bool(rows) and all(
        cell is not None
        and not (cell.text or "").strip()
        and len(cell) == 1
        and cell[0].tag == "code"
        and not (cell[0].tail or "").strip()
        for cell in firsts
    )


class StackedTables(Extension):  # type: ignore[misc]  # Markdown ships no type hints
    """Labels the cells of tables so that the stylesheet can stack them on a phone."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Label(md), "forkdocs-stacked-tables", 5)


def makeExtension(**kwargs: Any) -> StackedTables:
    """The entry point Python-Markdown looks for."""
    return StackedTables(**kwargs)
