"""The machine: RAM, an MMU kind, a process table, and the system calls that create, replace,
end and reap processes. Pages drive it as an observer, one call at a time::

    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    child = m.fork(shell)

The C library's functions (``exit``, ``printf``, ``atexit``) are not the machine's: they
are [`forkdocs.userland.libc`][forkdocs.userland.libc]'s, run on it. Every call is deterministic. Nothing here prints: look at `trace`,
`stats` and [`memory_use()`][forkdocs.kernel.access.MemoryAccess.memory_use], or render them with [`forkdocs.draw.text`][forkdocs.draw.text].
"""

from __future__ import annotations

from typing import Literal

from forkdocs.common.errors import InvalidArgument, WrongType
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.common.stats import Stats
from forkdocs.common.trace import Trace
from forkdocs.common.units import Size, format_size, parse_size
from forkdocs.hardware.memory import PhysicalMemory
from forkdocs.hardware.mmu import Hardware, MmuName, mmu_kind
from forkdocs.kernel.delivery import Cause, MaskHow
from forkdocs.kernel.files import Files
from forkdocs.kernel.loader import check_argv
from forkdocs.kernel.process import Process
from forkdocs.kernel.program import Program
from forkdocs.kernel.symbols import SymbolTable
from forkdocs.kernel.syscalls import Arch
from forkdocs.kernel.table import INIT_PID

__all__ = [
    "INIT_PID",
    "Abi",
    "Arch",
    "Cause",
    "Flavour",
    "Machine",
    "MaskHow",
    "MmuName",
    "check_argv",
    "machine_of",
]

#: Calling conventions: where a call's arguments go (see [`forkdocs.userland.callstack`][forkdocs.userland.callstack]).
Abi = Literal["x86-64", "i386"]
#: Which C library's exit() the processes use (see [`forkdocs.userland.libc`][forkdocs.userland.libc]).
Flavour = Literal["glibc", "bsd"]


@checked_class
class Machine(Files):
    """A simulated computer running a Unix-like kernel.

    ``mmu`` is ``"paging"``, ``"base+length"`` or ``"none"``. ``ram`` and ``page_size`` are
    sizes (``"8 MiB"``). ``max_processes`` bounds the process table (zombies included; fork
    fails with EAGAIN past it). ``overcommit="strict"`` charges every private writable page
    against a commit limit of ``commit_ratio`` percent of RAM, as Linux's mode 2 does
    (fork can then fail with ENOMEM although it copies nothing; vfork is not charged).
    ``libc`` picks the C library's ``exit()``: ``"glibc"`` (also musl's behaviour) or
    ``"bsd"`` (flush and close: 4.3BSD's, which no current BSD does), see [`forkdocs.userland.libc`][forkdocs.userland.libc]. ``abi`` is the calling convention
    of [`forkdocs.userland.callstack`][forkdocs.userland.callstack]: ``"x86-64"`` (System V: arguments in registers) or
    ``"i386"`` (arguments on the stack). ``arch`` picks the system-call table where it
    matters, the fork system call without an MMU: ``"riscv64"`` has none (ENOSYS, as fork(2)
    says), ``"m68k"`` has one that refuses (EINVAL); see [`forkdocs.kernel.syscalls`][forkdocs.kernel.syscalls]. ``trace_limit`` bounds the events kept in
    `trace` for long simulations (``None``: all of them; ``0``: none).
    Pid 1 is init: it holds no memory in this model and reaps the orphans it adopts, unless
    ``init_reaps=False`` (a container whose pid 1 does not wait: adopted orphans stay
    zombies and fill the process table).
    """

    def __init__(
        self,
        mmu: MmuName = "paging",
        ram: Size = "8 MiB",
        *,
        page_size: Size = "4 KiB",
        max_processes: int = 64,
        overcommit: Literal["heuristic", "strict"] = "heuristic",
        commit_ratio: int = 50,
        libc: Flavour = "glibc",
        abi: Abi = "x86-64",
        arch: Arch = "riscv64",
        trace_limit: int | None = None,
        init_reaps: bool = True,
    ) -> None:
        self.mmu = mmu_kind(mmu)
        #: whose system-call table (see [`forkdocs.kernel.syscalls`][forkdocs.kernel.syscalls])
        self.arch: Arch = arch
        #: which C library's exit() the processes use (see [`forkdocs.userland.libc`][forkdocs.userland.libc])
        self.libc: Flavour = libc
        #: the calling convention of [`forkdocs.userland.callstack`][forkdocs.userland.callstack]
        self.abi: Abi = abi
        ps = parse_size(page_size, what="page_size")
        if ps < 64 or ps & (ps - 1):
            raise InvalidArgument(
                f"page_size must be a power of two of at least 64 bytes, got {ps}"
            )
        size = parse_size(ram, what="ram")
        if size < ps:
            raise InvalidArgument(f"ram ({format_size(size)}) must hold at least one page ({ps} B)")
        if max_processes < 1:
            raise InvalidArgument(f"max_processes must be at least 1, got {max_processes}")
        self.memory = PhysicalMemory(size, ps)
        self.stats = Stats()
        self.trace = Trace(trace_limit)
        self._hw = Hardware(self.memory, self.stats, self.trace, {})
        self.max_processes = max_processes
        self.overcommit = overcommit
        if commit_ratio < 0:
            raise InvalidArgument(
                f"commit_ratio is a percentage of RAM (0 or more), not {commit_ratio}"
            )
        self.commit_limit = self.memory.frames * commit_ratio // 100
        self.programs: dict[str, Program] = {}
        self.symbols = SymbolTable()
        self.processes: dict[int, Process] = {}
        #: each parent's children, and those of them that are zombies (pid -> process): exit
        #: and wait cost O(1) in the size of the table
        self._children: dict[int, dict[int, Process]] = {}
        self._zombies: dict[int, dict[int, Process]] = {}
        self._next_pid = INIT_PID
        self.init = self._new_process(ppid=0, space=None)
        #: False: pid 1 never waits (a container whose pid 1 is an ordinary program), so
        #: the orphans it adopts stay zombies
        self.init_reaps = init_reaps

    def __repr__(self) -> str:
        use = self.memory.use()
        return (
            f"<Machine mmu={self.mmu} ram={format_size(use.total * use.page_size)}"
            f" processes={len(self.processes)} frames={use.used}/{use.total} used>"
        )


def machine_of(process: Process) -> Machine:
    """The machine ``process`` runs on. (The kernel knows a process's machine only as its
    memory path, [`ProcessHost`][forkdocs.kernel.process.ProcessHost]; the layers above ask
    here for the whole machine.)"""
    machine = process.machine
    if not isinstance(machine, Machine):
        raise WrongType(f"pid {process.pid} runs on {machine!r}, which is not a Machine")
    return machine


checked_module(globals())
