"""Signals as the kernel delivers them: dispositions, masks, pending signals, stops and
continues, core dumps, and the killable sleep of a parent suspended in vfork."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from forkdocs.common.errors import (
    InvalidArgument,
    NoSuchProcess,
)
from forkdocs.common.guard import checked_class
from forkdocs.kernel import wait
from forkdocs.kernel.loader import Loader
from forkdocs.kernel.process import Process, State
from forkdocs.kernel.signals import (
    SIGCONT,
    SIGKILL,
    UNCATCHABLE,
    Disposition,
    check_signal,
    default_action,
    signal_name,
)

#: How [`sigprocmask()`][forkdocs.kernel.delivery.SignalDelivery.sigprocmask] changes the mask.
MaskHow = Literal["block", "unblock", "setmask"]


#: Why a process ended, as its ``exit`` event says: it called _exit (or exit), a signal
#: was delivered, the kernel forced SIGSEGV on a fault or on an exec that failed past its
#: point of no return, or the out-of-memory killer chose it.
Cause = Literal["exit", "signal", "fault", "exec-failed", "oom"]


class SignalDelivery(Loader):
    """Part of [`Machine`][forkdocs.machine.Machine]: signals as the kernel delivers them."""

    def kill(self, process: Process, signo: int) -> None:
        """kill(2): send ``signo`` (0 only checks that the process exists).

        What happens follows the process's disposition for it (see [`sigaction()`][forkdocs.kernel.delivery.SignalDelivery.sigaction] and
        [`sigprocmask()`][forkdocs.kernel.delivery.SignalDelivery.sigprocmask]): a blocked signal stays pending, a handled one runs its handler,
        an ignored one is dropped, and otherwise the default action terminates, dumps core,
        stops or continues the process. A zombie accepts a signal and ignores it.

        A parent suspended in vfork waits in a *killable* sleep: SIGKILL, and a signal whose
        default action would kill it anyway (terminate without a core dump, not blocked, not
        handled, no other signal pending), end it at once while the child still runs in its
        memory. Every other signal waits, pending, until the child releases the memory.
        """
        signo = check_signal(signo, "kill", allow_zero=True)
        self.own(process, "kill")
        if process.state is State.REAPED:
            raise NoSuchProcess(f"kill: pid {process.pid} has exited and was reaped")
        if signo == 0 or process.state is State.ZOMBIE or process is self.init:
            # Linux drops a signal to init that init has no handler for.
            return
        action = self._action(process, signo)
        if signo == SIGCONT and process.state is State.STOPPED:
            self._continue(process)
        if action == "ignore" and signo not in process.blocked_signals:
            self.trace.record("signal-ignored", process.pid, signo=signo)
            return
        waits = process.state is State.BLOCKED and not (
            signo == SIGKILL
            or (
                action == "terminate"
                and signo not in process.blocked_signals
                and not self._deliverable(process)
            )
        )
        stopped_waits = process.state is State.STOPPED and signo != SIGKILL
        if waits or stopped_waits or signo in process.blocked_signals:
            if signo not in process.pending_signals:
                process.pending_signals.append(signo)
            self.trace.record("signal-pending", process.pid, signo=signo)
            return
        self._deliver(process, signo)

    def sigaction(self, process: Process, signo: int, disposition: Disposition) -> Disposition:
        """sigaction(2): handle ``signo`` with a ``"handler"``, ``"ignore"`` it, or go back to
        its ``"default"`` action. Returns the previous disposition. SIGKILL and SIGSTOP keep
        their default (EINVAL). Handlers become default again at exec; ignore stays."""
        self._require_running(process, "sigaction")
        signo = check_signal(signo, "sigaction")
        if signo in UNCATCHABLE and disposition != "default":
            raise InvalidArgument(f"sigaction: {signal_name(signo)} cannot be handled or ignored")
        old = process.dispositions.get(signo, "default")
        if disposition == "default":
            process.dispositions.pop(signo, None)
        else:
            process.dispositions[signo] = disposition
        return old

    def sigprocmask(self, process: Process, how: MaskHow, signals: Iterable[int]) -> frozenset[int]:
        """sigprocmask(2): ``"block"`` or ``"unblock"`` ``signals``, or ``"setmask"`` to exactly
        them. Returns the previous mask. SIGKILL and SIGSTOP are silently left unblocked, as
        the kernel does. A pending signal that becomes unblocked is delivered at once."""
        self._require_running(process, "sigprocmask")
        wanted = {check_signal(signo, "sigprocmask") for signo in signals} - UNCATCHABLE
        old = frozenset(process.blocked_signals)
        if how == "block":
            process.blocked_signals |= wanted
        elif how == "unblock":
            process.blocked_signals -= wanted
        else:
            process.blocked_signals = wanted
        self._deliver_pending(process)
        return old

    def allow_core_dumps(self, process: Process, allowed: bool = True) -> None:
        """Raise (or lower to 0) RLIMIT_CORE: a signal whose default action dumps core then
        writes a core file, and the wait status says so (WCOREDUMP). Inherited by children."""
        self._require_running(process, "setrlimit")
        process.core_dumps = bool(allowed)

    def _action(self, process: Process, signo: int) -> str:
        """What ``signo`` would do to ``process`` now: "handler", "ignore", or the default."""
        disposition = process.dispositions.get(signo, "default")
        return default_action(signo) if disposition == "default" else disposition

    def _deliverable(self, process: Process) -> bool:
        """A signal is pending that the process does not block: it will be taken first."""
        return any(signo not in process.blocked_signals for signo in process.pending_signals)

    def _deliver_pending(self, process: Process) -> None:
        """Deliver the pending signals ``process`` does not block, lowest number first, while
        it runs. A handler is only set up while the others are taken: if one of them kills
        the process, the handler never runs (measured on Linux 6.18: a handled SIGUSR1 and a
        default SIGTERM pending together end with SIGTERM and no handler)."""
        handlers = []
        for signo in sorted(process.pending_signals):
            if process.state is not State.RUNNING:
                break
            if signo in process.blocked_signals:
                continue
            process.pending_signals.remove(signo)
            if self._action(process, signo) == "handler":
                handlers.append(signo)
            else:
                self._deliver(process, signo)
        if process.state not in (State.ZOMBIE, State.REAPED):
            for signo in handlers:
                self._deliver(process, signo)

    def _deliver(self, process: Process, signo: int) -> None:
        """Take signal ``signo`` now: run the handler, or its default action."""
        action = self._action(process, signo)
        if action == "handler":
            self.trace.record("handler", process.pid, signo=signo)
        elif action == "terminate":
            self._terminate(process, wait.signaled(signo), cause="signal")
        elif action == "core":
            core = process.core_dumps
            self._terminate(process, wait.signaled(signo, core=core), cause="signal")
        elif action == "stop":
            process.state = State.STOPPED
            process.unreported_stop = signo
            self.trace.record("stop", process.pid, signo=signo)

    def _force_signal(self, process: Process, signo: int, cause: Cause) -> None:
        """A fatal signal the kernel forces (a fault, a failed exec past the point of no
        return): the process dies of it, with a core file if its default action dumps core
        and core dumps are allowed."""
        core = default_action(signo) == "core" and process.core_dumps
        self._terminate(process, wait.signaled(signo, core=core), cause=cause)

    def _continue(self, process: Process) -> None:
        """SIGCONT: a stopped process runs again and takes the signals that waited."""
        process.state = State.RUNNING
        process.unreported_stop = None
        self.trace.record("continue", process.pid)
        self._deliver_pending(process)

    def _terminate(self, process: Process, status: int, *, cause: Cause) -> None:
        """End ``process`` with wait status ``status`` (the lifecycle layer above does it)."""
        raise NotImplementedError


checked_class(SignalDelivery)
