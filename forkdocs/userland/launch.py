"""Start a program in a new child and hear back whether its exec failed: the pattern that
BusyBox's spawn() and glibc's posix_spawn() share.

The calling function keeps an error variable in its frame. The child calls execve; if that
fails it stores errno in the variable and ends with ``_exit(exit_code)``. When the caller
runs again it reads the variable: after vfork or clone(CLONE_VM) the child's store is there;
after fork it went to the child's own copy, and the caller sees 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from forkdocs.common.errors import ForkdocsError, errno_name
from forkdocs.kernel.process import Process, State
from forkdocs.machine import Machine
from forkdocs.userland import callstack


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
    *,
    prepare: Callable[[Process], None] | None = None,
    channel: Literal["memory", "pipe"] = "memory",
) -> tuple[Process | None, int]:
    """Run ``helper`` (the C function's name) in ``caller``: make a child with ``create`` and
    have it exec ``path``. Returns ``(child, 0)`` when the caller saw no error; ``(child,
    errno number)`` when it did (the child has been reaped, and ``caller.errno`` names the
    error); ``(None, errno number)`` when the child could not be made. An exec that fails
    past its point of no return (out of memory while mapping the new image) kills the child
    with SIGSEGV after the caller was released: the caller sees ``(child, 0)``, as glibc's
    posix_spawn returns 0, and learns of it from the child's status. ``variable`` names
    the error variable (BusyBox's ``failed``, glibc's ``args.err``).

    ``prepare(child)`` runs in the child before its exec (posix_spawn's attributes and file
    actions); a [`ForkdocsError`][forkdocs.common.errors.ForkdocsError] it raises is reported like a failed
    exec. ``channel`` is how the error travels: ``"memory"`` (the variable in the caller's
    frame, which a child sharing its memory writes) or ``"pipe"`` (musl's posix_spawn: a pipe
    whose write end the child holds close-on-exec; a successful exec closes it, so the caller
    reads nothing; a failure writes the error number into it)."""
    frame = callstack.call(caller, helper, locals=(variable,))  # volatile int <variable> = 0
    err_at = frame.address_of(variable)
    pipe: tuple[int, int] | None = None
    if channel == "pipe":
        pipe = _open_pipe(machine, caller)
    try:
        child = create()
    except ForkdocsError as error:
        _close_pipe(machine, caller, pipe)
        callstack.ret(caller)
        return None, error.errno_number
    if pipe is not None:
        machine.close(child, pipe[0])  # the child keeps only the write end, close-on-exec
    callstack.call(child, "execve")  # the child's call pushes a return address on its stack
    try:
        if prepare is not None:
            prepare(child)
        machine.execve(child, path, argv, envp)
    except ForkdocsError as error:
        if child.state is State.RUNNING:  # exec returned -1: the child reports and ends
            callstack.ret(child)
            if pipe is None:
                child.write_word(err_at, error.errno_number)  # in the caller's memory, if shared
            else:
                machine.write_fd(child, pipe[1], error.errno_number.to_bytes(4, "little"))
            machine._exit(child, exit_code)
        # else exec failed past its point of no return and the child died of SIGSEGV: the
        # caller was already released and sees no error, only that status later.
    if pipe is None:
        err = caller.read_word(err_at)
    else:
        received = bytes(caller.fds[pipe[0]].written)
        err = int.from_bytes(received, "little") if len(received) == 4 else 0
        _close_pipe(machine, caller, pipe)
    callstack.ret(caller)
    if err:
        machine.waitpid(caller, child.pid)  # leave no zombie
        caller.errno = errno_name(err)
    return child, err


def _open_pipe(machine: Machine, caller: Process) -> tuple[int, int]:
    """pipe2(O_CLOEXEC): a read end and a write end over one buffer."""
    read_end = machine.open(caller, "pipe:[spawn]", cloexec=True)
    write_end = machine.dup2(caller, read_end, max(caller.fds) + 1)
    machine.set_cloexec(caller, write_end)
    return read_end, write_end


def _close_pipe(machine: Machine, caller: Process, pipe: tuple[int, int] | None) -> None:
    if pipe is not None:
        for fd in pipe:
            if fd in caller.fds:
                machine.close(caller, fd)
