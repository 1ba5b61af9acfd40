"""The harness against a real MkDocs build, on pages nobody wrote: a seeded generator makes
pages of nested containers, indentation, fence lengths and info strings, MkDocs builds them,
and on every page the harness must agree with what the built HTML shows.

Agreeing means: the blocks the harness runs are exactly the blocks the site draws as Python
(or as a Python console), and no block is drawn as Python 2; or else the harness reports a
disagreement for that page. A page where the two differ and the harness is silent, or where
they agree and the harness complains, fails the test, minimised to the elements that still
fail, with the seed that made it. A minimised page is kept in ``differential/`` and checked
the same way on every run.

``FORKDOCS_DIFF_SEED`` picks the seed (``random``: a new one, printed on failure);
``FORKDOCS_DIFF_PAGES`` how many pages (at least 200).
"""

from __future__ import annotations

import html
import os
import random
import re
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from forkdocs.doctools.check.crosscheck import normalised
from forkdocs.doctools.grammar.fences import python_role
from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.items import inventory_of
from forkdocs.doctools.run.document import PageDocument

KEPT = Path(__file__).parent / "differential"
MKDOCS = """\
site_name: differential
use_directory_urls: false
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.highlight:
      pygments_lang_class: true
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""
LANGUAGES = [
    "python",
    "py",
    "python3",
    "pycon",
    "numpy",
    "python2",
    "text",
    "c",
    "bash",
    "",
    'python title="x.py"',
    "python title=x.py",
    "{ .python }",
    'python linenums="1"',
    "Python",
]
CONTAINERS = ["!!! note", "??? note", '=== "Tab"', "- item", "1. item", "> quote"]


class Generator:
    """Random page elements: paragraphs, fences and containers holding more of them. Every
    code line is unique in the run, so blocks are matched by their text alone."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.counter = 0

    def page(self) -> list[str]:
        return [self.element(0) for _ in range(self.random.randint(1, 5))]

    def element(self, depth: int) -> str:
        roll = self.random.random()
        if roll < 0.25:
            return f"Some text {self._next()}.\n"
        if roll < 0.7 or depth >= 2:
            return self.fence()
        return self.container(depth)

    def fence(self) -> str:
        language = self.random.choice(LANGUAGES)
        mark = self.random.choice(["```", "```", "````", "~~~"])
        n = self._next()
        if language == "pycon":
            body = f">>> v{n} = {n}\n>>> v{n}\n{n}\n"
        else:
            body = f"v{n} = {n}\nprint(v{n})\n"
        closing = mark if self.random.random() > 0.1 else self.random.choice(["```", "````"])
        indent = " " * self.random.choice([0, 0, 0, 2, 4])
        return textwrap.indent(f"{mark}{language}\n{body}{closing}\n", indent)

    def container(self, depth: int) -> str:
        head = self.random.choice(CONTAINERS)
        inner = "\n".join(self.element(depth + 1) for _ in range(self.random.randint(1, 3)))
        if head.startswith(">"):
            return "".join(f"> {line}".rstrip() + "\n" for line in inner.split("\n"))
        indent = " " * self.random.choice([4, 4, 4, 2, 8])
        return f"{head}\n\n{textwrap.indent(inner, indent)}"

    def _next(self) -> int:
        self.counter += 1
        return self.counter


def build(root: Path) -> None:
    """A real MkDocs build of the project at ``root``."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert 0 == done.returncode, done.stderr


_BLOCK = re.compile(
    r'<div class="(?P<classes>[^"]*\bhighlight\b[^"]*)">.*?<pre[^>]*>(?P<code>.*?)</pre>', re.S
)
_LINE_NUMBERS = re.compile(r'<td class="linenos">.*?</td>', re.S)


def shown(page_html: str) -> tuple[Counter[str], int]:
    """What the built page draws: the code of each block drawn as Python or a Python
    console (by its ``language-X`` class), and how many are drawn as Python 2."""
    runs: Counter[str] = Counter()
    python2 = 0
    for found in _BLOCK.finditer(_LINE_NUMBERS.sub("", page_html)):
        language = next(
            (c[len("language-") :] for c in found["classes"].split() if c.startswith("language-")),
            "",
        )
        code = normalised(html.unescape(re.sub(r"<[^>]+>", "", found["code"])))
        role = python_role(language)
        if role in ("python", "pycon"):
            runs[code] += 1
        python2 += role == "python2"
    return runs, python2


def verdicts(root: Path, names: list[str]) -> dict[str, str]:
    """For each page, "" when the harness agrees with the build, else what is wrong."""
    project = GuideProject(root / "mkdocs.yml")
    wrong = {}
    for name in names:
        document = project.parse(root / "docs" / name)
        assert isinstance(document, PageDocument)
        inventory = inventory_of(document, project)
        runs = Counter(
            normalised(str(block.region.lexemes["source"]))
            for block in document.blocks.blocks  # type: ignore[attr-defined]
            if block.kind in ("executed", "doctest") and block.region is not None
        )
        built = (root / "site" / name).with_suffix(".html").read_text(encoding="utf-8")
        expected, python2 = shown(built)
        agree = runs == expected and not python2
        if agree == bool(inventory.disagreements):
            wrong[name] = (
                f"the harness runs {sorted(runs.elements())}, the site draws as Python"
                f" {sorted(expected.elements())} and {python2} as Python 2; the harness"
                f" reported {inventory.disagreements or 'nothing'}"
            )
    return wrong


def write_project(root: Path, pages: dict[str, str]) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS)
    for name, text in pages.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")


def minimised(elements: list[str], fails: Callable[[list[str]], bool]) -> list[str]:
    """The fewest of ``elements`` (in order) that still fail: drop one at a time while the
    rest fail, until none can go."""
    shrinking = True
    while shrinking and len(elements) > 1:
        shrinking = False
        for index in range(len(elements)):
            fewer = elements[:index] + elements[index + 1 :]
            if fails(fewer):
                elements, shrinking = fewer, True
                break
    return elements


def test_the_harness_agrees_with_a_real_build_on_generated_pages(tmp_path: Path) -> None:
    wanted = os.environ.get("FORKDOCS_DIFF_SEED", "20261203")
    seed = random.randrange(2**32) if wanted == "random" else int(wanted)
    count = max(200, int(os.environ.get("FORKDOCS_DIFF_PAGES", "200")))
    generator = Generator(seed)
    elements = {f"g{index:03}.md": generator.page() for index in range(count)}
    pages = {name: "# Generated\n\n" + "\n".join(parts) for name, parts in elements.items()}
    kept = {f"kept-{path.name}": path.read_text() for path in sorted(KEPT.glob("*.md"))}
    write_project(tmp_path, {**pages, **kept})
    build(tmp_path)
    wrong = verdicts(tmp_path, sorted({**pages, **kept}))
    if not wrong:
        return
    name = next(iter(sorted(wrong)))
    report = wrong[name]
    if name in elements:

        def fails(parts: list[str]) -> bool:
            scratch = tmp_path / f"shrink-{len(parts)}-{abs(hash(tuple(parts)))}"
            write_project(scratch, {"p.md": "# Generated\n\n" + "\n".join(parts)})
            build(scratch)
            return bool(verdicts(scratch, ["p.md"]))

        smallest = "# Generated\n\n" + "\n".join(minimised(elements[name], fails))
        report += f"\n\nminimised page (keep it as {KEPT.name}/<name>.md):\n{smallest}"
    raise AssertionError(
        f"seed {seed}: {len(wrong)} of {count + len(kept)} pages disagree; {name}: {report}"
    )


def test_the_comparison_sees_a_silent_disagreement(tmp_path: Path) -> None:
    """The check itself: a page whose Python block the site does not draw, and about which
    the harness is silent, is wrong (here the renderer's verdict is taken away)."""
    write_project(tmp_path, {"p.md": "# P\n\n```python\nv1 = 1\n```\n"})
    build(tmp_path)
    (tmp_path / "site" / "p.html").write_text("<p>nothing drawn</p>")
    assert ["p.md"] == list(verdicts(tmp_path, ["p.md"]))


def test_the_minimiser_keeps_only_what_fails() -> None:
    parts = ["a", "b", "bad", "c"]
    assert ["bad"] == minimised(parts, lambda kept: "bad" in kept)
