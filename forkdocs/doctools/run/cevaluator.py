"""The C programs of a page: each fence under a ``run-c`` directive built with each run's
flags and run on this machine's kernel, or cross-built and booted on a no-MMU Linux under
QEMU (``VM=``), with the transcript checked against the output block."""

from __future__ import annotations

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
        source = str(example.region.lexemes["source"])
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
        str(example.region.lexemes["source"]),
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


def _ending(returncode: int) -> str:
    """How a run that did not exit 0 ended, as a transcript line."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:  # a real-time signal, which has no name
            name = f"signal {-returncode}"
        return f"[killed by {name}]"
    return f"[exit status {returncode}]"
