"""The API reference has a page per public module of the simulation, the internals and the
harness are documented under Contributing, and every module is documented exactly once."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "forkdocs"


DIRECTIVE = re.compile(r"^::: (forkdocs[\w.]*)\n((?:    .*\n)*)", re.M)


def documented() -> Counter[str]:
    """Each module a ``::: module`` directive of the docs renders, counted: the module, and
    its submodules when the directive shows them."""
    modules = simulation_modules()
    found: Counter[str] = Counter()
    for page in (ROOT / "docs").rglob("*.md"):
        for module, options in DIRECTIVE.findall(page.read_text()):
            found[module] += 1
            if "show_submodules: true" in options:
                found.update(name for name in modules if name.startswith(f"{module}."))
    return found


def simulation_modules() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        if not name.startswith("forkdocs.doctools"):
            names.add(name)
    return names


def test_every_module_of_the_simulation_is_documented_once() -> None:
    counts = documented()
    missing = sorted(simulation_modules() - set(counts))
    twice = sorted(name for name, count in counts.items() if count > 1)
    assert ([], []) == (missing, twice)


def test_the_reference_pages_are_the_public_modules_and_rank_below_the_guide() -> None:
    pages = sorted((ROOT / "docs" / "reference" / "api").glob("*.md"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text()
        assert "search:\n  boost: 0.5" in text, page.name  # guide pages rank first
        for module in re.findall(r"^::: (forkdocs[\w.]*)$", text, re.M):
            assert not module.startswith("forkdocs.doctools"), (page.name, module)
    internals = (ROOT / "docs" / "contributing" / "internals.md").read_text()
    assert "::: forkdocs.common.guard" in internals
    assert (
        "::: forkdocs.doctools" in (ROOT / "docs" / "contributing" / "harness-api.md").read_text()
    )
