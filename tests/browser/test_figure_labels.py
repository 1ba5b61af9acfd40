"""Every label of every figure can be read, at desktop and at phone width: the browser's own
layout of each ``<text>`` (its bounding box, once the page's fonts and styles apply) is
measured against the others and against what it sits on. A figure fails, by its title, when a
text

- overlaps another text or an arrowhead, or a line runs through it,
- reaches outside the figure, or outside the box it is written in (the smallest box that
  holds the text's anchor),
- is rendered smaller than 9 px (a figure wider than the phone's column scrolls sideways
  rather than shrink its text below that: ``.fd-figure-scroll`` scrolls on purpose).
"""

from __future__ import annotations

from typing import Any

import pytest

from .chromium import NEEDS_CHROMIUM, Served
from .test_site import FIGURE_PAGES

pytestmark = NEEDS_CHROMIUM

#: Smallest text a reader gets, in CSS pixels.
SMALLEST = 9.0

LABELS = """
(() => {
  const problems = [];
  const inside = (a, b, slack) => a.left >= b.left - slack && a.right <= b.right + slack
    && a.top >= b.top - slack && a.bottom <= b.bottom + slack;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const svgs = [...document.querySelectorAll('.fd-figure-block svg')];
  for (const svg of svgs) {
    const title = svg.querySelector('title').textContent;
    const frame = svg.getBoundingClientRect();
    const scale = frame.width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('text')].map(t => ({
      text: t.textContent, box: t.getBoundingClientRect(),
      size: parseFloat(getComputedStyle(t).fontSize) * scale,
      anchor: [frame.left + t.x.baseVal[0].value * scale, frame.top + t.y.baseVal[0].value * scale],
    }));
    const boxes = [...svg.querySelectorAll('rect.box')].map(r => r.getBoundingClientRect());
    const heads = [...svg.querySelectorAll('polygon.head')].map(h => h.getBoundingClientRect());
    // every segment of every line, in the page's pixels
    const at = p => [frame.left + p.x * scale, frame.top + p.y * scale];
    const segments = [...svg.querySelectorAll('polyline')].flatMap(line => {
      const points = [...line.points].map(at);
      return points.slice(1).map((end, i) => [points[i], end]);
    });
    const struck = box => segments.some(([[x1, y1], [x2, y2]]) => {
      for (let step = 0; step <= 40; step++) {
        const x = x1 + (x2 - x1) * step / 40, y = y1 + (y2 - y1) * step / 40;
        if (x > box.left + 1 && x < box.right - 1 && y > box.top + 2 && y < box.bottom - 2)
          return true;
      }
      return false;
    });
    for (const [i, t] of texts.entries()) {
      const say = message => problems.push(`${title}: "${t.text}" ${message}`);
      if (t.size < SMALLEST) say(`is ${t.size.toFixed(1)} px, under SMALLEST px`);
      if (!inside(t.box, frame, 1)) say('reaches outside the figure');
      for (const other of texts.slice(i + 1)) {
        if (overlap(t.box, other.box)) say(`overlaps "${other.text}"`);
      }
      if (heads.some(head => overlap(t.box, head))) say('overlaps an arrowhead');
      if (struck(t.box)) say('has a line through it');
      const [x, y] = t.anchor;
      const holders = boxes.filter(b => b.left <= x && x <= b.right && b.top <= y && y <= b.bottom);
      const holder = holders.sort((a, b) => a.width * a.height - b.width * b.height)[0];
      if (holder && !inside(t.box, holder, 1)) say('reaches outside its box');
    }
  }
  return {figures: svgs.length, problems};
})()
""".replace("SMALLEST", str(SMALLEST))


@pytest.mark.parametrize("width", [1280, 390])
def test_every_figure_label_is_readable_and_alone(served: Served, offline: Any, width: int) -> None:
    problems, figures = [], 0
    for page in FIGURE_PAGES:
        found = offline.measure(served.url + page, LABELS, width=width)
        figures += found["figures"]
        problems += [f"{page} at {width} px: {problem}" for problem in found["problems"]]
    assert figures >= 12, figures
    assert [] == problems
