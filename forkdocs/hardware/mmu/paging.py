"""Paging (``"paging"``): a page table per process; fork shares every frame copy-on-write
and copies a page only when it is written while shared."""

from __future__ import annotations

import math
from collections.abc import Iterator

from forkdocs.common.errors import OutOfMemory
from forkdocs.common.units import format_size
from forkdocs.hardware.memory import Extent
from forkdocs.hardware.mmu.base import PTE_BYTES, AddressSpace, Hardware, Mapping
from forkdocs.hardware.runs import RunMap
from forkdocs.hardware.segments import Image, Segment, consecutive_starts, lay_out

WRITE = 1  # the page may be written (after fork: once the copy-on-write fault is taken)


#: A page-table entry, packed in one int as real hardware packs it: ``pfn << 2 | flags``
#: (one small object per run of pages, where a tuple would cost three).
Pte = int


def make_pte(pfn: int, flags: int) -> Pte:
    """The entry mapping frame ``pfn`` with the ``flags`` (WRITE or none)."""
    return pfn << 2 | flags


def pfn_of(pte: Pte) -> int:
    """The frame an entry maps."""
    return pte >> 2


def flags_of(pte: Pte) -> int:
    """The flag bits (WRITE) of an entry."""
    return pte & 3


def _pte_shift(pte: Pte, offset: int) -> Pte:
    return pte + (offset << 2)


class PagedSpace(AddressSpace):
    """Paging with copy-on-write. Text frames of a program are shared by every process running
    it; page-table memory is counted as one frame per ``page_size / 8`` mapped pages."""

    kind = "paging"
    linux_mmu = True

    def __init__(
        self, hw: Hardware, program: Image, segments: dict[str, Segment], table: RunMap[Pte]
    ) -> None:
        super().__init__(hw, program, segments)
        self.table = table
        self.table_frames: list[Extent] = []
        #: since the last fork, a writable page is copy-on-write until it is in ``written``:
        #: fork write-protects the whole table by setting this, in O(1), instead of rewriting
        #: every entry (what the hardware sees is the same: the first write faults)
        self.protected = False
        #: the pages written (so made writable again) since the last fork
        self.written: RunMap[bool] = RunMap()

    @classmethod
    def load(cls, hw: Hardware, program: Image, pid: int) -> PagedSpace:
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
        if write:
            if not flags_of(pte) & WRITE:
                raise self._fault(pid, va, "write to a read-only page (program text)")
            if self.protected and self.written.get(vpn) is None:
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
        self.written.assign(vpn, vpn + 1, True)
        return fresh

    def duplicate(self, pid: int) -> PagedSpace:
        """Copy the page table, write-protect private pages in both, copy no data frame."""
        child = PagedSpace(self.hw, self.program, self.segments, self.table.copy())
        child._allocate_table(pid, "the child of ")  # may raise before anything changed
        for space in (self, child):
            space.protected, space.written = True, RunMap()
        self.hw.memory.incref_all(
            [(pte >> 2, (pte >> 2) + end - start) for start, end, pte in self.table.runs()]
        )  # pte >> 2 is pfn_of(pte), inline: this loop runs once per run of the table
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
        """Rows of the map: ``r-`` (text), ``rw``, or ``cow`` for a writable page not yet
        written since the last fork."""
        for start, end, pte, pages in _table_runs(self.table):
            if not flags_of(pte) & WRITE:
                yield Mapping(start, pfn_of(pte), pages, "r-")
            elif not self.protected:
                yield Mapping(start, pfn_of(pte), pages, "rw")
            else:
                at = start
                for low, high, _ in [*self.written.between(start, end), (end, end, True)]:
                    if at < low:
                        yield Mapping(at, pfn_of(pte) + at - start, low - at, "cow")
                    if low < high:
                        yield Mapping(low, pfn_of(pte) + low - start, high - low, "rw")
                    at = high

    def frames(self) -> int:
        return self.table.total()


def _table_runs(table: RunMap[Pte]) -> Iterator[tuple[int, int, Pte, int]]:
    for start, end, pte in table.runs():
        yield start, end, pte, end - start
