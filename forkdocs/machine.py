"""The machine: RAM, an MMU kind, a process table, and the system calls that create, replace,
end and reap processes. Pages drive it as an observer, one call at a time::

    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    child = m.fork(shell)

Every call is deterministic. Nothing here prints: look at :attr:`Machine.trace`,
:attr:`Machine.stats` and :meth:`Machine.memory_use`, or render them with :mod:`forkdocs.render`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Literal

from forkdocs import libc, wait
from forkdocs.callstack import SymbolTable
from forkdocs.errors import (
    BadFileDescriptor,
    ForkdocsError,
    InvalidArgument,
    KernelPanic,
    NoChild,
    NoSuchProcess,
    NoSuchProgram,
    OutOfMemory,
    PermissionDenied,
    ProcessBlocked,
    ProcessGone,
    SegmentationFault,
    TryAgain,
    WouldBlock,
    WrongType,
)
from forkdocs.guard import checked_class, checked_module
from forkdocs.libc import FLAVOURS, Flavour
from forkdocs.memory import MemoryUse, PhysicalMemory
from forkdocs.mmu import SPACES, AddressSpace, Hardware, PhysicalSpace, PrivateStackSpace, mmu_kind
from forkdocs.process import OpenFile, Process, State, inherit_signals, reset_handlers_for_exec
from forkdocs.program import Main, Program, image_address
from forkdocs.signals import (
    DISPOSITIONS,
    SIGCHLD,
    SIGCONT,
    SIGKILL,
    SIGSEGV,
    UNCATCHABLE,
    Disposition,
    check_signal,
    default_action,
    signal_name,
)
from forkdocs.stats import Stats
from forkdocs.trace import Trace
from forkdocs.units import Size, format_size, parse_size

INIT_PID = 1


def check_argv(argv: object, what: str) -> None:
    """Refuse an argv that is not a list of strings (a bare string would become letters)."""
    if argv is None:
        return
    if isinstance(argv, str) or not all(isinstance(arg, str) for arg in argv):  # type: ignore[attr-defined]
        raise InvalidArgument(
            f"{what}: argv must be a list of strings such as ['ls', '-l'], not {argv!r}"
        )


OVERCOMMIT_MODES = ("heuristic", "strict")
#: Calling conventions: where a call's arguments go (see forkdocs.callstack).
Abi = Literal["x86-64", "i386"]
ABIS: tuple[Abi, ...] = ("x86-64", "i386")
#: Why a process ended, as its ``exit`` event says: it called _exit (or exit), a signal
#: was delivered, the kernel forced SIGSEGV on a fault or on an exec that failed past its
#: point of no return, or the out-of-memory killer chose it.
Cause = Literal["exit", "signal", "fault", "exec-failed", "oom"]
#: How :meth:`Machine.sigprocmask` changes the mask.
MaskHow = Literal["block", "unblock", "setmask"]


@checked_class
class Machine:
    """A simulated computer running a Unix-like kernel.

    ``mmu`` is ``"paging"``, ``"base+length"`` or ``"none"``. ``ram`` and ``page_size`` are
    sizes (``"8 MiB"``). ``max_processes`` bounds the process table (zombies included; fork
    fails with EAGAIN past it). ``overcommit="strict"`` charges every private writable page
    against a commit limit of ``commit_ratio`` percent of RAM, as Linux's mode 2 does
    (fork can then fail with ENOMEM although it copies nothing; vfork is not charged).
    ``libc`` picks the C library's ``exit()``: ``"glibc"`` (also musl's behaviour) or
    ``"bsd"`` (flush and close), see :mod:`forkdocs.libc`. ``abi`` is the calling convention
    of :mod:`forkdocs.callstack`: ``"x86-64"`` (System V: arguments in registers) or
    ``"i386"`` (arguments on the stack). ``trace_limit`` bounds the events kept in
    :attr:`trace` for long simulations (``None``: all of them; ``0``: none).
    Pid 1 is init: it holds no memory in this model and reaps the orphans it adopts.
    """

    def __init__(
        self,
        mmu: str = "paging",
        ram: Size = "8 MiB",
        *,
        page_size: Size = "4 KiB",
        max_processes: int = 64,
        overcommit: str = "heuristic",
        commit_ratio: int = 50,
        libc: Flavour = "glibc",
        abi: Abi = "x86-64",
        trace_limit: int | None = None,
    ) -> None:
        self.mmu = mmu_kind(mmu)
        if libc not in FLAVOURS:
            raise InvalidArgument(f"libc must be one of {FLAVOURS}, not {libc!r}")
        #: which C library's exit() the processes use (see :mod:`forkdocs.libc`)
        self.libc: Flavour = libc
        if abi not in ABIS:
            raise InvalidArgument(f"abi must be one of {ABIS}, not {abi!r}")
        #: the calling convention of :mod:`forkdocs.callstack`
        self.abi: Abi = abi
        ps = parse_size(page_size, what="page_size")
        if ps < 64 or ps & (ps - 1):
            raise InvalidArgument(
                f"page_size must be a power of two of at least 64 bytes, got {ps}"
            )
        size = parse_size(ram, what="ram")
        if size < ps:
            raise InvalidArgument(f"ram ({format_size(size)}) must hold at least one page ({ps} B)")
        if overcommit not in OVERCOMMIT_MODES:
            raise InvalidArgument(
                f"overcommit must be one of {OVERCOMMIT_MODES}, got {overcommit!r}"
            )
        if max_processes < 1:
            raise InvalidArgument(f"max_processes must be at least 1, got {max_processes}")
        self.memory = PhysicalMemory(size, ps)
        self.stats = Stats()
        self.trace = Trace(trace_limit)
        self._hw = Hardware(self.memory, self.stats, self.trace, {})
        self.max_processes = max_processes
        self.overcommit = overcommit
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

    def __repr__(self) -> str:
        use = self.memory.use()
        return (
            f"<Machine mmu={self.mmu} ram={format_size(use.total * use.page_size)}"
            f" processes={len(self.processes)} frames={use.used}/{use.total} used>"
        )

    # -- programs and processes ---------------------------------------------------------
    @property
    def page_size(self) -> int:
        return self.memory.page_size

    @property
    def committed(self) -> int:
        """Pages committed under strict overcommit (0 in heuristic mode)."""
        return self._hw.committed

    def install(
        self,
        program: Program | str,
        *,
        image: Size | None = None,
        main: Main | None = None,
        executable: bool = True,
        **sizes: Size,
    ) -> Program:
        """Make a program available to execve: a :class:`Program`, or a path with either a
        total ``image`` size or segment sizes (``text="64 KiB", heap="1 MiB"``...). ``main``
        is what it does when it starts; ``executable=False`` makes exec fail with EACCES."""
        if isinstance(program, str):
            unknown = sorted(set(sizes) - {"text", "data", "bss", "heap", "stack"})
            if unknown:
                raise InvalidArgument(
                    f"{program}: unknown segment {', '.join(unknown)}; give image= or any of"
                    " text=, data=, bss=, heap=, stack="
                )
            if image is not None:
                if sizes:
                    raise InvalidArgument(f"{program}: give image= or segment sizes, not both")
                program = Program.sized(program, image, page_size=self.page_size)
            elif "text" not in sizes:
                raise InvalidArgument(
                    f"{program}: give image= or any of text=, data=, bss=, heap=, stack="
                    " (text= at least)"
                )
            else:
                program = Program.of(program, **sizes)  # type: ignore[arg-type]
            program = replace(program, main=main, executable=executable)
        elif image is not None or sizes or main is not None or not executable:
            raise InvalidArgument(
                f"{program.path}: a Program already has its sizes, main and executable bit;"
                " give either a Program alone or a path with sizes"
            )
        self.programs[program.path] = program
        return program

    def start(
        self,
        path: str,
        *,
        image: Size | None = None,
        argv: list[str] | None = None,
        environ: dict[str, str] | None = None,
        main: Main | None = None,
        **sizes: Size,
    ) -> Process:
        """A new process running ``path``, a child of init, with fds 0-2 open on the console.
        Installs the program first when ``image`` or segment sizes are given."""
        if image is not None or sizes or main is not None:
            self.install(path, image=image, main=main, **sizes)  # type: ignore[arg-type]
        check_argv(argv, f"starting {path}")
        program = self._program(path)
        self._check_table_room(self.init)
        space = self._charged(
            program, f"starting {path}", lambda: self._load(program, self._next_pid)
        )
        process = self._new_process(ppid=INIT_PID, space=space)
        process.fds = {fd: OpenFile("/dev/console") for fd in (0, 1, 2)}
        self.trace.record("start", process.pid, program=path, size=space.size)
        self._set_image(process, path, argv, environ or {})
        return process

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

    # -- memory, as processes and observers see it --------------------------------------
    def memory_use(self) -> MemoryUse:
        """Frames in use now and the peak since :meth:`mark`."""
        return self.memory.use()

    def mark(self) -> None:
        """Start a new peak-memory measurement (and zero the event counters of :attr:`stats`)."""
        self.memory.mark()
        self.stats.reset()

    def holders(self, physical: int) -> list[int]:
        """The pids whose memory includes the frame at physical address ``physical``."""
        pfn = physical // self.page_size
        return [
            p.pid for p in self.processes.values() if p.space is not None and p.space.holds(pfn)
        ]

    def access(self, process: Process, address: int, length: int, data: bytes | None) -> bytes:
        """Read (``data is None``) or write memory as ``process``; the path of
        :meth:`Process.read` and :meth:`Process.write`. A bad address kills it with SIGSEGV."""
        space = self.space_of(process, "touch memory")
        out = bytearray()
        done = 0
        try:
            while done < length:
                va = address + done
                count = min(length - done, self.page_size - va % self.page_size)
                pa = space.translate(va, write=data is not None, pid=process.pid)
                if data is None:
                    out += self.memory.read(pa, count)
                else:
                    self.memory.write(pa, data[done : done + count])
                done += count
        except SegmentationFault:
            self._force_signal(process, SIGSEGV, "fault")
            raise
        except OutOfMemory:
            self._terminate(process, wait.signaled(SIGKILL), cause="oom")
            raise
        return bytes(out)

    def translate(self, process: Process, address: int) -> int:
        """The physical address ``process`` reaches at ``address`` (a read: no copy is made)."""
        space = self.space_of(process, "translate an address")
        try:
            return space.translate(address, write=False, pid=process.pid)
        except SegmentationFault:
            self._force_signal(process, SIGSEGV, "fault")
            raise

    # -- system calls -------------------------------------------------------------------
    def fork(self, parent: Process) -> Process:
        """fork(2): a child with a copy of the parent's memory, as the MMU allows.

        Returns the child. ``parent.retval`` is the child's pid and ``child.retval`` is 0. On
        failure (EAGAIN, ENOMEM, ENOSYS) the error is raised, ``parent.retval`` is -1,
        ``parent.errno`` names the error and no child exists.
        """
        space = self.space_of(parent, "fork")
        try:
            space.check_fork(parent.pid)  # e.g. ENOSYS without an MMU, before any other check
            self._check_table_room(parent)
            what = f"fork of pid {parent.pid}"
            child_space = self._charged(space.program, what, lambda: space.duplicate(parent.pid))
        except ForkdocsError as error:
            self._fail(parent, error)
            raise
        child = self._spawn_child(parent, child_space)
        self.stats.forks += 1
        self.trace.record("fork", parent.pid, child=child.pid, copied=self.mmu == "base+length")
        return child

    def vfork(
        self,
        parent: Process,
        *,
        pid_at: int | None = None,
        suspend: bool = True,
        first: str = "child",
    ) -> Process:
        """vfork(2): a child that borrows the parent's memory, stack included; the parent is
        suspended until the child calls execve or _exit (or dies). Nothing is copied.

        ``pid_at`` is the address of the variable in ``pid = vfork()``: the child stores 0 in
        it at once, the parent stores the child's pid when it resumes. ``suspend=False`` is
        the hypothetical vfork that does not suspend the parent: both stores happen now, in
        the order ``first`` says (``"child"`` or ``"parent"``), and both processes run.
        """
        child = self.clone(parent, stack="shared", suspend=suspend, call="vfork")
        self.stats.vforks += 1
        if pid_at is not None:
            stores = [(child, 0), (parent, child.pid)]
            if not suspend:
                order = stores if first == "child" else stores[::-1]
                for who, value in order:
                    self._store(who, pid_at, value)
            else:
                self._store(child, pid_at, 0)
                parent.pending_store = (pid_at, child.pid)
        return child

    def clone(
        self, parent: Process, *, stack: str = "shared", suspend: bool = True, call: str = "clone"
    ) -> Process:
        """clone(2) with CLONE_VM: a child running in the parent's memory.

        ``stack`` is ``"shared"`` (vfork: the parent's own stack), ``"new"`` (a fresh stack
        of the child's own, as glibc's posix_spawn maps) or ``"copy"`` (a private copy of
        the parent's stack: the copy-only-the-stack thought experiment). ``suspend`` is
        CLONE_VFORK: the parent waits until the child execs or exits. ``call`` names the
        system call in error messages.
        """
        if stack not in ("shared", "new", "copy"):
            raise InvalidArgument(f"stack must be 'shared', 'new' or 'copy', not {stack!r}")
        space = self.space_of(parent, call)
        try:
            self._check_table_room(parent)
            child_space: AddressSpace = space
            if stack == "shared":
                space.users += 1
            else:
                child_space = PrivateStackSpace.make(space, copy=stack == "copy", pid=parent.pid)
        except ForkdocsError as error:
            self._fail(parent, error)
            raise
        child = self._spawn_child(parent, child_space)
        child.borrowing_from = parent.pid
        if stack == "new":
            child.sp, child.frames, child.registers = None, [], {}
        elif stack == "copy":
            shift = child_space.segments["stack"].start - space.segments["stack"].start
            child.sp = parent.stack_pointer + shift
            child.frames = [frame.moved(shift) for frame in parent.frames]
        kind = "vfork" if stack == "shared" and suspend else "clone"
        self.trace.record(kind, parent.pid, child=child.pid, stack=stack, suspend=suspend)
        if suspend:
            parent.state = State.BLOCKED
            parent.blocked_on = child.pid
            self.trace.record("block", parent.pid, child=child.pid)
        return child

    def spawn(self, parent: Process, path: str | None) -> Process:
        """Create a child of ``parent`` running ``path`` straight away, copying nothing (what
        the exec of a setjmp/longjmp vfork does). ``path=None`` makes a child that holds no
        memory, only there to carry an exit status."""
        self._require_running(parent, "spawn")
        space = None
        try:
            self._check_table_room(parent)
            if path is not None:
                program = self._program(path)
                what = f"spawn of {path} by pid {parent.pid}"
                space = self._charged(program, what, lambda: self._load(program, self._next_pid))
        except ForkdocsError as error:
            self._fail(parent, error)
            raise
        child = self._new_process(ppid=parent.pid, space=space)
        child.fds = dict(parent.fds)
        inherit_signals(parent, child)
        self.trace.record("spawn", parent.pid, child=child.pid, program=path or "-")
        if path is not None:
            self._set_image(child, path, None, parent.environ)
        return child

    def execve(
        self,
        process: Process,
        path: str,
        argv: list[str] | None = None,
        envp: dict[str, str] | None = None,
    ) -> None:
        """execve(2): replace the program, in Linux's order.

        1. The new program is looked up and checked. A failure here (NoSuchProgram for
           ENOENT, PermissionDenied for EACCES) is raised with nothing changed: a vforked
           child gets -1 back and its parent is *still* suspended.
        2. The point of no return: the old memory is let go (a vfork parent gets its memory
           back and wakes, and from now on runs alongside), and the process takes the new
           program's name.
        3. The new image is mapped. If that fails (OutOfMemory), there is no old program to
           return to: the process is killed with SIGSEGV, as Linux does, and the error is
           raised to the caller of the script.

        On success nothing returns (``retval`` stays as it was).
        """
        self._require_running(process, "execve")
        what = f"execve of {path} by pid {process.pid}"
        try:
            check_argv(argv, what)
            program = self._program(path)
            if not program.executable:
                raise PermissionDenied(f"{what}: {path} is not executable")
        except ForkdocsError as error:
            self._fail(process, error)
            raise
        self.trace.record("exec", process.pid, program=path)
        self._let_go_of_memory(process)
        process.program = path  # the new name, as Linux sets it at the point of no return
        try:
            new = self._charged(program, what, lambda: self._load(program, process.pid))
        except OutOfMemory:
            self._force_signal(process, SIGSEGV, "exec-failed")
            raise
        process.space = new
        self.trace.record("map", process.pid, program=path)
        self.stats.execs += 1
        self._set_image(process, path, argv, process.environ if envp is None else envp)

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

    def exit(self, process: Process, status: int) -> None:
        """exit(3), the C library's: see :func:`forkdocs.libc.exit`. A vforked child uses up
        its parent's atexit list and flushes its parent's buffer."""
        libc.exit(self, process, status)

    # -- the C library's stdout and atexit (forkdocs.libc) ------------------------------
    def printf(self, process: Process, text: str) -> int:
        """printf(3) to stdout: see :func:`forkdocs.libc.printf`. Returns the byte count."""
        return libc.printf(self, process, text)

    def fflush(self, process: Process) -> None:
        """fflush(stdout): write the buffer to fd 1."""
        libc.fflush(self, process)

    def atexit(self, process: Process, handler: str) -> int:
        """atexit(3): register a handler by name; 0, or -1 once exit() has run (glibc)."""
        return libc.atexit(self, process, handler)

    # -- signals ------------------------------------------------------------------------
    def kill(self, process: Process, signo: int) -> None:
        """kill(2): send ``signo`` (0 only checks that the process exists).

        What happens follows the process's disposition for it (see :meth:`sigaction` and
        :meth:`sigprocmask`): a blocked signal stays pending, a handled one runs its handler,
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
        if disposition not in DISPOSITIONS:
            raise InvalidArgument(
                f"sigaction: disposition must be one of {DISPOSITIONS}, not {disposition!r}"
            )
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
        if how not in ("block", "unblock", "setmask"):
            raise InvalidArgument(
                f"sigprocmask: how must be 'block', 'unblock' or 'setmask', not {how!r}"
            )
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

    def waitpid(self, parent: Process, pid: int = -1, options: int = 0) -> tuple[int, int]:
        """waitpid(2): reap an exited child (``pid == -1``: any child) and return
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
        candidates = list(wanted.values())
        if not candidates:
            which = "no child" if pid == -1 else f"no child with pid {pid}"
            if parent.ignores_sigchld:
                reason = " (it ignores SIGCHLD, so its children are reaped as they exit)"
            else:
                reason = " left to wait for (a child is reaped only once)"
            error = NoChild(f"waitpid by pid {parent.pid}: it has {which}{reason}")
            self._fail(parent, error)
            raise error
        zombies = self._zombies.get(parent.pid, {})
        zombie = next(iter(zombies.values()), None) if pid == -1 else zombies.get(pid)
        if zombie is not None:
            assert zombie.status is not None, "a zombie always has its status"
            status = zombie.status
            self._reap(zombie, by=parent)
            parent.retval, parent.errno = zombie.pid, ""
            return zombie.pid, status
        for child in candidates if options & wait.WUNTRACED else ():
            if child.unreported_stop is not None:
                status, child.unreported_stop = wait.stopped(child.unreported_stop), None
                parent.retval, parent.errno = child.pid, ""
                return child.pid, status
        if options & wait.WNOHANG:
            parent.retval = 0
            return 0, 0
        waiting = ", ".join(str(c.pid) for c in candidates)
        raise WouldBlock(
            f"waitpid by pid {parent.pid} would block: child {waiting} is still running;"
            " make it exit first, or pass WNOHANG"
        )

    def ignore_sigchld(self, process: Process, ignore: bool = True) -> None:
        """Set SIGCHLD to SIG_IGN (or back): children then never become zombies."""
        self.sigaction(process, SIGCHLD, "ignore" if ignore else "default")

    # -- files --------------------------------------------------------------------------
    def open(self, process: Process, name: str) -> int:
        """Open ``name`` on the lowest free descriptor; a new open file description."""
        self._require_running(process, "open")
        fd = next(n for n in range(len(process.fds) + 1) if n not in process.fds)
        process.fds[fd] = OpenFile(name)
        return fd

    def close(self, process: Process, fd: int) -> None:
        """Close ``fd`` in this process only."""
        self._require_running(process, "close")
        if process.fds.pop(fd, None) is None:
            raise BadFileDescriptor(f"close by pid {process.pid}: fd {fd} is not open")

    def write_fd(self, process: Process, fd: int, data: bytes) -> int:
        """Write ``data`` through ``fd``: advances the shared file offset. Returns the count."""
        self._require_running(process, "write")
        try:
            description = process.fds[fd]
        except KeyError:
            raise BadFileDescriptor(f"write by pid {process.pid}: fd {fd} is not open") from None
        description.offset += len(data)
        description.written += data
        return len(data)

    # -- the no-MMU thought experiment ---------------------------------------------------
    def raw_copy(self, parent: Process) -> Process:
        """Not a system call: copy ``parent``'s memory byte for byte to new physical memory and
        make a child of it, as a fork without an MMU would have to. Only for ``mmu="none"``;
        pointers in the copy still hold the parent's addresses."""
        space = self.space_of(parent, "be copied")
        if not isinstance(space, PhysicalSpace):
            raise InvalidArgument(
                f"raw_copy is the no-MMU thought experiment; on {self.mmu} use fork(pid {parent.pid})"
            )
        self._check_table_room(parent)
        child = self._spawn_child(parent, space.raw_copy())
        self.trace.record("raw-copy", parent.pid, child=child.pid)
        return child

    # -- internals ----------------------------------------------------------------------
    def _program(self, path: str) -> Program:
        try:
            return self.programs[path]
        except KeyError:
            known = ", ".join(sorted(self.programs)) or "none yet"
            raise NoSuchProgram(f"no program {path!r} is installed (installed: {known})") from None

    def _new_process(self, ppid: int, space: AddressSpace | None) -> Process:
        process = Process(pid=self._next_pid, ppid=ppid, space=space, machine=self)
        self.processes[process.pid] = process
        self._children.setdefault(ppid, {})[process.pid] = process
        self._next_pid += 1
        return process

    def _spawn_child(self, parent: Process, space: AddressSpace) -> Process:
        """A new process table entry for a child of ``parent`` using ``space``. argv, the
        environment and the program's variables live in memory: a child in the parent's own
        memory shares them, a child with a copy of it gets copies."""
        child = self._new_process(ppid=parent.pid, space=space)
        child.program = parent.program
        child.fds = dict(parent.fds)
        if space is parent.space or isinstance(space, PrivateStackSpace):
            child.argv, child.environ, child.variables = (
                parent.argv,
                parent.environ,
                parent.variables,
            )
        else:
            child.argv = list(parent.argv)
            child.environ = dict(parent.environ)
            child.variables = dict(parent.variables)
        child.sp, child.frames, child.registers = (
            parent.sp,
            list(parent.frames),
            dict(parent.registers),
        )
        child.retval, child.errno = 0, ""
        parent.retval, parent.errno = child.pid, ""
        inherit_signals(parent, child)
        return child

    def _load(self, program: Program, pid: int) -> AddressSpace:
        space = SPACES[self.mmu].load(self._hw, program, pid)
        for slot, target in program.relocations:
            pointer = image_address(space.segments, target)
            self.memory.write(
                space.translate(image_address(space.segments, slot), write=False, pid=pid),
                pointer.to_bytes(8, "little"),
            )
        return space

    def _enter_main(self, process: Process) -> None:
        program = self.programs.get(process.program)
        if program is not None and program.main is not None:
            self.trace.record("main", process.pid, program=program.path)
            program.main(self, process)

    def _charged(
        self, program: Program, what: str, build: Callable[[], AddressSpace]
    ) -> AddressSpace:
        """``build()`` a space for ``program`` with its private writable pages committed first
        (strict overcommit only); the commit is undone if the build fails."""
        pages = program.pages(self.page_size)
        need = sum(pages.values()) - pages["text"] if self.overcommit == "strict" else 0
        if self.committed + need > self.commit_limit:
            raise OutOfMemory(
                f"{what}: committing {need} more pages would exceed the commit limit of"
                f" {self.commit_limit} pages ({self.committed} committed; strict overcommit)"
            )
        self._hw.committed += need
        try:
            space = build()
        except ForkdocsError:
            self._hw.committed -= need
            raise
        space.charged = need
        return space

    def _set_image(
        self, process: Process, path: str, argv: list[str] | None, environ: dict[str, str]
    ) -> None:
        """A freshly loaded program in ``process``: its name, argv, environment, and fresh
        registers and C variables; then its main runs."""
        process.program = path
        process.argv = list(argv) if argv is not None else [path]
        process.environ = dict(environ)
        process.sp, process.frames, process.registers, process.variables = None, [], {}, {}
        reset_handlers_for_exec(process)
        self._enter_main(process)

    def _let_go_of_memory(self, process: Process) -> None:
        """The process stops using its memory (freed when it was the last user); a vfork
        parent waiting for that wakes."""
        if process.space is not None:
            process.space.drop()
            process.space = None
        if process.borrowing_from is not None:
            self._give_back(process)

    def _check_table_room(self, parent: Process) -> None:
        if len(self.processes) >= self.max_processes:
            zombies = sum(p.state is State.ZOMBIE for p in self.processes.values())
            raise TryAgain(
                f"pid {parent.pid} cannot create a process: the table holds {len(self.processes)}"
                f" of {self.max_processes} entries ({zombies} zombies); reap children with waitpid"
            )

    def _fail(self, process: Process, error: ForkdocsError) -> None:
        process.retval, process.errno = -1, error.code
        self.trace.record("error", process.pid, errno=error.code)

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
        if process.machine is not self:
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
        process.fds.clear()
        process.status = status
        process.state = State.ZOMBIE
        self.trace.record("exit", process.pid, status=status, cause=cause)
        self._zombies.setdefault(process.ppid, {})[process.pid] = process
        orphans = self._children.pop(process.pid, {})
        self._zombies.pop(process.pid, None)
        adopted = self._children.setdefault(INIT_PID, {})
        for orphan in orphans.values():
            orphan.ppid = INIT_PID
            adopted[orphan.pid] = orphan
            self.trace.record("reparent", orphan.pid, to=INIT_PID)
            if orphan.state is State.ZOMBIE:
                self._reap(orphan, by=self.init)
        parent = self.processes.get(process.ppid)
        if parent is not None and (parent is self.init or parent.ignores_sigchld):
            self._reap(process, by=parent)

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


checked_module(globals())
