"""The commands the README and the how-to page show select real examples: every node id
``page.md::line:N,column:M`` they mention names an example that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.items import is_example

ROOT = Path(__file__).resolve().parents[2]
NODE_ID = re.compile(r"(?P<page>docs/[\w/.-]+\.md)::line:(?P<line>\d+),column:(?P<column>\d+)")
MENTIONS = sorted(
    {
        (m.group("page"), int(m.group("line")), int(m.group("column")))
        for source in (ROOT / "README.md", ROOT / "docs/contributing/executable-examples.md")
        for m in NODE_ID.finditer(source.read_text())
    }
)


def test_the_docs_mention_node_ids() -> None:
    assert MENTIONS


@pytest.mark.parametrize(("page", "line", "column"), MENTIONS)
def test_a_mentioned_node_id_is_an_example(page: str, line: int, column: int) -> None:
    document = GuideProject(ROOT / "mkdocs.yml").parse(ROOT / page)
    places = {(e.line, e.column) for e in document.examples() if is_example(e)}
    assert (line, column) in places, sorted(places)
