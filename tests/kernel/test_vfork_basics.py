"""vfork as the kernel does it: suspension, shared memory, copied fds, release on exec (C14-C16, C24, C37)."""

import pytest

from forkdocs import (
    SIGKILL,
    SIGQUIT,
    SIGTERM,
    SIGTSTP,
    SIGUSR1,
    WCOREDUMP,
    WIFSIGNALED,
    WTERMSIG,
    ProcessBlocked,
    State,
)

from ..helpers import machine_with_shell


def test_parent_is_suspended_until_the_child_execs(mmu: str) -> None:
    """C14: from vfork until exec the parent cannot run; it wakes right after."""
    m, shell = machine_with_shell(mmu)
    child = m.vfork(shell)
    assert shell.state == State.BLOCKED
    with pytest.raises(ProcessBlocked, match=f"suspended in vfork.*pid {child.pid}"):
        shell.read(shell.heap, 1)
    mark = m.trace.of_kind("vfork")[-1]
    m.execve(child, "/bin/ls")
    assert shell.state == State.RUNNING
    assert [e.kind for e in m.trace.since(mark)] == ["block", "exec", "mm-release", "wake", "map"]


def test_a_fatal_default_signal_kills_the_suspended_parent_at_once(mmu: str) -> None:
    """C14: the vfork wait is killable: SIGTERM with its default action kills the parent
    while the child still runs in its memory."""
    m, shell = machine_with_shell(mmu)
    child = m.vfork(shell)
    m.kill(shell, SIGTERM)
    assert State.REAPED == shell.state, "killed, then reaped by init, its parent"
    assert (True, SIGTERM) == (WIFSIGNALED(shell.status or 0), WTERMSIG(shell.status or 0))
    assert State.RUNNING == child.state
    child.write(child.heap, b"still mine")  # the memory lives on for the child
    m.execve(child, "/bin/ls")


@pytest.mark.parametrize(
    ("signo", "setup", "after_release"),
    [
        (SIGTERM, "handler", "handler"),
        (SIGTERM, "block", "pending"),
        (SIGTSTP, "", "stop"),
        (SIGQUIT, "", "core"),
    ],
)
def test_other_signals_wait_for_the_release(
    mmu: str, signo: int, setup: str, after_release: str
) -> None:
    """C14: a handled, blocked, stop or core-dumping signal waits until the child lets go
    of the memory, then acts."""
    m, shell = machine_with_shell(mmu)
    if setup == "handler":
        m.sigaction(shell, signo, "handler")
    elif setup == "block":
        m.sigprocmask(shell, "block", [signo])
    child = m.vfork(shell)
    m.kill(shell, signo)
    assert State.BLOCKED == shell.state
    assert [signo] == shell.pending_signals
    m._exit(child, 0)
    kinds = [e.kind for e in m.trace.events if e.pid == shell.pid][-1]
    expected = {"handler": "handler", "pending": "wake", "stop": "stop", "core": "exit"}
    assert expected[after_release] == kinds
    if after_release == "core":
        assert (SIGQUIT, False) == (WTERMSIG(shell.status or 0), WCOREDUMP(shell.status or 0))


def test_a_signal_arriving_while_another_is_pending_waits(mmu: str) -> None:
    """C14: with a handled signal already pending, even a fatal SIGTERM waits for the release
    (the kernel finds no thread that wants it); SIGKILL never waits."""
    m, shell = machine_with_shell(mmu)
    m.sigaction(shell, SIGUSR1, "handler")
    child = m.vfork(shell)
    m.kill(shell, SIGUSR1)
    m.kill(shell, SIGTERM)
    assert State.BLOCKED == shell.state
    m.kill(shell, SIGKILL)
    assert SIGKILL == WTERMSIG(shell.status or 0)
    m._exit(child, 0)


def test_a_pending_fatal_signal_wins_over_a_pending_handler(mmu: str) -> None:
    """C14: a handled SIGUSR1 and a default SIGTERM wait together; at the release SIGTERM
    kills the parent before the handler ever runs (measured: no handler output)."""
    m, shell = machine_with_shell(mmu)
    m.sigaction(shell, SIGUSR1, "handler")
    child = m.vfork(shell)
    m.kill(shell, SIGUSR1)
    m.kill(shell, SIGTERM)
    m._exit(child, 0)
    assert SIGTERM == WTERMSIG(shell.status or 0)
    assert [] == m.trace.of_kind("handler")


def test_child_writes_to_globals_and_locals_are_the_parents(mmu: str) -> None:
    """C15: the vfork child shares all memory, stack included (APUE: 7/89 after vfork)."""
    m, shell = machine_with_shell(mmu)
    glob, var = shell.data, shell.stack + 128
    shell.write_word(glob, 6)
    shell.write_word(var, 88)
    child = m.vfork(shell)
    child.write_word(glob, child.read_word(glob) + 1)
    child.write_word(var, child.read_word(var) + 1)
    m._exit(child, 0)
    assert (shell.read_word(glob), shell.read_word(var)) == (7, 89)


def test_fork_child_writes_stay_in_the_child() -> None:
    """C15 (contrast): after fork the parent keeps 6/88."""
    m, shell = machine_with_shell("paging")
    glob, var = shell.data, shell.stack + 128
    shell.write_word(glob, 6)
    shell.write_word(var, 88)
    child = m.fork(shell)
    child.write_word(glob, 7)
    child.write_word(var, 89)
    assert (shell.read_word(glob), shell.read_word(var)) == (6, 88)


def test_vfork_child_has_its_own_fd_table(mmu: str) -> None:
    """C16: closing fd 0 in the vfork child leaves the parent's fd 0 open."""
    m, shell = machine_with_shell(mmu)
    child = m.vfork(shell)
    m.close(child, 0)
    assert 0 not in child.fds and 0 in shell.fds


def test_after_exec_both_run(mmu: str) -> None:
    """C24: vfork forbids sharing memory, not running at the same time."""
    m, shell = machine_with_shell(mmu)
    child = m.vfork(shell)
    m.execve(child, "/bin/ls")
    assert (shell.state, child.state) == (State.RUNNING, State.RUNNING)
    shell.write(shell.heap, b"p")
    child.write(child.heap, b"c")
    assert (shell.read(shell.heap, 1), child.read(child.heap, 1)) == (b"p", b"c")


def test_exec_loads_the_new_image_into_new_frames_then_releases(mmu: str) -> None:
    """C37: the new image's frames are allocated at exec, not at vfork; then the borrowed
    memory goes back and the parent wakes, in that order."""
    m, shell = machine_with_shell(mmu)
    used = m.memory_use().used
    child = m.vfork(shell)
    assert used == m.memory_use().used
    m.execve(child, "/bin/ls")
    assert m.memory_use().used > used
    assert not set(range(child.translate(child.text), child.translate(child.text) + 1)) & {
        shell.translate(shell.text)
    }
    kinds = m.trace.kinds()
    assert kinds.index("exec") < kinds.index("mm-release") < kinds.index("wake")
