"""fork on every MMU kind: return values, failures, vfork's peak, overcommit, files (C1, C8, C10, C32, C36)."""

import pytest

from forkdocs import Machine, OutOfMemory, TryAgain

from ..helpers import machine_with_shell


@pytest.mark.parametrize("mmu", ["paging", "base+length"])
def test_fork_returns_the_pid_in_the_parent_and_zero_in_the_child(mmu: str) -> None:
    """C1: the parent gets the child's pid (> 0), the child 0."""
    m, shell = machine_with_shell(mmu)
    child = m.fork(shell)
    assert (child.pid, 0, shell.pid) == (shell.retval, child.retval, child.ppid)
    assert child.pid > 0


def test_failed_fork_returns_minus_one_and_creates_nothing() -> None:
    """C1: on failure fork returns -1 in the parent, sets errno, and no child exists."""
    m, shell = machine_with_shell("base+length", ram="1536 KiB")
    before = dict(m.processes)
    with pytest.raises(OutOfMemory):
        m.fork(shell)
    assert (-1, "ENOMEM", before) == (shell.retval, shell.errno, m.processes)


def test_vfork_then_exec_peaks_at_parent_plus_child_on_every_mmu(mmu: str) -> None:
    """C8: vfork allocates nothing for the parent's image; the peak is P + C, after exec."""
    m, shell = machine_with_shell(mmu)
    m.mark()
    before = m.memory_use().used
    child = m.vfork(shell)
    assert before == m.memory_use().used, "vfork allocated no frame"
    m.execve(child, "/bin/ls")
    ls_frames = 16 + (1 if mmu == "paging" else 0)  # 64 KiB, and a page-table page with paging
    assert before + ls_frames == m.memory_use().peak == m.memory_use().used


def test_strict_overcommit_fails_a_cow_fork_but_not_vfork() -> None:
    """C10: under strict overcommit the child's private pages are charged in full, so a COW
    fork can fail with ENOMEM while copying nothing; vfork needs no commit."""
    m = Machine(mmu="paging", ram="8 MiB", overcommit="strict", commit_ratio=50)
    shell = m.start("/bin/sh", image="3 MiB")  # 2.25 MiB writable of a 4 MiB limit
    with pytest.raises(OutOfMemory, match="commit limit"):
        m.fork(shell)
    assert m.stats.pages_copied == 0
    m.install("/bin/ls", image="64 KiB")
    child = m.vfork(shell)
    m.execve(child, "/bin/ls")


def test_full_process_table_gives_eagain() -> None:
    """C32 (EAGAIN): a full table, zombies included, makes the next fork fail."""
    m = Machine(mmu="paging", ram="8 MiB", max_processes=3)
    shell = m.start("/bin/sh", image="64 KiB")  # init + shell
    child = m.fork(shell)
    m._exit(child, 0)  # a zombie still holds its slot
    with pytest.raises(TryAgain, match="3 of 3 entries"):
        m.fork(shell)
    m.waitpid(shell, child.pid)
    m.fork(shell)


def test_children_share_open_file_offsets(mmu: str) -> None:
    """C36: fork copies the fd table, but both point at one open file description."""
    m, shell = machine_with_shell(mmu)
    fd = m.open(shell, "/var/log/messages")
    child = m.vfork(shell) if mmu == "none" else m.fork(shell)
    m.write_fd(child, fd, b"12345")
    assert shell.fds[fd].offset == 5
