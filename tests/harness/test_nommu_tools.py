"""The no-MMU machinery that runs without a kernel: the console reader, the initramfs
writer (read back by GNU cpio), the bFLT converter's refusals and the VM= directive."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from forkdocs.doctools.grammar.directives import DirectiveError, parse_runs
from forkdocs.doctools.run.cprograms import CProgramError
from forkdocs.doctools.run.nommu import TARGETS, initramfs
from forkdocs.doctools.run.nommu.bflt import FlatError, convert
from forkdocs.doctools.run.nommu.boot import read_console

TARGET = TARGETS["riscv64-nommu"]
LOG = (
    "OpenSBI-free boot\r\n[    0.000000] Linux version 6.1\r\nforkdocs-nommu: begin\r\n"
    "vfork: a child\r\n[    0.512000] nommu: Allocation of length 1048576 failed\r\n"
    "wait status: 0x500\r\nforkdocs-nommu: end {status}\r\n[    0.6] reboot: Power down\r\n"
)


@pytest.mark.parametrize(("status", "returncode"), [("0x0", 0), ("0x300", 3), ("0xb", -11)])
def test_the_console_gives_the_programs_lines_and_its_end(status: str, returncode: int) -> None:
    """Between the begin and end lines, less the kernel's own timestamped messages; the end
    line's wait status becomes an exit code, or minus the signal that killed the program."""
    finished = read_console(TARGET, LOG.format(status=status))
    assert ("vfork: a child\nwait status: 0x500\n", returncode) == (
        finished.output,
        finished.returncode,
    )


def test_a_machine_that_stops_before_the_end_line_is_an_error_with_the_log() -> None:
    panic = "forkdocs-nommu: begin\n[    0.3] Kernel panic - not syncing: Attempted to kill init!\n"
    with pytest.raises(CProgramError, match=r"(?s)stopped before the program ended.*Kernel panic"):
        read_console(TARGET, panic)


@pytest.mark.skipif(shutil.which("cpio") is None, reason="GNU cpio is not installed")
def test_the_initramfs_is_a_newc_archive_cpio_reads() -> None:
    entries = [
        initramfs.folder("dev"),
        initramfs.console(),
        initramfs.file("init", b"\x7fELF" * 3),
        initramfs.file("bin/not-executable", b"x", 0o644),
    ]
    listed = subprocess.run(
        ["cpio", "-itv", "--quiet"],
        input=initramfs.archive(entries),
        capture_output=True,
        check=True,
    ).stdout.decode()
    rows = [line.split() for line in listed.splitlines()]
    assert [
        ("drwxr-xr-x", "dev"),
        ("crw-------", "dev/console"),
        ("-rwxr-xr-x", "init"),
        ("-rw-r--r--", "bin/not-executable"),
    ] == [(row[0], row[-1]) for row in rows]
    assert "12" == rows[2][4]  # the file's size


def test_the_converter_refuses_what_is_not_an_elf_file() -> None:
    with pytest.raises(FlatError, match=r"page\.c: not an ELF file"):
        convert(b"#!/bin/sh\n", origin="page.c")


def test_an_absolute_address_in_the_code_is_refused_naming_the_relocation() -> None:
    """A stored pointer needs a relocation the loader would apply; the converter writes none,
    so it refuses rather than make a program that reads the wrong memory."""
    cc = shutil.which(f"{TARGET.cross}gcc")
    if cc is None:
        pytest.skip(f"{TARGET.cross}gcc is not installed")
    from forkdocs.doctools.run.nommu import build_program

    source = (
        '#include "nommu.h"\nlong x;\nlong *volatile p = &x; /* a pointer stored in data */\n'
        + ("int main(int c, char **v, char **e) { (void)c, (void)v, (void)e; return (int)*p; }\n")
    )
    with pytest.raises(CProgramError, match=r"stored.c: .*R_RISCV_64.*absolute address"):
        build_program(TARGET, source, "stored", origin="stored.c", shown_as="stored.c")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("VM=pdp11-nommu", "p.md:3: run-c: VM=pdp11-nommu is not a machine forkdocs can boot"),
        ("VM=riscv64-nommu -Os -- x", "a VM= run takes no program arguments"),
    ],
)
def test_a_vm_run_names_a_machine_forkdocs_boots(text: str, message: str) -> None:
    with pytest.raises(DirectiveError, match=message):
        parse_runs(text, "p.md:3")


def test_a_vm_run_is_built_with_os_unless_flags_are_given() -> None:
    default, flags = parse_runs("VM=riscv64-nommu; VM=riscv64-nommu -O2", "p.md:3")
    assert (("-Os",), ("-O2",)) == (default.flags, flags.flags)
    assert {"riscv64-nommu"} == {default.vm, flags.vm}


def test_make_nommu_install_and_ci_install_every_package_a_target_needs() -> None:
    """The Makefile's NOMMU_PACKAGES (which .ci/run reads) covers each target's packages."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if line.startswith("NOMMU_PACKAGES :="))
    listed = set(line.split(":=", 1)[1].split())
    for target in TARGETS.values():
        assert set(target.packages) <= listed, target.name


def test_a_board_without_initrd_support_gets_a_uboot_block_naming_the_archive() -> None:
    """The m68k kernel (CONFIG_UBOOT) reads initrd start and end from the block QEMU's loader
    puts at address 0; no command line of its own."""
    from forkdocs.doctools.run.nommu.boot import uboot_block
    from forkdocs.doctools.run.nommu.targets import INITRD_AT

    words = struct.unpack(">6I", uboot_block(0x3A4C))
    assert (0, 0, INITRD_AT, INITRD_AT + 0x3A4C, 0, 0) == words


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("riscv64-nommu", "qemu-system-riscv64 -M virt -kernel Image -initrd p.cpio"),
        ("m68k-nommu", "qemu-system-m68k -M mcf5208evb -kernel vmlinux -device loader,file=p.cpio"),
    ],
)
def test_the_transcript_shows_each_boot_as_it_is_made(name: str, shown: str) -> None:
    assert TARGETS[name].shown_boot("p").startswith(shown)


def test_the_directive_grammar_names_every_no_mmu_target() -> None:
    """``run-c: VM=...`` accepts exactly the machines the run stage can boot."""
    from forkdocs.doctools.grammar.directives import VIRTUAL_MACHINES
    from forkdocs.doctools.run.nommu.targets import TARGETS

    assert sorted(TARGETS) == sorted(VIRTUAL_MACHINES)
