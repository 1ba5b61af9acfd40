"""The one grammar of the harness's directives: HTML comments that start a line.

A reader never sees them (Markdown drops HTML comments); the harness acts on them. Each is
``<!-- NAME: ARGUMENTS -->`` at the start of a line (after indentation or ``>`` markers of a
blockquote), outside any fence:

| directive | what the harness does |
|---|---|
| ``skip: next "reason"`` | the next fenced block is shown but skipped |
| ``skip: next if(COND, reason="...")`` | skipped when COND (evaluated in the page's namespace) is true |
| ``skip: start "reason"`` / ``skip: end`` | every block between them (``start if(...)`` too) |
| ``not-run: reason`` | the next fenced block is shown and never run (for a block Pygments highlights as Python that is not Python to run, such as ``starlark``) |
| ``not-in-browser: reason`` | the next block runs under pytest but not in the reader's browser (it reads the repository's files, starts real processes...): no Run button |
| ``invisible-code-block: python`` | the lines after it, up to ``-->``, run unseen (also ``invisible-code:``, ``code-block:``, ``code:``; only with ``python``, ``python3``, ``py``) |
| ``clear-namespace`` | the page's later examples start afresh |
| ``prose-only: reason`` | the page has no example, on purpose |
| ``run-c: FLAGS -- ARGS; ...`` | the next ``c`` fence is built and run |
| ``figure: SCRIPT "caption"`` | SCRIPT runs; what it prints (an SVG) becomes a figure in the built page |
| ``table: SCRIPT "caption"`` | SCRIPT runs; what it prints (a Markdown table) becomes a table in the built page |
| ``exercise: KIND LEVEL`` | the next Python fence starts an exercise; ``exercise-check: "message"``, ``exercise-solution`` and ``exercise-answer`` mark its parts ([`exercises`][forkdocs.doctools.grammar.exercises]) |

An output block without a copy button is not a directive but a fence class:
```` ```{ .text .no-copy title="Output" } ````.

[`find()`][forkdocs.doctools.grammar.directives.find] returns every directive of a text, in order, with its place; a comment whose name
is not one of these is an ordinary comment. [`parse_condition()`][forkdocs.doctools.grammar.directives.parse_condition] reads ``if(...)``.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass

from forkdocs.doctools.errors import PageError

NAMES = (
    "skip",
    "not-run",
    "not-in-browser",
    "invisible-code-block",
    "invisible-code",
    "code-block",
    "code",
    "clear-namespace",
    "prose-only",
    "run-c",
    "figure",
    "table",
    "exercise",
    "exercise-check",
    "exercise-solution",
    "exercise-answer",
)
#: Names that introduce hidden code.
CODE_NAMES = ("invisible-code-block", "invisible-code", "code-block", "code")
#: Languages hidden code may name.
CODE_LANGUAGES = ("python", "python3", "py")

_DIRECTIVE = re.compile(
    r"^(?P<prefix>[ \t]*(?:>[ \t]?)*)<!--[ \t]*(?P<name>[a-z][a-z-]*)\b(?P<colon>:?)"
    r"(?P<body>.*?)-->",
    re.DOTALL | re.MULTILINE,
)


class DirectiveError(PageError, ValueError):
    """A harness directive that cannot be obeyed; the message names page:line."""


@dataclass(frozen=True)
class Directive:
    """One directive: ``name``, the text after it up to ``-->`` (``body``), and where it is
    in the (expanded) text: ``start``/``end`` offsets and the ``prefix`` of its line."""

    name: str
    body: str
    start: int
    end: int
    prefix: str

    @property
    def argument(self) -> str:
        """The first line of the body, stripped (``next "why"``, ``python``, a reason)."""
        return self.body.split("\n", 1)[0].strip()

    @property
    def reason(self) -> str:
        """The body as a reason: stripped, surrounding quotes removed."""
        return unquote(self.body.strip())


def find(text: str) -> list[Directive]:
    """Every directive of ``text`` (inside fences too: the caller drops those it shows)."""
    found = []
    for match in _DIRECTIVE.finditer(text):
        name = match.group("name")
        if name not in NAMES:
            continue
        if name in CODE_NAMES:
            words = match.group("body").split(None, 1)
            if not match.group("colon") or not words or words[0] not in CODE_LANGUAGES:
                continue  # a bare <!-- code --> comment is prose (sybil#145)
        found.append(
            Directive(name, match.group("body"), match.start(), match.end(), match.group("prefix"))
        )
    return found


def unquote(text: str) -> str:
    """``text`` without one pair of surrounding quotes."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


@dataclass(frozen=True)
class Skip:
    """A ``skip`` directive read: ``action`` (next, start, end), its ``reason``, and the
    source of its ``condition`` (empty: always)."""

    action: str
    reason: str
    condition: str = ""


def parse_skip(directive: Directive, where: str) -> Skip:
    """Read ``skip: ACTION [reason | if(COND, reason=...)]``."""
    words = directive.body.strip().split(None, 1)
    action = words[0] if words else ""
    if action not in ("next", "start", "end"):
        raise DirectiveError(
            f'{where}: skip needs next, start or end, as in <!-- skip: next "why" -->;'
            f" got {directive.body.strip()!r}"
        )
    rest = words[1].strip() if len(words) > 1 else ""
    if rest.startswith("if(") or rest.startswith("if ("):
        condition, reason = parse_condition(rest[2:].strip(), where)
        return Skip(action, reason, condition)
    return Skip(action, unquote(rest))


def parse_condition(call: str, where: str) -> tuple[str, str]:
    """``(COND, reason="...")`` -> (COND's source, the reason)."""
    try:
        tree = ast.parse(f"f{call}", mode="eval").body
    except SyntaxError as error:
        raise DirectiveError(
            f"{where}: skip: cannot read the condition {call!r}: {error.msg}"
        ) from None
    if not isinstance(tree, ast.Call) or len(tree.args) != 1:
        raise DirectiveError(f'{where}: skip: write if(CONDITION, reason="why"), got if{call}')
    reason = ""
    for keyword in tree.keywords:
        if keyword.arg != "reason" or not isinstance(keyword.value, ast.Constant):
            raise DirectiveError(f'{where}: skip: if() takes only reason="..." after the condition')
        reason = str(keyword.value.value)
    return ast.unparse(tree.args[0]), reason


@dataclass(frozen=True)
class CRun:
    """One build and run of a C example: compiler ``flags``, program ``args``, and the
    compiler (``""``: gcc; ``musl-gcc``: the same program against musl), or ``vm``, the
    no-MMU machine it boots on as init (``riscv64-nommu``: forkdocs.doctools.run.nommu)."""

    flags: tuple[str, ...]
    args: tuple[str, ...]
    cc: str = ""
    vm: str = ""


#: The machines a ``run-c`` run may name with ``VM=``: each is a target of
#: [`forkdocs.doctools.run.nommu.targets`][forkdocs.doctools.run.nommu.targets] (a test checks they agree).
VIRTUAL_MACHINES = ("riscv64-nommu", "m68k-nommu")


def parse_runs(text: str, where: str) -> tuple[CRun, ...]:
    """The runs of a ``run-c`` directive: ``;``-separated, each ``[CC=compiler] FLAGS --
    ARGS`` (flags alone, or nothing, mean ``-O2`` and no arguments; ``CC=musl-gcc`` builds
    against musl) or ``VM=machine FLAGS`` (booted as init of a no-MMU Linux under QEMU,
    built with ``-Os`` by default; no arguments)."""
    runs = []
    for part in text.split(";"):
        try:
            words = shlex.split(part)
        except ValueError as error:
            raise DirectiveError(f"{where}: run-c: {error} in {part.strip()!r}") from None
        flags, args = (
            (words[: words.index("--")], words[words.index("--") + 1 :])
            if "--" in words
            else (words, [])
        )
        cc = vm = ""
        if flags and flags[0].startswith("CC="):
            cc = flags.pop(0)[3:]
        elif flags and flags[0].startswith("VM="):
            vm = flags.pop(0)[3:]
            if vm not in VIRTUAL_MACHINES:
                raise DirectiveError(
                    f"{where}: run-c: VM={vm} is not a machine forkdocs can boot;"
                    f" the machines are {', '.join(VIRTUAL_MACHINES)}"
                )
            if args:
                raise DirectiveError(
                    f"{where}: run-c: a VM= run takes no program arguments (it runs as init)"
                )
        bad = [flag for flag in flags if not flag.startswith("-")]
        if bad:
            raise DirectiveError(
                f"{where}: run-c: {bad[0]!r} is not a compiler flag; put program arguments"
                " after --, as in <!-- run-c: -O2 -- vfork -->"
            )
        default = ("-Os",) if vm else ("-O2",)
        runs.append(CRun(tuple(flags) or default, tuple(args), cc, vm))
    return tuple(runs)


def parse_script(directive: Directive, where: str) -> tuple[str, str]:
    """``figure: SCRIPT "caption"`` / ``table: ...`` -> (script path, caption)."""
    try:
        words = shlex.split(directive.body)
    except ValueError as error:
        raise DirectiveError(f"{where}: {directive.name}: {error}") from None
    if not words or not words[0].endswith(".py"):
        raise DirectiveError(
            f"{where}: {directive.name} names the script that draws it, as in"
            f' <!-- {directive.name}: snippets/figures/name.py "caption" -->'
        )
    return words[0], " ".join(words[1:])
