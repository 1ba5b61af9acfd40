"""The model's side of the no-MMU scenarios: ``Machine(mmu="none")`` set up as the boot
sets the real machine up (the program running, the files of ``boot.FILES`` and the two
forms of the program beside it), and a system call's result printed as the C programs'
``report_result`` prints it."""

from __future__ import annotations

from collections.abc import Callable

from forkdocs import ForkdocsError, Machine, Process
from forkdocs.kernel.syscalls import Arch

#: The program's path, as the boot installs it.
PROGRAM = "/init"


def machine(arch: Arch, ram: str = "8 MiB") -> tuple[Machine, Process]:
    """A no-MMU machine running the program (a bFLT file, as on the real one), with
    ``/bin/elf`` (the same program as a plain ELF), ``/bin/not-executable`` (mode 0644),
    ``/bin/no-shebang`` (a script without ``#!``) and ``/bin/missing-interpreter`` (``#!``
    naming no file) beside it."""
    m = Machine(mmu="none", ram=ram, arch=arch)
    m.install(PROGRAM, text="16 KiB", data="4 KiB", stack="8 KiB", format="flat")
    m.install("/bin/elf", text="16 KiB", data="4 KiB", format="elf")
    m.install("/bin/not-executable", text="16 KiB", format="flat", executable=False)
    m.install("/bin/no-shebang", text="4 KiB", format="data")
    m.install("/bin/missing-interpreter", text="4 KiB", interpreter="/bin/no-such-shell")
    return m, m.start(PROGRAM)


def result(call: Callable[[], object]) -> str:
    """What ``report_result`` prints for ``call()``: its value, or ``-1 ERRNO`` when the
    model refused it."""
    try:
        return str(call())
    except ForkdocsError as error:
        return f"-1 {error.code}"


def yes(condition: bool) -> str:
    """The programs' way of printing a relation."""
    return "yes" if condition else "no"
