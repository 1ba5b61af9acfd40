import pytest

from forkdocs import OutOfMemory
from forkdocs.hardware.memory import PhysicalMemory


def test_allocation_counts_used_and_peak_and_free_returns_frames() -> None:
    ram = PhysicalMemory(64 * 4096, 4096)
    [(start, end)] = ram.allocate(16, contiguous=True, purpose="test")
    assert (ram.used, ram.peak) == (16, 16)
    assert ram.decref(start, end) == 16
    assert (ram.used, ram.peak) == (0, 16)
    ram.mark()
    assert ram.peak == 0


def test_failed_allocation_changes_nothing() -> None:
    ram = PhysicalMemory(8 * 4096, 4096)
    ram.allocate(6, contiguous=False, purpose="a")
    with pytest.raises(OutOfMemory, match="needs 3 frames"):
        ram.allocate(3, contiguous=False, purpose="b")
    assert (ram.used, ram.use().free) == (6, 2)


def test_contiguous_allocation_fails_on_fragmentation_although_enough_is_free() -> None:
    ram = PhysicalMemory(8 * 4096, 4096)
    blocks = [ram.allocate(2, contiguous=True, purpose="x")[0] for _ in range(4)]
    ram.decref(*blocks[0])
    ram.decref(*blocks[2])
    assert (ram.use().free, ram.largest_hole()) == (4, 2)
    with pytest.raises(OutOfMemory, match="largest free hole is 2 frames"):
        ram.allocate(3, contiguous=True, purpose="y")


def test_contents_are_sparse_and_forgotten_when_freed() -> None:
    ram = PhysicalMemory(1 << 30, 4096)
    [(start, end)] = ram.allocate(262144, contiguous=True, purpose="big")
    assert bytes(3) == ram.read(12345, 3)
    ram.write(4095, b"ab")  # spans two frames
    assert (ram.read(4095, 2), ram.written_frames()) == (b"ab", 2)
    ram.decref(start, end)
    assert ram.written_frames() == 0
