"""A no-MMU example program: cross-compiled as a freestanding ELF, then made a bFLT file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from forkdocs.doctools.run.cprograms import CProgramError, build
from forkdocs.doctools.run.nommu.bflt import FlatError, convert
from forkdocs.doctools.run.nommu.kernel import need_tools
from forkdocs.doctools.run.nommu.targets import COMMON_CFLAGS, HERE, Target


@dataclass(frozen=True)
class Built:
    """One program in both forms: the ELF the compiler wrote, the bFLT the kernel loads."""

    elf: bytes
    flat: bytes


def build_program(
    target: Target,
    source: str,
    name: str,
    flags: Sequence[str] = ("-Os",),
    *,
    include: Sequence[Path] = (),
    origin: str = "",
    shown_as: str = "",
) -> Built:
    """``source`` built for ``target`` with ``flags`` (cached by content, as the other C
    programs are), its ``#include "..."`` files found in ``include`` and, for the runtime
    ``nommu.h`` (raw system calls, the start code, a tiny init), beside this module."""
    need_tools(target)
    every = [
        *COMMON_CFLAGS,
        *target.cflags,
        f"-T{HERE / 'flat.ld'}",
        *(f"-I{folder}" for folder in [*include, HERE]),
        *flags,
    ]
    read = [
        HERE / "flat.ld",
        *(header for folder in [*include, HERE] for header in sorted(folder.glob("*.h"))),
    ]
    depends = "\0".join(path.read_text() for path in read)
    cc = f"{target.cross}gcc"
    elf = build(source, name, every, origin, shown_as, cc=cc, depends=depends).read_bytes()
    try:
        return Built(elf, convert(elf, origin=shown_as or origin or name))
    except FlatError as error:
        raise CProgramError(str(error)) from None
