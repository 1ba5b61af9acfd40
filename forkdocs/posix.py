"""posix_spawn() the way glibc (2.24 and later) does it on Linux.

The child is a clone(CLONE_VM | CLONE_VFORK) running on a stack of its own, so it cannot
clobber the parent's frames, and the parent is suspended until the child execs or exits.
If the exec fails the child stores errno in a variable it shares with the parent and exits
with status 127; the parent reaps it and returns that errno *as the function's result*
(posix_spawn never returns -1).
"""

from __future__ import annotations

from forkdocs.guard import checked_module
from forkdocs.launch import launch
from forkdocs.machine import Machine, check_argv
from forkdocs.process import Process

#: The exit status of a posix_spawn child that could not exec (glibc's SPAWN_ERROR).
SPAWN_ERROR = 127


def posix_spawn(
    machine: Machine,
    caller: Process,
    path: str,
    argv: list[str],
    envp: dict[str, str] | None = None,
    *,
    exit_code: int = SPAWN_ERROR,
) -> tuple[int, int | None]:
    """Start ``path``. Returns ``(0, pid)`` on success, or ``(error number, None)``: the
    pid out-parameter is not set, and the failed child has already been reaped.
    ``envp=None`` passes the caller's environment (as callers pass ``environ``)."""
    check_argv(argv, "posix_spawn")

    def create() -> Process:
        return machine.clone(caller, stack="new", suspend=True)

    child, err = launch(machine, caller, "__spawni", create, path, argv, envp, exit_code)
    if child is None or err:
        return err, None
    return 0, child.pid


checked_module(globals())
