"""Boot a no-MMU Linux under QEMU with one program as init, and read what it printed.

The machine boots the target's kernel with an initial RAM file system holding the program
as ``/init`` and the files the examples exec (`FILES`). The program's runtime
(``nommu.h`` beside this module) runs it as pid 2 under a tiny init that prints a begin line,
the program's wait status in an end line, and powers the machine off. What lies between the
two lines, less the kernel's own messages, is the program's output; a machine that panics, hangs or stops before the end line
is an error that carries the console log.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from forkdocs.doctools.cprograms import CProgramError, Finished
from forkdocs.doctools.nommu import initramfs
from forkdocs.doctools.nommu.kernel import kernel
from forkdocs.doctools.nommu.targets import Target

#: Seconds a boot may take, from QEMU's start to its exit.
TIMEOUT = 60
BEGIN = "forkdocs-nommu: begin"
END = re.compile(r"forkdocs-nommu: end (-?0x[0-9a-f]+)")
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
        cpio.write_bytes(initramfs.archive(entries))
        command = [*target.qemu, "-kernel", str(image), "-initrd", str(cpio)]
        try:
            done = subprocess.run(
                command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            log = (error.stdout or b"").decode(errors="replace")
            raise CProgramError(
                f"{target.title}: the machine did not power off within {timeout:g} s;"
                f" console:\n{log[-4000:]}"
            ) from error
    return read_console(target, done.stdout.decode(errors="replace"))


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
