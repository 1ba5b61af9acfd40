"""Regressions for what review found in the harness: each test is one defect, fixed."""

from __future__ import annotations

import json

import pytest

from .conftest import PAGE_CHECK, Project


def test_skip_next_skips_every_statement_of_a_doctest_block(project: Project) -> None:
    project.write(
        "docs/p.md",
        '<!-- skip: next "needs a real kernel" -->\n```pycon\n>>> import os\n>>> os.fork()\n12345\n'
        '>>> raise SystemExit("ran")\n```\n\n```python\nafter = True\n```\n',
    )
    project.run().assert_outcomes(passed=1 + PAGE_CHECK, skipped=3)


def test_an_output_block_in_a_blockquote_is_compared(project: Project) -> None:
    project.write(
        "docs/p.md", '> ```python\n> print("a")\n> ```\n>\n> ```text title="Output"\n> b\n> ```\n'
    )
    project.run().assert_outcomes(passed=PAGE_CHECK, failed=1)


def test_an_unclosed_fence_is_not_run_and_strict_mode_says_so(project: Project) -> None:
    project.write(
        "docs/p.md", '```python\nok = 1\n```\n\n```python\nraise RuntimeError("unclosed ran")\n'
    )
    result = project.run("--docs-strict")
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(["*docs/p.md:5:1: this fence is never closed*"])


def test_a_comment_opener_inside_a_shown_fence_hides_nothing(project: Project) -> None:
    project.write(
        "docs/p.md",
        '```text\n<!-- shown, not a comment\n```\n\n```python\nraise SystemExit("must run")\n```\n\n<!-- real -->\n',
    )
    project.run().assert_outcomes(passed=PAGE_CHECK, failed=1)


def test_lines_after_a_snippet_include_are_the_pages_own(project: Project) -> None:
    project.write("snippets/five.py", "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n")
    project.write(
        "docs/p.md",
        '```python\n--8<-- "snippets/five.py"\n```\n\n```python\nassert e == 6, e\n```\n',
    )
    result = project.run("docs/p.md::line:5,column:1")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*docs/p.md:5:1: AssertionError: 5*", ">    6 | assert e == 6, e"])
    project.run("--docs-strict")
    blocks = json.loads((project.root / "docs-inventory.json").read_text())["pages"]["docs/p.md"][
        "blocks"
    ]
    assert [1, 5] == [block["line"] for block in blocks]


def test_update_mode_keeps_crlf_line_endings(project: Project) -> None:
    page = project.root / "docs" / "p.md"
    page.parent.mkdir(parents=True)
    page.write_bytes(b"```pycon\r\n>>> 1 + 1\r\n3\r\n```\r\n")
    project.run("--update-examples")
    assert b"```pycon\r\n>>> 1 + 1\r\n2\r\n```\r\n" == page.read_bytes()


def test_a_doctest_that_raises_says_so(project: Project) -> None:
    project.write("docs/p.md", "```pycon\n>>> x = 1\n>>> assert x == 2\n```\n")
    result = project.run()
    result.stdout.fnmatch_lines(["*docs/p.md:3:1: the doctest raised an exception*"])


def test_a_syntax_error_points_at_its_page_line_and_column(project: Project) -> None:
    project.write("docs/p.md", '=== "Tab"\n\n    ```python\n    x = 1\n    y = (\n    ```\n')
    result = project.run()
    result.stdout.fnmatch_lines(["*docs/p.md:5:*: SyntaxError: *", ">    5 |     y = ("])
    assert "ast.py" not in result.stdout.str()


@pytest.mark.parametrize(
    ("text", "where", "caret"),
    [
        ("```python\nx = 1\ny = (2 +\n```\n", "3:5", "y = (2 +"),
        ('=== "Tab"\n\n    ```python\n    y = = 2\n    ```\n', "4:9", "y = = 2"),
        ("<!-- invisible-code-block: python\nx = 1\nyy = = 2\n-->\n", "3:6", "yy = = 2"),
    ],
)
def test_a_syntax_error_is_at_the_page_line_and_column_as_written(
    project: Project, text: str, where: str, caret: str
) -> None:
    """The column of the page as written, at top level, in a container and hidden; the caret
    under the line itself (CPython, given the page's path, re-read the page at the block's
    own line number: a wrong column and an empty line)."""
    project.write("docs/p.md", text)
    result = project.run()
    result.stdout.fnmatch_lines([f"*docs/p.md:{where}: SyntaxError: *"])
    # the caret under the offending token of the line as the block holds it
    offset = int(where.split(":")[1]) - (4 if text.startswith("===") else 0)
    result.stdout.fnmatch_lines([f"    {caret}", "    " + " " * (offset - 1) + "^"])


def test_a_missing_snippet_is_a_short_collection_error(project: Project) -> None:
    project.write("docs/p.md", '```python\n--8<-- "snippets/nowhere.py"\n```\n')
    result = project.run()
    result.stdout.fnmatch_lines(["*docs/p.md:2: snippet 'snippets/nowhere.py' not found*"])
    assert "sybil/" not in result.stdout.str()


def test_inventory_follows_sybil_for_conditional_skips_and_prose_mentions(project: Project) -> None:
    project.write(
        "docs/p.md",
        'Write `<!-- skip: next "why" -->` before a block.\n\n```python\nx = 1\n```\n\n'
        '<!-- skip: next if(x == 2, reason="only when x is 2") -->\n```python\ny = 2\n```\n',
    )
    project.run("--docs-strict").assert_outcomes(passed=3)
    blocks = json.loads((project.root / "docs-inventory.json").read_text())["pages"]["docs/p.md"][
        "blocks"
    ]
    assert ["executed", "conditional"] == [block["kind"] for block in blocks]


def test_an_invisible_block_alone_is_not_an_example(project: Project) -> None:
    project.write("docs/p.md", "<!-- invisible-code-block: python\nx = 1\n-->\n")
    result = project.run("--docs-strict")
    result.stdout.fnmatch_lines(["*docs/p.md:1:1: no example on this page runs*"])


def test_a_bare_fence_of_python_calls_is_flagged(project: Project) -> None:
    project.write(
        "docs/p.md",
        "```python\nok = 1\n```\n\n```\nm.fork(shell)\nchild.write(child.heap, b'x')\n```\n",
    )
    result = project.run("--docs-strict")
    result.stdout.fnmatch_lines(["*docs/p.md:5:1: this block looks like Python but is not run*"])


def test_after_a_failure_the_pages_later_examples_are_skipped(project: Project) -> None:
    project.write("docs/p.md", "```python\nx = 1 / 0\n```\n\n```python\ny = x\n```\n")
    result = project.run("-rs")
    result.assert_outcomes(passed=PAGE_CHECK, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*not run: docs/p.md:1:1 failed earlier on this page*"])


def test_a_dry_run_with_changes_fails_like_a_check(project: Project) -> None:
    project.write("docs/p.md", "```pycon\n>>> 1 + 1\n3\n```\n")
    result = project.run("--update-examples=diff")
    assert 1 == result.ret
    result.stdout.fnmatch_lines(["--- a/docs/p.md", "+++ b/docs/p.md"])
