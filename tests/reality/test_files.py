"""What a child shares of its parent's open files, on the kernel and in the model (C16,
C36)."""

from __future__ import annotations

from forkdocs import Machine

from .conftest import output_of


def test_fork_shares_the_open_file_description() -> None:
    """C36: the child's write through an inherited descriptor moves the parent's offset."""
    [real] = output_of("fd_share", "offset")
    m = Machine()
    parent = m.start("/bin/prog", image="64 KiB")
    fd = m.open(parent, "/tmp/fd_share")
    child = m.fork(parent)
    m.write_fd(child, fd, b"child was here\n")
    m._exit(child, 0)
    offset = parent.fds[fd].offset
    assert real == f"parent's offset after the child wrote 15 bytes: {offset}"


def test_a_vfork_child_closes_only_its_own_copy_of_an_fd() -> None:
    """C16: the vfork child's fd table is a copy: closing fd 0 leaves the parent's open."""
    [real] = output_of("fd_share", "close")
    m = Machine()
    parent = m.start("/bin/prog", image="64 KiB")
    child = m.vfork(parent)
    m.close(child, 0)
    m._exit(child, 0)
    state = "open" if 0 in parent.fds else "closed"
    assert real == f"parent's fd 0 after the vfork child closed its own: {state}"
