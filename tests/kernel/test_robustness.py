"""Regression tests for misuse that used to crash deep inside, pass silently, or corrupt the
machine: each now gets a clear forkdocs error, or the behaviour Linux has."""

from __future__ import annotations

import pytest

from forkdocs import (
    SIGKILL,
    SIGSEGV,
    WTERMSIG,
    InvalidArgument,
    Machine,
    Program,
    State,
)
from forkdocs.common.errors import KernelPanic, WrongType
from forkdocs.common.units import format_address, parse_size
from forkdocs.userland import libc
from forkdocs.userland.libbb import bb_fork_exec, spawn, spawn_and_wait
from forkdocs.userland.posix import posix_spawn

from ..helpers import machine_digest


def test_a_process_of_another_machine_is_refused_and_nothing_changes() -> None:
    a, b = Machine(), Machine()
    stranger = b.start("/bin/sh", image="64 KiB")
    before = (machine_digest(a), machine_digest(b))
    for call, args in (("fork", ()), ("vfork", ()), ("kill", (SIGKILL,)), ("waitpid", ())):
        with pytest.raises(InvalidArgument, match="belongs to another Machine"):
            getattr(a, call)(stranger, *args)
    with pytest.raises(InvalidArgument, match="belongs to another Machine"):
        posix_spawn(a, stranger, "/bin/sh", ["sh"])
    assert before == (machine_digest(a), machine_digest(b))


@pytest.mark.parametrize("helper", ["posix_spawn", "bb_fork_exec", "spawn", "spawn_and_wait"])
def test_helpers_whose_exec_runs_out_of_memory_return_as_the_real_ones_do(helper: str) -> None:
    """The exec fails past its point of no return: the child dies of SIGSEGV, the helper
    returns success with its pid (glibc returns 0; BusyBox returns the pid; spawn_and_wait
    waits and gives 0x180 + SIGSEGV), and the caller's stack holds no helper frame."""
    m = Machine(mmu="paging", ram="2 MiB")
    shell = m.start("/bin/sh", image="1 MiB", environ={"PATH": "/bin"})
    m.install("/bin/huge", image="4 MiB")
    if helper == "posix_spawn":
        rc, pid = posix_spawn(m, shell, "/bin/huge", ["huge"])
        assert rc == 0 and pid is not None
    elif helper == "spawn_and_wait":
        assert 0x180 + SIGSEGV == spawn_and_wait(m, shell, ["huge"])
        pid = None
    else:
        pid = (
            bb_fork_exec(m, shell, "/bin/huge", ["huge"])
            if helper == "bb_fork_exec"
            else spawn(m, shell, ["huge"])
        )
        assert pid > 0
    assert [] == shell.stack_frames
    if pid is not None:
        assert SIGSEGV == WTERMSIG(m.waitpid(shell, pid)[1])
    assert [] == m.children(shell), "nothing left behind once reaped"


@pytest.mark.parametrize("mmu", ["paging", "base+length", "none"])
def test_a_reinstalled_program_gives_new_instances_new_text(mmu: str) -> None:
    """A new file renamed over a running program: the running instance keeps the old text,
    a new instance gets the new one; no text overlaps another process's memory."""
    m = Machine(mmu=mmu, ram="4 MiB")
    old = m.start("/bin/tool", text="8 KiB", heap="8 KiB")
    old.write(old.heap, b"old")
    m.install("/bin/tool", text="64 KiB", heap="8 KiB")
    new = m.start("/bin/tool")
    assert 64 * 1024 == new.segment("text").size
    new.read(new.text + 60 * 1024, 4)  # the new text's last page is mapped
    assert b"old" == old.read(old.heap, 3)
    frames_of = [
        {p.translate(a) // m.page_size for a in range(p.text, p.segment("text").end, m.page_size)}
        for p in (old, new)
    ]
    assert not frames_of[0] & frames_of[1]
    m._exit(old, 0)
    m._exit(new, 0)
    assert 0 == m.memory_use().used


def test_init_drops_signals_and_cannot_exit() -> None:
    m = Machine()
    m.kill(m.init, SIGKILL)
    assert State.RUNNING == m.init.state
    with pytest.raises(KernelPanic, match="kernel panics when init exits"):
        m._exit(m.init, 0)
    with pytest.raises(InvalidArgument, match=r"\(init\) holds no memory"):
        libc.exit(m, m.init, 0)


@pytest.mark.parametrize(
    "program",
    [
        lambda: Program("/bin/x", -1, 0, 0, 0, 4096),
        lambda: Program("/bin/x", 0, 0, 0, 0, 4096),
        lambda: Program("bin/x", 4096, 0, 0, 0, 4096),
        lambda: Program("/bin/x", 4096, 0, 0, 0, 4096, relocations=((0, 10**9),)),
        lambda: Program("/bin/x", "4096", 0, 0, 0, 4096),  # type: ignore[arg-type]
    ],
)
def test_malformed_programs_are_refused(program: object) -> None:
    with pytest.raises(InvalidArgument):
        program()  # type: ignore[operator]


def test_install_takes_a_program_or_a_path_with_sizes() -> None:
    m = Machine()
    with pytest.raises(WrongType, match="program must be Program or str"):
        m.install(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="give image= or any of text="):
        m.install("/bin/x", heap="4 KiB")
    with pytest.raises(InvalidArgument, match="a Program already has its sizes"):
        m.install(Program.of("/bin/x", text="4 KiB"), image="64 KiB")


@pytest.mark.parametrize("mmu", ["paging", "base+length", "none"])
def test_fresh_memory_reads_as_zeros(mmu: str) -> None:
    """Even after a stray write into free RAM (possible only without an MMU)."""
    m = Machine(mmu=mmu, ram="1 MiB")
    first = m.start("/bin/a", image="64 KiB")
    if mmu == "none":
        free = m.memory.frames * m.page_size - m.page_size  # the last frame, never allocated
        first.write(free, b"stray")
    first.write(first.heap, b"leftover")
    m._exit(first, 0)
    second = m.start("/bin/b", image=f"{m.memory.frames * m.page_size // 1024 - 64} KiB")
    for segment in ("data", "bss", "heap", "stack"):
        start = second.segment(segment).start
        size = second.segment(segment).size
        assert bytes(size) == second.read(start, size), segment


def test_sizes_are_exact_and_addresses_print_with_their_sign() -> None:
    assert 2**53 + 1 == parse_size(str(2**53 + 1))
    assert 10**30 * 2**40 == parse_size(f"{10**30} TiB"), "no float overflow or rounding"
    assert 1536 == parse_size("1.5 KiB")
    with pytest.raises(InvalidArgument, match="not a whole number of bytes"):
        parse_size("0.5")
    assert "-0x00000001 (-1)" == format_address(-1)


def test_a_status_only_child_is_not_called_init() -> None:
    from forkdocs.userland.setjmp import SetjmpVfork

    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    pid = SetjmpVfork(m, shell).exit(3)
    child = m.process(pid)
    assert "(no program)" in repr(child)
    assert "init" not in repr(child)


def test_out_of_range_values_are_refused() -> None:
    m = Machine()
    shell = m.start("/bin/sh", image="64 KiB")
    with pytest.raises(InvalidArgument, match="must be 0 or more"):
        shell.read(shell.heap, -1)
    with pytest.raises(InvalidArgument, match="percentage of RAM"):
        Machine(commit_ratio=-5)
    with pytest.raises(InvalidArgument, match="unknown option bits"):
        m.waitpid(shell, -1, 64)
