"""The site for paper and for machines: the whole guide on one page, printed to PDF by
Chromium (each page of the guide on sheets of its own, no code line cut, no navigation or Run
controls on paper), that page's ids and links whole, and ``llms.txt`` listing the guide in
reading order."""

from __future__ import annotations

import base64
import re
from typing import Any

from forkdocs.doctools.grammar.siteconfig import SiteConfig
from forkdocs.doctools.integrations.sitenav import reading_order

from ..helpers import book_problems
from .chromium import NEEDS_CHROMIUM, ROOT, Served

pytestmark = NEEDS_CHROMIUM

BOOK = "reference/whole-guide/"
PAGES = reading_order(SiteConfig.load(ROOT / "mkdocs.yml"))
IN_BOOK = PAGES[: [page.url for page in PAGES].index(BOOK)]

#: What a printed page shows that it should not: navigation, Run bars, code cut at the
#: margin, a figure wider than the paper.
ON_PAPER = """
(() => {
  const problems = [];
  const column = document.querySelector('.md-content__inner').getBoundingClientRect();
  for (const selector of ['.md-header', '.md-sidebar--primary', '.md-footer', '.fd-run'])
    for (const element of document.querySelectorAll(selector))
      if (element.getClientRects().length) problems.push(`${selector} is printed`);
  const codes = [...document.querySelectorAll('.md-typeset pre > code')];
  for (const [index, code] of codes.entries()) {
    if (code.scrollWidth > code.clientWidth + 1)
      problems.push(`code block ${index + 1} is cut: ${code.scrollWidth} px in ${code.clientWidth}`);
    if (!code.getClientRects().length) problems.push(`code block ${index + 1} is not printed`);
  }
  for (const [index, svg] of [...document.querySelectorAll('.md-typeset figure svg')].entries()) {
    const box = svg.getBoundingClientRect();
    if (box.right > column.right + 1) problems.push(`figure ${index + 1} runs past the margin`);
  }
  const breaks = [...document.querySelectorAll('.fd-book-page')]
    .filter(section => getComputedStyle(section).breakBefore !== 'page');
  if (breaks.length) problems.push(`${breaks.length} pages do not start on a new sheet`);
  return {problems, codes: codes.length, sections: document.querySelectorAll('.fd-book-page').length};
})()
"""


def test_the_whole_guide_is_one_document_of_the_pages_before_it(served: Served) -> None:
    html = (served.folder / BOOK / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section class="fd-book-page" id="([^"]+)">\s*<h1[^>]*>', html)
    assert len(sections) == len(IN_BOOK) >= 20
    assert book_problems(served.folder, BOOK) == []
    assert "fd-steps" not in html and "data-fd-step" not in html


def test_the_whole_guide_prints_every_page_on_its_own_sheets(served: Served, offline: Any) -> None:
    tab = offline.open(served.url + BOOK, scheme="light", width=1280)
    try:
        offline.send("Emulation.setEmulatedMedia", tab.session, media="print")
        paper = tab.evaluate(ON_PAPER)
        pdf = base64.b64decode(
            offline.send(
                "Page.printToPDF",
                tab.session,
                timeout=300,
                printBackground=True,
                paperWidth=8.27,
                paperHeight=11.69,
            )["data"]
        )
    finally:
        tab.close()
    assert paper["problems"] == []
    assert paper["sections"] == len(IN_BOOK) and paper["codes"] >= 100
    sheets = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    # each page of the guide starts a sheet, after the book's own introduction
    assert sheets > len(IN_BOOK), sheets


def test_llms_txt_lists_every_page_in_reading_order(served: Served) -> None:
    summary = (served.folder / "llms.txt").read_text(encoding="utf-8")
    listed = re.findall(r"^- \[[^\]]+\]\(([^)]+)\)(?:: (.+))?$", summary, re.M)
    assert [address for address, _ in listed] == [served.url + page.url for page in PAGES]
    # every page but the API reference's (a title over its module's docs) opens with prose
    unsaid = [
        a for a, said in listed if "/reference/api/" not in a and not said.endswith((".", "!", "?"))
    ]
    assert unsaid == []
    full = (served.folder / "llms-full.txt").read_text(encoding="utf-8")
    assert full.count("\n<!-- http") + 1 == len(PAGES)
    # every include expanded: an include line left is one a page escaped (``;--8<--``) to
    # show the syntax
    include = re.compile(r'^[ \t]*(;?)(--8<-- "[^"]+")[ \t]*$', re.M)
    sources = "".join((ROOT / "docs" / page.src).read_text(encoding="utf-8") for page in PAGES)
    shown = {line for escaped, line in include.findall(sources) if escaped}
    assert {line for _, line in include.findall(full)} <= shown
