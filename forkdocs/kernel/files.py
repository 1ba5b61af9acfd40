"""File descriptors and the rest of what a child inherits: per-process tables of open file
descriptions (whose offsets a fork shares) with their close-on-exec flags, the working
directory, process groups and sessions, and the child-subreaper flag."""

from __future__ import annotations

from forkdocs.common.errors import (
    BadFileDescriptor,
    InvalidArgument,
    NotPermitted,
)
from forkdocs.common.guard import checked_class
from forkdocs.kernel.lifecycle import Lifecycle
from forkdocs.kernel.process import OpenFile, Process


class Files(Lifecycle):
    """Part of [`Machine`][forkdocs.machine.Machine]: file descriptors."""

    def open(self, process: Process, name: str, *, cloexec: bool = False) -> int:
        """Open ``name`` on the lowest free descriptor; a new open file description.
        ``cloexec`` is O_CLOEXEC: the descriptor is closed by a successful execve."""
        self._require_running(process, "open")
        fd = next(n for n in range(len(process.fds) + 1) if n not in process.fds)
        process.fds[fd] = OpenFile(name)
        if cloexec:
            process.cloexec.add(fd)
        return fd

    def dup2(self, process: Process, old: int, new: int) -> int:
        """dup2(2): make ``new`` refer to the open file description of ``old`` (closing what
        ``new`` held); the new descriptor does not have FD_CLOEXEC. Returns ``new``."""
        self._require_running(process, "dup2")
        if old not in process.fds:
            raise BadFileDescriptor(f"dup2 by pid {process.pid}: fd {old} is not open")
        if new < 0:
            raise BadFileDescriptor(f"dup2 by pid {process.pid}: fd {new} is not a descriptor")
        if old != new:
            process.fds[new] = process.fds[old]
            process.cloexec.discard(new)
        return new

    def set_cloexec(self, process: Process, fd: int, on: bool = True) -> None:
        """fcntl(fd, F_SETFD, FD_CLOEXEC) (or 0 with ``on=False``)."""
        self._require_running(process, "fcntl")
        if fd not in process.fds:
            raise BadFileDescriptor(f"fcntl by pid {process.pid}: fd {fd} is not open")
        if on:
            process.cloexec.add(fd)
        else:
            process.cloexec.discard(fd)

    def chdir(self, process: Process, path: str) -> None:
        """chdir(2): the working directory (an absolute path; the model has no file system to
        check it against)."""
        self._require_running(process, "chdir")
        if not path.startswith("/"):
            raise InvalidArgument(
                f"chdir by pid {process.pid}: give an absolute path, not {path!r}"
            )
        process.cwd = path

    def setsid(self, process: Process) -> int:
        """setsid(2): a new session and process group led by ``process``; refused (EPERM)
        to a process group leader. Returns the new session id."""
        self._require_running(process, "setsid")
        if process.pgid == process.pid:
            raise NotPermitted(
                f"setsid by pid {process.pid}: it leads process group {process.pgid}"
            )
        process.sid = process.pgid = process.pid
        return process.sid

    def setpgid(self, process: Process, pgid: int = 0) -> None:
        """setpgid(0, pgid): join process group ``pgid`` of the same session (0: a group of
        its own, led by itself). EPERM for a session leader, which cannot leave its group
        (even for a group of its own: it already leads one), and for a group that is not in
        the process's session."""
        self._require_running(process, "setpgid")
        if process.sid == process.pid:
            raise NotPermitted(
                f"setpgid by pid {process.pid}: it leads session {process.sid}, and a"
                " session leader cannot change its process group"
            )
        target = pgid or process.pid
        members = [p for p in self.processes.values() if p.pgid == target]
        if target != process.pid and not any(p.sid == process.sid for p in members):
            raise NotPermitted(
                f"setpgid by pid {process.pid}: no process group {target} in its session"
            )
        process.pgid = target

    def set_child_subreaper(self, process: Process, on: bool = True) -> None:
        """prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants of ``process`` are re-parented
        to it (the nearest such ancestor), not to init, and it must wait for them."""
        self._require_running(process, "prctl")
        process.subreaper = on

    def close(self, process: Process, fd: int) -> None:
        """Close ``fd`` in this process only, with its close-on-exec flag: a descriptor
        opened later on the same number starts without it."""
        self._require_running(process, "close")
        if process.fds.pop(fd, None) is None:
            raise BadFileDescriptor(f"close by pid {process.pid}: fd {fd} is not open")
        process.cloexec.discard(fd)  # the flag belongs to the descriptor, not its number

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
