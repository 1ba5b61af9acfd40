"""Every page's Sources entries are links, and links to source code name a full commit id
(liveness cannot be checked offline; the format can)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs").rglob("*.md"))
SECTION = re.compile(r"^## Sources\n(.*?)(?=^## |\Z)", re.S | re.M)
CODE_LINK = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+/(?:blob|commit|tree)/([^/)\s]+)")


def entries(page: Path) -> list[str]:
    found = SECTION.search(page.read_text())
    return re.split(r"\n(?=- )", found.group(1).strip()) if found else []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sources_entry_is_a_link(page: Path) -> None:
    assert [] == [entry[:80] for entry in entries(page) if "](" not in entry]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_to_source_code_name_full_commit_ids(page: Path) -> None:
    refs = CODE_LINK.findall(page.read_text())
    assert [] == [ref for ref in refs if not re.fullmatch(r"[0-9a-f]{40}", ref)]


def test_the_explanation_pages_cite_their_sources() -> None:
    cited = [p for p in PAGES if entries(p)]
    assert len(cited) >= 20, [str(p) for p in cited]
