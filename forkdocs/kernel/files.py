"""File descriptors: per-process tables of open file descriptions, whose offsets a fork
shares."""

from __future__ import annotations

from forkdocs.errors import (
    BadFileDescriptor,
)
from forkdocs.guard import checked_class
from forkdocs.kernel.lifecycle import Lifecycle
from forkdocs.process import OpenFile, Process


class Files(Lifecycle):
    """Part of :class:`~forkdocs.machine.Machine`: file descriptors."""

    def open(self, process: Process, name: str) -> int:
        """Open ``name`` on the lowest free descriptor; a new open file description."""
        self._require_running(process, "open")
        fd = next(n for n in range(len(process.fds) + 1) if n not in process.fds)
        process.fds[fd] = OpenFile(name)
        return fd

    def close(self, process: Process, fd: int) -> None:
        """Close ``fd`` in this process only."""
        self._require_running(process, "close")
        if process.fds.pop(fd, None) is None:
            raise BadFileDescriptor(f"close by pid {process.pid}: fd {fd} is not open")

    def write_fd(self, process: Process, fd: int, data: bytes) -> int:
        """Write ``data`` through ``fd``: advances the shared file offset. Returns the count."""
        self._require_running(process, "write")
        try:
            description = process.fds[fd]
        except KeyError:
            raise BadFileDescriptor(f"write by pid {process.pid}: fd {fd} is not open") from None
        description.offset += len(data)
        description.written += data
        return len(data)


checked_class(Files)
