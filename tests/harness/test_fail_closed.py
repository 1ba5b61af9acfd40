"""An example cannot end the run green, escape into the harness, or hang it; a page runs as
a script does and leaves the process as it found it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from forkdocs.doctools.run.failclosed import ExampleExited, ExampleInterrupted, ExampleTimeout

from .conftest import PAGE_CHECK, Project
from .inprocess import Page


@pytest.mark.parametrize(
    "call", ["import sys; sys.exit(0)", "exit()", "raise SystemExit(3)", "quit(1)"]
)
def test_leaving_the_process_fails_the_example_and_the_page_goes_on(
    tmp_path: Path, call: str
) -> None:
    outcomes = Page(tmp_path, f"```python\n{call}\n```\n\n```python\nafter = 1\n```\n").run()
    assert ["failed", "passed"] == [outcome.result for outcome in outcomes]
    assert isinstance(outcomes[0].error, ExampleExited)
    assert "p.md:1:1: the example called sys.exit(" in str(outcomes[0].error)


def test_a_keyboard_interrupt_the_example_raises_fails_it(tmp_path: Path) -> None:
    outcomes = Page(tmp_path, "```python\nraise KeyboardInterrupt\n```\n").run()
    assert isinstance(outcomes[0].error, ExampleInterrupted)


def test_a_hanging_example_fails_after_the_timeout_naming_its_line(tmp_path: Path) -> None:
    outcomes = Page(tmp_path, "text\n\n```python\nwhile True:\n    pass\n```\n", timeout=0.2).run()
    assert isinstance(outcomes[0].error, ExampleTimeout)
    assert "p.md:3:1: the example did not finish within 0.2 s" in str(outcomes[0].error)


def test_a_fork_child_that_returns_into_the_harness_exits_at_once(tmp_path: Path) -> None:
    log = tmp_path / "log"
    page = Page(
        tmp_path,
        "```python\nimport os\npid = os.fork()\nif pid:\n    _, status = os.waitpid(pid, 0)\n```\n\n"
        f"```python\nopen({str(log)!r}, 'a').write(f'{{os.getpid()}}\\n')\n```\n",
    )
    outcomes = page.run()
    assert ["passed", "passed"] == [outcome.result for outcome in outcomes]
    assert [str(os.getpid())] == log.read_text().split()  # the child ran nothing after it


def test_a_fork_child_keeps_its_exit_code(tmp_path: Path) -> None:
    page = Page(
        tmp_path,
        "```python\nimport os, sys\npid = os.fork()\nif pid == 0:\n    sys.exit(7)\n"
        "_, status = os.waitpid(pid, 0)\nassert os.WEXITSTATUS(status) == 7, status\n```\n",
    )
    assert ["passed"] == [outcome.result for outcome in page.run()]


def test_examples_run_as_a_script_even_after_clear_namespace(tmp_path: Path) -> None:
    check = "```python\nassert __name__ == '__main__', __name__\nassert __file__.endswith('p.md')\n```\n"
    page = Page(tmp_path, check + "\n<!-- clear-namespace -->\n\n" + check)
    assert ["passed", "passed"] == [outcome.result for outcome in page.run()]


def test_a_page_leaves_cwd_sys_path_and_replaced_modules_as_it_found_them(project: Project) -> None:
    project.write(
        "docs/a.md",
        "```python\nimport os, sys, types, json\nos.chdir('/')\nsys.path.insert(0, '/nowhere')\n"
        "sys.modules['json'] = types.ModuleType('json')\nimport forkdocs_scratch_module\n```\n",
    )
    project.write("forkdocs_scratch_module.py", "LOADED = True\n")
    project.write(
        "docs/b.md",
        f"```python\nimport os, sys, json\nassert os.getcwd() == {str(project.root)!r}, os.getcwd()\n"
        "assert '/nowhere' not in sys.path\nassert hasattr(json, 'dumps')\n"
        "assert 'forkdocs_scratch_module' in sys.modules  # merely imported: stays\n```\n",
    )
    project.run().assert_outcomes(passed=2 + 2 * PAGE_CHECK)


def test_examples_selected_out_of_order_run_in_page_order(project: Project) -> None:
    project.write(
        "docs/p.md",
        "```python\na = 1\n```\n\n```python\nb = a + 1\n```\n\n```python\nassert b == 2\n```\n",
    )
    result = project.run("-v", "docs/p.md::line:9,column:1", "docs/p.md::line:1,column:1")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*p.md::line:1,column:1 PASSED*", "*p.md::line:9,column:1 PASSED*"]
    )


def test_os_exit_leaves_no_completion_record(project: Project) -> None:
    project.write("docs/p.md", "```python\nimport os\nos._exit(0)\n```\n")
    result = project.run_isolated("--docs-record=record.json")
    assert 0 == result.ret  # pytest never learned: only the missing record tells
    assert not (project.root / "record.json").exists()
    project.write("docs/p.md", "```python\nx = 1\n```\n")
    project.run("--docs-record=record.json").assert_outcomes(passed=1 + PAGE_CHECK)
    assert {"exitstatus": 0, "examples": {"passed": 1}} == json.loads(
        (project.root / "record.json").read_text()
    )


def test_under_xdist_a_worker_that_dies_fails_the_run(project: Project) -> None:
    project.write("docs/p.md", "```python\nimport os\nos._exit(0)\n```\n")
    result = project.run_parallel("-n", "1")
    assert 0 != result.ret
    result.stdout.fnmatch_lines(["*crashed while running*p.md::line:1,column:1*"])


def test_a_person_pressing_ctrl_c_still_stops_the_run(tmp_path: Path) -> None:
    # SIGINT arriving while an example runs is what Ctrl-C sends: it is not the example's own
    page = Page(
        tmp_path, "```python\nimport os, signal\nos.kill(os.getpid(), signal.SIGINT)\n```\n"
    )
    with pytest.raises(KeyboardInterrupt):
        page.run()


def test_an_example_that_ends_its_worker_is_reported_once(project: Project) -> None:
    """Under the page scheduler, the example that ends a worker is not run again (xdist
    requeues it, and every later example of its page replays it: up to nine crashes for one),
    and each later example of its page is reported once, as not run because of it."""
    project.write(
        "pytest.ini",
        "[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n"
        "docs_dist_by_page = true\n",
    )
    project.write(
        "docs/p.md",
        "```python\nx = 0\n```\n\n```python\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n```\n\n"
        "```python\nx = 1\n```\n\n```python\nx = 2\n```\n",
    )
    project.write("docs/q.md", "```python\ny = 1\n```\n")
    result = project.run_parallel("-n", "2")
    result.assert_outcomes(passed=2 + 2 * PAGE_CHECK, failed=3)
    out = result.stdout.str()
    assert 1 == out.count("replacing crashed worker"), out
    result.stdout.fnmatch_lines(
        [
            "*docs/p.md:10:1: not run: the example at docs/p.md:5:1 ended its worker*",
            "*docs/p.md:14:1: not run: the example at docs/p.md:5:1 ended its worker*",
            "*docs/p.md:5:1: this example ended the worker process running it*",
        ],
        consecutive=False,
    )


def test_the_inventory_is_the_same_bytes_serial_and_under_xdist(project: Project) -> None:
    """Pages finish in another order under xdist; the inventory file does not change."""
    for name, text in {
        "a": "```python\nx = 1\n```\n\n```pycon\n>>> 1\n1\n```\n",
        "b": '<!-- skip: next "why" -->\n```python\nraise SystemExit\n```\n\n```text\nshown\n```\n',
        "c": '```python\nprint(2)\n```\n\n```text title="Output"\n2\n```\n',
    }.items():
        project.write(f"docs/{name}.md", text)
    project.run_parallel("-p", "no:xdist", "--docs-inventory=serial.json")
    project.run_parallel("-n", "3", "--docs-inventory=parallel.json")
    serial = (project.root / "serial.json").read_bytes()
    assert serial == (project.root / "parallel.json").read_bytes()
    assert b'"executed"' in serial
