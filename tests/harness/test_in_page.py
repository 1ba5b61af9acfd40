"""What the reader's browser runs: the steps the build takes from the harness's parse of a
page, and the step runner (forkdocs.doctools.run.pagerun) giving the harness's verdicts."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from forkdocs.doctools.integrations.inpage import InPageError, attach, steps_of
from forkdocs.doctools.run.pagerun import PageRun, Step, run_json

from .conftest import PAGE_CHECK
from .inprocess import Page

MIXED = """\
<!-- invisible-code-block: python
base = 40
-->

```python
answer = base + 2
print(answer)
```

```{ .text title="Output" }
42
```

```pycon
>>> answer * 2
84
>>> print("two")
two
```

<!-- not-in-browser: reads a file -->
<!-- skip: next if(answer == 42, reason="known") -->
```python
open("x").read()
```

<!-- clear-namespace -->

```python
print("answer" in globals())
```
"""


def test_the_steps_are_the_harness_examples_in_order_one_per_doctest_block(
    tmp_path: Path,
) -> None:
    steps = steps_of(Page(tmp_path, MIXED).document())
    assert [(s.kind, s.line, s.first, s.shown) for s in steps] == [
        ("code", 1, 2, False),
        ("code", 5, 6, True),
        ("doctest", 14, 15, True),
        ("code", 23, 24, True),
        ("clear", 27, 0, True),
        ("code", 29, 30, True),
    ]
    hidden, printed, console, guarded = steps[:4]
    assert hidden.source.strip() == "base = 40"
    assert printed.output == "42\n" and console.output is None
    assert console.source.startswith(">>> answer * 2")
    assert (guarded.skip, guarded.condition, guarded.browser) == (
        "known",
        "answer == 42",
        "reads a file",
    )


PAGES = {
    "passes": MIXED,
    "wrong output": '```python\nprint(1)\n```\n\n```{ .text title="Output" }\n2\n```\n',
    "raises": "```python\nx = 1\n```\n\n```python\nraise ValueError(x)\n```\n",
    "doctest differs": "```pycon\n>>> 1 + 1\n3\n```\n",
    "exits": "```python\nimport sys\nsys.exit(3)\n```\n",
    "cleared": "```python\nx = 1\n```\n\n<!-- clear-namespace -->\n\n```python\nx\n```\n",
    "skip holds": '<!-- skip: next if(True, reason="r") -->\n```python\n1/0\n```\n',
    "skip does not hold": '<!-- skip: next if(False, reason="r") -->\n```python\n1/0\n```\n',
    "skipped": '<!-- skip: next "later" -->\n```python\n1/0\n```\n',
    "doctest names reach later blocks": "```pycon\n>>> x = 41\n```\n\n```python\nassert x == 41\n```\n",
    "condition raises": '<!-- skip: next if(nowhere, reason="r") -->\n```python\nx = 1\n```\n',
    "space before a final ellipsis": "```pycon\n>>> print('total:')\ntotal: ...\n```\n",
    "trailing spaces": "```pycon\n>>> print('a  ')\na\n```\n",
    "number to the precision shown": "```pycon\n>>> 1/3  # doctest: +NUMBER\n0.333\n```\n",
    "number beyond the precision": "```pycon\n>>> 1/3  # doctest: +NUMBER\n0.334\n```\n",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_step_runner_gives_the_harness_verdict_for_every_step(
    tmp_path: Path, name: str
) -> None:
    page = Page(tmp_path, PAGES[name])
    harness = [outcome.result for outcome in page.run()]
    steps = steps_of(page.document())
    ours = PageRun("docs/p.md", steps).outcomes()
    # the harness runs a doctest block statement by statement, and clear-namespace is no
    # example of its own: line the verdicts up
    paired = [
        (step, outcome)
        for step, outcome in zip(steps, ours, strict=True)
        if step.kind != "clear"
        for _ in range(max(1, step.source.count(">>>")))
    ]
    assert len(paired) == len(harness)
    for (step, outcome), verdict in zip(paired, harness, strict=True):
        if step.browser:
            assert outcome.status == "not-run"
        elif step.kind == "doctest":  # one verdict for the block: failed if any statement failed
            failed = any(
                v == "failed" for (s, _), v in zip(paired, harness, strict=True) if s is step
            )
            assert outcome.status == ("failed" if failed else verdict), (name, step)
        else:
            assert outcome.status == verdict, (name, step, outcome)


def test_after_a_failure_the_page_stops_as_under_pytest(project: Any) -> None:
    page = "```python\nx = 1\n```\n\n```python\nraise ValueError(x)\n```\n\n```python\ny = 2\n```\n"
    project.write("docs/p.md", page)
    project.run("docs/p.md").assert_outcomes(passed=1 + PAGE_CHECK, failed=1, skipped=1)
    steps = steps_of(Page(project.root / "scratch", page).document())
    everything = PageRun("docs/p.md", steps).outcomes()
    assert ["passed", "failed", "skipped"] == [o.status for o in everything]
    assert everything[2].reason == "not run: docs/p.md:5 failed earlier"
    selected = PageRun("docs/p.md", steps).outcomes(upto=2)[-1]
    assert selected.status == "failed"
    assert selected.error.startswith("replaying docs/p.md:5, an earlier example of this page")
    assert "ValueError: 1" in selected.error


def run_steps(*steps: Step, upto: int | None = None, edits: dict[int, str] | None = None) -> list:
    return PageRun("docs/p.md", list(steps)).outcomes(upto, edits or {})


def test_running_one_step_replays_the_ones_above_with_the_readers_edits() -> None:
    steps = (Step("code", 1, 2, "x = 20"), Step("code", 5, 6, "x + 1"), Step("code", 9, 10, "y"))
    assert ["passed", "passed"] == [o.status for o in run_steps(*steps, upto=1)]
    assert "21" == run_steps(*steps, upto=1)[1].result
    assert "101" == run_steps(*steps, upto=1, edits={0: "x = 100"})[1].result
    assert "41" == run_steps(*steps, upto=1, edits={1: "x * 2 + 1"})[1].result
    with pytest.raises(IndexError, match=r"docs/p\.md: there is no step 3"):
        run_steps(*steps, upto=3)


def test_a_failure_shows_the_page_line_and_what_was_printed() -> None:
    raised = run_steps(Step("code", 10, 11, "print('before')\n\nraise KeyError('k')"))[0]
    assert raised.status == "failed" and raised.printed == "before\n"
    assert 'File "docs/p.md", line 13' in raised.error and "KeyError: 'k'" in raised.error
    assert "pagerun" not in raised.error
    exited = run_steps(Step("code", 1, 2, "raise SystemExit(2)"))[0]
    assert exited.status == "failed" and "sys.exit(2)" in exited.error
    interrupted = run_steps(Step("code", 1, 2, "raise KeyboardInterrupt"))[0]
    assert interrupted.status == "failed" and "KeyboardInterrupt" in interrupted.error
    broken = run_steps(Step("code", 1, 2, "x = (\n"))[0]
    assert broken.status == "failed" and "SyntaxError" in broken.error
    differs = run_steps(Step("code", 1, 2, "print(1)", output="2"))[0]
    assert differs.status == "failed" and "-2\n+1" in differs.error


def test_a_failure_is_summed_up_at_the_readers_line() -> None:
    """What a reader reads first: the page's line and the message, a syntax error's too
    (its line is the page's, not the block's own second line)."""
    raised = run_steps(Step("code", 10, 11, "x = 1\n{}['k']"))[0]
    assert "docs/p.md:12: KeyError: 'k'" == raised.summary
    broken = run_steps(Step("code", 10, 11, "x = 1\ny = (\n"))[0]
    assert "docs/p.md:12: SyntaxError: '(' was never closed" == broken.summary
    assert 'File "docs/p.md", line 12' in broken.error


def test_from_the_first_edit_on_outputs_are_shown_not_compared() -> None:
    steps = (
        Step("code", 1, 2, "x = 2\nprint(x)", output="2"),
        Step("code", 5, 6, "print(x * 2)", output="4"),
        Step("doctest", 9, 10, ">>> x + 1\n3\n"),
        Step("doctest", 12, 13, ">>> x / 0\n"),
    )
    as_shown = run_steps(*steps)
    assert [o.status for o in as_shown] == ["passed", "passed", "passed", "failed"]
    edited = run_steps(*steps, edits={0: "x = 5\nprint(x)"})
    assert [o.status for o in edited] == ["passed", "passed", "passed", "failed"]
    assert [o.printed for o in edited[:3]] == ["5\n", "10\n", "6\n"]
    assert "ZeroDivisionError" in edited[3].error, "raising still fails"
    later = run_steps(*steps, edits={1: "print(x * 3)"})
    assert [o.printed for o in later[:2]] == ["2\n", "6\n"] and later[2].status == "passed"
    assert run_steps(*steps[:2], edits={1: "print(x * 3)"}, upto=0)[0].status == "passed"


def test_a_doctest_block_shows_what_each_statement_printed() -> None:
    block = Step("doctest", 1, 2, ">>> print('a')\na\n>>> 1 + 1\n3\n>>> 1/0\n")
    outcome = run_steps(block)[0]
    assert outcome.status == "failed"
    assert outcome.printed.startswith("a\n2\n") and "ZeroDivisionError" in outcome.printed
    assert "Expected:\n    3\nGot:\n    2" in outcome.error


def test_the_json_entry_point_the_worker_calls() -> None:
    steps = json.dumps([{"kind": "code", "line": 1, "first": 2, "source": "x = 6 * 7\nx"}])
    assert json.loads(run_json("docs/p.md", steps))[0]["result"] == "42"
    assert json.loads(run_json("docs/p.md", steps, 0, json.dumps({"0": "7"})))[0]["result"] == "7"


def test_attach_marks_each_shown_example_and_embeds_the_steps() -> None:
    steps = [
        Step("code", 1, 2, "hidden = 1", shown=False),
        Step("code", 3, 4, "print('</script>')"),
        Step("clear", 7),
        Step("code", 9, 10, "x = 1"),
    ]
    page = (
        '<div class="highlight"><pre><span></span><code>print(&#39;&lt;/script&gt;&#39;)'
        "</code></pre></div><p>text</p>"
        '<div class="highlight"><pre><span></span><code><span class="n">x</span> = 1\n'
        "</code></pre></div>"
    )
    marked = attach(page, "docs/p.md", steps, 12)
    assert re.findall(r'<pre data-fd-step="(\d)">', marked) == ["1", "3"]
    data = re.search(r'class="fd-steps">(.*)</template>', marked)
    assert data and json.loads(data.group(1))["steps"][1]["source"] == "print('</script>')"
    with pytest.raises(InPageError, match=r"docs/p\.md:9: the site does not show this example"):
        attach(page.replace("= 1", "= 2"), "docs/p.md", steps, 12)
    assert attach("<p>none</p>", "docs/p.md", [Step("clear", 1)], 12) == "<p>none</p>"


def test_the_embedded_steps_hold_no_markup_whatever_the_code_says() -> None:
    code = "s = '<!--<script>' + '</script>' + '&amp;'"
    shown = html.escape(code)
    page = (
        f'<div class="language-python highlight"><pre><span></span><code>{shown}</code></pre></div>'
    )
    marked = attach(page, "docs/p.md", [Step("code", 1, 2, code)], 0)
    opening = 'class="fd-steps">'
    data = marked[marked.index(opening) + len(opening) : marked.rindex("</template>")]
    assert not set("<>&") & set(data), data
    assert json.loads(data)["steps"][0]["source"] == code


def test_a_run_button_goes_to_the_python_block_not_to_a_shown_copy_before_it() -> None:
    copy = '<div class="language-text highlight"><pre><span></span><code>x = 1\n</code></pre></div>'
    real = (
        '<div class="language-python highlight"><pre><span></span><code>x = 1\n</code></pre></div>'
    )
    marked = attach(copy + "<p>then</p>" + real, "docs/p.md", [Step("code", 5, 6, "x = 1")], 0)
    assert marked.index('data-fd-step="0"') > marked.index("<p>then</p>")
