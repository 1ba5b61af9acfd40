"""Exercises are tried three ways under pytest (the starting code fails its checker with the
promised message, the model solution passes it, a predict exercise prints its answer); a
malformed exercise is a page:line error; an exercise runs on its own, never in the page's
namespace; and the browser gets the same step, run by the same code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forkdocs.doctools.grammar.directives import DirectiveError
from forkdocs.doctools.integrations.inpage import steps_of
from forkdocs.doctools.run.exercise import ExerciseFailed
from forkdocs.doctools.run.pagerun import PageRun, run_json

from .inprocess import Page

CHANGE = """\
# Heading

```python
page_value = 1
```

<!-- exercise: change easy -->
Make `n` reach 3.

```python
n = 1
```

??? info "How Check grades it"

    <!-- exercise-check: "n is still" -->
    ```python
    assert n == 3, f"n is still {n}, and 3 is wanted"
    ```

??? success "Solution"

    <!-- exercise-solution -->
    ```python
    n = 3
    ```

```python
assert "n" not in globals(), "the exercise ran in the page's namespace"
assert page_value == 1
```
"""

PREDICT = """\
<!-- exercise: predict easy -->
```python
print(6 * 7)
```

??? question "Answer"

    <!-- exercise-answer -->
    ```{ .text .no-copy title="Output" }
    ANSWER
    ```
"""


def outcomes(tmp_path: Path, text: str) -> list[tuple[str, BaseException | None]]:
    return [(o.result, o.error) for o in Page(tmp_path, text).run()]


def test_a_sound_exercise_passes_and_the_page_never_sees_it(tmp_path: Path) -> None:
    assert [("passed", None)] * 3 == outcomes(tmp_path, CHANGE)
    inventory = Page(tmp_path, CHANGE).inventory()
    assert inventory.disagreements == [] and inventory.problems() == []
    kinds = inventory.counts()
    assert (kinds["exercise"], kinds["exercise-check"], kinds["exercise-solution"]) == (1, 1, 1)


def mutated(old: str, new: str) -> str:
    assert old in CHANGE
    return CHANGE.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        # a checker that passes the starting code cannot tell it from a solution
        ('assert n == 3, f"n is', 'assert n > 0, f"n is', "passes its checker, so the checker"),
        # a constant checker fails the solution too
        ('assert n == 3, f"n is', 'assert False, f"n is', "model solution does not pass"),
        # the message the page promises is not the one the starting code gets
        ('exercise-check: "n is still"', 'exercise-check: "n is wrong"', "the page promises"),
        # starting code that cannot run
        ("n = 1\n", "n = 1 / 0\n", "fails before the checker can judge it"),
    ],
)
def test_an_exercise_that_would_mislead_fails_naming_its_line(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    found = outcomes(tmp_path, mutated(old, new))
    failed = [error for result, error in found if result == "failed"]
    assert len(failed) == 1 and isinstance(failed[0], ExerciseFailed), found
    assert "p.md:10: " in str(failed[0]) and said in str(failed[0])


def test_a_predict_exercise_must_print_its_answer(tmp_path: Path) -> None:
    assert [("passed", None)] == outcomes(tmp_path, PREDICT.replace("ANSWER", "42"))
    ((result, error),) = outcomes(tmp_path, PREDICT.replace("ANSWER", "41"))
    assert result == "failed" and "does not print its answer" in str(error)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("<!-- exercise: change -->\n```python\nn = 1\n```\n", "names its kind"),
        ("<!-- exercise: guess easy -->\n```python\nn = 1\n```\n", "names its kind"),
        ("<!-- exercise: change easy -->\n```python\nn = 1\n```\n", "needs a checker"),
        (PREDICT.replace("<!-- exercise-answer -->\n", ""), "needs its answer"),
        ('<!-- exercise-check: "x" -->\n```python\nassert 0\n```\n', "before any"),
        ("<!-- exercise: change easy -->\n```text\nn = 1\n```\n", "must be a ```python fence"),
        (CHANGE.replace('exercise-check: "n is still"', "exercise-check:"), "quotes the start"),
    ],
)
def test_a_malformed_exercise_is_an_error_at_its_line(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(DirectiveError, match=r"p\.md:") as raised:
        Page(tmp_path, text).run()
    assert said in str(raised.value)


def test_the_browser_runs_the_same_step_the_same_way(tmp_path: Path) -> None:
    steps = steps_of(Page(tmp_path, CHANGE).document())
    (exercise,) = [step for step in steps if step.kind == "exercise"]
    assert exercise.exercise == "change easy" and exercise.promise == "n is still"
    assert exercise.solution == "n = 3\n" and exercise.line == 10
    index = steps.index(exercise)
    as_json = json.dumps([vars(step) for step in steps])
    started = json.loads(run_json("p.md", as_json, index))[-1]
    assert (started["verdict"], started["summary"]) == ("unsolved", "n is still 1, and 3 is wanted")
    solved = json.loads(run_json("p.md", as_json, index, json.dumps({index: "n = 3"})))[-1]
    assert solved["verdict"] == "solved" and solved["status"] == "passed"
    # running the whole page passes by its exercises, the last one included
    whole = PageRun("p.md", steps).outcomes()
    assert [o.status for o in whole] == ["passed", "skipped", "passed"]
    ending = PageRun("p.md", steps[: index + 1]).outcomes()
    assert [o.status for o in ending] == ["passed", "skipped"]
