"""No silent skips: the inventory, and strict mode's refusals."""

from __future__ import annotations

import json

import pytest

from .conftest import PAGE_CHECK, Project


def test_inventory_json_accounts_for_every_block(project: Project) -> None:
    project.write(
        "docs/p.md",
        """\
        ```python
        x = 1
        ```

        ```text title="Output"
        ```

        ```c
        int main(void) { return 0; }
        ```

        <!-- skip: next "shown for its shape only" -->
        ```python
        import nothing_here
        ```

        <!-- invisible-code-block: python
        y = 2
        -->

        ````markdown
        ```python
        shown_as_source = True
        ```
        ````
        """,
    )
    result = project.run("--docs-strict")
    result.assert_outcomes(passed=3, skipped=1)  # inventory, code block, invisible block
    data = json.loads((project.root / "docs-inventory.json").read_text())
    kinds = [block["kind"] for block in data["pages"]["docs/p.md"]["blocks"]]
    assert ["executed", "output", "shown", "skipped", "invisible", "shown", "source"] == kinds
    assert 0 == data["unaccounted"]
    result.stdout.fnmatch_lines(
        ["*doc blocks:*1 executed*1 invisible*1 output*2 shown*1 skipped*1 source; 0 unaccounted*"]
    )


@pytest.mark.parametrize(
    "text",
    [
        # the output in the code's sibling tab: a reader sees it as the result, nothing checks it
        '=== "Code"\n\n    ```python\n    print(1)\n    ```\n\n=== "Output"\n\n'
        '    ```text title="Output"\n    2\n    ```\n',
        # after prose
        '```python\nprint(1)\n```\n\nIt prints:\n\n```text title="Output"\n2\n```\n',
    ],
)
def test_strict_mode_fails_on_an_output_block_compared_with_nothing(
    project: Project, text: str
) -> None:
    project.write("docs/p.md", text)
    result = project.run("--docs-strict")
    result.assert_outcomes(passed=1, failed=1)  # the code block runs; the inventory fails
    result.stdout.fnmatch_lines(["*docs/p.md:*: an output block that nothing is compared with*"])


def test_strict_mode_fails_on_python_that_is_not_run(project: Project) -> None:
    project.write(
        "docs/p.md",
        "```python\nok = 1\n```\n\n```\nimport os\nprint(os.sep)\n```\n\n```pyton\nx = 1\n```\n",
    )
    result = project.run("--docs-strict")
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/p.md:5:1: this block looks like Python but is not run*",
            "*docs/p.md:10:1: this block looks like Python but is not run*",
        ]
    )


def test_a_skip_without_a_reason_is_refused_and_reported_as_skipped(project: Project) -> None:
    project.write(
        "docs/p.md",
        "```python\nok = 1\n```\n\n<!-- skip: next -->\n```python\nraise SystemExit\n```\n",
    )
    result = project.run("--docs-strict", "-rs")
    result.assert_outcomes(passed=PAGE_CHECK, skipped=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/p.md:6:1: a skip without a reason*", "*skip directive that gives no reason*"]
    )


def test_a_page_with_nothing_run_needs_a_prose_only_mark(project: Project) -> None:
    project.write("docs/prose.md", "# Only words\n\n```text\nshown\n```\n")
    project.write("docs/marked.md", "# Only words\n\n<!-- prose-only: a glossary -->\n")
    result = project.run("--docs-strict")
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(["*docs/prose.md:1:1: no example on this page runs*"])


def test_without_strict_mode_nothing_fails_for_the_inventory(project: Project) -> None:
    project.write("docs/p.md", "```\nimport os\n```\n")
    result = project.run()
    result.assert_outcomes(passed=1)  # the page's check: it agrees with the renderer
