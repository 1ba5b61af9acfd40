"""One page cannot change a later page's verdict: what a page's examples change in the test
process is put back after its last example, and the page fails naming what it left behind
(forkdocs.doctools.run.pagestate). The later page gives the same verdict as when run alone."""

from __future__ import annotations

from .conftest import PAGE_CHECK, Project

POLLUTER = """# Changes the test process

```python
import os, signal, sys, builtins, io
os.environ["FORKDOCS_POLLUTED"] = "1"
os.environ.pop("HOME", None)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
os.umask(0o077)
builtins.print = lambda *args, **kwargs: None
sys.stderr = io.StringIO()
```
"""

LATER = """# Expects a clean process

```python
import builtins, os, signal, sys
assert "FORKDOCS_POLLUTED" not in os.environ and "HOME" in os.environ
assert signal.getsignal(signal.SIGCHLD) == signal.SIG_DFL
assert signal.SIGUSR1 not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
mask = os.umask(0); os.umask(mask); assert mask != 0o077
assert builtins.print.__module__ == "builtins"
assert type(sys.stderr).__name__ != "StringIO"  # pytest's capture puts it back itself
```
"""


def test_a_page_that_changes_the_process_fails_and_the_next_page_is_unharmed(
    project: Project,
) -> None:
    project.write("docs/a_polluter.md", POLLUTER)
    project.write("docs/b_later.md", LATER)
    result = project.run_isolated()
    result.assert_outcomes(passed=2 + 2 * PAGE_CHECK, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*a_polluter.md: its examples changed the test process*"
            "environment variables changed: FORKDOCS_POLLUTED, HOME*"
            "signal dispositions changed: SIGCHLD*the signal mask changed*"
            "the umask changed to 077*builtins replaced or added: print"
        ]
    )
    alone = project.run("docs/b_later.md")
    alone.assert_outcomes(passed=1 + PAGE_CHECK)


def test_a_thread_left_running_is_named(project: Project) -> None:
    project.write(
        "docs/p.md",
        "# A page\n\n```python\nimport threading, time\n"
        'threading.Thread(target=time.sleep, args=(0.5,), name="sleeper").start()\n```\n',
    )
    result = project.run_isolated()
    result.assert_outcomes(passed=1 + PAGE_CHECK, errors=1)
    result.stdout.fnmatch_lines(["*threads left running: sleeper*"])


def test_an_example_runs_as_a_script_with_its_own_main_module(project: Project) -> None:
    """While a page's example runs, sys.modules["__main__"] is the page's module: pickle
    finds a class the page defines, and a forked multiprocessing pool runs its function."""
    project.write(
        "docs/p.md",
        "```python\nimport multiprocessing, pickle, sys\n\nclass Point:\n    x = 3\n\n"
        "assert sys.modules['__main__'].Point is Point\n"
        "assert pickle.loads(pickle.dumps(Point())).x == 3\n\n"
        "def square(n):\n    return n * n\n\n"
        "with multiprocessing.get_context('fork').Pool(2) as pool:\n"
        "    print(pool.map(square, [1, 2, 3]))\n```\n\n"
        '```text title="Output"\n[1, 4, 9]\n```\n\n'
        "```python\nimport sys\nassert sys.modules['__main__'].square(4) == 16\n```\n",
    )
    project.run_isolated().assert_outcomes(passed=3)
