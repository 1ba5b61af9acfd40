"""Where a loaded image's segments are: the layout the MMU maps, whatever the program is.

The MMU needs only an [`Image`][forkdocs.hardware.segments.Image]'s path and the pages each
segment takes; the kernel's [`Program`][forkdocs.kernel.program.Program] is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.common.units import format_address, format_size

#: The segments of an image, in the order they are laid out in memory.
SEGMENT_NAMES = ("text", "data", "bss", "heap", "stack")


@runtime_checkable
class Image(Protocol):
    """What the MMU asks of a program it maps: its path (named in messages and in what its
    frames hold) and the pages of each segment, in `SEGMENT_NAMES` order. The MMU keys shared
    text by the image object itself."""

    @property
    def path(self) -> str:
        """The file the image was loaded from."""
        ...

    def pages(self, page_size: int) -> dict[str, int]:
        """Pages per segment, each rounded up to whole pages."""
        ...

    def total_pages(self, page_size: int) -> int:
        """Pages the whole image occupies."""
        ...


@dataclass(frozen=True)
class Segment:
    """A loaded segment: where it starts in the process's addresses and how many bytes it spans."""

    name: str
    start: int
    size: int
    writable: bool

    @property
    def end(self) -> int:
        """The first address past the segment."""
        return self.start + self.size

    def __contains__(self, address: object) -> bool:
        return isinstance(address, int) and self.start <= address < self.end

    def __str__(self) -> str:
        return f"{self.name} at {format_address(self.start)}, {format_size(self.size)}"


def lay_out(program: Image, page_size: int, starts: dict[str, int]) -> dict[str, Segment]:
    """Segments of ``program`` placed at the given start address of each segment."""
    pages = program.pages(page_size)
    return {
        name: Segment(name, starts[name], pages[name] * page_size, writable=name != "text")
        for name in SEGMENT_NAMES
    }


def consecutive_starts(program: Image, page_size: int, base: int) -> dict[str, int]:
    """Start addresses that put the segments one after another from ``base``."""
    starts, address = {}, base
    for name, count in program.pages(page_size).items():
        starts[name] = address
        address += count * page_size
    return starts


def image_address(segments: dict[str, Segment], offset: int) -> int:
    """The address of byte ``offset`` of the image, counting the segments in layout order."""
    for name in SEGMENT_NAMES:
        segment = segments.get(name)
        if segment is None:
            raise InvalidArgument(
                f"image_address: the segments lack {name!r} (they hold {sorted(segments)})"
            )
        if offset < segment.size:
            return segment.start + offset
        offset -= segment.size
    raise InvalidArgument(f"offset {offset} is past the end of the image")


checked_module(globals())
checked_class(Segment)
