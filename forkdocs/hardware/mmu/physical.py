"""No MMU (``"none"``): no translation; addresses are physical and any process can reach
any memory. fork is not offered."""

from __future__ import annotations

from collections.abc import Iterator

from forkdocs.common.errors import NotSupported, OutOfMemory
from forkdocs.hardware.memory import Extent
from forkdocs.hardware.mmu.base import AddressSpace, Hardware, Mapping
from forkdocs.hardware.segments import Image, Segment, consecutive_starts, lay_out


class PhysicalSpace(AddressSpace):
    """No translation at all. Text is one block shared by every instance of the program (as
    FDPIC or execute-in-place allow); data, bss, heap and stack are one contiguous block."""

    kind = "none"

    def __init__(
        self, hw: Hardware, program: Image, segments: dict[str, Segment], block: Extent
    ) -> None:
        super().__init__(hw, program, segments)
        self.block = block

    @classmethod
    def load(cls, hw: Hardware, program: Image, pid: int) -> PhysicalSpace:
        """Text shared with other instances (or loaded once), and a fresh writable block."""
        ps, memory = hw.memory.page_size, hw.memory
        pages = program.pages(ps)
        purpose = f"loading {program.path} for pid {pid}"
        text = hw.shared_text.get(id(program))
        loaded_text = text is None
        if text is None:
            text = memory.allocate(pages["text"], contiguous=True, purpose=purpose)
        try:
            [block] = memory.allocate(
                program.total_pages(ps) - pages["text"], contiguous=True, purpose=purpose
            )
        except OutOfMemory:
            if loaded_text:
                memory.decref(*text[0])
            raise
        if not loaded_text:
            memory.incref(*text[0])
        hw.shared_text[id(program)] = text
        return cls(hw, program, cls._segments(program, ps, text, block), block)

    @staticmethod
    def _segments(program: Image, ps: int, text: list[Extent], block: Extent) -> dict[str, Segment]:
        starts = consecutive_starts(program, ps, block[0] * ps - program.pages(ps)["text"] * ps)
        starts["text"] = text[0][0] * ps
        return lay_out(program, ps, starts)

    def translate(self, va: int, *, write: bool, pid: int) -> int:
        if not 0 <= va < self.hw.memory.frames * self.page_size:
            raise self._fault(pid, va, "address is outside physical memory")
        return va

    def private_stack_start(self, block: Extent) -> int:
        return block[0] * self.page_size  # no translation: the block's own address

    can_copy = False

    def duplicate(self, pid: int) -> AddressSpace:
        """Refused: the kernel asks `can_copy` first and names the errno."""
        raise NotSupported(
            f"pid {pid}: there is no MMU, so a copy could not be given the parent's addresses"
        )

    def raw_copy(self) -> PhysicalSpace:
        """The thought experiment, not something Linux does: copy the writable block to new
        physical memory. Pointers inside the copy still hold the *old* addresses."""
        block = self._copy_block(self.block, "raw copy")
        text = self.hw.shared_text[id(self.program)]
        for start, end in text:
            self.hw.memory.incref(start, end)
        segments = self._segments(self.program, self.page_size, text, block)
        copy = PhysicalSpace(self.hw, self.program, segments, block)
        copy.userland = self.copied_userland()
        return copy

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        memory = self.hw.memory
        text = self.hw.shared_text[id(self.program)]
        for start, end in [*text, self.block]:
            memory.decref(start, end)
        if memory.refcount(text[0][0]) == 0:
            del self.hw.shared_text[id(self.program)]

    def mappings(self) -> Iterator[Mapping]:
        for start, end in [*self.hw.shared_text[id(self.program)], self.block]:
            yield Mapping(start, start, end - start, "rw")


# --- a clone(CLONE_VM) child with a stack of its own --------------------------------------
