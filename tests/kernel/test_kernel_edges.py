"""Edge cases of the kernel found in review: killing a suspended parent, signal 0, ENOSYS first."""

import pytest

from forkdocs import (
    SIGKILL,
    InvalidArgument,
    Machine,
    NoChild,
    NotSupported,
    OutOfMemory,
    ProcessBlocked,
    ProcessGone,
    State,
    TryAgain,
)

from ..helpers import machine_with_shell


def test_sigkill_to_a_suspended_parent_leaves_the_child_its_memory(mmu: str) -> None:
    """SIGKILL ends a vfork parent at once, but the child keeps using the memory until it
    execs or exits; only then is it given back."""
    m, shell = machine_with_shell(mmu)
    alone = m.memory_use().used
    middle = m.vfork(shell) if mmu == "none" else m.fork(shell)
    if mmu == "none":
        m.execve(middle, "/bin/ls")
    used = m.memory_use().used
    child = m.vfork(middle)
    m.kill(middle, SIGKILL)
    assert State.ZOMBIE == middle.state
    assert used == m.memory_use().used, "nothing was freed under the child"
    child.write(child.heap, b"still mine")
    assert b"still mine" == child.read(child.heap, 10)
    m._exit(child, 0)
    assert State.ZOMBIE == middle.state, "the dead parent is not woken back to life"
    m.waitpid(shell, middle.pid)
    assert alone == m.memory_use().used, "everything the middle process held came back"


def test_signal_zero_only_checks_existence() -> None:
    m, shell = machine_with_shell("paging")
    m.kill(shell, 0)
    assert State.RUNNING == shell.state
    with pytest.raises(InvalidArgument, match="not a signal"):
        m.kill(shell, 99)


def test_fork_without_an_mmu_is_enosys_even_with_a_full_table() -> None:
    """C11: ENOSYS is the answer on no-MMU hardware, whatever else would fail."""
    m = Machine(mmu="none", ram="8 MiB", max_processes=2)
    shell = m.start("/bin/sh", image="64 KiB")
    with pytest.raises(NotSupported):
        m.fork(shell)
    with pytest.raises(TryAgain):
        m.vfork(shell)


def test_a_suspended_parent_cannot_change_its_sigchld_disposition() -> None:
    m, shell = machine_with_shell("paging")
    m.vfork(shell)
    with pytest.raises(ProcessBlocked):
        m.ignore_sigchld(shell)


def test_out_of_memory_in_a_copy_on_write_fault_kills_the_writer() -> None:
    m = Machine(mmu="paging", ram="1032 KiB")  # 258 frames: the shell, its table, one more
    shell = m.start("/bin/sh", image="1 MiB")
    child = m.fork(shell)
    with pytest.raises(OutOfMemory, match="copy-on-write fault"):
        child.write(child.heap, b"x")
    assert State.ZOMBIE == child.state


def test_a_string_argv_is_refused_not_split_into_letters() -> None:
    from forkdocs.userland.libbb import bb_fork_exec

    m, shell = machine_with_shell("paging")
    with pytest.raises(InvalidArgument, match="argv must be a list"):
        bb_fork_exec(m, shell, "/bin/ls", "ls")  # type: ignore[arg-type]
    child = m.fork(shell)
    with pytest.raises(InvalidArgument, match="argv must be a list"):
        m.execve(child, "/bin/ls", "ls")  # type: ignore[arg-type]


def test_an_exited_process_says_so_when_its_memory_is_asked_for() -> None:
    m, shell = machine_with_shell("paging")
    child = m.fork(shell)
    m.kill(child, SIGKILL)
    with pytest.raises(ProcessGone, match=f"pid {child.pid} has exited \\(killed by SIGKILL\\)"):
        child.write(child.heap, b"x")
    assert "/bin/sh" in repr(child)


def test_messages_name_the_call_and_the_choices() -> None:
    m, shell = machine_with_shell("paging")
    m.vfork(shell)
    with pytest.raises(ProcessBlocked, match="cannot vfork"):
        m.vfork(shell)
    with pytest.raises(InvalidArgument, match="unknown segment heapp"):
        m.start("/bin/a", heapp="1 KiB")
    with pytest.raises(NoChild, match="has no child with pid 99"):
        m.waitpid(m.start("/bin/ls"), 99)
    assert "<Machine mmu=paging ram=8 MiB processes=4" in repr(m)  # init, sh, its child, ls


def test_a_clone_of_a_clone_gets_its_own_stack_where_it_sees_it() -> None:
    """Without an MMU a private stack is addressed at its own physical block, however deep."""
    m, shell = machine_with_shell("none")
    child = m.clone(shell, stack="new", suspend=False)
    grandchild = m.clone(child, stack="new", suspend=False)
    grandchild.write_word(grandchild.stack, 7)
    assert grandchild.translate(grandchild.stack) == grandchild.stack
    assert [grandchild.pid] == m.holders(grandchild.stack)


def test_start_refuses_a_string_argv() -> None:
    m = Machine(mmu="paging", ram="8 MiB")
    with pytest.raises(InvalidArgument, match="argv must be a list"):
        m.start("/bin/sh", image="64 KiB", argv="sh -c ls")  # type: ignore[arg-type]
