"""The forms the figures need (a script whose output becomes a figure or a table, an output
block without a copy button), the inventory of every page, and diagnostics through includes."""

from __future__ import annotations

import json
from pathlib import Path

from forkdocs.doctools.run.scripts import ScriptOutputError

from .conftest import PAGE_CHECK, Project
from .inprocess import Page

SVG = 'print(\'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>\')\n'
TABLE = "print('| a | b |\\n|---|--:|\\n| 1 | 2 |')\n"


def test_figure_and_table_scripts_run_as_main_and_their_output_is_checked(tmp_path: Path) -> None:
    files = {
        "snippets/fig.py": "if __name__ == '__main__':\n    " + SVG,
        "snippets/table.py": TABLE,
    }
    text = '<!-- figure: snippets/fig.py "A box" -->\n\n<!-- table: snippets/table.py -->\n'
    page = Page(tmp_path, text, files=files)
    assert [(1, "figure"), (3, "table")] == [(b.line, b.kind) for b in page.inventory().blocks]
    assert ["passed", "passed"] == [outcome.result for outcome in page.run()]


def test_a_figure_script_that_prints_no_svg_fails_naming_the_page(tmp_path: Path) -> None:
    files = {"snippets/fig.py": "print('<p>not a figure</p>')\n"}
    outcomes = Page(tmp_path, "text\n\n<!-- figure: snippets/fig.py -->\n", files=files).run()
    assert isinstance(outcomes[0].error, ScriptOutputError)
    assert "p.md:3: snippets/fig.py: a figure script must print an <svg> document" in str(
        outcomes[0].error
    )


def test_an_output_block_without_a_copy_button_is_an_output_block(tmp_path: Path) -> None:
    page = Page(
        tmp_path, '```python\nprint(2)\n```\n\n```{ .text .no-copy title="Output" }\n3\n```\n'
    )
    assert ["executed", "output"] == [block.kind for block in page.inventory().blocks]
    assert "differs from its output block" in str(page.run()[0].error)


def test_the_inventory_lists_every_page_and_is_rewritten_each_run(project: Project) -> None:
    project.write("docs/a.md", "```python\nx = 1\n```\n")
    project.write("docs/b.md", "<!-- prose-only: an index -->\n# Just prose\n")
    project.run().assert_outcomes(passed=1 + 2 * PAGE_CHECK)
    inventory = json.loads((project.root / "docs-inventory.json").read_text())
    assert ["docs/a.md", "docs/b.md"] == sorted(inventory["pages"])
    (project.root / "docs" / "b.md").unlink()
    project.run()
    assert ["docs/a.md"] == sorted(
        json.loads((project.root / "docs-inventory.json").read_text())["pages"]
    )


def test_a_syntax_error_in_an_included_snippet_names_the_snippet(tmp_path: Path) -> None:
    files = {"snippets/bad.py": "x = 1\ny = (\n"}
    text = '# T\n\n```python\n--8<-- "snippets/bad.py"\n```\n\n```python\nz = 1\n```\n'
    page = Page(tmp_path, text, files=files)
    error = page.run()[0].error
    assert isinstance(error, SyntaxError)
    assert error.filename is not None and error.filename.endswith("snippets/bad.py")
    assert 2 == error.lineno  # the line of the snippet with the unclosed parenthesis
    assert [3, 7] == [block.line for block in page.inventory().blocks]  # the page's own lines


DRAWS = (
    "def draw(page):\n"
    "    return ('<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t</title><desc>'\n"
    "            + str(page['size']) + '</desc></svg>')\n"
)


def test_a_figure_that_draws_the_page_gets_the_names_its_examples_left(tmp_path: Path) -> None:
    """Under pytest, ``draw(page)`` sees the page's namespace at the directive: a later
    change of the name does not reach it, and its ``__main__`` part does not run."""
    seen = "assert draw.__module__ != '__main__'\n_draw = draw\n\ndef draw(page):\n"
    seen += "    assert page['size'] == 64, page['size']\n    return _draw(page)\n"
    main = "if __name__ == '__main__':\n    raise SystemExit(3)\n"
    files = {"snippets/fig.py": DRAWS + seen + main}
    text = (
        "```python\nsize = 64\n```\n\n<!-- figure: snippets/fig.py -->\n\n"
        "```python\nsize = 'later'\n```\n"
    )
    assert ["passed"] * 3 == [o.result for o in Page(tmp_path, text, files=files).run()]


def test_a_figure_asking_for_a_name_the_page_never_defined_says_which(tmp_path: Path) -> None:
    files = {"snippets/fig.py": DRAWS}
    text = "```python\nsizes = [64]\n```\n\n<!-- figure: snippets/fig.py -->\n"
    outcomes = Page(tmp_path, text, files=files).run()
    assert isinstance(outcomes[1].error, ScriptOutputError)
    said = str(outcomes[1].error)
    assert "p.md:5: snippets/fig.py: draw(page) asks for 'size'" in said
    assert "they define: sizes" in said
