"""Every fence form of the peers' probe table (peers.md §1.3) is collected and run, and the
lexing bugs other tools hit stay fixed (sybil#54, #145, #155, #160)."""

from __future__ import annotations

from .conftest import PAGE_CHECK, Project

PROBE = """\
# Probe

```python
a = 1
```

```py
b = a + 1
```

```python title="hello.py"
c = b + 1
```

```python linenums="1" hl_lines="1"
d = c + 1
```

``` { .python .annotate }
e = d + 1
```

```pycon
>>> e
5
```

=== "Tab"

    ```python
    f = e + 1
    ```

!!! note

    ```python
    g = f + 1
    ```

- a list item

    ```python
    h = g + 1
    ```

> ```python
> i = h + 1
> ```

~~~python
j = i + 1
~~~

```python3
k = j + 1
```

```pycon
# a comment line before the first prompt
>>> k
11
```
"""


def test_every_probe_form_is_collected_and_run(project: Project) -> None:
    project.write("docs/probe.md", PROBE)
    result = project.run("docs/probe.md")
    result.assert_outcomes(passed=13 + PAGE_CHECK)


def test_a_failing_pycon_block_is_a_real_doctest(project: Project) -> None:
    """The probe's "pycon with wrong output" row: it runs, and fails."""
    project.write("docs/p.md", "```pycon\n>>> 1 + 1\n3\n```\n")
    result = project.run()
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/p.md:2:1: the doctest output differs*", "*Expected:*", "*3*", "*Got:*", "*2*"]
    )


def test_sybil_54_the_closing_fence_is_not_expected_output(project: Project) -> None:
    project.write("docs/p.md", "```pycon\n>>> print('x')\nx\n```\n\nAfter the fence.\n")
    project.run().assert_outcomes(passed=1 + PAGE_CHECK)


def test_sybil_145_a_comment_that_looks_like_a_directive_does_not_break_lexing(
    project: Project,
) -> None:
    project.write("docs/p.md", "<!-- code -->\n\n```python\nx = 1\n```\n\n<!-- code-block -->\n")
    project.run().assert_outcomes(passed=1 + PAGE_CHECK)


def test_sybil_155_fences_with_attributes_are_run(project: Project) -> None:
    project.write(
        "docs/p.md", '```python title="x.py" linenums="3"\nraise ValueError("ran")\n```\n'
    )
    result = project.run()
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(["*ValueError: ran*"])


def test_sybil_160_fences_in_lists_and_blockquotes_end_where_they_should(project: Project) -> None:
    page = (
        "1. step\n\n    ```python\n    x = 1\n    ```\n\n> ```python\n> y = x\n> ```\n>\n> text\n"
    )
    project.write("docs/p.md", page)
    project.run().assert_outcomes(passed=2 + PAGE_CHECK)


def test_fences_shown_as_markdown_source_are_not_run(project: Project) -> None:
    page = (
        "````markdown\n```python\nraise SystemExit('ran a shown block')\n```\n````\n\n"
        "<!--\n```python\nraise SystemExit('ran a commented block')\n```\n-->\n\n"
        "```python\nran = True\n```\n"
    )
    project.write("docs/p.md", page)
    project.run().assert_outcomes(passed=1 + PAGE_CHECK)


def test_directives_shown_as_markdown_source_are_not_acted_upon(project: Project) -> None:
    page = (
        '````markdown\n<!-- skip: next "shown" -->\n<!-- invisible-code-block: python\n'
        "raise SystemExit('ran a shown directive')\n-->\n````\n\n```python\nran = True\n```\n"
    )
    project.write("docs/p.md", page)
    project.run("--docs-strict").assert_outcomes(passed=2)  # the inventory check and the block
