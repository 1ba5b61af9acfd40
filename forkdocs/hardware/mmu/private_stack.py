"""The view of a clone(CLONE_VM) child with a stack of its own, over any kind of memory."""

from __future__ import annotations

from collections.abc import Iterator

from forkdocs.common.errors import NotModelled
from forkdocs.hardware.memory import Extent
from forkdocs.hardware.mmu.base import AddressSpace, Mapping
from forkdocs.hardware.segments import Segment


class PrivateStackSpace(AddressSpace):
    """The memory of a child made by clone(CLONE_VM) with a separate stack: every address is
    the parent's, except a stack block of the child's own (a fresh one, as glibc's
    posix_spawn maps, or a copy of the parent's, as in the copy-only-the-stack thought
    experiment). The C library state is the parent's too. Releasing it frees only the stack."""

    kind = "shared"
    shares_parents_data = True

    def __init__(self, shared: AddressSpace, block: Extent, stack: Segment) -> None:
        super().__init__(shared.hw, shared.program, {**shared.segments, "stack": stack})
        self.shared = shared
        self.block = block
        self.userland = shared.userland
        shared.users += 1

    @classmethod
    def make(cls, shared: AddressSpace, *, copy: bool, pid: int) -> PrivateStackSpace:
        """A stack as large as the parent's: placed past the parent's image, or at its own
        physical address without an MMU; zeroed, or copied from the parent's stack."""
        memory, ps = shared.hw.memory, shared.page_size
        old = shared.segments["stack"]
        pages = old.size // ps
        [block] = memory.allocate(
            pages, contiguous=True, purpose=f"a stack for the child of pid {pid}"
        )
        if copy:
            for offset in range(0, old.size, ps):
                source = shared.translate(old.start + offset, write=False, pid=pid)
                memory.write(block[0] * ps + offset, memory.read(source, ps))
            shared.hw.stats.count_copy(pages, ps)
        start = shared.private_stack_start(block)
        return cls(shared, block, Segment("stack", start, old.size, writable=True))

    def translate(self, va: int, *, write: bool, pid: int) -> int:
        stack = self.segments["stack"]
        if va in stack:
            return self.block[0] * self.page_size + va - stack.start
        return self.shared.translate(va, write=write, pid=pid)

    def check_fork(self, pid: int) -> None:
        raise NotModelled(
            f"fork of pid {pid}, a clone sharing its parent's memory, is not modelled"
        )

    def duplicate(self, pid: int) -> AddressSpace:
        self.check_fork(pid)
        raise AssertionError("unreachable: check_fork raises")

    def private_stack_start(self, block: Extent) -> int:
        return self.shared.private_stack_start(block)

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.hw.memory.decref(*self.block)
            self.shared.drop()

    def mappings(self) -> Iterator[Mapping]:
        stack = self.segments["stack"]
        yield Mapping(
            stack.start // self.page_size, self.block[0], self.block[1] - self.block[0], "rw"
        )


#: The address-space class for each MMU kind.
