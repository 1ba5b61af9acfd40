"""Which system calls an architecture's Linux has, where that changes what a page shows.

Measured on Linux 6.1 built without an MMU for both (``tests/nommu/``): RISC-V, like every architecture that uses the
generic system-call table, has no ``fork`` (nor ``vfork``) system call, so the old number
gives ENOSYS and a C library's ``fork()`` is ``clone(SIGCHLD)``; m68k keeps a ``fork``
system call, which a no-MMU kernel refuses with EINVAL (``kernel/fork.c``: "can not
support in nommu mode"). fork(2) names ENOSYS for the no-MMU case.
"""

from __future__ import annotations

from typing import Literal

from forkdocs.common.errors import ForkdocsError, InvalidArgument, NotSupported
from forkdocs.common.guard import checked_module

#: The architectures whose system calls forkdocs knows (``Machine(arch=...)``).
Arch = Literal["riscv64", "m68k"]
#: Those with a fork system call of their own.
HAS_FORK_SYSCALL: dict[Arch, bool] = {"riscv64": False, "m68k": True}


def fork_refusal(arch: Arch, pid: int) -> ForkdocsError:
    """What the fork system call of pid ``pid`` gets from a no-MMU kernel on ``arch``."""
    if HAS_FORK_SYSCALL[arch]:
        return InvalidArgument(
            f"fork() of pid {pid}: there is no MMU, and {arch}'s fork system call refuses"
            " (EINVAL) since a copy could not be given the parent's addresses; use vfork()"
            " followed by execve() or _exit()"
        )
    return NotSupported(
        f"fork() of pid {pid}: there is no MMU, so a copy could not be given the parent's"
        f" addresses ({arch} has no fork system call); use vfork() followed by execve() or"
        " _exit()"
    )


checked_module(globals())
