"""Running a page's examples outside pytest: in the reader's browser (under Pyodide) and, for
comparison, under CPython. Standard library only, so the same module runs in both.

The build ([`inpage`][forkdocs.doctools.integrations.inpage]) turns what the harness's parsers found on a
page into a list of [`Step`][forkdocs.doctools.run.pagerun.Step]s, in the order pytest runs
them: code blocks (shown or hidden), doctest blocks, and ``clear-namespace``. A
[`PageRun`][forkdocs.doctools.run.pagerun.PageRun] runs them as the harness does:

- one namespace per page, starting as a script's (``__name__ == "__main__"``, ``__file__``
  the page); ``clear-namespace`` starts it afresh;
- a code block passes when it raises nothing and, if the page shows its output, prints
  that output (trailing spaces and blank lines do not count); from the first block the
  reader edited on, what blocks print is shown, not compared (a doctest block then fails
  only by raising);
- a doctest block passes when every ``>>>`` statement prints what the page shows, with the
  page's doctest flags;
- a skipped block is not run; a conditional one is skipped when its condition, evaluated
  in the namespace at its turn, is true;
- once a block fails, the page's later blocks are skipped; a block run on its own fails
  when a block replayed before it fails;
- a block marked ``not-in-browser`` is not run here (the browser has no repository files,
  no real processes); the steps after it run without what it would have defined;
- an exercise ([`exercises`][forkdocs.doctools.grammar.exercises]) runs only when it is the
  step asked for, and on its own: the reader's code (or the starting code) in a fresh
  namespace, then its checker in the same namespace, which says ``solved`` or what is still
  wrong ([`PageRun.attempt`][forkdocs.doctools.run.pagerun.PageRun.attempt]); the page's
  steps never see it.

Running one step means running every step before it first, from a fresh namespace (the
harness's replay rule), with the reader's edits in place of the page's code where given.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import doctest
import io
import json
import re
import time
import traceback
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

#: Statuses of an outcome: the first three are pytest's.
PASSED, FAILED, SKIPPED, NOT_RUN = "passed", "failed", "skipped", "not-run"
#: The kind of an exercise's step.
EXERCISE = "exercise"


def normalise(text: str) -> str:
    """Output as compared: trailing spaces and trailing blank lines do not count."""
    return "\n".join(line.rstrip() for line in text.rstrip().split("\n"))


def output_diff(expected: str, printed: str, expected_name: str, printed_name: str) -> str:
    """A unified diff of two outputs as they are compared (both normalised)."""
    return "".join(
        difflib.unified_diff(
            (normalise(expected) + "\n").splitlines(keepends=True),
            (normalise(printed) + "\n").splitlines(keepends=True),
            expected_name,
            printed_name,
        )
    )


@dataclass(frozen=True)
class Step:
    """One thing a page runs. ``kind``: ``code``, ``doctest`` or ``clear``; ``line``: the
    page line of its fence (or directive); ``first``: the page line its code starts on;
    ``source``: the code pytest runs (snippets expanded); ``output``: the output block the
    page shows after it (None: none); ``skip``: the reason of a skip that covers it;
    ``condition``: the skip's ``if(...)`` (None: unconditional); ``browser``: why it is not
    run in a browser (empty: it is); ``shown``: False for hidden set-up code.

    An ``exercise`` step also has its ``exercise`` (kind and level, ``"change medium"``),
    ``check`` (the checker's code, None for none) starting on page line ``check_first``, the
    ``promise`` (the start of what the checker tells the starting code), the ``answer`` (what
    a predict exercise prints, None for none) and the model ``solution`` (None for none)."""

    kind: str
    line: int
    first: int = 0
    source: str = ""
    output: str | None = None
    skip: str | None = None
    condition: str | None = None
    browser: str = ""
    shown: bool = True
    exercise: str = ""
    check: str | None = None
    check_first: int = 0
    promise: str = ""
    answer: str | None = None
    solution: str | None = None


@dataclass
class Outcome:
    """What running a step gave: ``status`` (passed, failed, skipped, not-run), what it
    ``printed`` (for a doctest block, what each statement printed, in order), the ``result``
    (repr of a code block's last expression, when it is not None), the ``error`` (a
    traceback, a doctest report, or how the output differs), ``summary`` (for an exception:
    the page's line it came from and its message, what a reader reads first; the traceback
    stays in ``error``), ``reason`` (of a skip or not-run) and ``seconds``. An exercise's
    checker gives a ``verdict``: ``solved``, or ``unsolved`` with what is still wrong as the
    ``summary`` (its assertion's message)."""

    status: str
    printed: str = ""
    result: str | None = None
    error: str = ""
    summary: str = ""
    reason: str = ""
    seconds: float = 0.0
    verdict: str = ""


@dataclass
class PageRun:
    """The steps of the page ``page`` (its path, shown in tracebacks) with the doctest
    option ``flags`` the harness gives every page."""

    page: str
    steps: list[Step]
    flags: int = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    namespace: dict[str, Any] = field(default_factory=dict)

    def fresh(self) -> dict[str, Any]:
        """The namespace before the first step (and after ``clear-namespace``)."""
        return {"__name__": "__main__", "__file__": self.page}

    def outcomes(self, upto: int | None = None, edits: Mapping[int, str] = {}) -> list[Outcome]:
        """Run steps 0..``upto`` (default: all) from a fresh namespace, step ``i`` with
        ``edits[i]`` as its code when given; the outcome of each.

        As in the harness, once a step fails the later ones are not run (skipped: they share
        its namespace); and when step ``upto`` is the one asked for, a failure of a step
        replayed before it fails it, saying which."""
        last = len(self.steps) - 1 if upto is None else upto
        if not 0 <= last < len(self.steps):
            raise IndexError(
                f"{self.page}: there is no step {upto} (the page has {len(self.steps)})"
            )
        self.namespace = self.fresh()
        found: list[Outcome] = []
        failed: Step | None = None
        for index in range(last + 1):
            step = self.steps[index]
            if failed is None:
                # the page's outputs describe its own code: from the first edit on, what a
                # block prints is shown, not compared
                compare = not any(
                    edited <= index and self.steps[edited].kind != EXERCISE for edited in edits
                )
                asked = upto is not None and index == last  # only the step asked for
                found.append(self.run(step, edits.get(index), compare, asked))
                failed = step if found[-1].status == FAILED else None
                cause = found[-1].error
            elif upto is not None and index == last:
                found.append(
                    Outcome(
                        FAILED,
                        error=f"replaying {self.page}:{failed.line}, an earlier example of this"
                        f" page that this one runs after, failed:\n{cause}",
                    )
                )
            else:
                found.append(
                    Outcome(SKIPPED, reason=f"not run: {self.page}:{failed.line} failed earlier")
                )
        return found

    def run(
        self, step: Step, edited: str | None = None, compare: bool = True, asked: bool = True
    ) -> Outcome:
        """Run one step in the current namespace (``edited``: code to run in its place). With
        ``compare`` false, what it prints is not held to the output the page shows (a
        doctest block then fails only by raising). An exercise runs (on its own) only when
        it is the step ``asked`` for."""
        if step.kind == "clear":
            self.namespace = self.fresh()
            return Outcome(PASSED)
        if step.kind == EXERCISE and not asked:
            return Outcome(SKIPPED, reason="an exercise runs on its own, when it is asked for")
        if step.browser:
            return Outcome(NOT_RUN, reason=step.browser)
        if step.skip is not None:
            try:
                holds = step.condition is None or bool(eval(step.condition, self.namespace))
            except Exception as error:  # the harness fails the example, too
                return Outcome(FAILED, error=_traceback(error))
            finally:
                self.namespace.pop("__builtins__", None)
            if holds:
                return Outcome(SKIPPED, reason=step.skip)
        source = step.source if edited is None else edited
        began = time.perf_counter()
        if step.kind == "doctest":
            outcome = self._doctest(step, source, compare)
        elif step.kind == EXERCISE:
            outcome = self.attempt(step, source, compare=edited is None)
        else:
            outcome = self._code(step, source, step.output if compare else None)
        outcome.seconds = time.perf_counter() - began
        return outcome

    def attempt(self, step: Step, source: str, compare: bool = True) -> Outcome:
        """Exercise ``step`` with ``source`` as the reader's code: it runs in a namespace of
        its own (a script's), then the checker runs in that namespace. The outcome fails
        when the code raises; else its ``verdict`` is the checker's: ``solved`` (passed), or
        ``unsolved`` (failed) with the checker's assertion message as the ``summary``. A
        predict exercise's code, with ``compare``, must print its answer."""
        page = self.namespace
        self.namespace = self.fresh()
        try:
            outcome = self._code(step, source, step.answer if compare else None)
            if outcome.status != PASSED or step.check is None:
                return outcome
            checker = Step("code", step.line, step.check_first, step.check)
            checked = self._code(checker, step.check, None)
        finally:
            self.namespace = page
        outcome.printed += checked.printed
        if checked.status == PASSED:
            outcome.verdict = "solved"
            return outcome
        if checked.error.rstrip().split("\n")[-1].startswith("AssertionError"):
            message = checked.summary.split("AssertionError: ", 1)[-1]
            message = re.sub(r" \(\d+ frames? inside the library folded\)$", "", message)
            return Outcome(
                FAILED, outcome.printed, error=checked.error, summary=message, verdict="unsolved"
            )
        checked.summary = "the checker itself failed on this code: " + checked.summary
        return checked

    def _code(self, step: Step, source: str, output: str | None) -> Outcome:
        printed = io.StringIO()
        result: Any = None
        try:
            body, last = _split_last_expression(source, self.page, step.first)
            with contextlib.redirect_stdout(printed):
                exec(body, self.namespace)
                if last is not None:
                    result = eval(last, self.namespace)
        except SystemExit as leaving:
            return Outcome(
                FAILED,
                printed.getvalue(),
                error=f"the example called sys.exit({leaving.code!r}) (or exit(), or raised"
                " SystemExit); an example must not end the run",
            )
        except BaseException as error:  # an example's own KeyboardInterrupt fails it, too
            return Outcome(
                FAILED,
                printed.getvalue(),
                error=_traceback(error),
                summary=_summary(error, self.page),
            )
        finally:
            self.namespace.pop("__builtins__", None)
        text = printed.getvalue()
        shown = None if result is None else repr(result)
        if output is not None and normalise(text) != normalise(output):
            delta = output_diff(output, text, "the output block", "printed")
            return Outcome(FAILED, text, shown, "what the block printed differs:\n" + delta)
        return Outcome(PASSED, text, shown)

    def _doctest(self, step: Step, source: str, compare: bool) -> Outcome:
        runner = _Transcript(optionflags=self.flags)
        report: list[str] = []
        name = f"{self.page}:{step.line}"
        try:
            examples = doctest.DocTestParser().get_examples(source, name)
            test = doctest.DocTest(examples, {}, name, self.page, step.first - 1, source)
            test.globs = self.namespace  # the page's namespace itself, as Sybil's DocTest keeps it
            runner.run(test, clear_globs=False, out=report.append)
        except ValueError as error:  # doctest's own complaint about the block's layout
            return Outcome(FAILED, error=str(error))
        finally:
            self.namespace.pop("__builtins__", None)
        printed = "".join(runner.printed)
        if runner.raised or (compare and runner.failures):
            return Outcome(FAILED, printed, error="".join(report))
        return Outcome(PASSED, printed)


#: doctest flags Sybil adds (registering a name twice gives the same flag): numbers match to
#: the precision the page shows; trailing spaces count.
NUMBER = doctest.register_optionflag("NUMBER")
KEEP_TRAILING_WHITESPACE = doctest.register_optionflag("KEEP_TRAILING_WHITESPACE")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_SPACE_BEFORE_FINAL_ELLIPSIS = re.compile(r"[ \t]+(?=\.\.\.$)", re.MULTILINE)
_NUMBER = re.compile(
    r"[+-]?(?:\d*\.(?P<fraction>\d+)|\d+\.)(?:[Ee](?P<exponent>[+-]?\d+))?|[+-]?\d+[Ee][+-]?\d+"
)


class _Checker(doctest.OutputChecker):
    """Compares a statement's output as the harness (Sybil) does: trailing spaces do not
    count unless KEEP_TRAILING_WHITESPACE (nor spaces before a line-ending ``...``, with
    ELLIPSIS), and with NUMBER a number matches one within the precision the page shows."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        if optionflags & NUMBER:
            got = _within_precision(want, got)
        if not optionflags & KEEP_TRAILING_WHITESPACE:
            want, got = _TRAILING_SPACE.sub("", want), _TRAILING_SPACE.sub("", got)
            if optionflags & doctest.ELLIPSIS:
                want = _SPACE_BEFORE_FINAL_ELLIPSIS.sub("", want)
        return super().check_output(want, got, optionflags)


def _within_precision(want: str, got: str) -> str:
    """``got`` with each of its numbers that lies within the precision of the number in the
    same place of ``want`` (as many decimals as the page shows) replaced by that number."""
    wanted, found = list(_NUMBER.finditer(want)), list(_NUMBER.finditer(got))
    if len(wanted) != len(found):
        return got
    pieces, last = [], 0
    for shown, actual in zip(wanted, found, strict=True):
        precision = len(shown.group("fraction") or "") - int(shown.group("exponent") or 0)
        close = abs(float(shown.group()) - float(actual.group())) <= 10.0**-precision
        pieces += [got[last : actual.start()], shown.group() if close else actual.group()]
        last = actual.end()
    return "".join(pieces) + got[last:]


class _Transcript(doctest.DocTestRunner):
    """A doctest runner that keeps what each statement printed (or the exception it
    raised, as doctest shows one)."""

    def __init__(self, optionflags: int) -> None:
        super().__init__(checker=_Checker(), verbose=False, optionflags=optionflags)
        self.printed: list[str] = []
        #: statements that raised an exception their expected output did not show
        self.raised = 0

    def report_success(self, out: Any, test: Any, example: Any, got: str) -> None:
        self.printed.append(got)

    def report_failure(self, out: Any, test: Any, example: Any, got: str) -> None:
        self.printed.append(got)
        super().report_failure(out, test, example, got)

    def report_unexpected_exception(self, out: Any, test: Any, example: Any, exc_info: Any) -> None:
        self.printed.append("".join(traceback.format_exception_only(exc_info[0], exc_info[1])))
        self.raised += 1
        super().report_unexpected_exception(out, test, example, exc_info)


def parsed(code: str, filename: str, first_line: int) -> ast.Module:
    """``code`` parsed as lines ``first_line``... of ``filename``. It is parsed under a name
    that is no file (given the real path, CPython would re-read that file at the block's own
    line number for a syntax error's text and column), then its lines are moved; a syntax
    error is raised at the page's line, with the block line's own text and column (a
    container's indentation is for the report to add)."""
    shift = first_line - 1
    try:
        tree = ast.parse(code, "<block>")
    except SyntaxError as error:
        lineno = None if error.lineno is None else error.lineno + shift
        end = None if error.end_lineno is None else error.end_lineno + shift
        where = (filename, lineno, error.offset, error.text, end, error.end_offset)
        raise SyntaxError(error.msg, where) from None
    ast.increment_lineno(tree, shift)
    return tree


def _split_last_expression(source: str, filename: str, first: int) -> tuple[Any, Any]:
    """``source`` compiled as lines ``first``... of ``filename``: the code up to its last
    statement, and that statement compiled to evaluate when it is an expression (else
    None)."""
    tree = parsed(source, filename, max(first, 1))
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        expression = tree.body.pop()
        assert isinstance(expression, ast.Expr)
        last = compile(ast.Expression(expression.value), filename, "eval")
    return compile(tree, filename, "exec", dont_inherit=True), last


def _traceback(error: BaseException) -> str:
    """The traceback of ``error`` from the example's own frames on (this module's frames
    left out)."""
    trace = error.__traceback__
    while trace is not None and trace.tb_frame.f_code.co_filename == __file__:
        trace = trace.tb_next
    return "".join(traceback.format_exception(type(error), error, trace))


def _summary(error: BaseException, page: str) -> str:
    """``page:line: Kind: message``: the exception's message at the innermost line of the
    page's own code it came through (a reader's line, not the package's), and how many
    frames below it were left out."""
    frames = traceback.extract_tb(error.__traceback__)
    mine = [i for i, frame in enumerate(frames) if frame.filename == page and frame.lineno]
    line = frames[mine[-1]].lineno if mine else getattr(error, "lineno", None)
    below = len(frames) - mine[-1] - 1 if mine else 0
    message = f"{type(error).__name__}: {error.msg if isinstance(error, SyntaxError) else error}"
    where = f"{page}:{line}: " if line else ""
    folded = (
        f" ({below} frame{'s' if below != 1 else ''} inside the library folded)" if below else ""
    )
    return f"{where}{message}{folded}"


def run_json(page: str, steps: str, upto: int = -1, edits: str = "{}", flags: int = -1) -> str:
    """The JSON entry point the browser's worker calls: ``steps`` (a JSON list of step
    fields) of ``page``, run up to step ``upto`` (-1: all) with ``edits`` (a JSON object from
    step index to code); the outcomes as a JSON list."""
    run = PageRun(page, [Step(**fields) for fields in json.loads(steps)])
    if flags >= 0:
        run.flags = flags
    changed = {int(index): code for index, code in json.loads(edits).items()}
    found = run.outcomes(None if upto < 0 else upto, changed)
    return json.dumps([asdict(outcome) for outcome in found])
