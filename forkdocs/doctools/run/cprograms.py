"""Build and run the guide's C programs (``snippets/c/``) on the real kernel.

The pages show a C program beside the forkdocs example and its real output below it; the
reality suite (``tests/reality/``) runs the same files and compares them with the model.
Both go through [`build()`][forkdocs.doctools.run.cprograms.build] and [`run()`][forkdocs.doctools.run.cprograms.run], so what a page shows is what was tested.

Builds are cached by content (source, flags and compiler), in ``FORKDOCS_C_CACHE`` or a
per-user folder under the system's temporary directory; a build is written under a
temporary name and renamed into place, so parallel workers never see half a binary.

Without a C compiler the examples are skipped with a message naming the package to install,
unless ``FORKDOCS_REALITY=required`` (as CI sets it), where that is a failure.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import SkipTest

from forkdocs.doctools.errors import ExampleFailed
from forkdocs.doctools.run.cache import cache_dir

#: Flags every build gets, before the example's own.
BASE_FLAGS = ("-std=gnu11", "-Wall", "-Wextra")
#: Seconds a program may run before it is killed and reported as hanging.
TIMEOUT = 60


class CProgramError(ExampleFailed):
    """A C program did not compile, or hung."""


@dataclass(frozen=True)
class Finished:
    """What one run of a program printed (stdout and stderr, in order) and how it ended:
    ``returncode`` as subprocess reports it (negative: killed by that signal)."""

    output: str
    returncode: int


def required() -> bool:
    """True when a missing compiler must fail rather than skip (``FORKDOCS_REALITY=required``)."""
    return os.environ.get("FORKDOCS_REALITY", "") == "required"


#: Compilers a build may name, and the Debian package that provides each.
PACKAGES = {
    "gcc": "gcc",
    "cc": "gcc",
    "musl-gcc": "musl-tools",
    "riscv64-linux-gnu-gcc": "gcc-riscv64-linux-gnu",
    "m68k-linux-gnu-gcc": "gcc-m68k-linux-gnu",
}


@functools.cache
def compiler(name: str = "") -> tuple[str, str] | None:
    """The C compiler ``name`` (default: ``gcc``, else ``cc``) and its version line, or
    None when it is not installed."""
    for candidate in (name,) if name else ("gcc", "cc"):
        path = shutil.which(candidate)
        if path:
            version = subprocess.run(
                [path, "--version"], capture_output=True, text=True, check=False
            ).stdout.split("\n", 1)[0]
            return path, f"{candidate} {version}"
    return None


def need_compiler(name: str = "") -> tuple[str, str]:
    """The compiler, or SkipTest naming the package (a failure when it is required)."""
    found = compiler(name)
    if found is None:
        package = PACKAGES.get(name or "gcc", name)
        what = name or "C compiler"
        message = f"no {what}: install it (Debian: apt-get install {package}) to run the C programs"
        if required():
            raise CProgramError(message + "; FORKDOCS_REALITY=required makes this a failure")
        raise SkipTest(message)
    return found


def build(
    source: str,
    name: str,
    flags: Sequence[str] = ("-O2",),
    origin: str = "",
    shown_as: str = "",
    cc: str = "",
    depends: str = "",
) -> Path:
    """The executable built from C ``source`` with ``flags`` (cached by content) by the
    compiler ``cc`` (default: gcc; ``musl-gcc`` links with musl instead of glibc). ``name``
    names the binary; ``origin`` (page:line or a path) is named in a compile error, whose
    compiler messages call the source ``shown_as`` (the file the reader knows). ``depends``
    is the text of what else the build reads (included headers, a linker script), so that
    a change to it builds anew."""
    cc, version = need_compiler(cc)
    parts = [version, *flags, source, depends]
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
    folder = cache_dir("c", "FORKDOCS_C_CACHE")
    folder.mkdir(parents=True, exist_ok=True)
    binary = folder / f"{name}-{key}"
    if binary.exists():
        return binary
    with tempfile.TemporaryDirectory(dir=folder) as work:
        source_file = Path(work) / f"{name}.c"
        source_file.write_text(source)
        output = Path(work) / name
        done = subprocess.run(
            [cc, *BASE_FLAGS, *flags, "-o", str(output), str(source_file)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            messages = done.stderr.strip().replace(str(source_file), shown_as or f"{name}.c")
            raise CProgramError(
                f"{origin or name}: the C program does not compile with"
                f" {' '.join([Path(cc).name, *flags])}:\n{messages}"
            )
        os.replace(output, binary)
    return binary


def run(binary: Path, args: Sequence[str] = (), *, timeout: float = TIMEOUT) -> Finished:
    """Run ``binary`` with ``args`` in a fresh temporary folder (core files land there and
    go with it), stdin from /dev/null, stdout and stderr captured together."""
    with tempfile.TemporaryDirectory(prefix="forkdocs-run-") as work:
        try:
            done = subprocess.run(
                [str(binary), *args],
                cwd=work,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env={**os.environ, "LC_ALL": "C"},
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise CProgramError(
                f"{binary.name} {' '.join(args)} did not finish within {timeout:g} s"
            ) from error
    return Finished(done.stdout.decode(errors="replace"), done.returncode)
