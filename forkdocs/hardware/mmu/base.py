"""The interface every kind of memory hardware offers the kernel, [`AddressSpace`][forkdocs.hardware.mmu.base.AddressSpace],
and what all of them share ([`Hardware`][forkdocs.hardware.mmu.base.Hardware], [`Mapping`][forkdocs.hardware.mmu.base.Mapping])."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Literal, NamedTuple, Protocol

from forkdocs.common.errors import InvalidArgument, SegmentationFault
from forkdocs.common.stats import Stats
from forkdocs.common.trace import Trace
from forkdocs.common.units import format_address
from forkdocs.hardware.memory import Extent, PhysicalMemory
from forkdocs.hardware.segments import Image, Segment

#: The three kinds of MMU.
MmuKind = Literal["paging", "base+length", "none"]
#: What ``Machine(mmu=...)`` accepts: a kind, or another name for one.
MmuName = Literal["paging", "base+length", "base+bounds", "none", "nommu", "no-mmu"]
#: The MMU kinds, and the other names accepted for them.
MMU_KINDS: dict[str, MmuKind] = {
    "paging": "paging",
    "base+length": "base+length",
    "base+bounds": "base+length",
    "none": "none",
    "nommu": "none",
    "no-mmu": "none",
}
#: Bytes of one page-table entry: a page-table page holds ``page_size // PTE_BYTES`` entries.
PTE_BYTES = 8


def mmu_kind(name: str) -> MmuKind:
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
    #: the text frames of each loaded program, keyed by the installed [`Image`][forkdocs.hardware.segments.Image] object
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

    Contract: [`translate()`][forkdocs.hardware.mmu.base.AddressSpace.translate] returns the physical address of ``va`` or raises
    SegmentationFault; [`duplicate()`][forkdocs.hardware.mmu.base.AddressSpace.duplicate] is fork's copy and changes nothing when it raises;
    [`release()`][forkdocs.hardware.mmu.base.AddressSpace.release] drops every frame this space holds, exactly once. ``users`` counts the
    processes using the space (a vforked child is one more, and so is a clone child with a
    stack of its own, through its `PrivateStackSpace`; like Linux's ``mm_users``);
    [`drop()`][forkdocs.hardware.mmu.base.AddressSpace.drop] releases it when the last one lets go. ``charged`` is what it committed.
    """

    kind: ClassVar[str]

    def __init__(self, hw: Hardware, program: Image, segments: dict[str, Segment]) -> None:
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
        """What a fork gives the child of `userland`: copies."""
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
    #: True where fork copies every byte of the parent (no copy-on-write)
    fork_copies_everything: ClassVar[bool] = False
    #: False where nothing can give a copy the parent's addresses (no MMU): fork is refused,
    #: and clone without CLONE_VM leaves the child in the parent's own memory
    can_copy: ClassVar[bool] = True
    #: True where Linux can be built with MMU support (CONFIG_MMU, BusyBox's BB_MMU): paged
    #: translation. Other hardware runs the no-MMU kernel, whose loader takes bFLT files
    linux_mmu: ClassVar[bool] = False

    def check_fork(self, pid: int) -> None:  # noqa: B027 - a hook that most spaces keep empty
        """Raise what fork cannot get past in this space whatever else holds (a kind of
        space the model does not copy); nothing by default."""

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
