"""Programs: the executable images the kernel installs and loads (where their segments go is
[`forkdocs.hardware.segments`][forkdocs.hardware.segments])."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.common.units import Size, format_size, parse_size
from forkdocs.hardware.segments import SEGMENT_NAMES
from forkdocs.kernel.process import Process, ProcessHost

#: What a program does when it starts: called with the machine and the process, after the
#: image is loaded (it may exit, fork, exec...). None: the program just runs, doing nothing.
#: The kernel knows the machine only as its processes' host; it is the whole
#: [`Machine`][forkdocs.machine.Machine] (a typed main asks
#: [`machine_of()`][forkdocs.machine.machine_of] for it).
Main = Callable[[ProcessHost, Process], object]

#: How [`sized()`][forkdocs.kernel.program.Program.sized] shares a total size out, in eighths (the heap takes what is left).
_SHARES = {"text": 2, "data": 1, "bss": 1, "stack": 1}


#: What a file is to the kernel's loaders: ``"any"`` (the model's abstract program, loaded on
#: every machine), ``"elf"`` (a plain ELF executable: loaded by a Linux with MMU support; a
#: no-MMU kernel has only the flat loader and says ENOEXEC), ``"flat"`` (bFLT: loaded only
#: by the no-MMU kernel), ``"data"`` (no format at all, such as a shell script without
#: ``#!``: ENOEXEC).
Format = Literal["any", "elf", "flat", "data"]


def loads(format: Format, linux_mmu: bool) -> bool:
    """Whether a kernel has a loader for files in ``format``: one built with MMU support
    (``linux_mmu``, a paging machine) or the no-MMU one (base+length and no MMU)."""
    if format == "any":
        return True
    if format == "data":
        return False
    return (format == "elf") == linux_mmu


def check_page_size(page_size: int) -> None:
    """Refuse a page size that is not a positive number of bytes."""
    if page_size <= 0:
        raise InvalidArgument(f"a page size is a positive number of bytes, not {page_size}")


@dataclass(frozen=True)
class Program:
    """An executable: a path and the size in bytes of each segment.

    ``relocations`` lists pointers the linker recorded: ``(slot, target)`` pairs of offsets into
    the image. The loader stores ``load address + target`` at ``slot`` (how a no-MMU loader
    such as binfmt_flat fixes up data pointers). ``main`` runs each time the program is
    loaded (see `Main`). ``executable=False`` makes execve fail with EACCES. ``format`` is
    what the file is to the kernel (see `Format`: execve of one the kernel has no loader for
    fails with ENOEXEC); ``interpreter`` makes it a ``#!`` script, which execve runs by
    loading that program instead (ENOENT when it is not installed).
    """

    path: str
    text: int
    data: int
    bss: int
    heap: int
    stack: int
    relocations: tuple[tuple[int, int], ...] = ()
    main: Main | None = field(default=None, compare=False, repr=False)
    executable: bool = True
    format: Format = "any"
    interpreter: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.path, str) or not self.path.startswith("/"):
            raise InvalidArgument(
                f"program path {self.path!r} must be an absolute path such as '/bin/ls'"
            )
        for name in SEGMENT_NAMES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidArgument(
                    f"{self.path}: {name} must be a whole number of bytes, not {value!r}"
                )
        for name in ("text", "stack"):
            if getattr(self, name) == 0:
                raise InvalidArgument(f"{self.path} needs some {name}: give it at least one byte")
        size = sum(getattr(self, name) for name in SEGMENT_NAMES)
        for pair in self.relocations:
            if (
                not isinstance(pair, tuple)
                or len(pair) != 2
                or not all(isinstance(v, int) and 0 <= v < size for v in pair)
            ):
                raise InvalidArgument(
                    f"{self.path}: a relocation is a (slot, target) pair of offsets into the"
                    f" {size}-byte image, not {pair!r}"
                )
        if self.format not in ("any", "elf", "flat", "data"):
            raise InvalidArgument(
                f"{self.path}: format is 'any', 'elf', 'flat' or 'data', not {self.format!r}"
            )
        if self.interpreter and not (
            isinstance(self.interpreter, str) and self.interpreter.startswith("/")
        ):
            raise InvalidArgument(
                f"{self.path}: a #! interpreter is an absolute path, not {self.interpreter!r}"
            )
        if self.main is not None and not callable(self.main):
            raise InvalidArgument(f"{self.path}: main must be a function, not {self.main!r}")

    @classmethod
    def of(
        cls,
        path: str,
        *,
        text: Size,
        data: Size = 0,
        bss: Size = 0,
        heap: Size = 0,
        stack: Size = "8 KiB",
        relocations: tuple[tuple[int, int], ...] = (),
    ) -> Program:
        """A program from sizes given as ints or strings such as ``"16 KiB"``."""
        if not isinstance(path, str) or not path.startswith("/"):
            raise InvalidArgument(f"program path {path!r} must be absolute, e.g. '/bin/{path}'")
        sizes = {
            name: parse_size(value, what=f"{path} {name}")
            for name, value in (("text", text), ("data", data), ("bss", bss), ("heap", heap))
        }
        sizes["stack"] = parse_size(stack, what=f"{path} stack")
        return cls(
            path,
            text=sizes["text"],
            data=sizes["data"],
            bss=sizes["bss"],
            heap=sizes["heap"],
            stack=sizes["stack"],
            relocations=relocations,
        )

    @classmethod
    def sized(cls, path: str, total: Size, *, page_size: int = 4096) -> Program:
        """A program of ``total`` bytes (a whole number of pages, at least 5): a quarter text,
        an eighth each of data, bss and stack, and the rest heap."""
        size = parse_size(total, what=f"{path} image size")
        check_page_size(page_size)
        pages, extra = divmod(size, page_size)
        if extra or pages < len(SEGMENT_NAMES):
            raise InvalidArgument(
                f"image size of {path} must be a whole number of pages and at least"
                f" {len(SEGMENT_NAMES)} pages ({format_size(len(SEGMENT_NAMES) * page_size)}),"
                f" got {format_size(size)}"
            )
        share = {name: max(1, pages * eighths // 8) for name, eighths in _SHARES.items()}
        heap = pages - sum(share.values())
        return cls.of(
            path,
            text=share["text"] * page_size,
            data=share["data"] * page_size,
            bss=share["bss"] * page_size,
            heap=heap * page_size,
            stack=share["stack"] * page_size,
        )

    def pages(self, page_size: int) -> dict[str, int]:
        """Pages per segment: each segment is rounded up to whole pages."""
        check_page_size(page_size)
        return {name: -(-getattr(self, name) // page_size) for name in SEGMENT_NAMES}

    def total_pages(self, page_size: int) -> int:
        """Pages the whole image occupies."""
        return sum(self.pages(page_size).values())


checked_module(globals())
checked_class(Program)
