"""BusyBox's helpers and the bb_fork_exec contract (C26-C29, C31, C34)."""

from __future__ import annotations

import pytest

from forkdocs import SIGKILL, Machine, Process, ProcessBlocked, State
from forkdocs.kernel.wait import exited
from forkdocs.userland import libc
from forkdocs.userland.libbb import (
    BUSYBOX,
    DAEMON_DEVNULL_STDIO,
    bb_daemonize_or_rexec,
    bb_fork_exec,
    busybox_main,
    re_execed,
    shell_exit_status,
    spawn,
    spawn_and_wait,
    vfork_daemon,
    wait4pid,
    xspawn,
)


def board(mmu: str) -> tuple[Machine, Process]:
    m = Machine(mmu=mmu, ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB", environ={"PATH": "/usr/bin:/bin", "HOME": "/root"})
    m.install("/bin/true", image="20 KiB", main=lambda m, p: m._exit(p, 0))
    m.install("/bin/sleep", image="20 KiB")
    m.install("/bin/secret", image="20 KiB", executable=False)
    return m, shell


def test_bb_fork_exec_returns_the_pid_and_inherits_the_environment(mmu: str) -> None:
    """C26: the child's pid comes back; envp=None passes the caller's environment."""
    m, shell = board(mmu)
    pid = bb_fork_exec(m, shell, "/bin/sleep", ["sleep", "10"])
    assert pid > 0
    child = m.process(pid)
    assert (shell.environ, ["sleep", "10"], "/bin/sleep") == (
        child.environ,
        child.argv,
        child.program,
    )
    other = bb_fork_exec(m, shell, "/bin/sleep", ["sleep"], {"TZ": "UTC"})
    assert {"TZ": "UTC"} == m.process(other).environ


@pytest.mark.parametrize(
    ("mmu", "policy", "primitive"),
    [
        ("paging", "by-mmu", "fork"),
        ("base+length", "by-mmu", "vfork"),
        ("none", "by-mmu", "vfork"),
        ("paging", "always-vfork", "vfork"),
        ("base+length", "always-vfork", "vfork"),
        ("none", "always-vfork", "vfork"),
    ],
)
def test_the_policy_picks_the_primitive_by_mmu(mmu: str, policy: str, primitive: str) -> None:
    """C27: by-mmu forks only with a paging MMU; always-vfork is BusyBox's spawn()."""
    m, shell = board(mmu)
    bb_fork_exec(m, shell, "/bin/sleep", ["sleep"], policy=policy)
    assert primitive == m.trace.of_kind("bb_fork_exec")[-1].detail["primitive"]
    assert (1 if primitive == "fork" else 0) == m.stats.forks


def test_exec_failure_through_the_shared_variable_leaves_no_zombie(mmu: str) -> None:
    """C28: the vfork child stores errno in the shared variable and _exit(111)s; the caller
    reaps it and returns -1 with errno ENOENT."""
    m, shell = board(mmu)
    assert -1 == bb_fork_exec(m, shell, "/bin/missing", ["missing"], policy="always-vfork")
    assert "ENOENT" == shell.errno
    assert [] == m.children(shell), "no zombie is left"
    assert exited(111) == m.trace.of_kind("exit")[-1].detail["status"]


def test_with_fork_only_the_exit_status_tells() -> None:
    """C29: after fork the variable is the child's own copy: the caller gets a pid, and only
    waiting shows the failure (status 111)."""
    m, shell = board("paging")
    pid = bb_fork_exec(m, shell, "/bin/missing", ["missing"], policy="by-mmu")
    assert pid > 0 and "" == shell.errno
    assert 111 == wait4pid(m, shell, pid)


def test_shells_map_exec_errors_to_127_and_126() -> None:
    """C29: ENOENT and friends give 127, anything else (EACCES) 126."""
    assert [127, 127, 126] == [shell_exit_status(e) for e in ("ENOENT", "ENOTDIR", "EACCES")]
    m, shell = board("paging")
    assert -1 == spawn(m, shell, ["/bin/secret"])
    assert (126, "EACCES") == (shell_exit_status(shell.errno), shell.errno)


def test_spawn_searches_path_and_always_vforks() -> None:
    m, shell = board("paging")
    pid = spawn(m, shell, ["sleep"])
    assert ("/bin/sleep", 0, 1) == (m.process(pid).program, m.stats.forks, m.stats.vforks)


def test_wait4pid_reports_exit_codes_and_signals(mmu: str) -> None:
    """C31: WEXITSTATUS; 0x180 + signal number; -1 with errno untouched for pid <= 0."""
    m, shell = board(mmu)
    assert 0 == spawn_and_wait(m, shell, ["true"])
    pid = spawn(m, shell, ["sleep"])
    m.kill(m.process(pid), SIGKILL)
    assert 0x180 + 9 == wait4pid(m, shell, pid)
    assert -1 == spawn(m, shell, ["nothere"])
    assert (-1, "ENOENT") == (wait4pid(m, shell, -1), shell.errno)


def test_xspawn_dies_with_a_message() -> None:
    m, shell = board("none")
    child = m.vfork(shell)
    m.execve(child, "/bin/sleep")
    assert -1 == xspawn(m, child, ["nothere"])
    assert State.ZOMBIE == child.state
    assert b"nothere: can't execute: ENOENT\n" == shell.fds[2].written


def daemon_board(mmu: str) -> tuple[Machine, Process]:
    """A shell that has started busybox syslogd, which daemonizes."""
    m = Machine(mmu=mmu, ram="8 MiB")

    def syslogd(m: Machine, p: Process) -> None:
        bb_daemonize_or_rexec(m, p, DAEMON_DEVNULL_STDIO, p.argv)

    m.install(BUSYBOX, image="256 KiB", main=busybox_main(syslogd))
    shell = m.start("/bin/sh", image="64 KiB")
    child = m.vfork(shell)
    m.execve(child, BUSYBOX, ["syslogd"])
    return m, shell


def test_daemonizing_without_an_mmu_reexecs_busybox(mmu: str) -> None:
    """C34: on NOMMU the child re-execs busybox with the 0x80 mark in argv[0][0]; the new
    image sees re_execed, argv[0] is restored, and the applet's main runs once per image.
    With an MMU a plain fork does it and main runs once."""
    m, _ = daemon_board(mmu)
    [daemon] = [p for p in m.processes.values() if p.variables.get("session_leader")]
    mains = [e.pid for e in m.trace.of_kind("main")]
    assert (1, ["syslogd"], "/dev/null") == (daemon.ppid, daemon.argv, daemon.fds[0].name)
    if mmu == "paging":
        assert (False, 1) == (re_execed(daemon), len(mains))
    else:
        assert (True, 2) == (re_execed(daemon), len(mains))
        assert [e.detail["program"] for e in m.trace.of_kind("re-exec")] == [BUSYBOX]


def test_vfork_then_exit_cannot_daemonize() -> None:
    """C34: `if (vfork()) exit(0);` leaves the parent suspended: it cannot exit while the
    would-be daemon runs on without exec."""
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    daemon = vfork_daemon(m, shell)
    with pytest.raises(ProcessBlocked):
        libc.exit(m, shell, 0)
    assert (State.BLOCKED, State.RUNNING) == (shell.state, daemon.state)


def test_a_daemon_always_gets_dev_null_on_its_standard_descriptors() -> None:
    """C34: bb_daemonize_or_rexec dup2()s /dev/null onto 0, 1 and 2 whatever the flags."""
    from forkdocs.userland.libbb import bb_daemonize_or_rexec

    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    daemon = bb_daemonize_or_rexec(m, shell, 0, ["sh"])
    assert {0: "/dev/null", 1: "/dev/null", 2: "/dev/null"} == {
        fd: f.name for fd, f in daemon.fds.items()
    }
