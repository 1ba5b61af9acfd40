"""Base+length MMU: fork copies the whole region (C7, C9) and addresses are offsets (C12)."""

import pytest

from forkdocs import SIGSEGV, WTERMSIG, Machine, OutOfMemory, SegmentationFault, State
from forkdocs.hardware.mmu import RegionSpace

from ..helpers import machine_with_shell


@pytest.mark.parametrize("child_image", ["20 KiB", "64 KiB", "800 KiB"])
def test_spike_is_the_parents_size_whatever_the_child(child_image: str) -> None:
    """C7: fork+exec peaks at 2P; the spike follows the parent's size, not the child's."""
    m, shell = machine_with_shell("base+length")
    m.install("/bin/tool", image=child_image)
    m.mark()
    baseline = m.memory_use().used
    child = m.fork(shell)
    m.execve(child, "/bin/tool")
    assert m.memory_use().peak - baseline == 256
    assert m.stats.pages_copied == 256


def test_fork_fails_with_enomem_on_a_small_board_where_cow_and_vfork_succeed() -> None:
    """C9: RAM = 1.5 P: the full copy cannot fit; copy-on-write fork and vfork both work."""
    outcomes = {}
    for mmu, call in (("base+length", "fork"), ("paging", "fork"), ("base+length", "vfork")):
        m = Machine(mmu=mmu, ram="1536 KiB")
        shell = m.start("/bin/sh", image="1 MiB")
        count = len(m.processes)
        try:
            getattr(m, call)(shell)
            outcomes[mmu, call] = "ok"
        except OutOfMemory:
            outcomes[mmu, call] = shell.errno
            assert count == len(m.processes), "no child was created"
    assert outcomes == {
        ("base+length", "fork"): "ENOMEM",
        ("paging", "fork"): "ok",
        ("base+length", "vfork"): "ok",
    }


def test_fork_fails_when_no_hole_is_large_enough_although_enough_is_free() -> None:
    """C9 (fragmentation): the copy needs one contiguous region."""
    m = Machine(mmu="base+length", ram="3 MiB")
    a = m.start("/bin/a", image="1 MiB")
    gap = m.start("/bin/gap", image="512 KiB")
    m.start("/bin/b", image="1 MiB")  # 512 KiB are left at the top
    m._exit(gap, 0)  # frees a 512 KiB hole between a and b: 1 MiB free in all
    assert (m.memory_use().free, m.memory.largest_hole()) == (256, 128)
    with pytest.raises(OutOfMemory, match="largest free hole"):
        m.fork(a)


def test_addresses_past_the_length_register_fault_and_kill() -> None:
    """VA < length maps to base + VA; anything else is a segmentation fault."""
    m, shell = machine_with_shell("base+length")
    child = m.fork(shell)
    space = child.space
    assert isinstance(space, RegionSpace)
    assert child.translate(0x10) == space.base + 0x10
    with pytest.raises(SegmentationFault, match="length register") as caught:
        child.read(space.length, 1)
    assert (child.pid, State.ZOMBIE) == (caught.value.pid, child.state)
    assert WTERMSIG(m.waitpid(shell)[1]) == SIGSEGV


def test_copied_pointers_resolve_into_the_childs_own_region() -> None:
    """C12 (base+length half): pointers are offsets, so the copy's pointers reach the copy."""
    m, shell = machine_with_shell("base+length")
    shell.write_word(shell.heap, shell.heap + 64)  # a list node pointing at the next node
    child = m.fork(shell)
    pointer = child.read_word(child.heap)
    assert [child.pid] == m.holders(child.translate(pointer))
