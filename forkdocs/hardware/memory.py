"""Physical memory: frames, reference counts, contents, and used/peak accounting.

Frames are numbered from 0 (a frame number is a *pfn*; its physical address is
``pfn * page_size``). A frame is free, or allocated with a reference count of at least 1: the
number of mappings (page-table entries, regions) that hold it. Contents are sparse: a frame
that was never written reads as zeros and costs nothing, so a 1 GiB process on a 4 GiB board
is cheap to simulate.
"""

from __future__ import annotations

from dataclasses import dataclass

from forkdocs.common.errors import OutOfMemory, SegmentationFault
from forkdocs.common.units import format_address, format_size
from forkdocs.hardware.runs import RunMap

#: A run of frames ``[start, end)``.
Extent = tuple[int, int]


@dataclass(frozen=True)
class MemoryUse:
    """A snapshot of the frame accounting, in frames and in bytes."""

    page_size: int
    total: int
    used: int
    peak: int

    @property
    def free(self) -> int:
        """Frames not allocated."""
        return self.total - self.used


class PhysicalMemory:
    """``size`` bytes of RAM cut into frames of ``page_size`` bytes.

    Contract: every allocated frame has a reference count >= 1; [`decref()`][forkdocs.hardware.memory.PhysicalMemory.decref] frees a frame
    (and forgets its contents) when the count reaches 0; ``used`` counts allocated frames and
    ``peak`` is the largest ``used`` since the last [`mark()`][forkdocs.hardware.memory.PhysicalMemory.mark]. A failed allocation raises
    [`OutOfMemory`][forkdocs.common.errors.OutOfMemory] and changes nothing.
    """

    def __init__(self, size: int, page_size: int) -> None:
        self.page_size = page_size
        self.frames = size // page_size
        self._free: RunMap[bool] = RunMap()
        self._free.assign(0, self.frames, True)
        self._refs: RunMap[int] = RunMap()
        self._contents: dict[int, bytearray] = {}
        self.used = 0
        self.peak = 0

    # -- accounting -------------------------------------------------------------------
    def use(self) -> MemoryUse:
        """Frames in use now and the peak since the last [`mark()`][forkdocs.hardware.memory.PhysicalMemory.mark]."""
        return MemoryUse(self.page_size, self.frames, self.used, self.peak)

    def mark(self) -> None:
        """Start a new peak measurement from the current use."""
        self.peak = self.used

    def largest_hole(self) -> int:
        """The longest run of free frames: the biggest contiguous allocation that can succeed."""
        return max((end - start for start, end, _ in self._free.runs()), default=0)

    def refcount(self, pfn: int) -> int:
        """How many mappings hold frame ``pfn`` (0 when it is free)."""
        return self._refs.get(pfn) or 0

    def allocated_runs(self) -> list[tuple[int, int, int]]:
        """Every allocated run of frames as ``(start, end, refcount)``."""
        return list(self._refs.runs())

    def written_frames(self) -> int:
        """How many frames hold contents (were written at least once)."""
        return len(self._contents)

    # -- allocation -------------------------------------------------------------------
    def allocate(self, count: int, *, contiguous: bool, purpose: str) -> list[Extent]:
        """Allocate ``count`` frames with a reference count of 1.

        With ``contiguous`` the frames form one run (first fit) or OutOfMemory is raised even
        when enough frames are free in smaller holes. ``purpose`` names the request in errors.
        """
        if count == 0:
            return []
        free = self.frames - self.used
        if contiguous:
            for start, end, _ in self._free.runs():
                if end - start >= count:
                    extents = [(start, start + count)]
                    break
            else:
                hole = self.largest_hole()
                raise OutOfMemory(
                    f"{purpose}: needs {count} contiguous frames ({format_size(count * self.page_size)})"
                    f" but the largest free hole is {hole} frames ({format_size(hole * self.page_size)});"
                    f" {free} frames are free in all"
                )
        else:
            if count > free:
                raise OutOfMemory(
                    f"{purpose}: needs {count} frames ({format_size(count * self.page_size)})"
                    f" but only {free} are free ({format_size(free * self.page_size)})"
                )
            extents, wanted = [], count
            for start, end, _ in self._free.runs():
                take = min(end - start, wanted)
                extents.append((start, start + take))
                wanted -= take
                if wanted == 0:
                    break
        for start, end in extents:
            self._free.remove(start, end)
            self._refs.assign(start, end, 1)
            self._forget(start, end)  # fresh frames read as zeros, whatever was left there
        self.used += count
        self.peak = max(self.peak, self.used)
        return extents

    def incref(self, start: int, end: int) -> None:
        """One more mapping holds each allocated frame of ``[start, end)``."""
        self._refs.update(start, end, lambda count: count + 1)

    def incref_all(self, extents: list[Extent]) -> None:
        """[`incref()`][forkdocs.hardware.memory.PhysicalMemory.incref] each of ``extents`` (allocated, not overlapping), in one sweep
        over the reference counts: a fork's page table maps many runs of frames."""
        extents.sort()
        self._refs.update_all(extents, _plus_one)

    def decref(self, start: int, end: int) -> int:
        """One mapping fewer holds each frame of ``[start, end)``; free those left unheld.

        Returns how many frames were freed.
        """
        self._refs.update(start, end, lambda count: count - 1)
        freed = 0
        for run_start, run_end, count in self._refs.between(start, end):
            if count == 0:
                self._refs.remove(run_start, run_end)
                self._free.assign(run_start, run_end, True)
                self._forget(run_start, run_end)
                freed += run_end - run_start
        self.used -= freed
        return freed

    def _forget(self, start: int, end: int) -> None:
        for pfn in self._written_in(start, end):
            del self._contents[pfn]

    def _written_in(self, start: int, end: int) -> list[int]:
        """The written frames in ``[start, end)``, by whichever of the two is smaller to scan."""
        if end - start <= len(self._contents):
            return [pfn for pfn in range(start, end) if pfn in self._contents]
        return sorted(pfn for pfn in self._contents if start <= pfn < end)

    # -- contents ---------------------------------------------------------------------
    def read(self, address: int, length: int) -> bytes:
        """``length`` bytes at physical ``address`` (unwritten memory reads as zeros)."""
        out = bytearray()
        for pfn, offset, count in self._pieces(address, length):
            frame = self._contents.get(pfn)
            out += frame[offset : offset + count] if frame else bytes(count)
        return bytes(out)

    def write(self, address: int, data: bytes) -> None:
        """Store ``data`` at physical ``address``."""
        done = 0
        for pfn, offset, count in self._pieces(address, len(data)):
            frame = self._contents.get(pfn)
            if frame is None:
                frame = self._contents[pfn] = bytearray(self.page_size)
            frame[offset : offset + count] = data[done : done + count]
            done += count

    def copy_frames(self, source: int, target: int, count: int) -> None:
        """Copy the contents of ``count`` frames from pfn ``source`` to pfn ``target``."""
        for pfn in self._written_in(source, source + count):
            self._contents[target + pfn - source] = bytearray(self._contents[pfn])

    def _pieces(self, address: int, length: int) -> list[tuple[int, int, int]]:
        if address < 0 or address + length > self.frames * self.page_size:
            raise SegmentationFault(
                f"physical address {format_address(address)} (+{length} bytes) is outside the"
                f" {format_size(self.frames * self.page_size)} of RAM",
                pid=0,
                address=address,
            )
        pieces = []
        while length > 0:
            pfn, offset = divmod(address, self.page_size)
            count = min(length, self.page_size - offset)
            pieces.append((pfn, offset, count))
            address += count
            length -= count
        return pieces


def _plus_one(count: int) -> int:
    return count + 1
