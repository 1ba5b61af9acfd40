"""Wait statuses, encoded as Linux encodes them, and the macros that read them.

An exit with code ``n`` is ``(n & 0xff) << 8``; a death by signal ``s`` is ``s``.
"""

from __future__ import annotations

#: waitpid option: return ``(0, 0)`` instead of blocking when no child has exited yet.
WNOHANG = 1

SIGKILL = 9
SIGSEGV = 11
SIGTERM = 15

SIGNAL_NAMES = {SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGTERM: "SIGTERM"}


def exited(code: int) -> int:
    """The status of a process that called ``_exit(code)``: only the low 8 bits survive."""
    return (code & 0xFF) << 8


def signaled(signo: int) -> int:
    """The status of a process killed by signal ``signo``."""
    return signo & 0x7F


def WIFEXITED(status: int) -> bool:
    """True when the process ended by calling _exit or exit."""
    return status & 0x7F == 0


def WEXITSTATUS(status: int) -> int:
    """The exit code (0-255) of a process for which WIFEXITED is true."""
    return (status >> 8) & 0xFF


def WIFSIGNALED(status: int) -> bool:
    """True when a signal ended the process."""
    return status & 0x7F != 0


def WTERMSIG(status: int) -> int:
    """The signal that ended a process for which WIFSIGNALED is true."""
    return status & 0x7F


def describe(status: int) -> str:
    """``"exited 3"`` or ``"killed by SIGKILL"``."""
    if WIFEXITED(status):
        return f"exited {WEXITSTATUS(status)}"
    signo = WTERMSIG(status)
    return f"killed by {SIGNAL_NAMES.get(signo, f'signal {signo}')}"
