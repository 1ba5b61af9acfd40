"""Signals outside vfork: dispositions, masks, stops, cores, init and zombies (C31)."""

from __future__ import annotations

import pytest

from forkdocs import (
    SIGCHLD,
    SIGCONT,
    SIGKILL,
    SIGSTOP,
    SIGTERM,
    SIGTSTP,
    SIGUSR1,
    WNOHANG,
    WUNTRACED,
    InvalidArgument,
    Machine,
    NoSuchProcess,
    ProcessBlocked,
    State,
)
from forkdocs.kernel.signals import default_action, signal_name
from forkdocs.kernel.wait import WCOREDUMP, WIFSTOPPED, WSTOPSIG, describe, signaled, stopped


def test_default_actions_follow_signal_7() -> None:
    """C31: terminate, core, stop, continue and ignore, by signal."""
    assert ["terminate", "core", "stop", "continue", "ignore"] == [
        default_action(signo) for signo in (SIGTERM, 3, SIGTSTP, SIGCONT, SIGCHLD)
    ]
    assert ("SIGUSR1", "signal 40 (real-time)") == (signal_name(SIGUSR1), signal_name(40))


def test_a_handled_signal_runs_its_handler_and_the_process_goes_on() -> None:
    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    assert "default" == m.sigaction(shell, SIGTERM, "handler")
    m.kill(shell, SIGTERM)
    assert State.RUNNING == shell.state
    assert [SIGTERM] == [e.detail["signo"] for e in m.trace.of_kind("handler")]


def test_a_blocked_signal_waits_until_unblocked() -> None:
    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    m.sigprocmask(shell, "block", [SIGTERM, SIGKILL])  # SIGKILL cannot be blocked
    assert {SIGTERM} == shell.blocked_signals
    m.kill(shell, SIGTERM)
    assert (State.RUNNING, [SIGTERM]) == (shell.state, shell.pending_signals)
    m.sigprocmask(shell, "unblock", [SIGTERM])
    assert "killed by SIGTERM" == describe(shell.status or 0)


def test_a_stop_is_reported_with_wuntraced_once_and_sigcont_resumes() -> None:
    """C31: a stopped child is not dead: waitpid(WUNTRACED) reports 0x7f | sig << 8 once."""
    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    child = m.fork(shell)
    m.kill(child, SIGTSTP)
    with pytest.raises(ProcessBlocked, match="stopped by a signal; send it SIGCONT"):
        child.write(child.heap, b"x")
    assert (0, 0) == m.waitpid(shell, child.pid, WNOHANG), "a stop needs WUNTRACED"
    pid, status = m.waitpid(shell, child.pid, WUNTRACED)
    assert (child.pid, stopped(SIGTSTP), True, SIGTSTP) == (
        pid,
        status,
        WIFSTOPPED(status),
        WSTOPSIG(status),
    )
    assert (0, 0) == m.waitpid(shell, child.pid, WUNTRACED | WNOHANG), "reported once"
    m.kill(child, SIGTERM)
    assert State.STOPPED == child.state, "a stopped process takes no signal but SIGKILL"
    m.kill(child, SIGCONT)
    assert "killed by SIGTERM" == describe(child.status or 0), "taken once continued"


def test_a_core_is_dumped_only_when_allowed_and_inherited() -> None:
    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    m.allow_core_dumps(shell)
    child = m.fork(shell)
    m.kill(child, 3)
    assert (signaled(3, core=True), True) == (child.status, WCOREDUMP(child.status or 0))


def test_init_drops_a_signal_it_has_no_handler_for() -> None:
    """Linux protects init: SIGKILL and SIGTERM sent to pid 1 are dropped."""
    m = Machine()
    m.kill(m.init, SIGKILL)
    assert State.RUNNING == m.init.state


def test_a_zombie_accepts_a_signal_and_a_reaped_process_is_gone() -> None:
    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    child = m.fork(shell)
    m._exit(child, 4)
    m.kill(child, SIGKILL)
    assert "exited 4" == describe(child.status or 0), "a zombie's status does not change"
    m.waitpid(shell, child.pid)
    with pytest.raises(NoSuchProcess, match="ESRCH"):
        m.kill(child, SIGTERM)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m, p: m.kill(p, 65), "not a signal number"),
        (lambda m, p: m.kill(p, "9"), "signo must be int"),
        (lambda m, p: m.sigaction(p, SIGKILL, "handler"), "cannot be handled"),
        (lambda m, p: m.sigaction(p, SIGSTOP, "ignore"), "cannot be handled"),
        (lambda m, p: m.sigaction(p, SIGTERM, "catch"), "disposition must be one of"),
        (lambda m, p: m.sigprocmask(p, "add", [SIGTERM]), "how must be"),
        (lambda m, p: m.waitpid(p, -1, 8), "unknown option bits"),
        (lambda m, p: Machine(libc="uclibc"), "libc must be one of"),
        (lambda m, p: Machine(abi="arm"), "abi must be one of"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_error(call: object, message: str) -> None:
    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    with pytest.raises(InvalidArgument, match=message):
        call(m, shell)  # type: ignore[operator]
