"""posix_spawn() the way glibc (2.24 and later) and musl do it on Linux.

The child is a clone(CLONE_VM | CLONE_VFORK) running on a stack of its own, so it cannot
clobber the parent's frames, and the parent is suspended until the child execs or exits.
Before its exec the child applies the spawn attributes
([`SpawnAttr`][forkdocs.userland.posix.SpawnAttr]: signals reset to their default action, new
session, process group), then the file actions
([`FileActions`][forkdocs.userland.posix.FileActions]: open, dup2, close, chdir) in the order they
were added, and last the signal mask, as glibc and musl do; this is what a shell does
between fork and exec to set up redirections.

If an action or the exec fails, the child reports the error number and exits with status
127, and the parent returns that number *as the function's result* (posix_spawn never
returns -1; the pid out-parameter is left unset). glibc reports through a variable in memory
the two share; musl through a pipe whose write end the child holds close-on-exec, so a
successful exec closes it and the parent reads nothing (``implementation="musl"``).
[`posix_spawnp()`][forkdocs.userland.posix.posix_spawnp] looks the program up in PATH first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from forkdocs.common.errors import ERRNO_NUMBERS, BadFileDescriptor
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.kernel.process import Process
from forkdocs.machine import Machine, check_argv
from forkdocs.userland.launch import launch
from forkdocs.userland.libbb import find_in_path

#: The exit status of a posix_spawn child that could not exec (glibc's SPAWN_ERROR).
SPAWN_ERROR = 127
#: The descriptor limit the file actions check against: glibc refuses a descriptor outside
#: ``0 <= fd < getdtablesize()`` with EBADF when the action is added; 1024 is the usual
#: soft RLIMIT_NOFILE.
OPEN_MAX = 1024


def _bad_descriptor(*fds: int) -> int:
    """EBADF's number if any of ``fds`` is outside ``0..OPEN_MAX-1``, else 0."""
    return ERRNO_NUMBERS["EBADF"] if any(not 0 <= fd < OPEN_MAX for fd in fds) else 0


@dataclass
class FileActions:
    """posix_spawn_file_actions_t: what the child does to its descriptors before exec.

    Each ``add_*`` returns 0, or EBADF's number (and adds nothing) for a descriptor outside
    ``0..OPEN_MAX-1``, as glibc's do."""

    actions: list[tuple[str, int, int, str]] = field(default_factory=list)

    def add_open(self, fd: int, path: str, *, cloexec: bool = False) -> int:
        """posix_spawn_file_actions_addopen: open ``path`` as ``fd``."""
        return self._add(("open", fd, int(cloexec), path), fd)

    def add_dup2(self, fd: int, new: int) -> int:
        """posix_spawn_file_actions_adddup2: ``dup2(fd, new)``; with ``fd == new`` it only
        clears FD_CLOEXEC (POSIX 2024, glibc 2.35)."""
        return self._add(("dup2", fd, new, ""), fd, new)

    def add_close(self, fd: int) -> int:
        """posix_spawn_file_actions_addclose: close ``fd`` (closing one that is not open is
        not an error in glibc or musl; a number no descriptor can have is: EBADF)."""
        return self._add(("close", fd, 0, ""), fd)

    def _add(self, action: tuple[str, int, int, str], *fds: int) -> int:
        error = _bad_descriptor(*fds)
        if not error:
            self.actions.append(action)
        return error

    def add_chdir(self, path: str) -> None:
        """posix_spawn_file_actions_addchdir_np (glibc 2.29, musl 1.1.24): chdir."""
        self.actions.append(("chdir", 0, 0, path))

    def apply(self, machine: Machine, child: Process) -> None:
        """Carry out the actions in ``child``, in order; the first failure is raised."""
        for kind, fd, other, path in self.actions:
            if kind == "open":
                opened = machine.open(child, path, cloexec=bool(other))
                if opened != fd:
                    machine.dup2(child, opened, fd)
                    machine.close(child, opened)
                    if other:
                        machine.set_cloexec(child, fd)
            elif kind == "dup2":
                if fd == other:
                    if fd not in child.fds:
                        raise BadFileDescriptor(f"posix_spawn: dup2 of fd {fd}: not open")
                    machine.set_cloexec(child, fd, on=False)
                else:
                    machine.dup2(child, fd, other)
            elif kind == "close":
                if fd in child.fds:
                    machine.close(child, fd)
            else:
                machine.chdir(child, path)


@dataclass
class SpawnAttr:
    """posix_spawnattr_t: ``sigmask`` (POSIX_SPAWN_SETSIGMASK: the child's mask, else the
    caller's), ``sigdefault`` (POSIX_SPAWN_SETSIGDEF: these signals to their default
    action), ``pgroup`` (POSIX_SPAWN_SETPGROUP: join this group; 0: a new one), ``setsid``
    (POSIX_SPAWN_SETSID: a new session)."""

    sigmask: set[int] | None = None
    sigdefault: set[int] = field(default_factory=set)
    pgroup: int | None = None
    setsid: bool = False

    def apply(self, machine: Machine, child: Process) -> None:
        """Set ``child`` up as glibc's and musl's children do before the file actions:
        signal dispositions, then session, then group."""
        for signo in self.sigdefault:
            child.dispositions.pop(signo, None)
        if self.setsid:
            machine.setsid(child)
        if self.pgroup is not None:
            machine.setpgid(child, self.pgroup)

    def apply_mask(self, child: Process) -> None:
        """The signal mask, set last of all, just before the exec."""
        if self.sigmask is not None:
            child.blocked_signals = set(self.sigmask)


def posix_spawn(
    machine: Machine,
    caller: Process,
    path: str,
    argv: list[str],
    envp: dict[str, str] | None = None,
    *,
    file_actions: FileActions | None = None,
    attr: SpawnAttr | None = None,
    implementation: Literal["glibc", "musl"] = "glibc",
    exit_code: int = SPAWN_ERROR,
) -> tuple[int, int | None]:
    """Start ``path``. Returns ``(0, pid)`` on success, or ``(error number, None)``: the
    pid out-parameter is not set, and the failed child has already been reaped.
    ``envp=None`` passes the caller's environment (as callers pass ``environ``)."""
    check_argv(argv, "posix_spawn")

    def create() -> Process:
        return machine.clone(caller, stack="new", suspend=True)

    def prepare(child: Process) -> None:
        if attr is not None:
            attr.apply(machine, child)
        if file_actions is not None:
            file_actions.apply(machine, child)
        if attr is not None:
            attr.apply_mask(child)

    child, err = launch(
        machine,
        caller,
        "__spawni",
        create,
        path,
        argv,
        envp,
        exit_code,
        prepare=prepare,
        channel="pipe" if implementation == "musl" else "memory",
    )
    if child is None or err:
        return err, None
    return 0, child.pid


def posix_spawnp(
    machine: Machine,
    caller: Process,
    name: str,
    argv: list[str],
    envp: dict[str, str] | None = None,
    *,
    file_actions: FileActions | None = None,
    attr: SpawnAttr | None = None,
    implementation: Literal["glibc", "musl"] = "glibc",
) -> tuple[int, int | None]:
    """posix_spawnp: like [`posix_spawn()`][forkdocs.userland.posix.posix_spawn], but a ``name`` without a slash is looked up
    in the caller's PATH (as execvp does)."""
    path = find_in_path(machine, caller, name)
    return posix_spawn(
        machine,
        caller,
        path,
        argv,
        envp,
        file_actions=file_actions,
        attr=attr,
        implementation=implementation,
    )


checked_module(globals())
checked_class(FileActions)
checked_class(SpawnAttr)
