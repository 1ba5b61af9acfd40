"""Three kinds of memory hardware behind one interface, :class:`AddressSpace`, and the view
of a clone(CLONE_VM) child with a stack of its own (:class:`PrivateStackSpace`).

- :class:`PagedSpace` (``"paging"``): a page table per process; fork shares every frame
  copy-on-write and copies a page only when it is written while shared.
- :class:`RegionSpace` (``"base+length"``): one contiguous physical region per process;
  address ``va`` is ``base + va`` when ``va < length``. fork copies the whole region.
- :class:`PhysicalSpace` (``"none"``): no translation; addresses are physical and any process
  can reach any memory. fork is not offered.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, NamedTuple, Protocol

from forkdocs.errors import InvalidArgument, NotSupported, OutOfMemory, SegmentationFault
from forkdocs.memory import Extent, PhysicalMemory
from forkdocs.program import Program, Segment, consecutive_starts, lay_out
from forkdocs.runs import RunMap
from forkdocs.stats import Stats
from forkdocs.trace import Trace
from forkdocs.units import format_address, format_size

#: The MMU kinds, and the other names accepted for them.
MMU_KINDS = {
    "paging": "paging",
    "base+length": "base+length",
    "base+bounds": "base+length",
    "none": "none",
    "nommu": "none",
    "no-mmu": "none",
}
#: Bytes of one page-table entry: a page-table page holds ``page_size // PTE_BYTES`` entries.
PTE_BYTES = 8


def mmu_kind(name: str) -> str:
    """The canonical kind for ``name`` (``"nommu"`` -> ``"none"``), or InvalidArgument."""
    try:
        return MMU_KINDS[name]
    except KeyError:
        choices = ", ".join(repr(kind) for kind in MMU_KINDS)
        raise InvalidArgument(f"unknown MMU kind {name!r}: choose one of {choices}") from None


@dataclass
class Hardware:
    """What every address space of one machine shares: RAM, counters, the trace, and the
    frames of program text that paging and no-MMU systems share between processes."""

    memory: PhysicalMemory
    stats: Stats
    trace: Trace
    #: the text frames of each loaded program, keyed by the installed :class:`Program` object
    #: (``id``): re-installing a path makes a new file, whose instances get new text, while
    #: the running ones keep the old (as when a package manager renames a new file over it)
    shared_text: dict[int, list[Extent]]
    #: pages committed under strict overcommit (see Machine)
    committed: int = 0


class UserState(Protocol):
    """State a program keeps in its memory that the model holds as an object: a fork copies
    it with ``copy()``."""

    def copy(self) -> UserState: ...


class Mapping(NamedTuple):
    """One row of a memory map: ``pages`` pages from virtual page ``vpn`` onto frames from
    ``pfn``, with how they may be used (``"rw"``, ``"r-"``, ``"cow"``)."""

    vpn: int
    pfn: int
    pages: int
    access: str


class AddressSpace(ABC):
    """The memory of one process (or of a parent and its vforked child, who share it).

    Contract: :meth:`translate` returns the physical address of ``va`` or raises
    SegmentationFault; :meth:`duplicate` is fork's copy and changes nothing when it raises;
    :meth:`release` drops every frame this space holds, exactly once. ``users`` counts the
    processes using the space (a vforked child is one more, and so is a clone child with a
    stack of its own, through its :class:`PrivateStackSpace`; like Linux's ``mm_users``);
    :meth:`drop` releases it when the last one lets go. ``charged`` is what it committed.
    """

    kind: ClassVar[str]

    def __init__(self, hw: Hardware, program: Program, segments: dict[str, Segment]) -> None:
        self.hw = hw
        self.program = program
        self.segments = segments
        self.released = False
        #: what programs keep in this memory beyond its bytes (the C library's state...),
        #: by name; the kernel only copies it at fork and shares it with a vfork child
        self.userland: dict[str, UserState] = {}
        self.users = 1
        self.charged = 0

    def copied_userland(self) -> dict[str, UserState]:
        """What a fork gives the child of :attr:`userland`: copies."""
        return {name: state.copy() for name, state in self.userland.items()}

    def drop(self) -> None:
        """One process fewer uses this memory; the last one gives it back (and its commit)."""
        self.users -= 1
        if self.users == 0:
            self.release()
            self.hw.committed -= self.charged
            self.charged = 0

    @property
    def page_size(self) -> int:
        return self.hw.memory.page_size

    @property
    def size(self) -> int:
        """Bytes of the image this space holds."""
        return sum(segment.size for segment in self.segments.values())

    @abstractmethod
    def translate(self, va: int, *, write: bool, pid: int) -> int:
        """The physical address of ``va`` for an access by ``pid``."""

    #: True for a space that is the parent's memory seen with a stack of the child's own
    #: (a clone child): argv, environment and variables are the parent's, not copies
    shares_parents_data: ClassVar[bool] = False

    def check_fork(self, pid: int) -> None:  # noqa: B027 - a hook that most spaces keep empty
        """Raise what fork cannot get past on this hardware whatever else holds (ENOSYS
        without an MMU); nothing by default."""

    def raw_copy(self) -> AddressSpace:
        """The no-MMU thought experiment (a byte-for-byte copy at new physical addresses);
        refused on hardware that has an MMU, where fork does the real thing."""
        raise InvalidArgument(
            f"raw_copy is the no-MMU thought experiment; with {self.kind} memory use fork"
        )

    def private_stack_start(self, block: Extent) -> int:
        """The address at which a clone child sees a stack of its own held in ``block``:
        just past this image, where the process has nothing mapped."""
        return max(segment.end for segment in self.segments.values())

    @abstractmethod
    def duplicate(self, pid: int) -> AddressSpace:
        """What fork gives the child of ``pid`` (the parent's pid, named in errors)."""

    @abstractmethod
    def release(self) -> None:
        """Give back every frame."""

    @abstractmethod
    def mappings(self) -> Iterator[Mapping]:
        """The memory map, in address order."""

    def holds(self, pfn: int) -> bool:
        """True when this space maps frame ``pfn``."""
        return any(row.pfn <= pfn < row.pfn + row.pages for row in self.mappings())

    def frames(self) -> int:
        """Frames mapped (shared ones included)."""
        return sum(row.pages for row in self.mappings())

    def _copy_block(self, block: Extent, purpose: str) -> Extent:
        """A new contiguous block as long as ``block``, with every byte copied (and counted)."""
        memory, stats = self.hw.memory, self.hw.stats
        pages = block[1] - block[0]
        [copy] = memory.allocate(pages, contiguous=True, purpose=purpose)
        memory.copy_frames(block[0], copy[0], pages)
        stats.count_copy(pages, self.page_size)
        return copy

    def _fault(self, pid: int, va: int, why: str) -> SegmentationFault:
        return SegmentationFault(
            f"pid {pid}: {why} at {format_address(va)}; the process is killed by SIGSEGV",
            pid=pid,
            address=va,
        )


# --- paging -----------------------------------------------------------------------------
WRITE = 1  # the page may be written
COW = 2  # a write must first copy the page if it is shared


#: A page-table entry, packed in one int as real hardware packs it: ``pfn << 2 | flags``
#: (one small object per run of pages, where a tuple would cost three).
Pte = int


def make_pte(pfn: int, flags: int) -> Pte:
    """The entry mapping frame ``pfn`` with the WRITE/COW ``flags``."""
    return pfn << 2 | flags


def pfn_of(pte: Pte) -> int:
    """The frame an entry maps."""
    return pte >> 2


def flags_of(pte: Pte) -> int:
    """The WRITE/COW bits of an entry."""
    return pte & 3


def _pte_shift(pte: Pte, offset: int) -> Pte:
    return pte + (offset << 2)


def _write_protect(pte: Pte) -> Pte:
    return make_pte(pfn_of(pte), COW) if flags_of(pte) & WRITE else pte


class PagedSpace(AddressSpace):
    """Paging with copy-on-write. Text frames of a program are shared by every process running
    it; page-table memory is counted as one frame per ``page_size / 8`` mapped pages."""

    kind = "paging"

    def __init__(
        self, hw: Hardware, program: Program, segments: dict[str, Segment], table: RunMap[Pte]
    ) -> None:
        super().__init__(hw, program, segments)
        self.table = table
        self.table_frames: list[Extent] = []

    @classmethod
    def load(cls, hw: Hardware, program: Program, pid: int) -> PagedSpace:
        """Map ``program`` from virtual address 0: shared text, fresh frames for the rest."""
        ps = hw.memory.page_size
        segments = lay_out(program, ps, consecutive_starts(program, ps, 0))
        pages = program.pages(ps)
        text = hw.shared_text.get(id(program))
        writable = program.total_pages(ps) - pages["text"]
        needed = writable + (0 if text else pages["text"])
        needed += cls.table_pages_for(program.total_pages(ps), ps)
        if needed > hw.memory.use().free:
            free = hw.memory.use().free
            raise OutOfMemory(
                f"loading {program.path} for pid {pid}: needs {needed} frames"
                f" ({format_size(needed * ps)}) but only {free} are free"
            )
        table: RunMap[Pte] = RunMap(_pte_shift)
        if text:
            for start, end in text:
                hw.memory.incref(start, end)
        else:
            text = hw.memory.allocate(pages["text"], contiguous=False, purpose=program.path)
            hw.shared_text[id(program)] = text
        cls._map(table, 0, text, 0)
        rest = hw.memory.allocate(writable, contiguous=False, purpose=f"{program.path} data")
        cls._map(table, pages["text"], rest, WRITE)
        space = cls(hw, program, segments, table)
        space._allocate_table(pid)
        return space

    @staticmethod
    def table_pages_for(mapped: int, page_size: int) -> int:
        """Page-table frames needed to map ``mapped`` pages."""
        return math.ceil(mapped / (page_size // PTE_BYTES))

    @staticmethod
    def _map(table: RunMap[Pte], vpn: int, extents: list[Extent], flags: int) -> None:
        for start, end in extents:
            table.assign(vpn, vpn + end - start, make_pte(start, flags))
            vpn += end - start

    def _allocate_table(self, pid: int, whose: str = "") -> None:
        count = self.table_pages_for(self.table.total(), self.page_size)
        self.table_frames = self.hw.memory.allocate(
            count, contiguous=False, purpose=f"page tables for {whose}pid {pid}"
        )
        self.hw.stats.page_table_pages += count

    def translate(self, va: int, *, write: bool, pid: int) -> int:
        vpn, offset = divmod(va, self.page_size)
        pte = self.table.get(vpn) if va >= 0 else None
        if pte is None:
            raise self._fault(pid, va, "no page is mapped")
        if write and not flags_of(pte) & WRITE:
            if not flags_of(pte) & COW:
                raise self._fault(pid, va, "write to a read-only page (program text)")
            pte = self._copy_on_write(vpn, pte, pid)
        return pfn_of(pte) * self.page_size + offset

    def _copy_on_write(self, vpn: int, pte: Pte, pid: int) -> Pte:
        """The write fault: copy the page if another mapping still shares it, else reuse it."""
        memory, stats = self.hw.memory, self.hw.stats
        stats.cow_faults += 1
        if memory.refcount(pfn_of(pte)) > 1:
            [(new, _)] = memory.allocate(
                1, contiguous=False, purpose=f"copy-on-write fault of pid {pid} at page {vpn}"
            )
            memory.copy_frames(pfn_of(pte), new, 1)
            memory.decref(pfn_of(pte), pfn_of(pte) + 1)
            stats.count_copy(1, self.page_size)
            self.hw.trace.record("cow", pid, vpn=vpn, old_pfn=pfn_of(pte), new_pfn=new, copied=True)
        else:
            new = pfn_of(pte)
            self.hw.trace.record(
                "cow", pid, vpn=vpn, old_pfn=pfn_of(pte), new_pfn=new, copied=False
            )
        fresh = make_pte(new, WRITE)
        self.table.assign(vpn, vpn + 1, fresh)
        return fresh

    def duplicate(self, pid: int) -> PagedSpace:
        """Copy the page table, write-protect private pages in both, copy no data frame."""
        child = PagedSpace(self.hw, self.program, self.segments, self.table.copy())
        child._allocate_table(pid, "the child of ")  # may raise before anything changed
        for table in (self.table, child.table):
            table.update(0, _last_vpn(table), _write_protect)
        for _, _, pte, pages in _table_runs(self.table):
            self.hw.memory.incref(pfn_of(pte), pfn_of(pte) + pages)
        child.userland = self.copied_userland()
        return child

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        memory = self.hw.memory
        for _, _, pte, pages in _table_runs(self.table):
            memory.decref(pfn_of(pte), pfn_of(pte) + pages)
        for start, end in self.table_frames:
            memory.decref(start, end)
            self.hw.stats.page_table_pages -= end - start
        text = self.hw.shared_text.get(id(self.program))
        if text and memory.refcount(text[0][0]) == 0:
            del self.hw.shared_text[id(self.program)]

    def mappings(self) -> Iterator[Mapping]:
        for start, _end, pte, pages in _table_runs(self.table):
            access = "rw" if flags_of(pte) & WRITE else "cow" if flags_of(pte) & COW else "r-"
            yield Mapping(start, pfn_of(pte), pages, access)

    def frames(self) -> int:
        return self.table.total()


def _table_runs(table: RunMap[Pte]) -> Iterator[tuple[int, int, Pte, int]]:
    for start, end, pte in table.runs():
        yield start, end, pte, end - start


def _last_vpn(table: RunMap[Pte]) -> int:
    return max((end for _, end, _ in table.runs()), default=0)


# --- base + length ----------------------------------------------------------------------
class RegionSpace(AddressSpace):
    """A base register and a length register: one contiguous region, no per-page protection."""

    kind = "base+length"

    def __init__(
        self, hw: Hardware, program: Program, segments: dict[str, Segment], region: Extent
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
    def load(cls, hw: Hardware, program: Program, pid: int) -> RegionSpace:
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
class PhysicalSpace(AddressSpace):
    """No translation at all. Text is one block shared by every instance of the program (as
    FDPIC or execute-in-place allow); data, bss, heap and stack are one contiguous block."""

    kind = "none"

    def __init__(
        self, hw: Hardware, program: Program, segments: dict[str, Segment], block: Extent
    ) -> None:
        super().__init__(hw, program, segments)
        self.block = block

    @classmethod
    def load(cls, hw: Hardware, program: Program, pid: int) -> PhysicalSpace:
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
    def _segments(
        program: Program, ps: int, text: list[Extent], block: Extent
    ) -> dict[str, Segment]:
        starts = consecutive_starts(program, ps, block[0] * ps - program.pages(ps)["text"] * ps)
        starts["text"] = text[0][0] * ps
        return lay_out(program, ps, starts)

    def translate(self, va: int, *, write: bool, pid: int) -> int:
        if not 0 <= va < self.hw.memory.frames * self.page_size:
            raise self._fault(pid, va, "address is outside physical memory")
        return va

    def private_stack_start(self, block: Extent) -> int:
        return block[0] * self.page_size  # no translation: the block's own address

    def check_fork(self, pid: int) -> None:
        raise NotSupported(
            f"fork() of pid {pid}: there is no MMU, so a copy could not be given the parent's"
            " addresses; use vfork() followed by execve() or _exit()"
        )

    def duplicate(self, pid: int) -> AddressSpace:
        self.check_fork(pid)
        raise AssertionError("unreachable: check_fork raises")

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
        raise InvalidArgument(
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
SPACES: dict[str, type[PagedSpace] | type[RegionSpace] | type[PhysicalSpace]] = {
    "paging": PagedSpace,
    "base+length": RegionSpace,
    "none": PhysicalSpace,
}
