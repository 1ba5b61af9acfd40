"""The C library's state that lives in a process's memory: the stdout buffer and the atexit
list. It belongs to the address space, so a vforked child shares it, a forked child gets a
copy, and exec starts afresh."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Libc:
    """stdout, fully buffered (as when it is a file or a pipe), and the atexit handlers."""

    stdout_buffer: bytearray = field(default_factory=bytearray)
    stdout_closed: bool = False
    atexit: list[str] = field(default_factory=list)

    def copy(self) -> Libc:
        """What fork gives the child: an independent copy of the same bytes."""
        return Libc(bytearray(self.stdout_buffer), self.stdout_closed, list(self.atexit))
