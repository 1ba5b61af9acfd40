"""How a process's life ends: _exit, wait, and what a death leaves behind (a zombie for
its parent, SIGCHLD, orphans for init or a subreaper, a vfork parent woken when the memory
it lent comes back)."""

from __future__ import annotations

from forkdocs.common.errors import InvalidArgument, KernelPanic, NoChild, WouldBlock, WrongType
from forkdocs.common.guard import checked_class
from forkdocs.kernel import wait
from forkdocs.kernel.access import MemoryAccess
from forkdocs.kernel.delivery import Cause
from forkdocs.kernel.process import Process, State
from forkdocs.kernel.signals import SIGCHLD


class Ending(MemoryAccess):
    """Part of [`Machine`][forkdocs.machine.Machine]: the end of a process and its reaping."""

    def _exit(self, process: Process, status: int) -> None:
        """_exit(2): end the process now. Only ``status & 0xff`` reaches the parent. init
        (pid 1) cannot exit: on Linux the kernel would panic."""
        self._require_running(process, "_exit")
        if isinstance(status, bool) or not isinstance(status, int):
            raise WrongType(f"_exit of pid {process.pid}: status must be an int, not {status!r}")
        if process is self.init:
            raise KernelPanic(
                "init (pid 1) cannot exit: on Linux the kernel panics when init exits"
                ' ("Attempted to kill init!"); end other processes instead'
            )
        self._terminate(process, wait.exited(status), cause="exit")

    def waitpid(self, parent: Process, pid: int = -1, options: int = 0) -> tuple[int, int]:
        """waitpid(2): reap an exited child (``pid == -1``: any child, the oldest of the
        exited ones, as Linux picks: POSIX leaves the choice open) and return
        ``(pid, status)``. With WUNTRACED, a child stopped by a signal is reported too (once
        per stop) and stays. With WNOHANG, ``(0, 0)`` when children exist but none has
        changed state. ECHILD when there is no such child. Without WNOHANG, waiting for a
        child that is still running raises WouldBlock: in a scripted run nothing else would
        make it exit."""
        self._require_running(parent, "waitpid")
        if options & ~(wait.WNOHANG | wait.WUNTRACED):
            raise InvalidArgument(
                f"waitpid: unknown option bits {options:#x}; use WNOHANG and WUNTRACED"
            )
        mine = self._children.get(parent.pid, {})
        wanted = mine if pid == -1 else {pid: mine[pid]} if pid in mine else {}
        if not wanted:
            which = "no child" if pid == -1 else f"no child with pid {pid}"
            if parent.ignores_sigchld:
                reason = " (it ignores SIGCHLD, so its children are reaped as they exit)"
            else:
                reason = " left to wait for (a child is reaped only once)"
            error = NoChild(f"waitpid by pid {parent.pid}: it has {which}{reason}")
            self._fail(parent, error)
            raise error
        zombies = self._zombies.get(parent.pid, {})
        if pid != -1:
            zombie = zombies.get(pid)
        elif len(zombies) > 1:  # Linux walks its children oldest first, not by exit time
            zombie = next(child for child in mine.values() if child.pid in zombies)
        else:
            zombie = next(iter(zombies.values()), None)
        if zombie is not None:
            assert zombie.status is not None, "a zombie always has its status"
            status = zombie.status
            self._reap(zombie, by=parent)
            parent.retval, parent.errno = zombie.pid, ""
            return zombie.pid, status
        for child in wanted.values() if options & wait.WUNTRACED else ():
            if child.unreported_stop is not None:
                status, child.unreported_stop = wait.stopped(child.unreported_stop), None
                parent.retval, parent.errno = child.pid, ""
                return child.pid, status
        if options & wait.WNOHANG:
            parent.retval = 0
            return 0, 0
        waiting = ", ".join(str(child_pid) for child_pid in wanted)
        raise WouldBlock(
            f"waitpid by pid {parent.pid} would block: child {waiting} is still running;"
            " make it exit first, or pass WNOHANG"
        )

    def ignore_sigchld(self, process: Process, ignore: bool = True) -> None:
        """Set SIGCHLD to SIG_IGN (or back): children then never become zombies."""
        self.sigaction(process, SIGCHLD, "ignore" if ignore else "default")

    def _let_go_of_memory(self, process: Process) -> None:
        """The process stops using its memory (freed when it was the last user); a vfork
        parent waiting for that wakes."""
        if process.space is not None:
            process.space.drop()
            process.space = None
        if process.borrowing_from is not None:
            self._give_back(process)

    def _give_back(self, child: Process) -> None:
        """The child stops using the parent's memory: wake the parent if it waits for that."""
        parent = self.processes.get(child.borrowing_from) if child.borrowing_from else None
        child.borrowing_from = None
        if parent is None or parent.state is not State.BLOCKED or parent.blocked_on != child.pid:
            return
        self.trace.record("mm-release", child.pid, to=parent.pid)
        parent.state = State.RUNNING
        parent.blocked_on = None
        self.trace.record("wake", parent.pid, by=child.pid)
        if parent.pending_store is not None:
            address, value = parent.pending_store
            parent.pending_store = None
            self._store(parent, address, value)
        self._deliver_pending(parent)

    def _store(self, process: Process, address: int, value: int) -> None:
        """``pid = vfork()`` returning in ``process``: the store of the return value."""
        process.write_word(address, value)
        self.trace.record("store", process.pid, address=address, value=value)

    def _terminate(self, process: Process, status: int, *, cause: Cause) -> None:
        """End ``process`` with wait status ``status``: release memory, close files, re-parent
        its children to init, and leave a zombie (or nothing, if the parent will not wait)."""
        if process.state in (State.ZOMBIE, State.REAPED):
            return
        process.pending_signals.clear()
        self._let_go_of_memory(process)  # a vfork child still using it keeps it alive
        process.fds, process.cloexec = {}, set()  # its reference only: a shared table lives on
        process.threads = {}
        process.status = status
        process.state = State.ZOMBIE
        self.trace.record("exit", process.pid, status=status, cause=cause)
        self._zombies.setdefault(process.ppid, {})[process.pid] = process
        orphans = self._children.pop(process.pid, {})
        zombies = self._zombies.pop(process.pid, {})
        reaper = self._reaper_for(process)
        adopted = self._children.setdefault(reaper.pid, {})
        for orphan in orphans.values():
            orphan.ppid = reaper.pid
            adopted[orphan.pid] = orphan
            self.trace.record("reparent", orphan.pid, to=reaper.pid)
            if orphan.pid in zombies:
                self._zombies.setdefault(reaper.pid, {})[orphan.pid] = orphan
                if self._reaps_at_once(reaper):
                    self._reap(orphan, by=reaper)
                self._notify(reaper)
        parent = self.processes.get(process.ppid)
        if parent is not None:
            self._notify(parent)
            if self._reaps_at_once(parent):
                self._reap(process, by=parent)

    def _notify(self, parent: Process) -> None:
        """SIGCHLD to ``parent`` for a child that ended. Where it would be ignored (its
        default action, or SIG_IGN) and is not blocked, nothing happens, and nothing is
        traced; a handler runs, a blocked one stays pending. (Linux also sends it when a
        child stops or continues; the model does not.)"""
        if parent is self.init or parent.state in (State.ZOMBIE, State.REAPED):
            return
        if SIGCHLD in parent.blocked_signals or self._action(parent, SIGCHLD) == "handler":
            self.kill(parent, SIGCHLD)

    def _reaper_for(self, dying: Process) -> Process:
        """Who adopts the children of ``dying``: its nearest living ancestor marked as a
        child subreaper (PR_SET_CHILD_SUBREAPER), else init."""
        ancestor = self.processes.get(dying.ppid)
        while ancestor is not None and ancestor is not self.init:
            if ancestor.subreaper and ancestor.state is not State.ZOMBIE:
                return ancestor
            ancestor = self.processes.get(ancestor.ppid)
        return self.init

    def _reaps_at_once(self, parent: Process) -> bool:
        """Whether ``parent`` reaps a child as it exits: init (when it reaps), or a parent
        that set SIGCHLD to SIG_IGN."""
        return (parent is self.init and self.init_reaps) or parent.ignores_sigchld


checked_class(Ending)
