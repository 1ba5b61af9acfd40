"""The renderer is the oracle: every page is compared with the code blocks the site's own
Markdown configuration renders, and any disagreement names page:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from forkdocs.doctools.check import rendered
from forkdocs.doctools.check.rendered import Renderer
from forkdocs.doctools.grammar.directives import DirectiveError
from forkdocs.doctools.grammar.siteconfig import ConfigError, SiteConfig

from .inprocess import Page


def kinds(page: Page) -> list[tuple[int, str, str]]:
    return [(block.line, block.language, block.kind) for block in page.inventory().blocks]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # superfences reads no unquoted attribute value: the site shows a paragraph
        ("```python title=x.py\nx = 1\n```\n", 1),
        # superfences closes a fence only with a fence of the same length
        ("```python\nx = 1\n````\ny = 2\n```\n", 1),
        # four spaces after a paragraph: an indented code block, which superfences highlights
        # first and Markdown then draws again as plain text, backticks shown: the reader sees
        # the second drawing only
        ("para\n\n    ```python\n    x = 1\n    ```\n", 3),
        # the same eight spaces into an admonition, a details block and a list item
        ("!!! note\n\n        ```python\n        x = 1\n        ```\n", 3),
        ("??? note\n\n        ```python\n        x = 1\n        ```\n", 3),
        ("- item\n\n        ```python\n        x = 1\n        ```\n", 3),
    ],
)
def test_a_block_the_harness_runs_but_the_site_does_not_render_is_an_error(
    tmp_path: Path, text: str, line: int
) -> None:
    disagreements = Page(tmp_path, text).inventory().disagreements
    assert disagreements and f"p.md:{line}: the harness runs this" in disagreements[0]


def test_a_python_block_the_harness_does_not_run_is_an_error(tmp_path: Path) -> None:
    # Pygments highlights starlark as Python: the harness runs it, or is told not to
    assert [(1, "starlark", "executed")] == kinds(Page(tmp_path, "```starlark\nx = 1\n```\n"))
    told = Page(tmp_path, "<!-- not-run: Starlark, not Python -->\n```starlark\nload('x')\n```\n")
    assert [(2, "starlark", "not-run")] == kinds(told)
    assert [] == told.inventory().disagreements


def test_a_lexer_derived_from_pythons_runs(tmp_path: Path) -> None:
    """NumPy's lexer is Python's with more names: the site draws Python 3 code, and the
    harness runs it."""
    page = Page(tmp_path, "```numpy\nprint(1)\n```\n")
    assert [(1, "numpy", "executed")] == kinds(page)
    assert (["passed"], []) == ([o.result for o in page.run()], page.inventory().disagreements)


@pytest.mark.parametrize("language", ["python2", "py2"])
def test_python_2_is_reported_until_marked_not_run(tmp_path: Path, language: str) -> None:
    """Python 2's lexer draws the block as Python, but it is not Python 3: a reader takes it
    for a runnable example, so the page must say why it is not run."""
    page = Page(tmp_path, f"```{language}\nprint 1\n```\n")
    assert [(1, language, "shown")] == kinds(page)
    (problem,) = page.inventory().disagreements
    assert "p.md:1: the site renders this" in problem and "as Python (Python2Lexer)" in problem
    told = Page(tmp_path, f"<!-- not-run: Python 2 -->\n```{language}\nprint 1\n```\n")
    assert [(2, language, "not-run")] == kinds(told)
    assert [] == told.inventory().disagreements


def test_pygments_aliases_of_python_run(tmp_path: Path) -> None:
    page = Page(
        tmp_path,
        "```python-console\n>>> 1 + 1\n2\n```\n\n```sage\ny = 2\n```\n\n```pyi\ndef f() -> int: ...\n```\n",
    )
    assert [
        (1, "python-console", "doctest"),
        (6, "sage", "executed"),
        (10, "pyi", "executed"),
    ] == kinds(page)
    assert ["passed"] * 3 == [outcome.result for outcome in page.run()]
    assert [] == page.inventory().disagreements


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff```python\nx = 1\n```\n",  # a byte-order mark (MkDocs reads utf-8-sig)
        "Write `<!--` to open a comment.\n\n```python\nx = 1\n```\n\nend -->\n",  # code span
        "!!! note\n\n    ```python\n    x = 1\n\nafter\n",  # unclosed in a container: text
        "```python\nif True:\n\tx = 1\n```\n",  # a tab: Markdown expands it before drawing
        "!!! note\n\n    ```python\n    if True:\n    \tx = 1\n    ```\n",
    ],
)
def test_edge_forms_agree_with_the_site(tmp_path: Path, text: str) -> None:
    assert [] == Page(tmp_path, text).inventory().disagreements


def test_a_fence_inside_a_comment_is_hidden_on_both_sides(tmp_path: Path) -> None:
    # the highlighter draws it, but inside an HTML comment the reader never sees it
    page = Page(tmp_path, "<!--\n```python\nraise SystemExit\n```\n-->\n\n```python\nx = 1\n```\n")
    assert [(2, "python", "source"), (7, "python", "executed")] == kinds(page)
    assert [] == page.inventory().disagreements


def test_an_extended_lexer_is_followed(tmp_path: Path) -> None:
    mkdocs = (
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.highlight:\n      extend_pygments_lang:\n"
        "        - {name: mypy, lang: python}\n  - pymdownx.superfences\n"
    )
    page = Page(tmp_path, "```mypy\nx = 1\n```\n", mkdocs=mkdocs)
    assert [(1, "mypy", "executed")] == kinds(page)
    assert [] == page.inventory().disagreements


def test_the_renderer_sees_what_the_reader_sees_on_a_site_without_superfences(
    tmp_path: Path,
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    renderer = Renderer(SiteConfig.load(tmp_path / "mkdocs.yml"))
    blocks = renderer.render("```python\nx = 1\n```\n\n    indented\n")
    assert [("python", "PythonLexer"), ("", "TextLexer")] == [(b.language, b.lexer) for b in blocks]


def test_the_renderer_caches_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORKDOCS_RENDER_CACHE", str(tmp_path / "cache"))
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    renderer = Renderer(SiteConfig.load(tmp_path / "mkdocs.yml"))
    first = renderer.blocks("```python\nx = 1\n```\n", [])
    assert 1 == len(list((tmp_path / "cache").iterdir()))
    assert first == renderer.blocks("```python\nx = 1\n```\n", [])
    renderer.blocks("```python\nx = 2\n```\n", [])
    assert 2 == len(list((tmp_path / "cache").iterdir()))
    for entry in (tmp_path / "cache").iterdir():  # an entry of another shape is drawn again
        entry.write_text('[{"not": "a block"}]')
    assert first == renderer.blocks("```python\nx = 1\n```\n", [])
    # another Markdown, pymdownx, Pygments or Sybil installed: drawn again, not the kept drawing
    monkeypatch.setattr(rendered, "package_stamp", lambda name: f"{name}:upgraded".encode())
    assert first == renderer.blocks("```python\nx = 1\n```\n", [])
    assert 3 == len(list((tmp_path / "cache").iterdir()))


def test_mkdocs_yml_is_read_without_mkdocs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "mkdocs", None)  # import mkdocs fails
    monkeypatch.setenv("SITE_FLAVOUR", "tilde")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, x]\ndocs_dir: guide\nmarkdown_extensions:\n"
        "  - pymdownx.snippets:\n      base_path: [!relative $config_dir, !relative $docs_dir]\n"
        "  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n"
        "          class: mermaid\n          format: !!python/name:pymdownx.superfences.fence_code_format\n",
        encoding="utf-8",
    )
    site = SiteConfig.load(tmp_path / "mkdocs.yml")
    assert tmp_path / "guide" == site.docs_dir
    assert [
        "toc",
        "tables",
        "fenced_code",
        "pymdownx.snippets",
        "pymdownx.superfences",
    ] == site.extensions
    assert [str(tmp_path), str(tmp_path / "guide")] == site.options["pymdownx.snippets"][
        "base_path"
    ]
    fence = site.options["pymdownx.superfences"]["custom_fences"][0]
    assert "fence_code_format" == fence["format"].__name__


def test_relative_paths_below_a_folder_and_inherited_settings_are_read(tmp_path: Path) -> None:
    """``!relative $config_dir/parts`` (MkDocs 1.6 reads a path after the folder) and
    ``INHERIT`` (a parent file's settings merged under this one's), as MkDocs reads them."""
    (tmp_path / "base.yml").write_text(
        "docs_dir: guide\nmarkdown_extensions:\n  - admonition\n"
        "theme:\n  name: material\n  features: [a]\n"
    )
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nsite_name: x\nmarkdown_extensions:\n  - pymdownx.snippets:\n"
        "      base_path: [!relative $config_dir/parts, !relative $docs_dir/more/x]\n"
    )
    site = SiteConfig.load(tmp_path / "mkdocs.yml")
    assert tmp_path / "guide" == site.docs_dir  # from the parent
    assert "admonition" not in site.extensions  # a list is replaced, as mergedeep does
    assert [str(tmp_path / "parts"), str(tmp_path / "guide" / "more" / "x")] == site.options[
        "pymdownx.snippets"
    ]["base_path"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INHERIT: mkdocs.yml\n", "INHERIT goes round in a circle"),
        ("INHERIT: missing.yml\n", "cannot read .*missing.yml"),
        ("x: !relative $site_dir/a\n", "mkdocs.yml:1: unknown prefix '[$]site_dir'"),
    ],
)
def test_a_broken_inherit_or_relative_names_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "mkdocs.yml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        SiteConfig.load(tmp_path / "mkdocs.yml")


def test_a_bare_relative_or_a_missing_python_name_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative\n"
    )
    with pytest.raises(ConfigError, match="bare !relative"):
        SiteConfig.load(config)
    config.write_text(
        "site_name: x\nmarkdown_extensions:\n  - x:\n      f: !!python/name:nowhere.thing\n"
    )
    with pytest.raises(
        ConfigError, match=r"mkdocs.yml:4: !!python/name:nowhere.thing cannot be imported"
    ):
        SiteConfig.load(config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<!-- skip: next "why" -->\n```text\nshown\n```\n',
            r"p.md:1: skip: next applies to the next block, a ```text block at .*p.md:2",
        ),
        ("<!-- not-run -->\n```python\nx = 1\n```\n", r"p.md:1: not-run needs a reason"),
        ('<!-- skip: start "why" -->\n```python\nx = 1\n```\n', r"p.md:1: skip: start never ends"),
        ("<!-- skip: end -->\n", r"p.md:1: skip: end without a skip: start"),
        (
            '<!-- skip: next "a" -->\n<!-- not-run: b -->\n```python\nx\n```\n',
            r"p.md:2: not-run follows skip at .*p.md:1",
        ),
        (
            "<!-- skip: next if(1 +, reason='x') -->\n```python\nx\n```\n",
            r"p.md:1: skip: cannot read the condition",
        ),
        ("<!-- figure: nothing -->\n", r"p.md:1: figure names the script"),
        ('text\n\n<!-- skip: next "why" -->\n', r"p.md:3: skip has no block after it"),
        (
            "<!-- not-in-browser -->\n```python\nx = 1\n```\n",
            r"p.md:1: not-in-browser needs a reason",
        ),
        (
            "<!-- not-in-browser: a -->\n```text\nshown\n```\n",
            r"p.md:1: not-in-browser applies to the next Python block that runs, not to the"
            r" shown block at .*p.md:2",
        ),
        (
            "<!-- not-in-browser: a -->\n<!-- not-in-browser: b -->\n```python\nx\n```\n",
            r"p.md:2: not-in-browser follows the one at .*p.md:1",
        ),
        ("text\n\n<!-- not-in-browser: a -->\n", r"p.md:3: not-in-browser has no block after it"),
        (
            "<!-- not-in-browser: a -->\n<!-- not-run: b -->\n```python\nx\n```\n",
            r"p.md:1: not-in-browser applies to .* not to the not-run block at .*p.md:3",
        ),
    ],
)
def test_a_directive_that_cannot_apply_names_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(DirectiveError, match=message):
        Page(tmp_path, text).document()


def test_skip_next_reaches_hidden_code_and_every_statement_of_a_doctest(tmp_path: Path) -> None:
    page = Page(
        tmp_path,
        '<!-- skip: next "later" -->\n<!-- invisible-code-block: python\nraise SystemExit\n-->\n\n'
        '<!-- skip: next if(True, reason="always") -->\n```pycon\n>>> 1/0\n>>> 2/0\n```\n'
        '<!-- skip: next if(False, reason="never") -->\n```python\nx = 1\n```\n',
    )
    assert ["skipped", "skipped", "skipped", "passed"] == [o.result for o in page.run()]


def test_code_indented_as_a_whole_runs_as_the_site_shows_it(tmp_path: Path) -> None:
    """Markdown strips a fence's own indentation and nothing more: a block whose every line
    is indented is shown indented, so Python reads it as the reader would ("unexpected
    indent"), and a C section of a function body keeps its indentation (Sybil's
    lexer dedents it; the harness does not)."""
    page = Page(tmp_path, "- item\n\n    ```python\n        x = 1\n    ```\n")
    (outcome,) = page.run()
    assert isinstance(outcome.error, SyntaxError), outcome.error
    assert "unexpected indent" in str(outcome.error)
    c_section = Page(tmp_path, "```c\n    int x = 1;\n```\n")
    (block,) = [b for b in c_section.document().blocks.blocks if b.region is not None]
    assert "    int x = 1;\n" == str(block.region.lexemes["source"])
    assert [] == c_section.inventory().disagreements
