"""posix_spawn() the way glibc (2.24 and later) does it on Linux.

The child is a clone(CLONE_VM | CLONE_VFORK) running on a stack of its own, so it cannot
clobber the parent's frames, and the parent is suspended until the child execs or exits.
If the exec fails the child stores errno in a variable it shares with the parent and exits
with status 127; the parent reaps it and returns that errno *as the function's result*
(posix_spawn never returns -1).
"""

from __future__ import annotations

from forkdocs import callstack
from forkdocs.errors import ForkdocsError, errno_name
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
    frame = callstack.call(caller, "__spawni", locals=("err",))  # args.err, shared
    err_at = frame.address_of("err")
    try:
        child = machine.clone(caller, stack="new", suspend=True)
    except ForkdocsError as error:
        callstack.ret(caller)
        return error.errno_number, None
    try:
        machine.execve(child, path, argv, envp)
    except ForkdocsError as error:
        child.write_word(err_at, error.errno_number)
        machine._exit(child, exit_code)
    err = caller.read_word(err_at)
    callstack.ret(caller)
    if err:
        machine.waitpid(caller, child.pid)
        caller.errno = errno_name(err)
        return err, None
    return 0, child.pid
