"""The site's own features as Markdown extensions: they run wherever Python-Markdown runs
(no MkDocs, no hook), find the page they convert by its text, and leave any other text alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest

from forkdocs.doctools.grammar.siteconfig import SiteConfig
from forkdocs.doctools.integrations.sitepage import NoSiteConfig, find_page

ROOT = Path(__file__).resolve().parents[2]
FIGURE = (
    "def draw(page):\n"
    "    return '<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t</title><desc>x is '"
    " + str(page['x']) + '</desc></svg>'\n"
)
PAGE = (
    "# A page\n\n## Its section\n\n```python\nx = 41 + 1\nprint(x)\n```\n\n"
    '<!-- figure: fig.py "The page\'s x" -->\n'
)


def project(folder: Path, page: str = PAGE, head: str = "") -> Path:
    """A site with the two extensions, the project's Pyodide pin, one page and a figure."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(head + page)
    (folder / "fig.py").write_text(FIGURE)
    shutil.copy(ROOT / "pyodide.lock.json", folder)
    config = folder / "mkdocs.yml"
    config.write_text(
        "site_name: s\nmarkdown_extensions:\n"
        "  - forkdocs.doctools.integrations.inline\n"
        "  - forkdocs.doctools.integrations.inpage\n"
        "  - toc\n  - pymdownx.highlight\n  - pymdownx.superfences\n"
    )
    return config


def convert(config: Path, text: str) -> str:
    """``text`` converted by plain Python-Markdown with the site's extensions, as any
    builder converts a page (the harness's own extensions included)."""
    settings = SiteConfig.load(config).settings["markdown_extensions"]
    names = [entry if isinstance(entry, str) else next(iter(entry)) for entry in settings]
    options = {name: {"config_file": str(config)} for name in names[:2]}
    return str(markdown.Markdown(extensions=names, extension_configs=options).convert(text))


def test_plain_python_markdown_draws_the_figure_and_marks_the_run_button(tmp_path: Path) -> None:
    config = project(tmp_path)
    html = convert(config, (tmp_path / "docs" / "index.md").read_text())
    assert "<desc>x is 42</desc>" in html and "<figcaption>The page&#x27;s x</figcaption>" in html
    assert html.count('data-fd-step="0"') == 1 and html.count('class="fd-steps"') == 1
    assert 'id="its-section"' in html  # toc's heading pass left alone


def test_a_page_whose_builder_cut_its_front_matter_is_found_with_its_lines(
    tmp_path: Path,
) -> None:
    head = "---\ntitle: A page\n---\n\n"
    config = project(tmp_path, PAGE.replace("x = 41 + 1", "x = 1 / 0"), head=head)
    body = (tmp_path / "docs" / "index.md").read_text()[len(head) :]
    page = find_page(config, body.split("\n"))
    assert page is not None and page.shown == "docs/index.md" and page.head == head
    # the failing example is named at its line in the file, front matter counted
    with pytest.raises(
        Exception, match=r"docs/index.md:14: .* the example at docs/index.md:9 .*:10: ZeroDivision"
    ):
        convert(config, body)


def test_text_that_is_no_pages_is_left_alone(tmp_path: Path) -> None:
    """A docstring mkdocstrings renders, or a page a plugin made, is no page's text."""
    config = project(tmp_path)
    text = "A docstring.\n\n```python\nx = 1\n```\n\n<!-- figure: fig.py -->\n"
    assert find_page(config, text.split("\n")) is None
    html = convert(config, text)
    assert "<!-- figure: fig.py -->" in html and "fd-steps" not in html


def test_a_page_edited_since_the_last_page_is_found_again(tmp_path: Path) -> None:
    """``mkdocs serve`` rebuilds: the index of pages' texts is made again on a miss."""
    config = project(tmp_path)
    page = tmp_path / "docs" / "index.md"
    assert find_page(config, page.read_text().split("\n")) is not None
    page.write_text(PAGE.replace("41", "40"))
    assert "<desc>x is 41</desc>" in convert(config, page.read_text())


def test_a_missing_configuration_file_is_an_error_saying_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(NoSiteConfig, match="give the extensions its path as config_file"):
        find_page(tmp_path / "nowhere" / "mkdocs.yml", ["# x"])


def test_the_harness_renderer_leaves_the_build_only_extensions_out(tmp_path: Path) -> None:
    """Else the cross-check would run a page's figure scripts and mark its Run buttons."""
    site = SiteConfig.load(project(tmp_path))
    assert site.extensions == [
        "toc",
        "tables",
        "fenced_code",
        "pymdownx.highlight",
        "pymdownx.superfences",
    ]
