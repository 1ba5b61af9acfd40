// A computed figure wider than its column scrolls sideways inside .fd-figure-scroll (see
// docs/stylesheets/forkdocs.css). This marks such a figure with data-fd-scrolls, so that
// its caption asks the reader to scroll and its right edge fades, and with
// data-fd-scrolled-end once the reader has scrolled to the end (the fade goes).
// Checked by tests/browser/test_site.py at phone width.
(function () {
  "use strict";

  function mark(figure) {
    const scroller = figure.querySelector(".fd-figure-scroll");
    if (!scroller) return;
    const hidden = scroller.scrollWidth - scroller.clientWidth;
    figure.toggleAttribute("data-fd-scrolls", hidden > 1);
    // a keyboard reaches a figure that scrolls, and can scroll it with the arrow keys
    if (hidden > 1) {
      scroller.tabIndex = 0;
      scroller.setAttribute("role", "group");
      const title = scroller.querySelector("svg title");
      scroller.setAttribute("aria-label", `${title ? title.textContent : "Figure"} (scrolls sideways)`);
    } else {
      scroller.removeAttribute("tabindex");
    }
    figure.toggleAttribute("data-fd-scrolled-end", hidden > 1 && scroller.scrollLeft >= hidden - 1);
  }

  function setUp() {
    for (const figure of document.querySelectorAll(".fd-figure-block")) {
      const scroller = figure.querySelector(".fd-figure-scroll");
      if (!scroller || scroller.dataset.fdWatched) continue;
      scroller.dataset.fdWatched = "1";
      scroller.addEventListener("scroll", () => mark(figure), { passive: true });
      new ResizeObserver(() => mark(figure)).observe(scroller);
      mark(figure);
    }
  }

  // Material's instant navigation swaps pages in place and announces each on document$
  if (window.document$) window.document$.subscribe(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
