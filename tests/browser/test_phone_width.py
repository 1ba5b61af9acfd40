"""Every page fits a phone (390 px) and a desktop (1280 px): nothing makes the page itself
scroll sideways, every table fits its column (on a narrow screen a table stacks its rows,
each cell labelled with its column's heading), a path in a table breaks only after a slash,
never inside a name, and a code block wider than its column scrolls inside itself (as code
must: a line of code is not broken) rather than being cut off. A table that is meant to
scroll says so with the class ``fd-scroll`` on an element around it."""

from __future__ import annotations

from typing import Any

import pytest

from .chromium import NEEDS_CHROMIUM, Served

pytestmark = NEEDS_CHROMIUM

FITS = """
(() => {
  const problems = [];
  const column = document.querySelector('.md-content__inner').getBoundingClientRect();
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1)
    problems.push(`the page is ${page.scrollWidth} px wide in a ${window.innerWidth} px window`);
  for (const [index, table] of [...document.querySelectorAll('.md-typeset table')].entries()) {
    if (table.closest('.fd-scroll')) continue;
    const box = table.getBoundingClientRect();
    const tab = table.closest('.tabbed-block');
    if (tab && !box.width) continue;  // in a tab not shown
    if (box.width > column.width + 1 || table.scrollWidth > table.clientWidth + 1) {
      const head = (table.querySelector('th') || table).textContent.trim().slice(0, 30);
      problems.push(`table ${index + 1} ("${head}...") is ${Math.round(box.width)} px wide`
        + ` in a ${Math.round(column.width)} px column`);
    }
  }
  // where the inline code of a table wraps: each line must end after a slash, a hyphen or
  // a space
  for (const code of document.querySelectorAll('.md-typeset td code')) {
    const text = code.textContent;
    const range = document.createRange();
    let top = null, at = 0;
    for (const node of [...code.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)) {
      for (let i = 0; i < node.length; i++, at++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (!box.height) continue;
        if (top !== null && box.top > top + 2 && !'/- '.includes(text[at - 1]))
          problems.push(`"${text}" in a table breaks inside a name, after "${text.slice(0, at)}"`);
        top = box.top;
      }
    }
  }
  for (const [index, code] of [...document.querySelectorAll('.md-typeset pre > code')].entries()) {
    if (!code.getBoundingClientRect().width) continue;
    const wide = code.scrollWidth > code.clientWidth + 1;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(code).overflowX);
    if (wide && !scrolls)
      problems.push(`code block ${index + 1} is cut off: ${code.scrollWidth} px of code`
        + ` in ${code.clientWidth} px that does not scroll`);
    // Material draws code blocks edge to edge on a phone: out to the window, not past it
    const pre = code.closest('pre').getBoundingClientRect();
    if (pre.left < -1 || pre.right > window.innerWidth + 1)
      problems.push(`code block ${index + 1} reaches out of the window`);
  }
  return problems;
})()
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_its_window(served: Served, offline: Any, width: int) -> None:
    pages = sorted(
        page.parent.relative_to(served.folder).as_posix()
        for page in served.folder.rglob("index.html")
        if "assets" not in page.parts
    )
    assert len(pages) >= 30, pages
    problems = []
    for path in pages:
        url = served.url + ("" if path == "." else path + "/")
        problems += [f"{path}: {problem}" for problem in offline.measure(url, FITS, width=width)]
    assert not problems, "\n".join(problems)
