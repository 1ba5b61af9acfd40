"""The C library: its state in a process's memory (the stdout buffer, the atexit list) and
the functions that act on it (printf, fflush, atexit, exit).

The state belongs to the address space, so a vforked child shares it, a forked child gets a
copy, and exec starts afresh. Two flavours of ``exit()`` are modelled, chosen per machine:

- ``"glibc"`` (the default; musl behaves the same way in what is shown here): exit runs the
  atexit handlers and *uses them up* (each is taken off the list as it runs), runs the ELF
  destructors, flushes every stream and leaves it unbuffered, and marks the list as done, so
  a later ``atexit()`` fails. It does not close the streams.
- ``"bsd"``: exit flushes *and closes* the streams. This is historical: it is what the old
  BSD vfork(2) man page warns of and what 4.3BSD's stdio did, but no current BSD C library
  does it (NetBSD's, FreeBSD's and OpenBSD's ``_cleanup()`` in ``stdio/findfp.c`` only
  flush; the ``fclose`` walk is commented out). Shown as a named, hypothetical variant only.

Measured on Linux 6.18 with glibc 2.36 (``snippets/c/vfork_exit.c``): after a vforked child
calls ``exit()``, the parent's handlers never run, its later ``atexit()`` returns -1, its
stdout is unbuffered, and its ``printf`` still works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from forkdocs.common.guard import checked_class, checked_module

if TYPE_CHECKING:
    from forkdocs.kernel.process import Process
    from forkdocs.machine import Machine


@dataclass
class Libc:
    """stdout (fully buffered, as when it is a file or a pipe, until exit() unbuffers it),
    the atexit handlers, and whether exit() has already run in this memory."""

    stdout_buffer: bytearray = field(default_factory=bytearray)
    stdout_buffered: bool = True
    stdout_closed: bool = False
    atexit: list[str] = field(default_factory=list)
    #: exit() has run here: glibc then refuses new atexit handlers
    exit_done: bool = False
    #: the ELF destructors (``__attribute__((destructor))``) have run here
    destructors_done: bool = False

    def copy(self) -> Libc:
        """What fork gives the child: an independent copy of the same bytes."""
        return Libc(
            bytearray(self.stdout_buffer),
            self.stdout_buffered,
            self.stdout_closed,
            list(self.atexit),
            self.exit_done,
            self.destructors_done,
        )


def state(machine: Machine, process: Process, action: str = "look at its C library") -> Libc:
    """The C library state ``process`` acts on (its parent's, for a vforked child), kept in
    its memory's `userland`; a fresh one after exec."""
    userland = machine.space_of(process, action).userland
    libc = userland.setdefault("libc", Libc())
    assert isinstance(libc, Libc)
    return libc


def printf(machine: Machine, process: Process, text: str) -> int:
    """Write ``text`` to stdout: into the buffer, or straight to fd 1 once stdout is
    unbuffered. Returns the byte count, or -1 (errno EBADF) when stdout was closed."""
    libc = state(machine, process, "printf")
    if libc.stdout_closed:
        process.retval, process.errno = -1, "EBADF"
        return -1
    data = text.encode()
    libc.stdout_buffer += data
    if not libc.stdout_buffered:
        fflush(machine, process)
    return len(data)


def fflush(machine: Machine, process: Process) -> None:
    """Write the stdout buffer to fd 1 and empty it (nothing if stdout is closed)."""
    libc = state(machine, process, "fflush")
    if libc.stdout_buffer and not libc.stdout_closed and 1 in process.fds:
        process.fds[1].written += libc.stdout_buffer
        process.fds[1].offset += len(libc.stdout_buffer)
        machine.trace.record("flush", process.pid, bytes=len(libc.stdout_buffer))
    libc.stdout_buffer.clear()


def atexit(machine: Machine, process: Process, handler: str) -> int:
    """Register a handler (by name) to run at exit(). Returns 0, or -1 when exit() has
    already run in this memory (glibc: the list is closed for good)."""
    libc = state(machine, process, "atexit")
    if libc.exit_done and machine.libc == "glibc":
        machine.trace.record("atexit-refused", process.pid, handler=handler)
        return -1
    libc.atexit.append(handler)
    return 0


def exit(machine: Machine, process: Process, status: int) -> None:
    """exit(3): run the atexit handlers (last registered first), each taken off the list as
    it runs; the ELF destructors, once per image; flush stdout; then ``_exit(status)``. All of
    it acts on the memory the process runs in: a vforked child uses up its parent's list."""
    libc = state(machine, process, "exit")
    while libc.atexit:
        machine.trace.record("atexit", process.pid, handler=libc.atexit.pop())
    libc.exit_done = True
    if not libc.destructors_done:
        libc.destructors_done = True
        machine.trace.record("destructors", process.pid)
    fflush(machine, process)
    if machine.libc == "bsd":
        libc.stdout_closed = True
    else:
        libc.stdout_buffered = False
    machine._exit(process, status)


checked_module(globals())
checked_class(Libc)
