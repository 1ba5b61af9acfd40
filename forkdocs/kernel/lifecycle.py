"""The start of a process's life and its changes: fork, vfork and clone (with the copy,
the borrowed memory or the refusal each gives), spawn, and execve. How a life ends is
[`forkdocs.kernel.ending`][forkdocs.kernel.ending], the layer below."""

from __future__ import annotations

from typing import Literal

from forkdocs.common.errors import (
    ForkdocsError,
    InvalidArgument,
    OutOfMemory,
    PermissionDenied,
)
from forkdocs.common.guard import checked_class
from forkdocs.hardware.mmu import AddressSpace, PrivateStackSpace
from forkdocs.kernel.ending import Ending
from forkdocs.kernel.loader import check_argv
from forkdocs.kernel.process import Process, State, inherit_signals
from forkdocs.kernel.signals import (
    SIGSEGV,
)
from forkdocs.kernel.syscalls import fork_refusal


class Lifecycle(Ending):
    """Part of [`Machine`][forkdocs.machine.Machine]: creating processes and replacing
    their programs."""

    def fork(self, parent: Process) -> Process:
        """fork(2): a child with a copy of the parent's memory, as the MMU allows.

        Returns the child. ``parent.retval`` is the child's pid and ``child.retval`` is 0. On
        failure (EAGAIN, ENOMEM, ENOSYS) the error is raised, ``parent.retval`` is -1,
        ``parent.errno`` names the error and no child exists.
        """
        space = self.space_of(parent, "fork")
        try:
            if not space.can_copy:  # ENOSYS or EINVAL without an MMU, before any other check
                raise fork_refusal(self.arch, parent.pid)
            space.check_fork(parent.pid)
            child_space = self._copy_of(parent, space, "fork")
        except ForkdocsError as error:
            self._fail(parent, error)
            raise
        child = self._spawn_child(parent, child_space)
        self.stats.forks += 1
        self.trace.record("fork", parent.pid, child=child.pid, copied=space.fork_copies_everything)
        return child

    def _copy_of(self, parent: Process, space: AddressSpace, call: str) -> AddressSpace:
        """The copy of ``parent``'s memory that fork (or clone without CLONE_VM) gives a
        child, charged against the commit limit; EAGAIN when the table is full."""
        self._check_table_room(parent)
        what = f"{call} of pid {parent.pid}"
        return self._charged(space.program, what, lambda: space.duplicate(parent.pid))

    def vfork(
        self,
        parent: Process,
        *,
        pid_at: int | None = None,
        suspend: bool = True,
        first: Literal["child", "parent"] = "child",
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
        self,
        parent: Process,
        *,
        vm: bool = True,
        stack: Literal["shared", "new", "copy"] = "shared",
        suspend: bool = True,
        files: Literal["copy", "share"] = "copy",
        call: str = "clone",
    ) -> Process:
        """clone(2): with CLONE_VM (``vm=True``, the default), a child running in the
        parent's memory.

        ``vm=False`` is clone without CLONE_VM, which is what a C library's ``fork()`` calls
        on an architecture with no fork system call (RISC-V). With an MMU the child gets a
        copy, as fork gives it. Without one, the kernel has nothing to copy with (its
        no-MMU ``dup_mmap`` maps nothing anew) and the call *succeeds*: the child runs in
        the parent's very memory and on its stack, both running at once unless
        ``suspend``, which is what BusyBox's build-time ban on ``fork()`` guards against.
        (The model keeps that memory until both have let go of it; Linux frees it with the
        parent's.) Only ``stack="shared"`` goes with ``vm=False``.

        ``stack`` is ``"shared"`` (vfork: the parent's own stack), ``"new"`` (a fresh stack
        of the child's own, as glibc's posix_spawn maps) or ``"copy"`` (a private copy of
        the parent's stack: the copy-only-the-stack thought experiment). ``suspend`` is
        CLONE_VFORK: the parent waits until the child execs or exits. ``files="share"`` is
        CLONE_FILES: one descriptor table for both, so an open or close by either is seen by
        the other (until the child's execve gives it a copy of its own). ``call`` names the
        system call in error messages.
        """
        space = self.space_of(parent, call)
        if not vm and stack != "shared":
            raise InvalidArgument(
                f"{call} of pid {parent.pid}: stack={stack!r} goes with CLONE_VM only in this"
                " model; without it the child runs on the parent's stack pointer"
            )
        try:
            child_space: AddressSpace = space
            if not vm and space.can_copy:
                child_space = self._copy_of(parent, space, call)
            else:
                self._check_table_room(parent)
                if stack == "shared":
                    space.users += 1
                else:
                    child_space = PrivateStackSpace.make(
                        space, copy=stack == "copy", pid=parent.pid
                    )
        except ForkdocsError as error:
            self._fail(parent, error)
            raise
        child = self._spawn_child(parent, child_space)
        if files == "share":
            child.fds, child.cloexec = parent.fds, parent.cloexec
        if suspend:
            child.borrowing_from = parent.pid
        if stack == "new":
            child.sp, child.stack_frames, child.registers = None, [], {}
        elif stack == "copy":
            shift = child_space.segments["stack"].start - space.segments["stack"].start
            child.sp = parent.stack_pointer + shift
            child.stack_frames = [frame.moved(shift) for frame in parent.stack_frames]
        kind = "vfork" if vm and stack == "shared" and suspend else "clone"
        without_vm = {} if vm else {"vm": False}
        # a call the page made by another name (a vfork that does not suspend) says so
        named = {"call": call} if call not in (kind, "clone") else {}
        self.trace.record(
            kind, parent.pid, child=child.pid, stack=stack, suspend=suspend, **without_vm, **named
        )
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
                what = f"spawn of {path} by pid {parent.pid}"
                program = self._image_for(self._program(path), what)
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
           ENOENT, also for a script whose ``#!`` interpreter is missing; PermissionDenied
           for EACCES; ExecFormatError for ENOEXEC, a file this kernel has no loader for)
           is raised with nothing changed: a vforked child gets -1 back and its parent is
           *still* suspended. A ``#!`` script runs its interpreter with argv
           ``[interpreter, path, argv[1:]...]``.
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
            script = self._program(path)
            if not script.executable:
                raise PermissionDenied(f"{what}: {path} is not executable")
            program = self._image_for(script, what)
        except ForkdocsError as error:
            self._fail(process, error)
            raise
        if program is not script:  # a #! script: the interpreter runs, given the script's path
            argv = [program.path, path, *(argv or [path])[1:]]
            path = program.path
        self.trace.record("exec", process.pid, program=path)
        self._let_go_of_memory(process)
        process.program = path  # the new name, as Linux sets it at the point of no return
        # a table of its own (a shared CLONE_FILES table is copied first), without the
        # descriptors marked close-on-exec
        process.fds = {fd: f for fd, f in process.fds.items() if fd not in process.cloexec}
        process.cloexec = set()
        process.threads = {}  # exec ends every other thread of the process
        try:
            new = self._charged(program, what, lambda: self._load(program, process.pid))
        except OutOfMemory:
            self._force_signal(process, SIGSEGV, "exec-failed")
            raise
        process.space = new
        self.trace.record("map", process.pid, program=path)
        self.stats.execs += 1
        self._set_image(process, path, argv, process.environ if envp is None else envp)

    def raw_copy(self, parent: Process) -> Process:
        """Not a system call: copy ``parent``'s memory byte for byte to new physical memory and
        make a child of it, as a fork without an MMU would have to. Only for ``mmu="none"``;
        pointers in the copy still hold the parent's addresses."""
        space = self.space_of(parent, "be copied")
        self._check_table_room(parent)
        try:
            copy = space.raw_copy()
        except InvalidArgument as error:
            raise InvalidArgument(f"pid {parent.pid}: {error.message}") from None
        child = self._spawn_child(parent, copy)
        self.trace.record("raw-copy", parent.pid, child=child.pid)
        return child

    def _spawn_child(self, parent: Process, space: AddressSpace) -> Process:
        """A new process table entry for a child of ``parent`` using ``space``. argv, the
        environment and the program's variables live in memory: a child in the parent's own
        memory shares them, a child with a copy of it gets copies."""
        child = self._new_process(ppid=parent.pid, space=space)
        child.program = parent.program
        child.fds = dict(parent.fds)
        child.cloexec = set(parent.cloexec)
        child.cwd, child.pgid, child.sid = parent.cwd, parent.pgid, parent.sid
        if space is parent.space or space.shares_parents_data:
            child.argv, child.environ, child.variables = (
                parent.argv,
                parent.environ,
                parent.variables,
            )
        else:
            child.argv = list(parent.argv)
            child.environ = dict(parent.environ)
            child.variables = dict(parent.variables)
        child.sp, child.stack_frames, child.registers = (
            parent.sp,
            list(parent.stack_frames),
            dict(parent.registers),
        )
        child.retval, child.errno = 0, ""
        parent.retval, parent.errno = child.pid, ""
        inherit_signals(parent, child)
        return child


checked_class(Lifecycle)
