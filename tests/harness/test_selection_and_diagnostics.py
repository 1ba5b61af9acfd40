"""One example alone, parallel runs, and failure reports."""

from __future__ import annotations

import re

import pytest

from .conftest import PAGE_CHECK, Project

STATEFUL = """\
```python
a = 1
```

<!-- skip: next "not on this machine" -->
```python
raise SystemExit("must not run")
```

```python
b = a + 1
```

```pycon
>>> b
2
```
"""


def test_one_example_alone_replays_the_examples_before_it(project: Project) -> None:
    project.write("docs/p.md", STATEFUL)
    result = project.run("docs/p.md::line:15,column:1", "-v")
    result.assert_outcomes(passed=1)
    result = project.run("-k", "line and 10", "-v")
    result.assert_outcomes(passed=1)


def test_a_failing_earlier_example_is_named_when_replayed(project: Project) -> None:
    project.write("docs/p.md", "```python\nraise KeyError('setup')\n```\n\n```python\nb = 1\n```\n")
    result = project.run("docs/p.md::line:5,column:1")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/p.md:5:1: ReplayError", "*replaying docs/p.md:1:1, an earlier example*KeyError*"]
    )


def test_skipped_examples_are_reported_as_skipped(project: Project) -> None:
    project.write("docs/p.md", STATEFUL)
    result = project.run("-rs")
    result.assert_outcomes(
        passed=3 + PAGE_CHECK, skipped=1
    )  # the skip directive itself is not an item
    result.stdout.fnmatch_lines(["*SKIPPED*docs/p.md:6: not on this machine*"])


def test_pages_stay_whole_on_one_worker_when_the_project_asks(project: Project) -> None:
    ini = (project.root / "pytest.ini").read_text()
    project.write("pytest.ini", ini + "docs_dist_by_page = true\n")
    for n in range(4):
        project.write(f"docs/p{n}.md", STATEFUL.replace("a = 1", f"a = 1  # page {n}") * 3)
    for dist in ("load", "worksteal"):
        result = project.run_parallel("-n", "2", "--dist", dist, "-v")
        result.assert_outcomes(passed=4 * (9 + PAGE_CHECK), skipped=4 * 3)
        workers: dict[str, set[str]] = {}
        for line in result.stdout.lines:
            found = re.search(r"\[(gw\d)\].*(docs/p\d\.md)::", line)
            if found:
                workers.setdefault(found.group(2), set()).add(found.group(1))
        assert 4 == len(workers) and all(1 == len(used) for used in workers.values()), workers


def test_without_the_ini_option_xdist_schedules_and_replay_keeps_pages_right(
    project: Project,
) -> None:
    for n in range(2):
        project.write(f"docs/p{n}.md", STATEFUL * 3)
    result = project.run_parallel("-n", "2", "--dist", "load")
    result.assert_outcomes(passed=2 * (9 + PAGE_CHECK), skipped=2 * 3)


def test_a_failure_names_page_line_and_column_inside_a_tab(project: Project) -> None:
    project.write(
        "docs/p.md",
        """\
        # Tabs

        === "First"

            ```python
            x = 2
            assert x == 3
            ```
        """,
    )
    result = project.run()
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/p.md:5:5: AssertionError: assert 2 == 3*",
            "*docs/p.md:7: in <module>*",
            "     6 |     x = 2",
            ">    7 |     assert x == 3",
        ]
    )
    assert "sybil/" not in result.stdout.str() and "_pytest/" not in result.stdout.str()


INTERNALS = ("sybil/", "_pytest/", "pluggy/", "doctest.py", "forkdocs/doctools/")


def test_doctest_and_update_failures_show_no_internal_frames(project: Project) -> None:
    project.write(
        "docs/p.md", '```pycon\n>>> def f():\n...     raise ValueError("deep")\n>>> f()\n2\n```\n'
    )
    project.write(
        "docs/q.md", '```python\nprint("a\\rb")\n```\n\n```text title="Output"\nold\n```\n'
    )
    shown = project.run().stdout.str()
    # the page's own lines, with their code: the call, and the line in f that raised
    assert 'File "docs/p.md", line 4, in <module>' in shown
    assert 'File "docs/p.md", line 3, in f\n        raise ValueError("deep")' in shown
    assert not [name for name in INTERNALS if name in shown], shown
    refused = project.run("--update-examples").stdout.str()
    assert "q.md:6: not updated: the output has a carriage return" in refused
    assert not [name for name in INTERNALS if name in refused], refused


@pytest.mark.parametrize("fence", ["```text\nshown only\n```", "```bash\necho hi\n```"])
def test_not_run_above_a_block_that_is_not_python_is_an_error_naming_both_lines(
    project: Project, fence: str
) -> None:
    """It must not pass over to the Python block after, which would then be skipped unseen."""
    project.write(
        "docs/p.md",
        f'# A page\n\n<!-- not-run: "why" -->\n{fence}\n\n```python\nprint(1)\n```\n',
    )
    result = project.run()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*p.md:3*not-run applies to the next fenced block*p.md:4*"])
