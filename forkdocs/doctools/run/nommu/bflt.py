"""An ELF program turned into a bFLT file, the format a no-MMU Linux loads (``BINFMT_FLAT``).

Debian packages no ``elf2flt``, so the no-MMU programs of ``snippets/c/nommu/`` are linked
with ``flat.ld`` beside this module (code from 0x40, just after the header; data on a 32-byte
boundary with 32 bytes to spare) and converted here. The file is a 64-byte header (all
fields big-endian, see Linux's ``include/linux/flat.h``) followed by the code and the data,
loaded whole into RAM (``FLAT_FLAG_RAM``) with no relocation records: the program must reach
everything relative to the program counter. The conversion refuses an ELF whose code holds
an absolute address (a relocation the loader would have to apply), naming the first such
relocation, since the program would crash or read another process's memory on the target.

Where the loader puts the data depends on the architecture: RISC-V's
(``BINFMT_FLAT_NO_DATA_START_OFFSET``) at the offset the header gives, m68k's one word
further on, rounded up to 32 bytes (``fs/binfmt_flat.c``, ``load_flat_file``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from forkdocs.doctools.errors import ExampleFailed

HEADER_SIZE = 64
FLAT_VERSION = 4
FLAT_FLAG_RAM = 0x1
#: Bytes the loader adds between the header's data offset and the data, for each ELF
#: machine (e_machine) this module knows: RISC-V 0, m68k one word rounded up to 32.
DATA_GAP = {243: 0, 4: 32}
#: Relocation types that store an absolute address, for each ELF machine.
ABSOLUTE = {
    243: {
        1: "R_RISCV_32",
        2: "R_RISCV_64",
        26: "R_RISCV_HI20",
        27: "R_RISCV_LO12_I",
        28: "R_RISCV_LO12_S",
    },
    4: {1: "R_68K_32", 2: "R_68K_16", 3: "R_68K_8"},
}
SHT_PROGBITS, SHT_RELA, SHT_NOBITS, SHT_REL = 1, 4, 8, 9
SHF_WRITE, SHF_ALLOC = 0x1, 0x2


class FlatError(ExampleFailed):
    """The ELF file cannot become a bFLT file; the message says why and where."""


@dataclass(frozen=True)
class Section:
    """One section header of an ELF file: what the conversion needs of it."""

    name: str
    kind: int
    flags: int
    address: int
    offset: int
    size: int
    info: int
    entry_size: int


@dataclass(frozen=True)
class Elf:
    """An ELF file's bytes with its section headers read."""

    data: bytes
    machine: int
    entry: int
    wide: bool
    order: str
    sections: tuple[Section, ...]

    @classmethod
    def read(cls, data: bytes, origin: str) -> Elf:
        """Parse the identification, the file header and the section headers."""
        if data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] not in (1, 2):
            raise FlatError(f"{origin}: not an ELF file")
        wide, order = data[4] == 2, "<" if data[5] == 1 else ">"
        if wide:
            machine, entry, shoff = struct.unpack_from(order + "H4xQ8xQ", data, 18)
            shentsize, shnum, shstrndx = struct.unpack_from(order + "3H", data, 58)
            layout = order + "IIQQQQIIQQ"
        else:
            machine, entry, shoff = struct.unpack_from(order + "H4xI4xI", data, 18)
            shentsize, shnum, shstrndx = struct.unpack_from(order + "3H", data, 46)
            layout = order + "IIIIIIIIII"
        raw = [struct.unpack_from(layout, data, shoff + i * shentsize) for i in range(shnum)]
        names = raw[shstrndx][4] if raw else 0

        def name(at: int) -> str:
            end = data.index(b"\0", names + at)
            return data[names + at : end].decode()

        sections = tuple(Section(name(h[0]), h[1], h[2], h[3], h[4], h[5], h[7], h[9]) for h in raw)
        return cls(data, machine, entry, wide, order, sections)

    def absolute_relocation(self) -> str | None:
        """The first relocation (kept by ``ld -q``) that stores an absolute address into a
        loaded section, described, or None."""
        absolute = ABSOLUTE.get(self.machine, {})
        for section in self.sections:
            if section.kind not in (SHT_RELA, SHT_REL) or not section.entry_size:
                continue
            target = self.sections[section.info]
            if not target.flags & SHF_ALLOC:
                continue
            for at in range(section.offset, section.offset + section.size, section.entry_size):
                if self.wide:
                    offset, info = struct.unpack_from(self.order + "QQ", self.data, at)
                    kind = info & 0xFFFFFFFF
                else:
                    offset, info = struct.unpack_from(self.order + "II", self.data, at)
                    kind = info & 0xFF
                if kind in absolute:
                    return f"{absolute[kind]} at {offset:#x} in {target.name}"
        return None


def convert(elf_bytes: bytes, *, stack_size: int = 16384, origin: str = "program") -> bytes:
    """The bFLT file for ``elf_bytes``, linked with ``flat.ld`` and ``-Wl,-q``.

    Raises FlatError for an unknown architecture, a layout other than ``flat.ld``'s, or an
    absolute relocation in the loaded code or data.
    """
    elf = Elf.read(elf_bytes, origin)
    if elf.machine not in DATA_GAP:
        raise FlatError(f"{origin}: ELF machine {elf.machine} is not one bFLT is made for here")
    if (found := elf.absolute_relocation()) is not None:
        raise FlatError(
            f"{origin}: {found}: an absolute address, which a bFLT file without relocations"
            " cannot hold (no pointers in initialised data, such as a local array of strings"
            " initialised where it is declared; no switch tables)"
        )
    loaded = [s for s in elf.sections if s.flags & SHF_ALLOC and s.size]
    code = [s for s in loaded if s.kind == SHT_PROGBITS and not s.flags & SHF_WRITE]
    data = [s for s in loaded if s.kind == SHT_PROGBITS and s.flags & SHF_WRITE]
    bss = [s for s in loaded if s.kind == SHT_NOBITS]
    if not code or min(s.address for s in code) != HEADER_SIZE:
        raise FlatError(f"{origin}: code must start at {HEADER_SIZE:#x}: link it with flat.ld")
    code_end = max(s.address + s.size for s in code)
    # where flat.ld would put data that the program does not have
    data_at = min((s.address for s in data + bss), default=(code_end + 31) // 32 * 32 + 32)
    data_start = data_at - DATA_GAP[elf.machine]
    if data_start < code_end or data_at % 32:
        raise FlatError(f"{origin}: data at {data_at:#x} overlaps the code: link it with flat.ld")
    # bss starts where the file's data ends: a gap before it is kept as zero bytes of data
    data_end = min(
        (s.address for s in bss), default=max((s.address + s.size for s in data), default=data_at)
    )
    bss_end = max((s.address + s.size for s in bss), default=data_end)
    image = bytearray(data_start + data_end - data_at)
    for section in code:
        image[section.address : section.address + section.size] = _contents(elf, section)
    for section in data:
        at = data_start + section.address - data_at
        image[at : at + section.size] = _contents(elf, section)
    file_data_end = data_start + data_end - data_at
    fields = (
        FLAT_VERSION,
        elf.entry,
        data_start,
        file_data_end,
        file_data_end + bss_end - data_end,
        stack_size,
        file_data_end,  # reloc_start: no relocation records follow
        0,
        FLAT_FLAG_RAM,
        0,
    )
    image[:HEADER_SIZE] = b"bFLT" + struct.pack(">10I", *fields) + bytes(20)
    return bytes(image)


def _contents(elf: Elf, section: Section) -> bytes:
    return elf.data[section.offset : section.offset + section.size]
