"""Wait statuses, encoded as Linux encodes them, and the macros that read them.

An exit with code ``n`` is ``(n & 0xff) << 8``; a death by signal ``s`` is ``s``, plus
``0x80`` when a core file was written; a stop by signal ``s`` (reported with WUNTRACED) is
``(s << 8) | 0x7f``.
"""

from __future__ import annotations

from forkdocs.common.guard import checked_module
from forkdocs.kernel.signals import SIGKILL, SIGSEGV, SIGTERM, signal_name

__all__ = [
    "SIGKILL",
    "SIGSEGV",
    "SIGTERM",
    "WCOREDUMP",
    "WEXITSTATUS",
    "WIFEXITED",
    "WIFSIGNALED",
    "WIFSTOPPED",
    "WNOHANG",
    "WSTOPSIG",
    "WTERMSIG",
    "WUNTRACED",
    "describe",
    "exited",
    "signaled",
    "stopped",
]

#: waitpid option: return ``(0, 0)`` instead of blocking when no child has exited yet.
WNOHANG = 1
#: waitpid option: also report a child that a signal has stopped.
WUNTRACED = 2

#: The bit of a signal status that says a core file was written.
CORE_FLAG = 0x80
_STOPPED = 0x7F


def exited(code: int) -> int:
    """The status of a process that called ``_exit(code)``: only the low 8 bits survive."""
    return (code & 0xFF) << 8


def signaled(signo: int, *, core: bool = False) -> int:
    """The status of a process killed by signal ``signo`` (``core``: a core file was written)."""
    return (signo & 0x7F) | (CORE_FLAG if core else 0)


def stopped(signo: int) -> int:
    """The status waitpid(WUNTRACED) reports for a process stopped by ``signo``."""
    return ((signo & 0xFF) << 8) | _STOPPED


def WIFEXITED(status: int) -> bool:
    """True when the process ended by calling _exit or exit."""
    return status & 0x7F == 0


def WEXITSTATUS(status: int) -> int:
    """The exit code (0-255) of a process for which WIFEXITED is true."""
    return (status >> 8) & 0xFF


def WIFSIGNALED(status: int) -> bool:
    """True when a signal ended the process (false for a stopped one)."""
    return status & 0x7F not in (0, _STOPPED)


def WTERMSIG(status: int) -> int:
    """The signal that ended a process for which WIFSIGNALED is true."""
    return status & 0x7F


def WCOREDUMP(status: int) -> bool:
    """True when the signal that ended the process also wrote a core file."""
    return WIFSIGNALED(status) and bool(status & CORE_FLAG)


def WIFSTOPPED(status: int) -> bool:
    """True for the status of a process a signal has stopped (seen with WUNTRACED)."""
    return status & 0xFF == _STOPPED


def WSTOPSIG(status: int) -> int:
    """The signal that stopped a process for which WIFSTOPPED is true."""
    return (status >> 8) & 0xFF


def describe(status: int) -> str:
    """``"exited 3"``, ``"killed by SIGKILL"``, ``"killed by SIGQUIT (core dumped)"`` or
    ``"stopped by SIGTSTP"``."""
    if WIFEXITED(status):
        return f"exited {WEXITSTATUS(status)}"
    if WIFSTOPPED(status):
        return f"stopped by {signal_name(WSTOPSIG(status))}"
    core = " (core dumped)" if WCOREDUMP(status) else ""
    return f"killed by {signal_name(WTERMSIG(status))}{core}"


checked_module(globals())
