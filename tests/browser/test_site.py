"""The built site in a real browser (Debian's headless Chromium), offline.

The site is built into a temporary folder and served on 127.0.0.1; Chromium loads pages and
dumps the DOM after Material's scripts have run. Skipped when Chromium is not installed,
unless FORKDOCS_BROWSER_CHECK=required (as CI sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from .chromium import CHROMIUM, FLAGS, NEEDS_CHROMIUM, ROOT

pytestmark = NEEDS_CHROMIUM
#: --dump-dom returns once the page's scripts have had this much (virtual) time
DUMP_FLAGS = [*FLAGS, "--virtual-time-budget=3000"]


def dom(url: str) -> str:
    """The page's DOM once its scripts have run."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, *DUMP_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout


@pytest.mark.parametrize("page", ["", "tutorial/first-fork/", "vfork/why-wait/"])
def test_pages_render_offline_with_their_scripts(site: str, page: str) -> None:
    html = dom(site + page)
    assert html.count("md-code__button") > 0, "copy buttons are added by Material's script: it ran"
    palettes = set(re.findall(r'<input class="md-option" data-md-color-media="([^"]*)"', html))
    assert 3 == len(palettes), f"light, dark and system palettes: {palettes}"
    assert "md-search__input" in html
    for outside in ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com/"):
        assert outside not in html, outside


def test_an_output_block_shows_its_caption(site: str) -> None:
    html = dom(site + "tutorial/first-fork/")
    assert '<span class="filename">Output</span>' in html


def test_the_search_index_covers_every_page(site: str) -> None:
    from urllib.request import urlopen

    with urlopen(site + "search/search_index.json") as response:
        index = json.load(response)
    locations = {entry["location"].split("#")[0] for entry in index["docs"]}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        location = page.relative_to(ROOT / "docs").with_suffix("").as_posix()
        # MkDocs serves docs/x/index.md at x/, and docs/index.md at the root
        expected = "" if location == "index" else location.removesuffix("/index") + "/"
        assert expected in locations, expected


#: Pages with a figure or a table computed by the simulation, as site paths.
FIGURE_PAGES = sorted(
    page.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
    for page in (ROOT / "docs").rglob("*.md")
    if re.search(r"^[ \t]*<!-- figure:", page.read_text(), re.MULTILINE)
)
#: Where the browser checks leave their screenshots (ignored by git).
SCREENSHOTS = ROOT / "build" / "screenshots"
MEASURE = """JSON.stringify((() => {
  const column = document.querySelector('.md-content__inner').getBoundingClientRect();
  return {
    scheme: document.body.dataset.mdColorScheme,
    background: getComputedStyle(document.body).backgroundColor,
    column: [column.left, column.right],
    figures: [...document.querySelectorAll('.fd-figure-block svg')].map(svg => {
      const figure = svg.closest('.fd-figure-block');
      const block = svg.closest('.fd-figure-scroll');
      const box = block.getBoundingClientRect();
      const drawn = svg.getBoundingClientRect();
      const style = getComputedStyle(svg);
      const cue = () => ({
        says: getComputedStyle(figure.querySelector('figcaption'), '::before').content,
        fades: getComputedStyle(block).maskImage !== 'none',
      });
      const wide = drawn.width > box.width + 1;
      const focusable = block.tabIndex === 0 && !!block.getAttribute('aria-label');
      const before = cue();
      // the reader scrolls to the end: the fade goes, the caption still says why
      block.scrollLeft = block.scrollWidth;
      block.dispatchEvent(new Event('scroll'));
      const after = cue();
      block.scrollLeft = 0;
      block.dispatchEvent(new Event('scroll'));
      return {
        title: svg.querySelector('title').textContent,
        box: [box.left, box.right, drawn.width, drawn.height],
        // wider than its block: the block must scroll sideways (on purpose, see the CSS)
        scrolls: !wide || (getComputedStyle(block).overflowX === 'auto'
          && block.scrollWidth > block.clientWidth),
        wide, before, after, focusable,
        shown: style.display !== 'none' && style.visibility !== 'hidden',
        text: getComputedStyle(svg.querySelector('text.label')).fill,
        line: getComputedStyle(svg.querySelector('.arrow, .box, .bar0')).stroke,
      };
    }),
  };
})())"""


def colour(text: str) -> tuple[float, float, float, float]:
    """An ``rgb(...)``/``rgba(...)`` CSS colour as red, green, blue (0-255) and alpha."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0)


def contrast(front: str, back: str) -> float:
    """The WCAG contrast ratio of ``front`` (blended over ``back``) against ``back``."""
    r, g, b, a = colour(front)
    br, bg, bb, _ = colour(back)
    blended = (r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a))

    def luminance(rgb: tuple[float, float, float]) -> float:
        linear = [
            (c / 255 / 12.92) if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
            for c in rgb
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(blended), luminance((br, bg, bb))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from .cdp import Browser

    assert CHROMIUM is not None
    opened = Browser(CHROMIUM, FLAGS)
    yield opened
    opened.close()


def test_there_are_figures_on_many_pages() -> None:
    assert len(FIGURE_PAGES) >= 8, FIGURE_PAGES


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_figures_show_in_both_palettes_at_phone_width(
    site: str, browser: Any, page: str, scheme: str
) -> None:
    tab = browser.open(site + page, scheme=scheme, width=390)
    try:
        seen = json.loads(tab.evaluate(MEASURE))
        tab.evaluate("document.querySelector('.fd-figure-block').scrollIntoView({block: 'center'})")
        tab.screenshot(SCREENSHOTS / f"{page.strip('/').replace('/', '-')}-{scheme}-390.png")
    finally:
        tab.close()
    assert {"light": "default", "dark": "slate"}[scheme] == seen["scheme"]
    assert seen["figures"], f"{page}: no figure in the built page"
    left, right = seen["column"]
    for figure in seen["figures"]:
        x0, x1, width, height = figure["box"]
        where = f"{page} ({scheme}): {figure['title']}"
        assert figure["shown"] and width > 0 and height > 0, where
        assert left - 1 <= x0 and x1 <= right + 1, (
            f"{where} overflows its column: {figure['box']} {seen['column']}"
        )
        assert figure["scrolls"], f"{where} is wider than its column and does not scroll"
        before, after = figure["before"], figure["after"]
        if figure["wide"]:
            assert "swipe" in before["says"] and before["fades"], (
                f"{where} scrolls sideways with no cue to the reader: {before}"
            )
            assert not after["fades"], f"{where} still fades once scrolled to its end"
            assert figure["focusable"], f"{where} scrolls but a keyboard cannot reach it"
        else:
            assert before == after == {"says": "none", "fades": False}, (
                f"{where} fits its column yet asks the reader to scroll: {before}"
            )
        for part in ("text", "line"):
            ratio = contrast(figure[part], seen["background"])
            assert ratio >= 3, (
                f"{where}: {part} {figure[part]} on {seen['background']}: {ratio:.2f}:1"
            )


COPYING = """JSON.stringify((() => {
  const outputs = [...document.querySelectorAll('.highlight')].filter(
    block => (block.querySelector('.filename') || {}).textContent === 'Output');
  const consoles = [...document.querySelectorAll('.highlight code')].filter(
    code => code.querySelector('.gp'));
  const copied = consoles.map(code => {
    code.setAttribute('data-md-copying', '');  // what Material sets while it copies
    const text = code.innerText;
    code.removeAttribute('data-md-copying');
    return text;
  });
  return {
    outputs: outputs.length,
    outputButtons: outputs.filter(block => block.querySelector('.md-code__button')).length,
    codeButtons: document.querySelectorAll('.md-code__button').length,
    copied: copied,
  };
})())"""


def test_output_blocks_have_no_copy_button_and_console_blocks_copy_only_code(
    site: str, browser: Any
) -> None:
    tab = browser.open(site + "tutorial/first-fork/", scheme="light", width=1280)
    try:
        seen = json.loads(tab.evaluate(COPYING))
    finally:
        tab.close()
    assert seen["outputs"] > 0 and 0 == seen["outputButtons"]
    assert seen["codeButtons"] > 0, "the other blocks keep theirs"
    assert seen["copied"], "the tutorial has console blocks"
    for text in seen["copied"]:
        assert ">>>" not in text and "..." not in text.split("\n")[0], text
