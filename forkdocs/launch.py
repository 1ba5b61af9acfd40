"""Start a program in a new child and hear back whether its exec failed: the pattern that
BusyBox's spawn() and glibc's posix_spawn() share.

The calling function keeps an error variable in its frame. The child calls execve; if that
fails it stores errno in the variable and ends with ``_exit(exit_code)``. When the caller
runs again it reads the variable: after vfork or clone(CLONE_VM) the child's store is there;
after fork it went to the child's own copy, and the caller sees 0.
"""

from __future__ import annotations

from collections.abc import Callable

from forkdocs import callstack
from forkdocs.errors import ForkdocsError, errno_name
from forkdocs.machine import Machine
from forkdocs.process import Process


def launch(
    machine: Machine,
    caller: Process,
    helper: str,
    create: Callable[[], Process],
    path: str,
    argv: list[str],
    envp: dict[str, str] | None,
    exit_code: int,
    variable: str = "err",
) -> tuple[Process | None, int]:
    """Run ``helper`` (the C function's name) in ``caller``: make a child with ``create`` and
    have it exec ``path``. Returns ``(child, 0)`` when the caller saw no error; ``(child,
    errno number)`` when it did (the child has been reaped, and ``caller.errno`` names the
    error); ``(None, errno number)`` when the child could not be made. ``variable`` names
    the error variable (BusyBox's ``failed``, glibc's ``args.err``)."""
    frame = callstack.call(caller, helper, locals=(variable,))  # volatile int <variable> = 0
    err_at = frame.address_of(variable)
    try:
        child = create()
    except ForkdocsError as error:
        callstack.ret(caller)
        return None, error.errno_number
    callstack.call(child, "execve")  # the child's call pushes a return address on its stack
    try:
        machine.execve(child, path, argv, envp)
    except ForkdocsError as error:
        callstack.ret(child)
        child.write_word(err_at, error.errno_number)  # in the caller's memory, if shared
        machine._exit(child, exit_code)
    err = caller.read_word(err_at)
    callstack.ret(caller)
    if err:
        machine.waitpid(caller, child.pid)  # leave no zombie
        caller.errno = errno_name(err)
    return child, err
