"""The process table: who exists, who is whose child, and whether a process may act.

Children and zombies are indexed per parent, so exit, wait and re-parenting cost O(1) in
the size of the table.
"""

from __future__ import annotations

from typing import cast

from forkdocs.common.errors import (
    ForkdocsError,
    InvalidArgument,
    NoSuchProcess,
    ProcessBlocked,
    ProcessGone,
    TryAgain,
    WrongType,
)
from forkdocs.common.guard import checked_class, register_kernel
from forkdocs.common.stats import Stats
from forkdocs.common.trace import Trace
from forkdocs.hardware.memory import PhysicalMemory
from forkdocs.hardware.mmu import AddressSpace, Hardware, MmuKind
from forkdocs.kernel.process import Process, ProcessHost, State
from forkdocs.kernel.program import Program
from forkdocs.kernel.syscalls import Arch

INIT_PID = 1


class ProcessTable:
    """The bottom layer of [`Machine`][forkdocs.machine.Machine]'s kernel: the state every
    layer shares (``Machine.__init__`` sets it up) and the process table."""

    mmu: MmuKind
    arch: Arch
    memory: PhysicalMemory
    stats: Stats
    trace: Trace
    _hw: Hardware
    max_processes: int
    overcommit: str
    commit_limit: int
    programs: dict[str, Program]
    processes: dict[int, Process]
    #: each parent's children, and those of them that are zombies (pid -> process)
    _children: dict[int, dict[int, Process]]
    _zombies: dict[int, dict[int, Process]]
    _next_pid: int
    init: Process
    init_reaps: bool

    def process(self, pid: int) -> Process:
        """The live or zombie process ``pid``."""
        try:
            return self.processes[pid]
        except KeyError:
            raise NoSuchProcess(
                f"no process with pid {pid} (it never existed or was reaped)"
            ) from None

    def children(self, parent: Process) -> list[Process]:
        """The processes whose parent is ``parent``, live or zombie, in pid order."""
        self.own(parent, "children")
        return sorted(self._children.get(parent.pid, {}).values(), key=lambda p: p.pid)

    @property
    def _host(self) -> ProcessHost:
        """This kernel as what its processes and programs get: the Machine it is the base of
        (whose memory path, the access layer, is above this one)."""
        return cast(ProcessHost, self)

    def own(self, process: object, action: str) -> Process:
        """``process`` if it is a process of this machine; a clear error otherwise (a pid, or
        a process of another Machine, which would corrupt both)."""
        if not isinstance(process, Process):
            hint = (
                " (use machine.process(pid) to get one from a pid)"
                if isinstance(process, int)
                else ""
            )
            raise WrongType(f"{action}: expected a Process, got {process!r}{hint}")
        if process.machine is not self._host:
            raise InvalidArgument(
                f"{action}: pid {process.pid} belongs to another Machine ({process.machine!r});"
                " each machine can only act on its own processes"
            )
        return process

    def _require_running(self, process: Process, action: str) -> None:
        self.own(process, action)
        if process.state is State.BLOCKED:
            raise ProcessBlocked(
                f"pid {process.pid} cannot {action}: it is suspended in vfork() until its child"
                f" pid {process.blocked_on} calls execve() or _exit()"
            )
        if process.state is State.STOPPED:
            raise ProcessBlocked(
                f"pid {process.pid} cannot {action}: it is stopped by a signal; send it"
                " SIGCONT (kill(pid, SIGCONT)) to let it run"
            )
        if process.state in (State.ZOMBIE, State.REAPED):
            raise ProcessGone(
                f"pid {process.pid} cannot {action}: it has exited ({process.state.value})"
            )

    def space_of(self, process: Process, action: str) -> AddressSpace:
        """The memory ``process`` runs in, if it may run now (``action`` names what for)."""
        self._require_running(process, action)
        if process.space is None:
            raise InvalidArgument(f"pid {process.pid} {process.describe_memoryless()}")
        return process.space

    def _new_process(self, ppid: int, space: AddressSpace | None) -> Process:
        process = Process(pid=self._next_pid, ppid=ppid, space=space, machine=self._host)
        self.processes[process.pid] = process
        self._children.setdefault(ppid, {})[process.pid] = process
        self._next_pid += 1
        return process

    def _check_table_room(self, parent: Process) -> None:
        if len(self.processes) >= self.max_processes:
            zombies = sum(p.state is State.ZOMBIE for p in self.processes.values())
            raise TryAgain(
                f"pid {parent.pid} cannot create a process: the table holds {len(self.processes)}"
                f" of {self.max_processes} entries ({zombies} zombies); reap children with waitpid"
            )

    def _fail(self, process: Process, error: ForkdocsError) -> None:
        """A call of ``process`` failed: -1 and ``errno``. errno is a variable in the
        process's memory, so a child running in its parent's very memory (vfork, or clone
        on the parent's stack) sets the parent's too: after a vfork child's failed exec
        the parent finds ENOENT in errno."""
        process.retval, process.errno = -1, error.code
        parent = self.processes.get(process.ppid)
        if parent is not None and process.space is not None and parent.space is process.space:
            parent.errno = error.code
        self.trace.record("error", process.pid, errno=error.code)

    def _reap(self, child: Process, *, by: Process) -> None:
        child.state = State.REAPED
        del self.processes[child.pid]
        siblings = self._children.get(child.ppid, {})
        siblings.pop(child.pid, None)
        if not siblings:
            self._children.pop(child.ppid, None)
        zombies = self._zombies.get(child.ppid, {})
        zombies.pop(child.pid, None)
        if not zombies:
            self._zombies.pop(child.ppid, None)
        self.trace.record("reap", by.pid, child=child.pid)


checked_class(ProcessTable)
register_kernel(ProcessTable, Process)
