"""An exercise under pytest: tried three ways, so that it cannot mislead a reader.

[`exercise_step()`][forkdocs.doctools.run.exercise.exercise_step] turns an exercise the
classifier found ([`exercises`][forkdocs.doctools.grammar.exercises]) into the
[`Step`][forkdocs.doctools.run.pagerun.Step] the reader's browser runs; the
[`ExerciseEvaluator`][forkdocs.doctools.run.exercise.ExerciseEvaluator] runs that same step
with [`PageRun.attempt`][forkdocs.doctools.run.pagerun.PageRun.attempt], the browser's own
code, and fails the exercise, naming page:line, unless

- the starting code runs, and its checker says it is not solved yet, with the message the
  page promises (a checker that passes the starting code cannot tell a solution from it);
- the model solution passes the checker;
- a predict exercise's code prints the answer the page reveals.
"""

from __future__ import annotations

from typing import Any

from sybil import Example, Region

from forkdocs.doctools.errors import ExampleFailed
from forkdocs.doctools.grammar.exercises import Exercise
from forkdocs.doctools.run.pagerun import PASSED, PageRun, Step


class ExerciseFailed(ExampleFailed):
    """An exercise whose checker, solution or answer does not do what the page says."""


def exercise_step(document: Any, exercise: Exercise, browser: str = "") -> Step:
    """The step of ``exercise`` on the parsed page ``document`` (``browser``: why it does
    not run in the reader's browser; empty: it does)."""

    def code(region: Region | None) -> tuple[str | None, int]:
        if region is None:
            return None, 0
        source = region.lexemes["source"]
        return str(source), document.page_line_of(region.start) + source.line_offset + 1

    assert exercise.start is not None
    start, first = code(exercise.start)
    check, check_first = code(exercise.check)
    answer, _ = code(exercise.answer)
    solution, _ = code(exercise.solution)
    return Step(
        "exercise",
        document.page_line_of(exercise.start.start),
        first,
        start or "",
        browser=browser,
        exercise=f"{exercise.kind} {exercise.level}",
        check=check,
        check_first=check_first,
        promise=exercise.promise,
        answer=answer,
        solution=solution,
    )


class ExerciseEvaluator:
    """Runs an exercise's three checks (the region's ``parsed`` is its step)."""

    def __call__(self, example: Example) -> None:
        __tracebackhide__ = True
        step: Step = example.parsed
        page = PageRun(str(example.path), [step])
        where = f"{example.path}:{step.line}"
        started = page.attempt(step, step.source)
        if step.check is None:  # a predict exercise: the code prints the answer
            if started.status != PASSED:
                raise ExerciseFailed(
                    f"{where}: the exercise's code does not print its answer:\n{started.error}"
                )
            return
        if started.verdict != "unsolved":
            said = (
                "passes its checker, so the checker cannot tell it from a solution"
                if started.verdict == "solved"
                else f"fails before the checker can judge it:\n{started.summary or started.error}"
            )
            raise ExerciseFailed(f"{where}: the exercise's starting code {said}")
        if not started.summary.startswith(step.promise):
            raise ExerciseFailed(
                f"{where}: for the starting code the checker says {started.summary!r}; the"
                f" page promises a message that starts {step.promise!r}"
            )
        assert step.solution is not None
        solved = page.attempt(step, step.solution)
        if solved.verdict != "solved":
            raise ExerciseFailed(
                f"{where}: the exercise's model solution does not pass its checker:"
                f" {solved.summary or solved.error}"
            )
