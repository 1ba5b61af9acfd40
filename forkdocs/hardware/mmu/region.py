"""Base+length (``"base+length"``): one contiguous physical region per process; address
``va`` is ``base + va`` when ``va < length``. fork copies the whole region."""

from __future__ import annotations

from collections.abc import Iterator

from forkdocs.hardware.memory import Extent
from forkdocs.hardware.mmu.base import AddressSpace, Hardware, Mapping
from forkdocs.hardware.segments import Image, Segment, consecutive_starts, lay_out


class RegionSpace(AddressSpace):
    """A base register and a length register: one contiguous region, no per-page protection."""

    kind = "base+length"
    fork_copies_everything = True

    def __init__(
        self, hw: Hardware, program: Image, segments: dict[str, Segment], region: Extent
    ) -> None:
        super().__init__(hw, program, segments)
        self.region = region

    @property
    def base(self) -> int:
        """The base register: the region's first physical address."""
        return self.region[0] * self.page_size

    @property
    def length(self) -> int:
        """The length register: how many bytes from ``base`` the process may touch."""
        return (self.region[1] - self.region[0]) * self.page_size

    @classmethod
    def load(cls, hw: Hardware, program: Image, pid: int) -> RegionSpace:
        """One contiguous region for the whole image, addressed from 0."""
        ps = hw.memory.page_size
        [region] = hw.memory.allocate(
            program.total_pages(ps),
            contiguous=True,
            purpose=f"loading {program.path} for pid {pid}",
        )
        return cls(hw, program, lay_out(program, ps, consecutive_starts(program, ps, 0)), region)

    def translate(self, va: int, *, write: bool, pid: int) -> int:
        if not 0 <= va < self.length:
            raise self._fault(
                pid, va, f"address is not below the length register ({self.length:#x})"
            )
        return self.base + va

    def duplicate(self, pid: int) -> RegionSpace:
        """A new region as large as the parent's, and every byte of it copied."""
        region = self._copy_block(self.region, f"fork of pid {pid}")
        child = RegionSpace(self.hw, self.program, self.segments, region)
        child.userland = self.copied_userland()
        return child

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.hw.memory.decref(*self.region)

    def mappings(self) -> Iterator[Mapping]:
        yield Mapping(0, self.region[0], self.region[1] - self.region[0], "rw")


# --- no MMU -----------------------------------------------------------------------------
