"""How the pages read: code fits the column, navigation titles are the pages' headings, and
the home page tells a reader how to try it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from forkdocs.doctools.integrations.collect import GuideProject

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
#: Characters a code block shows without scrolling in the content column.
COLUMNS = 88


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_shown_on_a_page_fits_the_column(page: Path) -> None:
    project = GuideProject(ROOT / "mkdocs.yml")
    document = project.parse(page)
    wide = []
    for block in document.blocks.blocks:
        if block.region is None or block.kind == "source":
            continue
        first = document.page_line_of(block.start) + 1
        for number, line in enumerate(str(block.region.lexemes["source"]).split("\n")):
            if len(line) > COLUMNS:
                wide.append(f"{page.relative_to(ROOT)}:{first + number}: {len(line)} columns")
    assert [] == wide


def nav_pages(entries: list[object]) -> list[tuple[str, str]]:
    """(title, page) of every page in a MkDocs nav."""
    found: list[tuple[str, str]] = []
    for entry in entries:
        assert isinstance(entry, dict)
        for title, target in entry.items():
            if isinstance(target, list):
                found += nav_pages(target)
            else:
                found.append((title, target))
    return found


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
NAV = nav_pages(yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)["nav"])


@pytest.mark.parametrize(("title", "page"), NAV)
def test_navigation_titles_are_the_pages_headings(title: str, page: str) -> None:
    heading = re.search(r"^# (.+)$", (ROOT / "docs" / page).read_text(), re.MULTILINE)
    assert heading is not None, f"{page} has no heading"
    assert heading.group(1) == title


def test_the_home_page_says_how_to_try_it() -> None:
    home = (ROOT / "docs" / "index.md").read_text()
    assert re.search(r"^# .+", home, re.MULTILINE)
    assert "## Try it yourself" in home
    assert "pip install" in home


_LINK_TEXT = re.compile(r"\[([^\]\n]+)\]\(")
_CODE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_prose_names_things_in_words(page: Path) -> None:
    """Link texts are titles or short hashes, not file names or 40-digit ids; claim ids
    (C17) live in the claims reference only."""
    prose = _CODE.sub("", page.read_text(encoding="utf-8"))
    texts = _LINK_TEXT.findall(prose)
    assert [] == [t for t in texts if t.endswith(".md") or re.search(r"\b[0-9a-f]{40}\b", t)]
    if page.name != "claims.md":
        assert [] == re.findall(r"\bC\d{1,2}\b", prose), f"{page}: a claim id in the prose"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_an_error_a_page_shows_reads_message_first(page: Path) -> None:
    """A reader of an output block or a >>> session gets an exception's type and message,
    as the examples print them (a doctest's traceback elided to "..."), not a traceback
    through the package's own frames."""
    text = page.read_text(encoding="utf-8")
    # a doctest must say "Traceback", and then elides it: only "..." may follow
    shown = re.findall(r"Traceback \(most recent call last\):\n(.*)\n", text)
    assert [] == [line for line in shown if line.strip() != "..."], f"{page}: a traceback"
    assert not re.search(r'File ".*?forkdocs/', text), f"{page}: shows an internal frame"
