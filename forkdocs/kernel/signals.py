"""Signals as Linux numbers them on x86-64, and what each does by default.

A signal's *default action* is one of ``"terminate"``, ``"core"`` (terminate and dump core),
``"stop"``, ``"continue"`` or ``"ignore"`` (signal(7)). A process can instead handle it
(``"handler"``), ignore it (``"ignore"``), or block it (it then stays pending). SIGKILL and
SIGSTOP can be neither handled, ignored nor blocked.
"""

from __future__ import annotations

from typing import Literal

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_module

SIGHUP = 1
SIGINT = 2
SIGQUIT = 3
SIGILL = 4
SIGTRAP = 5
SIGABRT = 6
SIGBUS = 7
SIGFPE = 8
SIGKILL = 9
SIGUSR1 = 10
SIGSEGV = 11
SIGUSR2 = 12
SIGPIPE = 13
SIGALRM = 14
SIGTERM = 15
SIGSTKFLT = 16
SIGCHLD = 17
SIGCONT = 18
SIGSTOP = 19
SIGTSTP = 20
SIGTTIN = 21
SIGTTOU = 22
SIGURG = 23
SIGXCPU = 24
SIGXFSZ = 25
SIGVTALRM = 26
SIGPROF = 27
SIGWINCH = 28
SIGIO = 29
SIGPWR = 30
SIGSYS = 31
#: The highest signal number (real-time signals run from 32 to here).
SIGRTMAX = 64

Action = Literal["terminate", "core", "stop", "continue", "ignore"]
#: What a process has chosen for a signal (sigaction): the default action, a handler, or ignore.
Disposition = Literal["default", "handler", "ignore"]

SIGNAL_NAMES: dict[int, str] = {
    number: name
    for name, number in sorted(globals().items())
    if name.startswith("SIG") and name != "SIGRTMAX" and isinstance(number, int)
}

_CORE = {SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS}
_STOP = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}
_IGNORE = {SIGCHLD, SIGURG, SIGWINCH}
#: Signals no process can handle, ignore or block.
UNCATCHABLE = frozenset({SIGKILL, SIGSTOP})


def default_action(signo: int) -> Action:
    """What ``signo`` does to a process that neither handles, ignores nor blocks it."""
    if signo in _CORE:
        return "core"
    if signo in _STOP:
        return "stop"
    if signo == SIGCONT:
        return "continue"
    if signo in _IGNORE:
        return "ignore"
    return "terminate"


def signal_name(signo: int) -> str:
    """``"SIGTERM"`` for 15; ``"signal 40 (real-time)"`` for a real-time signal."""
    if signo in SIGNAL_NAMES:
        return SIGNAL_NAMES[signo]
    if 32 <= signo <= SIGRTMAX:
        return f"signal {signo} (real-time)"
    return f"signal {signo}"


def check_signal(signo: object, what: str, *, allow_zero: bool = False) -> int:
    """``signo`` if it is a signal number (0 too when ``allow_zero``), else InvalidArgument."""
    low = 0 if allow_zero else 1
    if isinstance(signo, bool) or not isinstance(signo, int) or not low <= signo <= SIGRTMAX:
        raise InvalidArgument(
            f"{what}: {signo!r} is not a signal number ({low} to {SIGRTMAX}, e.g. SIGTERM = 15)"
        )
    return signo


checked_module(globals())
