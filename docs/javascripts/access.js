// What the theme's markup leaves out for readers of a screen reader or a keyboard, put in
// on every page (and on every page Material's instant navigation swaps in). Checked by
// tests/browser/test_access.py (axe-core, both palettes):
// - a code block that scrolls sideways can be reached with the keyboard (tabindex), so its
//   hidden part can be read with the arrow keys;
// - the search dialog has a name;
// - each code annotation's marker (a link with no text) names the annotation it opens;
// - each code block's button bar (a <nav> of its own) has a name of its own.
(function () {
  "use strict";

  function label(root) {
    for (const code of root.querySelectorAll(".md-typeset pre > code")) {
      if (code.scrollWidth > code.clientWidth + 1 && !code.hasAttribute("tabindex")) {
        code.tabIndex = 0;
      }
    }
    for (const [index, bar] of root.querySelectorAll("nav.md-code__nav").entries()) {
      if (!bar.hasAttribute("aria-label")) bar.setAttribute("aria-label", `Code block ${index + 1}`);
    }
    const search = root.querySelector('.md-search[role="dialog"]');
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    for (const marker of root.querySelectorAll("a.md-annotation__index:not([aria-label])")) {
      const number = marker.querySelector("[data-md-annotation-id]");
      const which = number ? number.dataset.mdAnnotationId : "";
      marker.setAttribute("aria-label", `Annotation ${which}`.trim());
    }
  }

  function setUp() {
    label(document);
  }

  // the theme adds annotation markers after the page is shown: label them as they come (at
  // most once a frame, however much a Run prints)
  let pending = false;
  new MutationObserver((changes) => {
    if (pending || !changes.some((change) => change.addedNodes.length)) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      label(document);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  if (window.document$) window.document$.subscribe(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
