"""BusyBox's process helpers, and the bb_fork_exec() its 2006 guide promised.

``bb_fork_exec`` never existed in BusyBox: the guide announced ``libbb/bb_fork_exec.c``, and
BusyBox wrote ``spawn()`` instead. This module implements the *documented contract*
([`bb_fork_exec()`][forkdocs.userland.libbb.bb_fork_exec]) next to what BusyBox really has ([`spawn()`][forkdocs.userland.libbb.spawn], [`xspawn()`][forkdocs.userland.libbb.xspawn],
[`spawn_and_wait()`][forkdocs.userland.libbb.spawn_and_wait], [`wait4pid()`][forkdocs.userland.libbb.wait4pid], [`fork_or_rexec()`][forkdocs.userland.libbb.fork_or_rexec],
[`bb_daemonize_or_rexec()`][forkdocs.userland.libbb.bb_daemonize_or_rexec]), written from their documented behaviour, not their code.

Every helper takes the machine and the calling process first, as the C functions take the
calling process implicitly.
"""

from __future__ import annotations

from typing import Literal

from forkdocs.common.errors import ForkdocsError
from forkdocs.common.guard import checked_module
from forkdocs.kernel.process import OpenFile, Process, ProcessHost
from forkdocs.kernel.program import Main
from forkdocs.kernel.wait import WEXITSTATUS, WIFSIGNALED, WTERMSIG
from forkdocs.machine import Machine, check_argv
from forkdocs.userland import libc
from forkdocs.userland.launch import launch

#: The exit status of a child whose exec failed, in BusyBox's spawn().
EXEC_FAILED = 111
#: Policies of [`bb_fork_exec()`][forkdocs.userland.libbb.bb_fork_exec].
#: Where BusyBox re-executes itself from (``bb_busybox_exec_path``).
BUSYBOX = "/bin/busybox"
#: The hidden "already re-executed" mark: the high bit of ``argv[0][0]``.
REEXEC_MARK = 0x80

DAEMON_CHDIR_ROOT = 1
DAEMON_DEVNULL_STDIN = 2
DAEMON_DEVNULL_OUTERR = 4
DAEMON_DEVNULL_STDIO = 6


def bb_mmu(machine: Machine) -> bool:
    """BusyBox's BB_MMU: true for a build with MMU support, which Linux has only with a
    paging MMU (a base+length machine runs a no-MMU kernel and a NOMMU BusyBox)."""
    return machine.linux_mmu


def bb_fork_exec(
    machine: Machine,
    caller: Process,
    path: str,
    argv: list[str],
    envp: dict[str, str] | None = None,
    *,
    policy: Literal["by-mmu", "always-vfork"] = "by-mmu",
    exit_code: int = EXEC_FAILED,
) -> int:
    """The guide's contract: start ``path`` with ``argv`` and ``envp`` (None: the caller's
    environment) and return the child's pid, hiding whether fork or vfork did it.

    ``policy="by-mmu"`` forks with a paging MMU and vforks otherwise; ``"always-vfork"`` is
    what BusyBox's spawn() does. An exec failure follows spawn(): the child stores errno in
    a variable it shares with the caller and calls ``_exit(exit_code)``; the caller reaps it
    and returns -1 with ``caller.errno`` set. After a fork that variable is not shared, so
    the caller gets the pid and learns of the failure only from the exit status.
    The primitive used is recorded in the trace (event ``bb_fork_exec``).
    """
    check_argv(argv, "bb_fork_exec")
    primitive = "fork" if policy == "by-mmu" and bb_mmu(machine) else "vfork"
    machine.trace.record("bb_fork_exec", caller.pid, primitive=primitive, program=path)
    return _start_child(machine, caller, "bb_fork_exec", primitive, path, argv, envp, exit_code)


def spawn(machine: Machine, caller: Process, argv: list[str]) -> int:
    """BusyBox's spawn(): flush stdout, always vfork ("be nice to no-MMU machines"), exec
    ``argv[0]`` (searching PATH when it has no ``/``). On exec failure: reap the child and
    return -1 with errno; if vfork itself fails, -1 with vfork's errno."""
    check_argv(argv, "spawn")
    libc.fflush(machine, caller)
    path = find_in_path(machine, caller, argv[0])
    return _start_child(machine, caller, "spawn", "vfork", path, argv, None, EXEC_FAILED)


def xspawn(machine: Machine, caller: Process, argv: list[str]) -> int:
    """spawn(), or die: on failure write ``argv[0]: <error>`` to fd 2 and exit(1). Returns
    the pid; after a failure the caller has exited and -1 is returned."""
    pid = spawn(machine, caller, argv)
    if pid < 0:
        message = f"{argv[0]}: can't execute: {caller.errno}\n".encode()
        if 2 in caller.fds:
            machine.write_fd(caller, 2, message)
        libc.exit(machine, caller, 1)
    return pid


def spawn_and_wait(machine: Machine, caller: Process, argv: list[str]) -> int:
    """``wait4pid(spawn(argv))``: the child's exit code, 0x180 + signal, or -1."""
    return wait4pid(machine, caller, spawn(machine, caller, argv))


def wait4pid(machine: Machine, caller: Process, pid: int) -> int:
    """Wait for ``pid``: its exit code; ``0x180 + signal`` if a signal killed it; -1 if
    waitpid fails. For ``pid <= 0`` returns -1 *without touching errno*, so that
    ``wait4pid(spawn(argv))`` keeps spawn's error."""
    if pid <= 0:
        return -1
    try:
        _, status = machine.waitpid(caller, pid)
    except ForkdocsError:
        return -1
    if WIFSIGNALED(status):
        return 0x180 + WTERMSIG(status)
    return WEXITSTATUS(status)


def find_in_path(machine: Machine, caller: Process, name: str) -> str:
    """execvp's search: ``name`` itself if it has a ``/``, else the first PATH directory
    holding an installed program of that name (or ``name`` unchanged, to fail with ENOENT).
    An empty element of PATH (``"::"``, or one at either end) is the working directory, as
    glibc and musl read it."""
    if "/" in name:
        return name
    for directory in caller.environ.get("PATH", "/bin:/usr/bin").split(":"):
        candidate = f"{(directory or caller.cwd).rstrip('/')}/{name}"
        if candidate in machine.programs:
            return candidate
    return name


def _start_child(
    machine: Machine,
    caller: Process,
    helper: str,
    primitive: str,
    path: str,
    argv: list[str],
    envp: dict[str, str] | None,
    exit_code: int,
) -> int:
    """spawn()'s contract: the child's pid, or -1 with errno (from vfork/fork, or from the
    exec as the child reported it)."""
    create = machine.vfork if primitive == "vfork" else machine.fork
    child, err = launch(
        machine, caller, helper, lambda: create(caller), path, argv, envp, exit_code, "failed"
    )
    if child is None or err:
        caller.retval = -1
        return -1
    caller.retval = child.pid
    return child.pid


def shell_exit_status(error: str) -> int:
    """The status a POSIX shell gives a command it could not exec: 127 when the file was not
    found (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG), 126 otherwise (EACCES...)."""
    return 127 if error in ("ENOENT", "ENOTDIR", "ELOOP", "ENAMETOOLONG") else 126


# --- daemons -----------------------------------------------------------------------------
def re_execed(process: Process) -> bool:
    """BusyBox's ``re_execed``: this image was started by [`fork_or_rexec()`][forkdocs.userland.libbb.fork_or_rexec]."""
    return bool(process.variables.get("re_execed", False))


def busybox_main(applet: Main) -> Main:
    """Wrap an applet's main the way BusyBox's applet dispatcher does: if ``argv[0]`` carries
    the re-exec mark, note ``re_execed`` and clear the mark, then run the applet."""

    def main(host: ProcessHost, process: Process) -> None:
        first = process.argv[0] if process.argv else ""
        if first and ord(first[0]) & REEXEC_MARK:
            process.argv[0] = _unmarked(first)
            process.variables["re_execed"] = True
        applet(host, process)

    return main


def _marked(name: str) -> str:
    return chr(ord(name[0]) | REEXEC_MARK) + name[1:]


def _unmarked(name: str) -> str:
    return chr(ord(name[0]) & ~REEXEC_MARK) + name[1:]


def fork_or_rexec(machine: Machine, caller: Process, argv: list[str]) -> int:
    """With an MMU: fork (argv is ignored). Without: return 0 in an image that was already
    re-executed; otherwise vfork, and have the child re-execute busybox with ``argv``, its
    first byte marked, while the parent clears the mark again (argv is in the memory they
    share) and gets the child's pid."""
    if bb_mmu(machine):
        return machine.fork(caller).pid
    if re_execed(caller):
        return 0
    child = machine.vfork(caller)
    argv[0] = _marked(argv[0])  # the child writes the mark into the shared argv
    machine.trace.record("re-exec", child.pid, program=BUSYBOX)
    try:
        machine.execve(child, BUSYBOX, argv)
    except ForkdocsError:
        machine._exit(child, 1)
    argv[0] = _unmarked(argv[0])  # the parent, awake again, undoes it
    return child.pid


def bb_daemonize_or_rexec(
    machine: Machine, caller: Process, flags: int, argv: list[str]
) -> Process:
    """Become a daemon: the parent of [`fork_or_rexec()`][forkdocs.userland.libbb.fork_or_rexec] exits with ``_exit(0)``; the
    process that goes on starts a new session and always gets /dev/null on descriptors 0,
    1 and 2 (``flags`` add ``DAEMON_CHDIR_ROOT``). Returns the process that carries on as the daemon: the
    forked child with an MMU; without one, the re-executed child (whose main has already
    run again from the start) or, inside that re-executed image, the caller itself."""
    pid = fork_or_rexec(machine, caller, argv)
    if pid:
        machine._exit(caller, 0)
        daemon = machine.process(pid)
        if bb_mmu(machine):
            _become_daemon(machine, daemon, flags)
        return daemon
    _become_daemon(machine, caller, flags)
    return caller


def _become_daemon(machine: Machine, process: Process, flags: int) -> None:
    process.variables["session_leader"] = True
    machine.trace.record("setsid", process.pid)
    # BusyBox dup2()s /dev/null onto 0, 1 and 2 whatever the flags: a daemon keeps no
    # terminal (the DAEMON_DEVNULL_* flags only close them earlier, in the caller)
    for fd in (0, 1, 2):
        process.fds[fd] = OpenFile("/dev/null")
    if flags & DAEMON_CHDIR_ROOT:
        process.variables["cwd"] = "/"


def vfork_daemon(machine: Machine, caller: Process) -> Process:
    """The 2006 attempt, ``if (vfork()) exit(0);``, which BusyBox reverted: the child goes on
    as the daemon without exec, so the parent stays suspended and never gets to exit."""
    return machine.vfork(caller)


checked_module(globals())
