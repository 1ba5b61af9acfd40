"""--8<-- includes run as the site shows them; output blocks are checked."""

from __future__ import annotations

from .conftest import PAGE_CHECK, Project

SNIPPET = """\
# --8<-- [start:setup]
total = 40
# --8<-- [end:setup]
total += 2
# --8<-- [start:check]
assert total == 42, total
# --8<-- [end:check]
"""


def test_sections_ranges_and_blocks_run_in_the_page_namespace(project: Project) -> None:
    project.write("snippets/scene.py", SNIPPET)
    project.write(
        "docs/p.md",
        """\
        ```python
        --8<-- "snippets/scene.py:setup"
        ```

        ```python
        --8<-- "snippets/scene.py:4:4"
        ```

        ```python
        --8<--
        snippets/scene.py:check
        --8<--
        ```
        """,
    )
    project.run().assert_outcomes(passed=3 + PAGE_CHECK)


def test_a_failure_in_a_snippet_names_the_snippet_line_and_the_page_line(project: Project) -> None:
    project.write("snippets/bad.py", "x = 1\nassert x == 2, 'snippet line 2'\n")
    project.write("docs/p.md", '# Title\n\n```python\nbefore = 0\n--8<-- "snippets/bad.py"\n```\n')
    result = project.run()
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/p.md:3:1: AssertionError: snippet line 2*", "*snippets/bad.py:2: in <module>*"]
    )


def test_a_missing_snippet_is_an_error_naming_the_include(project: Project) -> None:
    project.write("docs/p.md", '```python\n--8<-- "snippets/nowhere.py"\n```\n')
    result = project.run()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*docs/p.md:2: snippet 'snippets/nowhere.py' not found*"])


def test_a_missing_section_in_a_nested_include_names_each_include_line(project: Project) -> None:
    project.write("snippets/outer.py", 'a = 1\n--8<-- "snippets/inner.py:nosuch"\n')
    project.write("snippets/inner.py", "# --8<-- [start:there]\nb = 2\n# --8<-- [end:there]\n")
    project.write("docs/p.md", '# P\n\n```python\n--8<-- "snippets/outer.py"\n```\n')
    result = project.run()
    result.stdout.fnmatch_lines(
        [
            "*snippets/outer.py:2: snippet section 'nosuch' not found*",
            "*included from *docs/p.md:4*",
        ]
    )


def test_an_output_block_is_compared_with_what_the_block_printed(project: Project) -> None:
    project.write(
        "docs/p.md",
        """\
        ```python
        print("two")
        print(1 + 1)
        ```

        ```text title="Output"
        two
        3
        ```
        """,
    )
    result = project.run()
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/p.md:1:1: OutputMismatch*", "*docs/p.md:7 (the output block)*", "*-3*", "*+2*"]
    )


def test_a_matching_output_block_passes_and_is_not_an_example(project: Project) -> None:
    project.write("docs/p.md", '```python\nprint("hi")\n```\n\n```text title="Output"\nhi\n```\n')
    project.run().assert_outcomes(passed=1 + PAGE_CHECK)
