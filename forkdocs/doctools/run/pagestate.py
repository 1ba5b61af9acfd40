"""What a page's examples may change in the test process, saved before its first example and
put back after its last, so that one page cannot change a later page's verdict.

Put back quietly: the working directory, ``sys.path`` and the ``sys.modules`` entries the
page replaced (modules it merely imported stay loaded). Put back and reported, since a page
that changes them is wrong to do so in-process: environment variables, signal dispositions
and the signal mask, the umask, a pending alarm or interval timer, names added to or
replaced in ``builtins`` (but ``_``, which doctest's display hook sets), and
``sys.stdin``/``stdout``/``stderr``. Only reported, since it cannot be taken back: a thread
left running that is not a daemon (pytest would wait for it at exit). An atexit handler
cannot be told apart from one a first import registers; one that changes how the run exits
is caught by the completion record (``make unit`` checks its status).
[`PageState.restore()`][forkdocs.doctools.run.pagestate.PageState.restore] returns what was
left behind, one phrase each; the page's file then fails naming them.
"""

from __future__ import annotations

import builtins
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

#: Signals whose disposition can be read and set (SIGKILL and SIGSTOP cannot).
_SIGNALS = sorted(set(signal.valid_signals()) - {signal.SIGKILL, signal.SIGSTOP})
#: Environment variables pytest itself changes between tests.
_PYTEST_OWN = ("PYTEST_",)


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(_PYTEST_OWN)}


def _dispositions() -> dict[int, Any]:
    return {signo: signal.getsignal(signo) for signo in _SIGNALS}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@dataclass
class PageState:
    """The process state one page's examples run in (see the module's docstring)."""

    cwd: str = field(default_factory=os.getcwd)
    path: list[str] = field(default_factory=lambda: list(sys.path))
    modules: dict[str, Any] = field(default_factory=lambda: dict(sys.modules))
    environ: dict[str, str] = field(default_factory=_environment)
    dispositions: dict[int, Any] = field(default_factory=_dispositions)
    mask: set[int] = field(
        default_factory=lambda: set(signal.pthread_sigmask(signal.SIG_BLOCK, []))
    )
    umask: int = field(default_factory=_umask)
    builtins: dict[str, Any] = field(default_factory=lambda: dict(vars(builtins)))
    streams: tuple[Any, Any, Any] = field(
        default_factory=lambda: (sys.stdin, sys.stdout, sys.stderr)
    )
    threads: set[threading.Thread] = field(default_factory=lambda: set(threading.enumerate()))

    def restore(self) -> list[str]:
        """Put the state back; what the page had changed that it should not have."""
        left: list[str] = []
        os.chdir(self.cwd)
        sys.path[:] = self.path
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
        now = _environment()
        changed = sorted(
            k for k in now.keys() | self.environ.keys() if now.get(k) != self.environ.get(k)
        )
        if changed:
            left.append(f"environment variables changed: {', '.join(changed)}")
            for name in changed:
                if name in self.environ:
                    os.environ[name] = self.environ[name]
                else:
                    del os.environ[name]
        moved = [s for s, was in self.dispositions.items() if signal.getsignal(s) != was]
        if moved:
            left.append(
                "signal dispositions changed: " + ", ".join(signal.Signals(s).name for s in moved)
            )
            for signo in moved:
                signal.signal(signo, self.dispositions[signo])
        mask = set(signal.pthread_sigmask(signal.SIG_SETMASK, self.mask))
        if mask != self.mask:
            left.append("the signal mask changed")
        umask = os.umask(self.umask)
        if umask != self.umask:
            left.append(f"the umask changed to {umask:03o}")
        if signal.getitimer(signal.ITIMER_REAL)[0]:  # alarm() sets this timer too
            signal.setitimer(signal.ITIMER_REAL, 0)
            left.append("an alarm or interval timer was left pending")
        table = vars(builtins)
        touched = sorted(
            k
            for k in table.keys() | self.builtins.keys()
            if k != "_" and table.get(k) is not self.builtins.get(k)
        )
        if touched:
            left.append(f"builtins replaced or added: {', '.join(touched)}")
            table.clear()
            table.update(self.builtins)
        if (sys.stdin, sys.stdout, sys.stderr) != self.streams:
            left.append("sys.stdin, sys.stdout or sys.stderr replaced")
            sys.stdin, sys.stdout, sys.stderr = self.streams
        running = [
            t.name
            for t in threading.enumerate()
            if t not in self.threads and t.is_alive() and not t.daemon
        ]
        if running:
            left.append(f"threads left running: {', '.join(running)}")
        return left
