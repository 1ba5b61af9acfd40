"""No MMU: addresses are physical, fork is not offered (C11-C13)."""

import pytest

from forkdocs import InvalidArgument, Machine, NotSupported, OutOfMemory, Program, State
from forkdocs.kernel.syscalls import Arch

from ..helpers import machine_with_shell


def test_fork_fails_with_enosys_and_creates_nothing() -> None:
    """C11: fork without an MMU fails with ENOSYS; the process count does not change."""
    m, shell = machine_with_shell("none")
    count = len(m.processes)
    with pytest.raises(NotSupported, match="no MMU"):
        m.fork(shell)
    assert (-1, "ENOSYS", count) == (shell.retval, shell.errno, len(m.processes))


def test_any_process_can_write_any_memory() -> None:
    """Without an MMU one process's address is another's: no protection at all."""
    m, shell = machine_with_shell("none")
    other = m.start("/bin/ls")
    other.write(shell.heap, b"boo")
    assert shell.read(shell.heap, 3) == b"boo"


def test_raw_copy_keeps_pointers_into_the_parent() -> None:
    """C12 (no-MMU half): a copy at new physical addresses still points at the old objects;
    writing through the copied pointer changes the parent."""
    m, shell = machine_with_shell("none")
    node = shell.heap + 64
    shell.write_word(shell.heap, node)  # head -> node
    shell.write_word(node, 42)
    child = m.raw_copy(shell)
    assert child.heap != shell.heap
    pointer = child.read_word(child.heap)
    assert [shell.pid] == m.holders(child.translate(pointer))
    child.write_word(pointer, 99)
    assert shell.read_word(node) == 99


def test_raw_copy_is_only_the_no_mmu_thought_experiment() -> None:
    m, shell = machine_with_shell("paging")
    with pytest.raises(InvalidArgument, match="thought experiment"):
        m.raw_copy(shell)


def test_loader_relocates_recorded_pointers_and_text_is_shared() -> None:
    """C13: the loader fixes up recorded pointers (load address + offset); two instances get
    separate data but one copy of the text."""
    m = Machine(mmu="none", ram="1 MiB")
    # a pointer stored at image offset 8192 (start of data) to image offset 8200
    m.install(Program.of("/bin/app", text="8 KiB", data="4 KiB", relocations=((8192, 8200),)))
    first, second = m.start("/bin/app"), m.start("/bin/app")
    for process in (first, second):
        assert process.data + 8 == process.read_word(process.data)
    assert first.data != second.data
    assert first.text == second.text
    assert m.memory.refcount(first.text // m.page_size) == 2


@pytest.mark.parametrize(
    ("arch", "error", "errno"),
    [("riscv64", NotSupported, "ENOSYS"), ("m68k", InvalidArgument, "EINVAL")],
)
def test_forks_refusal_follows_the_architectures_system_calls(
    arch: Arch, error: type[Exception], errno: str
) -> None:
    """RISC-V has no fork system call (ENOSYS, tests/nommu/); m68k keeps one that a no-MMU
    kernel refuses (EINVAL, ../shared/reference/nommu.md)."""
    m = Machine(mmu="none", arch=arch)
    shell = m.start("/bin/sh", image="64 KiB")
    with pytest.raises(error, match="no MMU"):
        m.fork(shell)
    assert (-1, errno) == (shell.retval, shell.errno)


def test_clone_without_clone_vm_shares_memory_and_stack_and_runs_at_once() -> None:
    """C50: what a C library's fork() gets without an MMU: a child in the parent's memory, the
    parent not suspended, one stack for both."""
    m, shell = machine_with_shell("none")
    child = m.clone(shell, vm=False, suspend=False)
    assert (State.RUNNING, State.RUNNING) == (shell.state, child.state)
    assert child.space is shell.space and child.sp == shell.sp
    child.write_word(shell.data, 42)
    assert 42 == shell.read_word(shell.data)
    assert {"vm": False, "suspend": False} == {
        key: m.trace.of_kind("clone")[-1].detail[key] for key in ("vm", "suspend")
    }


def test_clone_without_clone_vm_copies_where_there_is_an_mmu() -> None:
    m, shell = machine_with_shell("paging")
    child = m.clone(shell, vm=False, suspend=False)
    child.write_word(shell.data, 42)
    assert (42, 0) == (child.read_word(shell.data), shell.read_word(shell.data))


def test_clone_without_clone_vm_takes_no_stack_of_its_own() -> None:
    m, shell = machine_with_shell("none")
    count = len(m.processes)
    with pytest.raises(InvalidArgument, match="stack='new' goes with CLONE_VM"):
        m.clone(shell, vm=False, stack="new")
    assert count == len(m.processes)


def test_an_execd_child_reaches_the_parents_variable_through_its_raw_address() -> None:
    """C51: without an MMU the exec'd program has memory of its own at other addresses, yet
    the parent's address still names the parent's variable, for reading and writing."""
    m, shell = machine_with_shell("none")
    shell.write_word(shell.data, 42)
    child = m.vfork(shell)
    m.execve(child, "/bin/ls")
    assert child.data != shell.data
    assert 42 == child.read_word(shell.data)
    child.write_word(shell.data, 99)
    assert 99 == shell.read_word(shell.data)


def test_scattered_free_memory_cannot_hold_one_larger_block() -> None:
    """C53: each image is one run of physical memory, so with every other 64 KiB block freed
    half the memory is free and a 128 KiB image still does not fit."""
    m = Machine(mmu="none", ram="1 MiB")
    m.install("/bin/block", text="4 KiB", data="56 KiB", stack="4 KiB")
    m.install("/bin/big", text="4 KiB", data="120 KiB", stack="4 KiB")
    blocks = []
    with pytest.raises(OutOfMemory):
        while True:
            blocks.append(m.start("/bin/block"))
    for block in blocks[::2]:
        m.kill(block, 9)
    use = m.memory_use()
    assert (use.total - use.used) * use.page_size >= 4 * 128 * 1024
    with pytest.raises(OutOfMemory, match="contiguous"):
        m.start("/bin/big")
    assert m.start("/bin/block").pid > 0
