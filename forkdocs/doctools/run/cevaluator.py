"""The C programs of a page: each fence under a ``run-c`` directive built with each run's
flags and run on this machine's kernel, or cross-built and booted on a no-MMU Linux under
QEMU (``VM=``), with the transcript checked against the output block.

A fence may show only the lines that make the point: when its code is a section of one
file (``--8<-- "snippets/c/x.c:decode"``), the program built and run is that whole file
([`program_of`][forkdocs.doctools.run.cevaluator.program_of]), so the page can show 20 lines
of a 120-line program and still test all of it."""

from __future__ import annotations

import re
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from sybil import Example

from forkdocs.doctools.grammar.text import display_path, line_of
from forkdocs.doctools.run.document import PageDocument
from forkdocs.doctools.run.output import check_output

if TYPE_CHECKING:
    from forkdocs.doctools.grammar.directives import CRun


class CProgramEvaluator:
    """Builds a C fence (the text the page shows, includes expanded) with each run's flags,
    runs it on this machine's kernel, and checks the transcript against the output block::

        $ cc -O2 -o vfork_share vfork_share.c
        $ ./vfork_share vfork
        glob = 7, var = 89
    """

    def __call__(self, example: Example) -> None:
        __tracebackhide__ = True
        from forkdocs.doctools.run.cprograms import build, run

        runs, title = example.parsed
        name = Path(title).stem
        document = example.document
        origin = f"{display_path(document.path)}:{example.line}"
        source = program_of(example)
        lines: list[str] = []
        built: tuple[str, tuple[str, ...]] | None = None
        for one in runs:
            if one.vm:
                lines.extend(_boot_nommu(example, one, name, title, origin))
                built = None
                continue
            if (one.cc, one.flags) != built:
                lines.append(f"$ {one.cc or 'cc'} {' '.join(one.flags)} -o {name} {name}.c")
                built = (one.cc, one.flags)
            binary = build(source, name, one.flags, origin, shown_as=title, cc=one.cc)
            lines.append(" ".join(["$", f"./{name}", *one.args]))
            finished = run(binary, one.args)
            lines.append(finished.output.rstrip("\n"))
            if finished.returncode:
                lines.append(_ending(finished.returncode))
        check_output(example, example.region.lexemes["output"], "\n".join(lines))


def _boot_nommu(example: Example, one: CRun, name: str, title: str, origin: str) -> list[str]:
    """The transcript of a ``VM=`` run: the cross build, the boot, what init printed. Its
    ``#include "..."`` files are looked for beside the file the fence includes."""
    from forkdocs.doctools.run.nommu import TARGETS, boot, build_program

    target = TARGETS[one.vm]
    document = example.document
    first = line_of(document.text, example.region.start) + 1
    folder = Path(document.path).parent
    if isinstance(document, PageDocument):
        folder = Path(document.expanded.origin(first)[0]).parent
    built = build_program(
        target,
        program_of(example),
        name,
        one.flags,
        include=[folder],
        origin=origin,
        shown_as=title,
    )
    finished = boot(target, built.flat, built.elf)
    lines = [
        f"$ {target.cross}gcc {' '.join(one.flags)} -o {name} {name}.c  # then to bFLT",
        f"$ {target.shown_boot(name)}",
        finished.output.rstrip("\n"),
    ]
    if finished.returncode:
        lines.append(_ending(finished.returncode))
    return lines


#: A line that only marks where a snippet section starts or ends (pymdownx.snippets drops it).
_SECTION_MARK = re.compile(r"^.*--8<--\s*\[(?:start|end):[^\]]*\].*$\n?", re.M)


def program_of(example: Example) -> str:
    """The C program a fence stands for: its code, or, when every line of it comes from one
    included file of which it is a part (a section), that whole file without its section
    marks."""
    source = str(example.region.lexemes["source"])
    document = example.document
    if not isinstance(document, PageDocument):
        return source
    first = line_of(document.text, example.region.start) + 1
    count = source.rstrip("\n").count("\n") + 1
    files = {document.expanded.origin(first + n)[0] for n in range(count)}
    if len(files) != 1 or files == {document.path}:
        return source
    whole = _SECTION_MARK.sub("", Path(files.pop()).read_text(encoding="utf-8"))
    return source if whole.strip() == source.strip() else whole


def _ending(returncode: int) -> str:
    """How a run that did not exit 0 ended, as a transcript line."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:  # a real-time signal, which has no name
            name = f"signal {-returncode}"
        return f"[killed by {name}]"
    return f"[exit status {returncode}]"
