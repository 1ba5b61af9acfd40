"""The machine: RAM, an MMU kind, a process table, and the system calls that create, replace,
end and reap processes. Pages drive it as an observer, one call at a time::

    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    child = m.fork(shell)

Every call is deterministic. Nothing here prints: look at :attr:`Machine.trace`,
:attr:`Machine.stats` and :meth:`Machine.memory_use`, or render them with :mod:`forkdocs.render`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from forkdocs import wait
from forkdocs.callstack import SymbolTable
from forkdocs.errors import (
    BadFileDescriptor,
    ForkdocsError,
    InvalidArgument,
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
)
from forkdocs.memory import MemoryUse, PhysicalMemory
from forkdocs.mmu import SPACES, AddressSpace, Hardware, PhysicalSpace, PrivateStackSpace, mmu_kind
from forkdocs.process import OpenFile, Process, State
from forkdocs.program import Main, Program, image_address
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


class Machine:
    """A simulated computer running a Unix-like kernel.

    ``mmu`` is ``"paging"``, ``"base+length"`` or ``"none"``. ``ram`` and ``page_size`` are
    sizes (``"8 MiB"``). ``max_processes`` bounds the process table (zombies included; fork
    fails with EAGAIN past it). ``overcommit="strict"`` charges every private writable page
    against a commit limit of ``commit_ratio`` percent of RAM, as Linux's mode 2 does
    (fork can then fail with ENOMEM although it copies nothing; vfork is not charged).
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
    ) -> None:
        self.mmu = mmu_kind(mmu)
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
        self.trace = Trace()
        self._hw = Hardware(self.memory, self.stats, self.trace, {})
        self.max_processes = max_processes
        self.overcommit = overcommit
        self.commit_limit = self.memory.frames * commit_ratio // 100
        self.programs: dict[str, Program] = {}
        self.symbols = SymbolTable()
        self.processes: dict[int, Process] = {}
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
            else:
                program = Program.of(program, **sizes)  # type: ignore[arg-type]
            program = replace(program, main=main, executable=executable)
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
        self.trace.record("start", process.pid, program=path, size=format_size(space.size))
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
        return [p for p in self.processes.values() if p.ppid == parent.pid]

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
        space = self._space_of(process, "touch memory")
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
            self._terminate(process, wait.signaled(wait.SIGSEGV), reason="SIGSEGV")
            raise
        except OutOfMemory:
            self._terminate(process, wait.signaled(wait.SIGKILL), reason="out of memory in a fault")
            raise
        return bytes(out)

    def translate(self, process: Process, address: int) -> int:
        """The physical address ``process`` reaches at ``address`` (a read: no copy is made)."""
        space = self._space_of(process, "translate an address")
        try:
            return space.translate(address, write=False, pid=process.pid)
        except SegmentationFault:
            self._terminate(process, wait.signaled(wait.SIGSEGV), reason="SIGSEGV")
            raise

    # -- system calls -------------------------------------------------------------------
    def fork(self, parent: Process) -> Process:
        """fork(2): a child with a copy of the parent's memory, as the MMU allows.

        Returns the child. ``parent.retval`` is the child's pid and ``child.retval`` is 0. On
        failure (EAGAIN, ENOMEM, ENOSYS) the error is raised, ``parent.retval`` is -1,
        ``parent.errno`` names the error and no child exists.
        """
        space = self._space_of(parent, "fork")
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
        space = self._space_of(parent, call)
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
            self.trace.record("block", parent.pid, until="child execs or exits", child=child.pid)
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
        """execve(2): replace the program. On success nothing returns (``retval`` stays as it
        was). The old memory is let go first (a vfork parent gets its memory back and wakes),
        then the new image is loaded. Raises NoSuchProgram (ENOENT) for a missing path, with
        nothing changed; OutOfMemory when the image does not fit, by which time there is no
        going back: the process is killed with SIGKILL, as Linux does past that point."""
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
        try:
            new = self._charged(program, what, lambda: self._load(program, process.pid))
        except OutOfMemory:
            self._terminate(process, wait.signaled(wait.SIGKILL), reason="exec ran out of memory")
            raise
        process.space = new
        self.stats.execs += 1
        self._set_image(process, path, argv, process.environ if envp is None else envp)

    def _exit(self, process: Process, status: int) -> None:
        """_exit(2): end the process now. Only ``status & 0xff`` reaches the parent."""
        self._require_running(process, "_exit")
        self._terminate(process, wait.exited(status), reason=f"_exit({status})")

    def exit(self, process: Process, status: int) -> None:
        """exit(3): run the atexit handlers (last registered first), flush and close stdout,
        then _exit. All of it acts on the C library state in the process's memory: a vforked
        child acts on its parent's."""
        libc = self._space_of(process, "exit").libc
        for handler in reversed(libc.atexit):
            self.trace.record("atexit", process.pid, handler=handler)
        self.fflush(process)
        libc.stdout_closed = True
        self._exit(process, status)

    # -- the C library's stdout and atexit ----------------------------------------------
    def printf(self, process: Process, text: str) -> int:
        """Append ``text`` to the stdout buffer (fully buffered, as for a file or a pipe).
        Returns the byte count, or -1 when stdout was closed."""
        libc = self._space_of(process, "printf").libc
        if libc.stdout_closed:
            process.retval, process.errno = -1, "EBADF"
            return -1
        data = text.encode()
        libc.stdout_buffer += data
        return len(data)

    def fflush(self, process: Process) -> None:
        """Write the stdout buffer to fd 1 and empty it (nothing if stdout is closed)."""
        libc = self._space_of(process, "fflush").libc
        if libc.stdout_buffer and not libc.stdout_closed and 1 in process.fds:
            process.fds[1].written += libc.stdout_buffer
            process.fds[1].offset += len(libc.stdout_buffer)
            self.trace.record("flush", process.pid, bytes=len(libc.stdout_buffer))
        libc.stdout_buffer.clear()

    def atexit(self, process: Process, handler: str) -> None:
        """Register a handler (by name) to run at exit()."""
        self._space_of(process, "atexit").libc.atexit.append(handler)

    def kill(self, process: Process, signo: int) -> None:
        """Send signal ``signo``; its default action ends the process. A parent suspended in
        vfork gets it when the child releases the memory, except SIGKILL, which acts at once."""
        if not 0 <= signo <= 64:
            raise InvalidArgument(f"kill: {signo} is not a signal number (0 to 64)")
        if process.state in (State.ZOMBIE, State.REAPED):
            raise ProcessGone(f"kill: pid {process.pid} has already exited")
        if signo == 0:  # only checks that the process exists
            return
        if process.state is State.BLOCKED and signo != wait.SIGKILL:
            process.pending_signals.append(signo)
            self.trace.record("signal-pending", process.pid, signo=signo)
            return
        self._terminate(process, wait.signaled(signo), reason=f"signal {signo}")

    def waitpid(self, parent: Process, pid: int = -1, options: int = 0) -> tuple[int, int]:
        """waitpid(2): reap an exited child (``pid == -1``: any child) and return
        ``(pid, status)``. With WNOHANG, ``(0, 0)`` when children exist but none has exited.
        ECHILD when there is no such child. Without WNOHANG, waiting for a child that is
        still running raises WouldBlock: in a scripted run nothing else would make it exit."""
        self._require_running(parent, "waitpid")
        candidates = [c for c in self.children(parent) if pid in (-1, c.pid)]
        if not candidates:
            which = "no child" if pid == -1 else f"no child with pid {pid}"
            if parent.ignores_sigchld:
                reason = " (it ignores SIGCHLD, so its children are reaped as they exit)"
            else:
                reason = " left to wait for (a child is reaped only once)"
            error = NoChild(f"waitpid by pid {parent.pid}: it has {which}{reason}")
            self._fail(parent, error)
            raise error
        for child in candidates:
            if child.state is State.ZOMBIE:
                assert child.status is not None, "a zombie always has its status"
                status = child.status
                self._reap(child, by=parent)
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
        self._require_running(process, "change SIGCHLD")
        process.ignores_sigchld = ignore

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
        space = self._space_of(parent, "be copied")
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

    def _require_running(self, process: Process, action: str) -> None:
        if process.state is State.BLOCKED:
            raise ProcessBlocked(
                f"pid {process.pid} cannot {action}: it is suspended in vfork() until its child"
                f" pid {process.blocked_on} calls execve() or _exit()"
            )
        if process.state in (State.ZOMBIE, State.REAPED):
            raise ProcessGone(
                f"pid {process.pid} cannot {action}: it has exited ({process.state.value})"
            )

    def _space_of(self, process: Process, action: str) -> AddressSpace:
        self._require_running(process, action)
        if process.space is None:
            raise InvalidArgument(f"pid {process.pid} (init) holds no memory in this model")
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
        pending, parent.pending_signals = parent.pending_signals, []
        if pending:
            self._terminate(parent, wait.signaled(pending[0]), reason=f"signal {pending[0]}")

    def _store(self, process: Process, address: int, value: int) -> None:
        """``pid = vfork()`` returning in ``process``: the store of the return value."""
        process.write_word(address, value)
        self.trace.record("store", process.pid, address=f"{address:#x}", value=value)

    def _terminate(self, process: Process, status: int, *, reason: str) -> None:
        """End ``process`` with wait status ``status``: release memory, close files, re-parent
        its children to init, and leave a zombie (or nothing, if the parent will not wait)."""
        if process.state in (State.ZOMBIE, State.REAPED):
            return
        self._let_go_of_memory(process)  # a vfork child still using it keeps it alive
        process.fds.clear()
        process.status = status
        process.state = State.ZOMBIE
        self.trace.record("exit", process.pid, status=wait.describe(status), reason=reason)
        for orphan in self.children(process):
            orphan.ppid = INIT_PID
            self.trace.record("reparent", orphan.pid, to=INIT_PID)
            if orphan.state is State.ZOMBIE:
                self._reap(orphan, by=self.init)
        parent = self.processes.get(process.ppid)
        if parent is not None and (parent is self.init or parent.ignores_sigchld):
            self._reap(process, by=parent)

    def _reap(self, child: Process, *, by: Process) -> None:
        child.state = State.REAPED
        del self.processes[child.pid]
        self.trace.record("reap", by.pid, child=child.pid)
