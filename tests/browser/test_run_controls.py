"""Every Run, Edit and Reset button on every page can be seen and clicked: in the page's
flow, in content tabs (each tab selected in turn), in admonitions and in opened details, at
desktop and phone widths. The check is the browser's own hit test: the element at the
button's centre and near each corner, once scrolled into view, is the button (nothing is
drawn over any part of it). The bar of buttons also stands clear of the code it runs, by a
gap a reader can see, wherever the code sits (a tab's or an admonition's code has no margin
of its own below it)."""

from __future__ import annotations

from typing import Any

import pytest

from .chromium import NEEDS_CHROMIUM, Served
from .conftest import manifests

pytestmark = NEEDS_CHROMIUM

#: For each button: show its tab and open its details, scroll it to the middle, hit-test it.
HIDDEN_CONTROLS = """
(() => {
  const hidden = [];
  const buttons = [...document.querySelectorAll('.fd-run__button')];
  for (const [index, button] of buttons.entries()) {
    for (let up = button.parentElement; up; up = up.parentElement) {
      if (up.matches('.tabbed-block')) {
        const set = up.closest('.tabbed-set');
        const blocks = [...set.querySelector('.tabbed-content').children];
        const input = set.querySelectorAll(':scope > input')[blocks.indexOf(up)];
        if (input && !input.checked) input.click();
      }
      if (up.tagName === 'DETAILS') up.open = true;
    }
    button.scrollIntoView({block: 'center'});
    const box = button.getBoundingClientRect();
    const points = [[0.5, 0.5], [0.1, 0.15], [0.9, 0.15], [0.1, 0.85], [0.9, 0.85]];
    const hits = points.map(([x, y]) =>
      document.elementFromPoint(box.x + box.width * x, box.y + box.height * y));
    const hit = hits.find(h => !(h === button || button.contains(h)));
    const bar = button.closest('.fd-run');
    const code = bar.previousElementSibling.getBoundingClientRect();
    const gap = bar.getBoundingClientRect().top - code.bottom;
    if (button === bar.querySelector('.fd-run__button') && gap < GAP) {
      const tab = button.closest('.tabbed-block') ? ' (in a content tab)' : '';
      hidden.push(`the bar of button ${index + 1}${tab} is ${gap.toFixed(1)} px under its code`);
    }
    if (!box.width || !box.height || hit !== undefined) {
      const tab = button.closest('.tabbed-block') ? ' (in a content tab)' : '';
      const over = hit ? hit.tagName.toLowerCase() + '.' + [...hit.classList].join('.') : 'nothing';
      hidden.push(`button ${index + 1} "${button.textContent}"${tab}: ${over} is drawn there`);
    }
  }
  return {count: buttons.length, hidden};
})()
""".replace("GAP", "6")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_run_control_is_visible_and_clickable(
    served: Served, offline: Any, width: int
) -> None:
    pages = sorted(manifests(served.folder))
    assert len(pages) >= 20, pages
    problems, seen = [], 0
    for path in pages:
        found = offline.measure(served.url + path, HIDDEN_CONTROLS, width=width)
        seen += found["count"]
        problems += [f"{path}: {line}" for line in found["hidden"]]
    assert seen > 100, seen
    assert [] == problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_run_controls_read_at_4_5_to_1(served: Served, offline: Any, scheme: str) -> None:
    """The buttons' text against the page, as WCAG AA asks of text this small."""
    from .test_site import contrast

    seen = offline.measure(
        served.url + "tutorial/first-fork/",
        """({text: getComputedStyle(document.querySelector('.fd-run__button')).color,
            page: getComputedStyle(document.body).backgroundColor})""",
        width=1280,
        scheme=scheme,
    )
    assert contrast(seen["text"], seen["page"]) >= 4.5, seen
