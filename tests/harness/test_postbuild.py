"""The step every builder's output is given (``postbuild``), on scratch sites built with
Material: the whole guide bound into one page (in reading order, its ids unique, its links
landing inside it), ``llms.txt`` and its full text, and the errors that stop it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from forkdocs.doctools.grammar.siteconfig import SiteConfig
from forkdocs.doctools.integrations.llmstxt import first_sentence
from forkdocs.doctools.integrations.printbook import MARK
from forkdocs.doctools.integrations.sitenav import NavPage, reading_order, url_of

from ..helpers import book_problems, build_site

PAGES = {
    "index.md": (
        "# Home\n\nThe home page, with a [link](guide/tabs.md#second) into the book."
        " More text.\n\n## Intro\n\nA footnote.[^1]\n\n[^1]: Its note.\n"
    ),
    "guide/tabs.md": (
        "# Tabs\n\nTwo tabs [back home](../index.md#intro) and a picture.\n\n"
        '=== "One"\n\n    one\n\n=== "Two"\n\n    two\n\n## Second\n\n![a dot](dot.svg)\n\n'
        "A footnote here too.[^1]\n\n[^1]: Another note.\n"
    ),
    "guide/more.md": (
        '# More tabs\n\n--8<-- "part.md"\n\n=== "Three"\n\n    three\n\n'
        "[After the book](../after.md) is left out of it.\n"
    ),
    "book.md": f"# The book\n\nEverything above, bound.\n\n{MARK}\n",
    "after.md": "# After\n\nNot in the book.\n",
}
NAV = (
    "nav:\n  - Home: index.md\n  - Guide:\n    - guide/tabs.md\n    - Again: guide/more.md\n"
    "  - Reference:\n    - book.md\n    - after.md\n    - Elsewhere: https://example.org/\n"
)


def scratch(folder: Path, nav: str = NAV) -> Path:
    """A Material site of the pages above (tabs, footnotes, a snippet, an image)."""
    for name, text in PAGES.items():
        (folder / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "docs" / name).write_text(text)
    (folder / "docs" / "guide" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    (folder / "parts").mkdir()
    (folder / "parts" / "part.md").write_text("Text from a snippet: it is expanded.\n")
    (folder / "mkdocs.yml").write_text(
        "site_name: Scratch\nsite_description: A site to bind.\n"
        "site_url: https://example.org/scratch/\ntheme:\n  name: material\n"
        "markdown_extensions:\n  - footnotes\n  - pymdownx.superfences\n"
        "  - pymdownx.tabbed:\n      alternate_style: true\n"
        "  - pymdownx.snippets:\n      base_path: [parts]\n" + nav
    )
    return folder / "mkdocs.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scratch site, built and given the post-build step."""
    folder = tmp_path_factory.mktemp("bind")
    config = scratch(folder / "project")
    done = build_site(config, folder / "site", cwd=config.parent)
    assert 0 == done.returncode, done.stderr[-3000:]
    assert "postbuild: the whole guide (3 pages) into book/" in done.stdout
    return folder / "site"


def test_the_book_holds_the_pages_before_it_in_reading_order(built: Path) -> None:
    html = (built / "book" / "index.html").read_text()
    assert MARK not in html
    sections = re.findall(r'<section class="fd-book-page" id="([^"]+)">\s*<h1[^>]*>([^<]+)', html)
    assert sections == [("p-home", "Home"), ("p-guide-tabs", "Tabs"), ("p-guide-more", "More tabs")]
    assert "Not in the book" not in html
    assert "Text from a snippet" in html


def test_the_book_ids_are_unique_and_every_link_lands(built: Path) -> None:
    assert book_problems(built, "book/") == []
    html = (built / "book" / "index.html").read_text()
    # links between pages of the book stay inside it; the page after it is linked to
    assert 'href="#p-guide-tabs--second"' in html and 'href="#p-home--intro"' in html
    assert 'href="../after/"' in html
    # the tab groups of two pages no longer share a name (each clicks its own tabs)
    names = set(re.findall(r'<input [^>]*name="([^"]*tabbed[^"]*)"', html))
    assert names == {"p-guide-tabs--__tabbed_1", "p-guide-more--__tabbed_1"}


def test_a_book_problem_is_found_by_the_check(built: Path, tmp_path: Path) -> None:
    """The check above can fail: a doubled id, a link to no id, a missing file."""
    page = tmp_path / "book" / "index.html"
    page.parent.mkdir()
    page.write_text('<p id="a"></p><p id="a"></p><a href="#b"></a><img src="gone.png">')
    assert book_problems(tmp_path, "book/") == [
        'id "a" appears 2 times',
        'href="#b" names no id of the page',
        'src="gone.png" is not a file of the site',
    ]


def test_llms_txt_lists_the_pages_in_reading_order_at_the_site_address(built: Path) -> None:
    assert (built / "llms.txt").read_text() == (
        "# Scratch\n\n> A site to bind.\n\n\n## Start\n\n"
        "- [Home](https://example.org/scratch/): The home page, with a link into the book.\n\n"
        "## Guide\n\n- [Tabs](https://example.org/scratch/guide/tabs/):"
        " Two tabs back home and a picture.\n"
        "- [Again](https://example.org/scratch/guide/more/): Text from a snippet: it is expanded.\n"
        "\n## Reference\n\n- [The book](https://example.org/scratch/book/): Everything above, bound.\n"
        "- [After](https://example.org/scratch/after/): Not in the book.\n"
    )
    full = (built / "llms-full.txt").read_text()
    assert full.index("<!-- https://example.org/scratch/guide/more/ -->") < full.index("# After")
    assert "Text from a snippet: it is expanded." in full and "--8<--" not in full


def postbuild(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """The post-build step of ``config``'s site in ``site_dir``, as ``make site`` runs it."""
    command = ["-m", "forkdocs.doctools.integrations.postbuild", "-f", str(config), str(site_dir)]
    return subprocess.run([sys.executable, *command], capture_output=True, text=True, check=False)


def test_postbuild_refuses_a_folder_that_holds_no_built_site(tmp_path: Path) -> None:
    config = scratch(tmp_path / "project")
    done = postbuild(config, tmp_path / "nothing")
    assert done.returncode == 1
    assert (
        done.stderr == f"postbuild: {tmp_path / 'nothing'}: no built site here (build it first)\n"
    )


def test_a_book_whose_page_was_not_built_names_the_page(tmp_path: Path) -> None:
    config = scratch(tmp_path / "project")
    done = build_site(config, tmp_path / "site", cwd=config.parent)
    assert 0 == done.returncode, done.stderr[-3000:]
    (tmp_path / "site" / "guide" / "tabs" / "index.html").unlink()
    book = tmp_path / "site" / "book" / "index.html"
    book.write_text(book.read_text().replace('<section class="fd-book-page"', MARK, 1))
    done = postbuild(config, tmp_path / "site")
    assert done.returncode == 1
    missing = tmp_path / "site" / "guide" / "tabs" / "index.html"
    assert done.stderr == f"postbuild: guide/tabs.md: the built page {missing} is missing\n"


def test_reading_order_follows_nav_or_else_the_file_names(tmp_path: Path) -> None:
    config = scratch(tmp_path / "project")
    assert [(p.section, p.title, p.url) for p in reading_order(SiteConfig.load(config))] == [
        ("", "Home", ""),
        ("Guide", None, "guide/tabs/"),
        ("Guide", "Again", "guide/more/"),
        ("Reference", None, "book/"),
        ("Reference", None, "after/"),
    ]
    config.write_text(config.read_text().split("nav:")[0] + "use_directory_urls: false\n")
    assert reading_order(SiteConfig.load(config)) == [
        NavPage("", None, "index.md", "index.html"),
        NavPage("", None, "after.md", "after.html"),
        NavPage("", None, "book.md", "book.html"),
        NavPage("", None, "guide/more.md", "guide/more.html"),
        NavPage("", None, "guide/tabs.md", "guide/tabs.html"),
    ]
    assert url_of("a/index.md") == "a/" and url_of("index.md") == ""


@pytest.mark.parametrize(
    ("markdown", "sentence"),
    [
        ("# T\n\n!!! note\n    Not this.\n\nThis one. Not that.\n", "This one."),
        (
            "---\n\n```python\nx = 1.\n```\n\nA [link](x.md) and **bold** end here!\n",
            "A link and bold end here!",
        ),
        ("# Only a title\n\n- a list.\n", ""),
    ],
)
def test_first_sentence_is_prose(markdown: str, sentence: str) -> None:
    assert first_sentence(markdown) == sentence
