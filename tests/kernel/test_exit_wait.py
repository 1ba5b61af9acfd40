"""_exit, exit, waitpid, zombies and orphans (C31-C33)."""

import pytest

from forkdocs import SIGKILL, WEXITSTATUS, WIFEXITED, WNOHANG, WTERMSIG, NoChild, State, WouldBlock

from ..helpers import end_child, machine_with_shell


@pytest.mark.parametrize("call", ["_exit", "exit"])
def test_only_the_low_eight_bits_of_the_status_reach_the_parent(call: str) -> None:
    """C31: _exit(256) and exit(256) read as 0; _exit(3) as 3."""
    m, shell = machine_with_shell("paging")
    codes = []
    for status in (256, 3, 511):
        child = m.fork(shell)
        end_child(m, child, call, status)
        _, wstatus = m.waitpid(shell, child.pid)
        assert WIFEXITED(wstatus)
        codes.append(WEXITSTATUS(wstatus))
    assert codes == [0, 3, 255]


def test_signal_death_is_reported_as_such() -> None:
    """C31: a child killed by a signal gives WIFSIGNALED with WTERMSIG."""
    m, shell = machine_with_shell("paging")
    child = m.fork(shell)
    m.kill(child, SIGKILL)
    _, status = m.waitpid(shell)
    assert (WIFEXITED(status), WTERMSIG(status)) == (False, SIGKILL)


def test_zombie_until_reaped_and_wnohang() -> None:
    """C32: an exited child stays a zombie until waitpid returns it; WNOHANG does not block."""
    m, shell = machine_with_shell("paging")
    child = m.fork(shell)
    assert m.waitpid(shell, -1, WNOHANG) == (0, 0)
    with pytest.raises(WouldBlock, match="still running"):
        m.waitpid(shell)
    m._exit(child, 7)
    assert m.process(child.pid).state == State.ZOMBIE
    assert child.pid == m.waitpid(shell)[0]
    assert child.pid not in m.processes
    with pytest.raises(NoChild):
        m.waitpid(shell)
    assert (shell.retval, shell.errno) == (-1, "ECHILD")


def test_only_direct_children_are_reparented_to_init_which_reaps_them() -> None:
    """C33: when a parent exits its children go to init (pid 1); grandchildren stay put;
    init reaps an adopted child when it exits."""
    m, shell = machine_with_shell("paging")
    child = m.fork(shell)
    grandchild = m.fork(child)
    m._exit(shell, 0)
    assert (1, child.pid) == (child.ppid, grandchild.ppid)
    m._exit(child, 0)
    assert child.pid not in m.processes, "init reaped it"
    assert grandchild.ppid == 1


def test_ignoring_sigchld_means_no_zombies_and_echild() -> None:
    """C33: with SIGCHLD ignored children do not become zombies, and wait fails with ECHILD."""
    m, shell = machine_with_shell("paging")
    m.ignore_sigchld(shell)
    child = m.fork(shell)
    m._exit(child, 0)
    assert child.pid not in m.processes
    with pytest.raises(NoChild, match="ignores SIGCHLD"):
        m.waitpid(shell)
