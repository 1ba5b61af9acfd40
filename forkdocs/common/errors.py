"""One exception tree for everything the simulation refuses.

Every error carries ``code``, an errno name such as ``"ENOMEM"`` (``""`` for a simulation
error that has no errno), and ``errno_number``, Linux's number for it, and a message that says what happened, to which pid or address, and what
would fix it. Each class with a builtin counterpart also subclasses it, so ``except
MemoryError`` catches [`OutOfMemory`][forkdocs.common.errors.OutOfMemory] (SegmentationFault has none: it is a signal).
"""

from __future__ import annotations

#: Linux's numbers for the errno names the simulation uses.
ERRNO_NUMBERS: dict[str, int] = {
    "EPERM": 1,
    "ENOENT": 2,
    "ESRCH": 3,
    "EFAULT": 14,
    "ECHILD": 10,
    "EAGAIN": 11,
    "ENOMEM": 12,
    "EBADF": 9,
    "EINVAL": 22,
    "ENOSYS": 38,
    "EACCES": 13,
    "ENOTDIR": 20,
    "ENAMETOOLONG": 36,
    "ELOOP": 40,
    "ENOEXEC": 8,
}


class ForkdocsError(Exception):
    """Base of every forkdocs error. ``code`` is the errno name, or ``""``."""

    code: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code else self.message

    @property
    def errno_number(self) -> int:
        """Linux's number for `code` (0 when there is none)."""
        return ERRNO_NUMBERS.get(self.code, 0)


class OutOfMemory(ForkdocsError, MemoryError):
    """ENOMEM: not enough free frames, no contiguous hole large enough, or over the commit limit."""

    code = "ENOMEM"


class NotSupported(ForkdocsError, NotImplementedError):
    """ENOSYS: the call does not exist on this hardware (fork without an MMU)."""

    code = "ENOSYS"


class TryAgain(ForkdocsError, BlockingIOError):
    """EAGAIN: the process table is full."""

    code = "EAGAIN"


class NoSuchProgram(ForkdocsError, FileNotFoundError):
    """ENOENT: execve of a path that names no installed program."""

    code = "ENOENT"


class PermissionDenied(ForkdocsError, PermissionError):
    """EACCES: execve of a file that is not executable."""

    code = "EACCES"


class ExecFormatError(ForkdocsError, OSError):
    """ENOEXEC: execve of a file in no format this kernel loads (a plain ELF without an
    MMU, a script without ``#!``)."""

    code = "ENOEXEC"


class NotPermitted(ForkdocsError, PermissionError):
    """EPERM: an operation this process may not do (setsid by a group leader, setpgid into
    another session or by a session leader)."""

    code = "EPERM"


class NoChild(ForkdocsError, ChildProcessError):
    """ECHILD: waitpid with no matching child to wait for."""

    code = "ECHILD"


class NoSuchProcess(ForkdocsError, ProcessLookupError):
    """ESRCH: no process with that pid."""

    code = "ESRCH"


class BadFileDescriptor(ForkdocsError, OSError):
    """EBADF: the descriptor is not open in that process."""

    code = "EBADF"


class InvalidArgument(ForkdocsError, ValueError):
    """EINVAL: a bad argument (a size that is not a size, an unknown MMU kind...)."""

    code = "EINVAL"


class WrongType(InvalidArgument, TypeError):
    """EINVAL: an argument of the wrong type (a pid where a Process is expected, a str where
    a number is...). Also a TypeError."""


class NotModelled(ForkdocsError, NotImplementedError):
    """The simulation has no model for this (a limit of the model, not of a real system)."""


class KernelPanic(ForkdocsError, RuntimeError):
    """What would bring the whole simulated system down (init exiting), refused."""


class SegmentationFault(ForkdocsError):
    """SIGSEGV: an access outside the process's memory, or a write to read-only memory.

    As on a real system the faulting process is killed by the signal; ``pid`` and
    ``address`` say who and where.
    """

    def __init__(self, message: str, *, pid: int, address: int) -> None:
        super().__init__(message)
        self.pid = pid
        self.address = address


class ProcessBlocked(ForkdocsError, RuntimeError):
    """The process is suspended in vfork() and cannot act until its child execs or exits."""


class ProcessGone(ForkdocsError, RuntimeError):
    """The process has exited (it is a zombie or was reaped) and cannot act."""


class WouldBlock(ForkdocsError, RuntimeError):
    """A blocking call (waitpid without WNOHANG) with nothing that could ever wake it up in
    this scripted simulation: make the awaited child exit first, or pass WNOHANG."""


def errno_name(number: int) -> str:
    """The errno name for Linux's ``number`` (``2`` -> ``"ENOENT"``), or ``"E<number>"``."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise WrongType(f"errno_name: number must be an int such as 2, not {number!r}")
    for name, value in ERRNO_NUMBERS.items():
        if value == number:
            return name
    return f"E{number}"
