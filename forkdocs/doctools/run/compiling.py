"""A Python block compiled as the page shows it: each line under the file and line it came from
(a snippet's own, or the page's), its asserts rewritten as pytest rewrites them, the code
objects of a page's blocks cached together ([`codecache`][forkdocs.doctools.run.codecache])."""

from __future__ import annotations

from typing import Any

from _pytest.assertion.rewrite import rewrite_asserts

from forkdocs.doctools.run.codecache import CodeBundle
from forkdocs.doctools.run.document import PageDocument
from forkdocs.doctools.run.pagerun import parsed


def compiled(document: Any, source: str, first: int) -> list[Any]:
    """Code objects for ``source``, whose first line is line ``first`` of the document."""
    if not isinstance(document, PageDocument):
        return [_compile(source, document.path, first, None)]
    lines = source.split("\n")
    whole = document.expanded.run_of(first, len(lines))
    if whole is not None:  # the usual block: nothing included in it
        return [_compile(source, whole[0], whole[1], document.codes)]
    origins = [document.expanded.origin(first + i) for i in range(len(lines))]
    segments: list[tuple[str, int, list[str]]] = []
    for line, (path, number) in zip(lines, origins, strict=True):
        if (
            segments
            and segments[-1][0] == path
            and segments[-1][1] + len(segments[-1][2]) == number
        ):
            segments[-1][2].append(line)
        else:
            segments.append((path, number, [line]))
    if len(segments) == 1:
        path, number, body = segments[0]
        return [_compile("\n".join(body), path, number, document.codes)]
    try:
        return [
            _compile("\n".join(body), path, number, document.codes)
            for path, number, body in segments
        ]
    except SyntaxError:  # a statement may span an include: compile it whole, under the page
        try:
            return [_compile(source, document.path, first, document.codes)]
        except SyntaxError as error:
            raise _at_origin(error, document) from None


def _at_origin(error: SyntaxError, document: PageDocument) -> SyntaxError:
    """``error`` (raised compiling the expanded text) placed where its line came from: the
    included file and its line, or the page's own line."""
    path, number = document.expanded.origin(error.lineno or 1)
    text = document.text.split("\n")[(error.lineno or 1) - 1] + "\n"
    end = None
    if error.end_lineno is not None and error.lineno is not None:
        end = number + error.end_lineno - error.lineno
    return SyntaxError(error.msg, (path, number, error.offset, text, end, error.end_offset))


def _compile(code: str, filename: str, first_line: int, codes: CodeBundle | None) -> Any:
    """``code`` compiled as lines ``first_line``... of ``filename``, its asserts rewritten as
    pytest rewrites them. Rewriting is the costly part: code with an ``assert`` is taken from
    the page's ``codes`` when they hold it; other code is compiled at once (cheaper)."""

    def make() -> Any:
        tree = parsed(code, filename, first_line)
        if "assert" in code:
            rewrite_asserts(tree, code.encode(), None, None)
        return compile(tree, filename, "exec", dont_inherit=True)

    if "assert" not in code or codes is None:
        return make()
    return codes.get(filename, first_line, code, make)
