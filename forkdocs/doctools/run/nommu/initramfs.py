"""The initial RAM file system a no-MMU test boots with: a cpio archive in the "newc" format
the kernel unpacks (Linux's ``Documentation/driver-api/early-userspace/buffer-format.rst``),
written here so that no tool of the kernel build is needed to make one.

An entry is a 110-byte header (``070701`` and thirteen 8-digit hexadecimal fields), the
name with its NUL, padding to a multiple of four, the data, padding again; the archive ends
with an entry named ``TRAILER!!!``.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One file, folder or device node: ``path`` without the leading slash, ``mode`` with
    its type bits, ``data`` for a file, ``device`` (major, minor) for a device node."""

    path: str
    mode: int
    data: bytes = b""
    device: tuple[int, int] = (0, 0)


def folder(path: str) -> Entry:
    """A folder, mode 0755."""
    return Entry(path, stat.S_IFDIR | 0o755)


def file(path: str, data: bytes, permissions: int = 0o755) -> Entry:
    """A regular file with ``permissions``."""
    return Entry(path, stat.S_IFREG | permissions, data)


def console() -> Entry:
    """``/dev/console`` (character device 5, 1): without it init has no standard streams
    and nothing it prints reaches the serial line."""
    return Entry("dev/console", stat.S_IFCHR | 0o600, device=(5, 1))


def archive(entries: list[Entry]) -> bytes:
    """The newc archive of ``entries``, in order, with its trailer."""
    out = bytearray()
    for number, entry in enumerate([*entries, Entry("TRAILER!!!", 0)], start=1):
        name = entry.path.encode() + b"\0"
        major, minor = entry.device
        fields = (number, entry.mode, 0, 0, 1, 0, len(entry.data), 0, 0, major, minor, len(name), 0)
        out += b"070701" + "".join(f"{field:08x}" for field in fields).encode() + name
        out += bytes(-len(out) % 4) + entry.data
        out += bytes(-len(out) % 4)
    return bytes(out)
