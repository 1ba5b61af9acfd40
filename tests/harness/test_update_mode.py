"""Update mode: outputs rewritten in place, atomically, only where they differ."""

from __future__ import annotations

from .conftest import PAGE_CHECK, Project

PAGE = """\
# Outputs

Some prose that must not change.

```python
print("a")
print("b")
```

```text title="Output"
a
stale
```

!!! note

    ```pycon
    >>> 6 * 7
    41
    >>> print("x\\n\\ny")
    x
    ```

Trailing prose.
"""

FIXED = (
    PAGE.replace("a\nstale\n", "a\nb\n")
    .replace("    >>> 6 * 7\n    41\n", "    >>> 6 * 7\n    42\n")
    .replace("    x\n    ```", "    x\n    <BLANKLINE>\n    y\n    ```")
)


def test_update_round_trip_fixes_the_page_and_nothing_else(project: Project) -> None:
    page = project.write("docs/p.md", PAGE)
    project.run().assert_outcomes(
        passed=PAGE_CHECK, failed=1, skipped=2
    )  # later examples wait for the first
    result = project.run("--update-examples")
    result.assert_outcomes(passed=3 + PAGE_CHECK)
    result.stdout.fnmatch_lines(
        ["*-stale*", "*+b*", "*-    41*", "*+    42*", "*update mode: updated 1 page(s)*"]
    )
    assert FIXED == page.read_text()
    project.run().assert_outcomes(passed=3 + PAGE_CHECK)


def test_dry_run_shows_the_diff_and_writes_nothing(project: Project) -> None:
    page = project.write("docs/p.md", PAGE)
    result = project.run("--update-examples=diff")
    result.stdout.fnmatch_lines(["*+b*", "*update mode: would change 1 page(s)*"])
    assert PAGE == page.read_text()


def test_a_page_changed_during_the_run_is_not_overwritten(project: Project) -> None:
    page = project.write(
        "docs/p.md",
        """\
        ```python
        from pathlib import Path
        Path(__file__ if "__file__" in dir() else "docs/p.md").open("a").write("<!-- edited -->\\n")
        print("new")
        ```

        ```text title="Output"
        old
        ```
        """,
    )
    result = project.run("--update-examples")
    result.stdout.fnmatch_lines(["*update refused:*docs/p.md: changed since it was read*"])
    assert result.ret == 1
    assert "old" in page.read_text() and page.read_text().endswith("<!-- edited -->\n")


def test_update_mode_refuses_to_run_on_several_workers(project: Project) -> None:
    project.write("docs/p.md", "```python\nx = 1\n```\n")
    result = project.run_parallel("-n", "2", "--update-examples")
    result.stderr.fnmatch_lines(["*--update-examples runs in one process*"])


def test_a_changed_exception_is_written_without_the_interpreters_frames(project: Project) -> None:
    """Update mode writes an expected exception as a page does (the header and the exception;
    doctest compares only those), never doctest.py's frames or made-up file names, and the
    failure report shows the page's frames only."""
    page = project.write(
        "docs/p.md",
        "```pycon\n>>> def f():\n...     raise KeyError('k')\n>>> f()\n"
        "Traceback (most recent call last):\nKeyError: 'old'\n```\n",
    )
    checked = project.run()
    checked.stdout.fnmatch_lines(
        ['*File "docs/p.md", line 4, in <module>', '*File "docs/p.md", line 3, in f']
    )
    assert "doctest.py" not in checked.stdout.str() and "<doctest" not in checked.stdout.str()
    project.run("--update-examples")
    assert (
        "```pycon\n>>> def f():\n...     raise KeyError('k')\n>>> f()\n"
        "Traceback (most recent call last):\nKeyError: 'k'\n```\n"
    ) == page.read_text()
    project.run().assert_outcomes(passed=3)
