"""vfork as the kernel does it: suspension, shared memory, copied fds, release on exec (C14-C16, C24, C37)."""

import pytest

from forkdocs import SIGTERM, WIFSIGNALED, WTERMSIG, ProcessBlocked, State

from .helpers import machine_with_shell


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
    assert [e.kind for e in m.trace.since(mark)] == ["block", "exec", "mm-release", "wake"]


def test_signals_to_the_suspended_parent_wait_for_the_release(mmu: str) -> None:
    """C14: a signal sent to the parent is delivered after the child releases the memory."""
    m, shell = machine_with_shell(mmu)
    child = m.vfork(shell)
    m.kill(shell, SIGTERM)
    assert shell.state == State.BLOCKED
    m._exit(child, 0)
    assert shell.state == State.REAPED, "killed, then reaped by init, its parent"
    assert WIFSIGNALED(shell.status or 0) and WTERMSIG(shell.status or 0) == SIGTERM


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
