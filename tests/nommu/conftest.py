"""The no-MMU suite: the programs of snippets/c/nommu/ booted as init of a real Linux built
without an MMU, on each machine of forkdocs.doctools.run.nommu (RISC-V 64, which has no fork
system call, and m68k ColdFire, which has one), each compared with the same scenario in
``Machine(mmu="none", arch=...)``.

Each program prints ``key: value`` lines; each test builds the model's lines for the same
keys and compares them whole, so a key the model cannot produce, or one the kernel printed
differently, fails with both side by side. Only values that can honestly match are printed:
return values and errno names, wait statuses, yes/no relations (the parent ran on, the
pointer reached the parent's object), never addresses or times.

Without the packages every test here skips, naming them (``make nommu-install``); CI sets
``FORKDOCS_REALITY=required`` so that it fails instead. The kernel is built once and kept
(``make nommu-kernel``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from forkdocs.doctools.run.cprograms import Finished, required
from forkdocs.doctools.run.nommu import (
    TARGETS,
    MissingTools,
    Target,
    boot,
    build_program,
    need_tools,
)

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "c" / "nommu"


@functools.cache
def booted(name: str, target: Target) -> Finished:
    """``snippets/c/nommu/<name>.c`` built for ``target`` and booted as its init."""
    source = (SNIPPETS / f"{name}.c").read_text()
    shown = f"snippets/c/nommu/{name}.c"
    built = build_program(target, source, name, include=[SNIPPETS], origin=shown, shown_as=shown)
    return boot(target, built.flat, built.elf)


def reported(name: str, target: Target) -> dict[str, str]:
    """The ``key: value`` lines the program printed (it must exit 0)."""
    finished = booted(name, target)
    assert 0 == finished.returncode, f"{name} on {target.title}:\n{finished.output}"
    lines = finished.output.splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


@pytest.fixture(params=list(TARGETS))
def target(request: pytest.FixtureRequest) -> Target:
    """Each no-MMU machine in turn; a skip (a failure when required) naming the packages
    when its cross compiler, QEMU or the source is missing."""
    chosen = TARGETS[request.param]
    try:
        need_tools(chosen)
    except MissingTools as error:
        if required():
            raise
        pytest.skip(str(error))
    return chosen
