"""Boot a no-MMU Linux under QEMU with one program as init, and read what it printed.

The machine boots the target's kernel with an initial RAM file system holding the program
as ``/init`` and the files the examples exec (`FILES`). The program's runtime
(``nommu.h`` beside this module) runs it as pid 2 under a tiny init that prints a begin line,
the program's wait status in an end line, and powers the machine off. What lies between the
two lines, less the kernel's own messages, is the program's output; a machine that panics,
hangs or stops before the end line is an error that carries the console log. A board QEMU
cannot switch off (``Target.powers_off``) is ended by us once the end line is out.
"""

from __future__ import annotations

import os
import re
import select
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import forkdocs.doctools.run.nommu.initramfs as initramfs
from forkdocs.doctools.run.cprograms import CProgramError, Finished
from forkdocs.doctools.run.nommu.kernel import kernel
from forkdocs.doctools.run.nommu.targets import INITRD_AT, Target

#: Seconds a boot may take, from QEMU's start to the end line (and its exit).
TIMEOUT = 60
BEGIN = "forkdocs-nommu: begin"
END = re.compile(r"forkdocs-nommu: end (-?0x[0-9a-f]+)")
END_LINE = re.compile(rb"forkdocs-nommu: end -?0x[0-9a-f]+\r?\n")
KERNEL_LINE = re.compile(r"\[ *\d+\.\d+\] ")
#: Files beside /init, for the examples' exec failures (see nommu.h).
FILES = {
    "bin/no-shebang": (b"exit 0\n", 0o755),  # not a format the kernel knows: ENOEXEC
    "bin/missing-interpreter": (b"#!/bin/no-such-shell\n", 0o755),  # ENOENT
}


def boot(target: Target, program: bytes, elf: bytes, *, timeout: float = TIMEOUT) -> Finished:
    """Boot ``target`` with the bFLT ``program`` as /init (its ELF form ``elf`` is
    ``/bin/elf``, its bFLT form without execute permission ``/bin/not-executable``)."""
    entries = [
        initramfs.folder("dev"),
        initramfs.console(),
        initramfs.folder("bin"),
        initramfs.file("init", program),
        initramfs.file("bin/elf", elf),
        initramfs.file("bin/not-executable", program, 0o644),
        *(initramfs.file(path, data, mode) for path, (data, mode) in FILES.items()),
    ]
    image = kernel(target)
    with tempfile.TemporaryDirectory(prefix="forkdocs-nommu-") as work:
        cpio = Path(work) / "initramfs.cpio"
        archive = initramfs.archive(entries)
        cpio.write_bytes(archive)
        command = [*target.qemu, "-kernel", str(image)]
        if target.initramfs == "initrd":
            command += ["-initrd", str(cpio)]
        else:
            block = Path(work) / "bootargs.bin"
            block.write_bytes(uboot_block(len(archive)))
            command += [
                "-device",
                f"loader,file={cpio},addr={INITRD_AT:#x},force-raw=on",
                "-device",
                f"loader,file={block},addr=0x0,force-raw=on",
            ]
        console = _console(target, command, timeout)
    return read_console(target, console)


def uboot_block(size: int) -> bytes:
    """The U-Boot argument block a ``CONFIG_UBOOT`` m68k kernel reads at its boot stack
    pointer (0 under QEMU: the boot ROM), big-endian words: board info (none), initrd start
    and end, command line start and end (none: the configured one stands)."""
    return struct.pack(">6I", 0, 0, INITRD_AT, INITRD_AT + size, 0, 0)


def _console(target: Target, command: list[str], timeout: float) -> str:
    """Everything QEMU printed, up to its exit (a target that powers off) or the end line."""
    started = time.monotonic()
    out = b""
    with subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as running:
        assert running.stdout is not None
        try:
            while (left := timeout - (time.monotonic() - started)) > 0:
                if not select.select([running.stdout], [], [], min(left, 0.5))[0]:
                    continue
                chunk = os.read(running.stdout.fileno(), 65536)
                if not chunk:
                    break  # QEMU exited
                out += chunk
                if not target.powers_off and END_LINE.search(out):
                    break
            else:
                raise CProgramError(
                    f"{target.title}: the machine did not finish within {timeout:g} s;"
                    f" console:\n{out.decode(errors='replace')[-4000:]}"
                )
        finally:
            if running.poll() is None:
                running.terminate()  # this QEMU, by its own handle
    return out.decode(errors="replace")


def read_console(target: Target, console: str) -> Finished:
    """The program's output and exit from a console log (see the module's docstring)."""
    text = console.replace("\r\n", "\n")
    begin = text.find(BEGIN + "\n")
    end = END.search(text, begin + 1) if begin >= 0 else None
    if end is None:
        raise CProgramError(
            f"{target.title}: the machine stopped before the program ended"
            f" (a panic, or init died); console:\n{text[-4000:]}"
        )
    # the kernel's own messages (a failed allocation is logged) carry its timestamp
    output = "".join(
        line
        for line in text[begin + len(BEGIN) + 1 : end.start()].splitlines(keepends=True)
        if not KERNEL_LINE.match(line)
    )
    status = int(end.group(1), 16)
    returncode = status >> 8 & 0xFF if status & 0x7F == 0 else -(status & 0x7F)
    return Finished(output, returncode)
