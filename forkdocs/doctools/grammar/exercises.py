"""Exercises: a page's homework, in the harness's one grammar.

An exercise is a run of blocks that four directives tie together, in this order:

| directive | what it marks |
|---|---|
| ``exercise: KIND LEVEL`` | the next Python fence is the exercise's starting code; KIND is ``predict``, ``change`` or ``explain``, LEVEL ``easy``, ``medium`` or ``hard`` |
| ``exercise-check: "what the start gets"`` | the next Python fence is the checker: run after the reader's code, in its namespace, it fails with ``assert COND, "message"`` saying what is still wrong; the quoted text starts the message the starting code gets |
| ``exercise-solution`` | the next Python fence is the model solution |
| ``exercise-answer`` | the next output fence (``title="Output"``) is what the starting code prints |

A ``change`` exercise has a checker and a solution; a ``predict`` exercise an answer; an
``explain`` exercise either. The checker, solution and answer usually sit in folded
``???`` blocks (Material's details), so a reader can check themselves without a server.

Every part is a whole program: it runs in a namespace of its own (``{"__name__":
"__main__"}``), never the page's, so an exercise neither sees nor changes the page's
examples. How it runs, under pytest and in the reader's browser alike, is
[`PageRun.attempt`][forkdocs.doctools.run.pagerun.PageRun.attempt].
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sybil import Region

from forkdocs.doctools.grammar.directives import Directive, DirectiveError, unquote

KINDS = ("predict", "change", "explain")
LEVELS = ("easy", "medium", "hard")
#: The directives of the parts, by the part they name.
PARTS = {"exercise-check": "check", "exercise-solution": "solution", "exercise-answer": "answer"}


@dataclass
class Exercise:
    """One exercise of a page: its ``kind`` and ``level``, the directive that opens it, and
    its parts' fences as they are found (``start``: the starting code; ``check``,
    ``solution``: Python; ``answer``: an output fence), with ``promise``, the start of the
    checker's message for the starting code."""

    kind: str
    level: str
    directive: Directive
    start: Region | None = None
    check: Region | None = None
    solution: Region | None = None
    answer: Region | None = None
    promise: str = ""
    #: where each part's directive is (page:line), for messages
    places: dict[str, str] = field(default_factory=dict)

    def take(self, part: str, region: Region | None, python: bool, output: bool) -> str:
        """Keep ``region`` as ``part`` (``start``, ``check``, ``solution``, ``answer``) when it
        is the kind of fence that part is (``python``: a Python fence that runs; ``output``:
        an output fence); else what it should have been, in words."""
        fits = output if part == "answer" else python
        if not fits or region is None:
            if part == "answer":
                return 'an output fence (```{ .text .no-copy title="Output" })'
            return "a ```python fence"
        setattr(self, part, region)
        return ""

    def missing(self) -> list[str]:
        """What this exercise still lacks (or has that its kind does not allow), in words."""
        wanted = []
        if self.start is None:
            wanted.append("its starting code (a ```python fence after the exercise directive)")
        graded = self.check is not None or self.solution is not None
        if self.kind == "change" or (self.kind == "explain" and self.answer is None):
            if self.check is None:
                wanted.append(
                    'a checker (<!-- exercise-check: "message" --> over a ```python fence)'
                )
            if self.solution is None:
                wanted.append(
                    "a model solution (<!-- exercise-solution --> over a ```python fence)"
                )
        if self.kind == "predict":
            if self.answer is None:
                wanted.append('its answer (<!-- exercise-answer --> over a title="Output" fence)')
            if graded:
                wanted.append("no checker or solution: a predict exercise has an answer instead")
        return wanted


def parse_exercise(directive: Directive, where: str) -> Exercise:
    """Read ``exercise: KIND LEVEL``."""
    words = directive.body.split()
    if len(words) != 2 or words[0] not in KINDS or words[1] not in LEVELS:
        raise DirectiveError(
            f"{where}: an exercise names its kind ({', '.join(KINDS)}) and level"
            f" ({', '.join(LEVELS)}), as in <!-- exercise: change medium -->;"
            f" got {directive.body.strip()!r}"
        )
    return Exercise(words[0], words[1], directive)


def parse_part(directive: Directive, exercise: Exercise | None, where: str) -> str:
    """The part ``directive`` (``exercise-check``, ``-solution`` or ``-answer``) names, once
    it is known to belong to ``exercise``, the page's open exercise (a checker's promise is
    kept on it)."""
    part = PARTS[directive.name]
    if exercise is None:
        raise DirectiveError(f"{where}: {directive.name} comes before any <!-- exercise: ... -->")
    if part in exercise.places:
        raise DirectiveError(
            f"{where}: the exercise at {exercise.places['exercise']} already has its {part},"
            f" at {exercise.places[part]}"
        )
    if part == "check":
        exercise.promise = unquote(directive.body.strip())
        if not exercise.promise:
            raise DirectiveError(
                f"{where}: exercise-check quotes the start of the message the starting code"
                ' gets, as in <!-- exercise-check: "the parent\'s page is still shared" -->'
            )
    elif directive.body.strip():
        raise DirectiveError(f"{where}: {directive.name} takes nothing after it")
    exercise.places[part] = where
    return part
