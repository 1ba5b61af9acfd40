"""Processes as the kernel sees them: pid, parent, state, memory, open files."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from forkdocs.common.errors import InvalidArgument, ProcessGone
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.hardware.mmu import AddressSpace
from forkdocs.hardware.segments import Segment
from forkdocs.kernel.frames import StackFrame
from forkdocs.kernel.signals import SIGCHLD, Disposition
from forkdocs.kernel.wait import describe

#: Bytes of a word (a pointer or a long) in [`read_word()`][forkdocs.kernel.process.Process.read_word] / [`write_word()`][forkdocs.kernel.process.Process.write_word].
WORD = 8


@runtime_checkable
class ProcessHost(Protocol):
    """What a process asks of the machine that runs it: its memory, read, written and
    translated through the kernel, which checks that the process may act. The
    [`Machine`][forkdocs.machine.Machine] is one;
    [`machine_of()`][forkdocs.machine.machine_of] gives a process's whole machine."""

    def access(
        self,
        process: Process,
        address: int,
        length: int,
        data: bytes | None,
        *,
        thread: Thread | None = None,
    ) -> bytes:
        """Read (``data is None``) or write ``length`` bytes at ``address`` as ``process``."""
        ...

    def translate(self, process: Process, address: int) -> int:
        """The physical address ``process`` reaches at ``address``."""
        ...


class State(enum.Enum):
    """Where a process is in its life."""

    RUNNING = "running"
    BLOCKED = "blocked in vfork"
    STOPPED = "stopped"
    ZOMBIE = "zombie"
    REAPED = "reaped"


@dataclass
class OpenFile:
    """An open file description: what fork shares between parent and child (the offset)."""

    name: str
    offset: int = 0
    written: bytearray = field(default_factory=bytearray)


@dataclass(eq=False)
class Process:
    """One entry of the process table, and the handle the pages use to act through it.

    Memory methods go through the machine, which checks that the process may run (not
    suspended in vfork, not exited) and kills it with SIGSEGV on a bad address.
    ``retval``/``errno`` hold what the last system call returned *in this process* (fork
    gives the parent the child's pid and the child 0).
    """

    pid: int
    ppid: int
    space: AddressSpace | None
    machine: ProcessHost = field(repr=False)
    #: the program it runs, or ran last (``""`` for init, and for a status-only child)
    program: str = ""
    state: State = State.RUNNING
    fds: dict[int, OpenFile] = field(default_factory=dict)
    #: descriptors whose FD_CLOEXEC flag is set: a successful execve closes them
    cloexec: set[int] = field(default_factory=set)
    #: the working directory
    cwd: str = "/"
    #: process group and session (0: init's)
    pgid: int = 0
    sid: int = 0
    #: PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented here, not to init
    subreaper: bool = False
    #: its threads other than the main one (the process handle itself), by thread id
    threads: dict[int, Thread] = field(default_factory=dict)
    argv: list[str] = field(default_factory=list)
    environ: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    retval: int | None = None
    errno: str = ""
    borrowing_from: int | None = None
    blocked_on: int | None = None
    #: signal number -> "handler" or "ignore" (absent: the default action)
    dispositions: dict[int, Disposition] = field(default_factory=dict)
    blocked_signals: set[int] = field(default_factory=set)
    pending_signals: list[int] = field(default_factory=list)
    #: RLIMIT_CORE above 0: a core-dumping signal writes a core file
    core_dumps: bool = False
    #: the signal that stopped it, until a waitpid(WUNTRACED) has reported the stop
    unreported_stop: int | None = None
    sp: int | None = None
    #: the call stack's frames (function activations), innermost last; not memory frames
    stack_frames: list[StackFrame] = field(default_factory=list)
    registers: dict[str, int] = field(default_factory=dict)
    pending_store: tuple[int, int] | None = None
    #: the program's own C variables that are not modelled byte by byte (BusyBox's
    #: ``re_execed``...): new at exec, copied by fork, shared with a vfork child.
    variables: dict[str, object] = field(default_factory=dict)

    @property
    def ignores_sigchld(self) -> bool:
        """SIGCHLD is set to SIG_IGN: its children are reaped as they exit."""
        return self.dispositions.get(SIGCHLD) == "ignore"

    @property
    def stack_pointer(self) -> int:
        """The stack pointer register: the top of the stack segment until something is pushed."""
        return self.sp if self.sp is not None else self.segment("stack").end

    def segment(self, name: str) -> Segment:
        """The loaded segment ``name`` (text, data, bss, heap, stack)."""
        if self.space is None:
            if self.status is not None:
                raise ProcessGone(
                    f"pid {self.pid} has exited ({describe(self.status)}): it holds no memory"
                )
            raise InvalidArgument(f"pid {self.pid} {self.describe_memoryless()}")
        try:
            return self.space.segments[name]
        except KeyError:
            names = ", ".join(self.space.segments)
            raise InvalidArgument(f"no segment {name!r}: a process has {names}") from None

    @property
    def text(self) -> int:
        """Address of the first byte of the text segment."""
        return self.segment("text").start

    @property
    def data(self) -> int:
        """Address of the first byte of the data segment."""
        return self.segment("data").start

    @property
    def bss(self) -> int:
        """Address of the first byte of the bss segment."""
        return self.segment("bss").start

    @property
    def heap(self) -> int:
        """Address of the first byte of the heap."""
        return self.segment("heap").start

    @property
    def stack(self) -> int:
        """Address of the lowest byte of the stack segment."""
        return self.segment("stack").start

    def read(self, address: int, length: int) -> bytes:
        """``length`` bytes at ``address`` as this process sees it."""
        return self.machine.access(self, address, length, None)

    def write(self, address: int, data: bytes | bytearray) -> None:
        """Store ``data`` at ``address`` (may take a copy-on-write fault)."""
        self.machine.access(self, address, len(data), bytes(data))

    def read_word(self, address: int) -> int:
        """The 64-bit little-endian word at ``address``."""
        return int.from_bytes(self.read(address, WORD), "little")

    def write_word(self, address: int, value: int) -> None:
        """Store ``value`` as a 64-bit little-endian word (a pointer, a counter)."""
        self.write(address, (value % (1 << 64)).to_bytes(WORD, "little"))

    def translate(self, address: int) -> int:
        """The physical address behind ``address`` for a read (no copy-on-write is taken)."""
        return self.machine.translate(self, address)

    def describe_memoryless(self) -> str:
        """Why this process holds no memory: it is init, or a status-only child."""
        if self.ppid == 0:
            return "(init) holds no memory in this model"
        return "holds no memory: it only carries an exit status (a setjmp-model child)"

    @property
    def name(self) -> str:
        """The program it runs, ``(init)`` for init, ``(no program)`` for a status-only child."""
        return self.program or ("(init)" if self.ppid == 0 else "(no program)")

    def __repr__(self) -> str:
        return f"<Process pid={self.pid} ppid={self.ppid} {self.name} {self.state.value}>"


@dataclass(eq=False)
class Thread:
    """A thread of ``process`` other than its main one (which the process handle stands
    for): it shares the process's memory and descriptors and runs on its own. While the main
    thread is suspended in vfork, another thread still runs (only the calling thread waits).
    Memory methods go through the machine as the process's do."""

    process: Process
    tid: int

    def read(self, address: int, length: int) -> bytes:
        """``length`` bytes at ``address``, read by this thread."""
        return self.process.machine.access(self.process, address, length, None, thread=self)

    def write(self, address: int, data: bytes | bytearray) -> None:
        """Store ``data`` at ``address``, written by this thread."""
        self.process.machine.access(self.process, address, len(data), bytes(data), thread=self)

    def read_word(self, address: int) -> int:
        """The 64-bit little-endian word at ``address``."""
        return int.from_bytes(self.read(address, WORD), "little")

    def write_word(self, address: int, value: int) -> None:
        """Store ``value`` as a 64-bit little-endian word."""
        self.write(address, (value % (1 << 64)).to_bytes(WORD, "little"))

    def __repr__(self) -> str:
        return f"<Thread tid={self.tid} of pid {self.process.pid}>"


def inherit_signals(parent: Process, child: Process) -> None:
    """What a child made by fork, vfork or clone keeps of its parent's signal state: the
    dispositions, the mask and the core limit; not the pending signals."""
    child.dispositions = dict(parent.dispositions)
    child.blocked_signals = set(parent.blocked_signals)
    child.core_dumps = parent.core_dumps


def reset_handlers_for_exec(process: Process) -> None:
    """execve: handled signals go back to their default action (the handler's code is gone);
    ignored ones stay ignored; the mask and pending signals are kept."""
    process.dispositions = {
        signo: what for signo, what in process.dispositions.items() if what == "ignore"
    }


checked_class(Process)


checked_module(globals())
checked_class(OpenFile)
checked_class(Thread)
