"""The reality suite: C programs from snippets/c/ run on this machine's kernel and C library,
compared with the same scenario in forkdocs.

Comparisons are on what can honestly match: wait statuses, what the parent sees, which
handlers ran, printed bytes, and relations (same frame or not, fault counts, page-table
growth per MiB within a stated tolerance), never absolute frame numbers or timings.

Without a C compiler every test here skips, naming the package to install; CI sets
``FORKDOCS_REALITY=required`` so that it fails instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forkdocs.doctools.run.cprograms import CProgramError, Finished, build, required, run

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "c"


def binary(name: str, flags: tuple[str, ...] = ("-O2",)) -> Path:
    """``snippets/c/<name>.c`` built with ``flags`` (cached)."""
    source = (SNIPPETS / f"{name}.c").read_text()
    return build(
        source, name, flags, origin=f"snippets/c/{name}.c", shown_as=f"snippets/c/{name}.c"
    )


def run_c(name: str, *args: str, flags: tuple[str, ...] = ("-O2",)) -> Finished:
    """Run ``snippets/c/<name>.c`` (built with ``flags``) with ``args``."""
    return run(binary(name, flags), args)


def output_of(name: str, *args: str, flags: tuple[str, ...] = ("-O2",)) -> list[str]:
    """The lines ``snippets/c/<name>.c`` prints; the run must exit 0."""
    finished = run_c(name, *args, flags=flags)
    assert 0 == finished.returncode, f"{name} {' '.join(args)}:\n{finished.output}"
    return finished.output.splitlines()


def need_tool(tool: str, package: str) -> str:
    """The path of ``tool``, or a skip naming the Debian package (a failure when required)."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (Debian: apt-get install {package})"
        if required():
            raise CProgramError(message + "; FORKDOCS_REALITY=required makes this a failure")
        pytest.skip(message)
    return path
