"""The evaluators of Python blocks: a block run in the page's namespace (its output checked),
and ``clear-namespace``, which starts the page's later blocks afresh."""

from __future__ import annotations

import contextlib
import io

from sybil import Example

from forkdocs.doctools.grammar.text import line_of
from forkdocs.doctools.run.compiling import compiled
from forkdocs.doctools.run.document import PageDocument
from forkdocs.doctools.run.output import OutputBlock, check_output


class CodeEvaluator:
    """Runs a Python block in the page's namespace, in segments by origin: lines that came
    from a snippet file are compiled under that file's name and line numbers, so tracebacks
    point there. Asserts are rewritten as pytest rewrites them, so a failure shows values.
    With an ``output`` block, stdout is captured and compared."""

    def __call__(self, example: Example) -> None:
        __tracebackhide__ = True
        document = example.document
        source = example.parsed
        # the source starts on the line below the fence line (or below the comment's first line)
        start = example.region.start
        line = (
            document.line_of(start)
            if isinstance(document, PageDocument)
            else line_of(document.text, start)
        )
        first = line + source.line_offset + 1
        output: OutputBlock | None = example.region.lexemes.get("output")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed) if output else contextlib.nullcontext():
            for code in compiled(document, str(source), first):
                exec(code, example.namespace)
        example.namespace.pop("__builtins__", None)
        if output is not None:
            check_output(example, output, printed.getvalue())


class ClearNamespace:
    """``clear-namespace``: the page's later examples start from a fresh namespace (a
    script's ``__name__`` and ``__file__`` kept)."""

    def __call__(self, example: Example) -> None:
        namespace = example.namespace
        namespace.clear()
        document = example.document
        if isinstance(document, PageDocument):
            namespace.update(document.fresh_namespace())
