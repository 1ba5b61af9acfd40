"""Helpers shared by the tests."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from forkdocs import Machine, Process
from forkdocs.userland import libc


def machine_with_shell(
    mmu: str, ram: str = "8 MiB", image: str = "1 MiB"
) -> tuple[Machine, Process]:
    """A machine with /bin/sh (``image`` bytes) running and /bin/ls (64 KiB) installed."""
    m = Machine(mmu=mmu, ram=ram)
    shell = m.start("/bin/sh", image=image)
    m.install("/bin/ls", image="64 KiB")
    return m, shell


def machine_digest(m: Machine) -> str:
    """A digest of the whole machine state: processes, memory, counters, trace, programs."""
    parts: list[object] = []
    for p in m.processes.values():
        parts.append(
            (
                p.pid,
                p.ppid,
                p.state,
                p.program,
                p.status,
                p.retval,
                p.errno,
                p.sp,
                sorted((fd, f.name, f.offset, bytes(f.written)) for fd, f in p.fds.items()),
                p.argv,
                sorted(p.environ.items()),
                sorted(p.registers.items()),
                [repr(frame) for frame in p.stack_frames],
                p.pending_signals,
                sorted(p.dispositions.items()),
                sorted(p.blocked_signals),
                p.core_dumps,
                p.borrowing_from,
                p.blocked_on,
                p.pending_store,
                None if p.space is None else (p.space.users, list(p.space.mappings())),
            )
        )
    memory = m.memory
    parts += [memory.use(), memory.allocated_runs(), sorted(memory._contents.items())]
    parts += [m.stats, len(m.trace), sorted(m.programs), m.committed, m._next_pid]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def can_cut_network() -> bool:
    """True when this process may run a command with no network (``unshare -n``: root, or
    unprivileged user namespaces)."""
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


#: A scratch site's ``markdown_extensions:`` with the site's own (figures, Run buttons); more
#: entries may follow.
SITE_EXTENSIONS = (
    "markdown_extensions:\n"
    "  - forkdocs.doctools.integrations.inline\n"
    "  - forkdocs.doctools.integrations.inpage\n"
)


def build_site(
    config: Path,
    destination: Path,
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    offline: bool = False,
    build: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The site built as ``make site`` builds it: ``mkdocs build --strict`` of ``config`` into
    ``destination`` (or the command ``build``, another builder's, which must build there),
    then the post-build step, run from ``cwd`` (with ``env`` added to the environment; with
    ``offline``, in a network namespace of its own, with no network at all); the caller
    checks the result and its stderr (both commands' output)."""
    into = ["-f", str(config), str(destination)]
    steps = [
        build or [sys.executable, "-m", "mkdocs", "build", "--strict", *into[:2], "-d", into[2]],
        [sys.executable, "-m", "forkdocs.doctools.integrations.postbuild", *into],
    ]
    done: subprocess.CompletedProcess[str] | None = None
    for step in steps:
        ran = subprocess.run(
            [*(["unshare", "-n"] if offline else []), *step],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
            check=False,
        )
        if done is not None:
            ran.stdout, ran.stderr = done.stdout + ran.stdout, done.stderr + ran.stderr
        done = ran
        if ran.returncode:
            break
    assert done is not None
    return done


def end_child(machine: Machine, child: Process, end: str, status: int) -> None:
    """End ``child`` as a C program does with ``end``: ``"exit"`` is the C library's exit(3)
    (handlers, buffers), ``"_exit"`` the system call."""
    if end == "exit":
        libc.exit(machine, child, status)
    else:
        machine._exit(child, status)


def book_problems(site_dir: Path, url: str) -> list[str]:
    """What is wrong with the built page at ``url`` of ``site_dir`` as one document: ids that
    appear more than once, fragment links (``href="#..."``, ``url(#...)``) that name no id of
    it, relative ``href``/``src`` addresses that are no file of the site."""
    page = site_dir / url / "index.html"
    html = page.read_text(encoding="utf-8")
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    problems = [f'id "{name}" appears {count} times' for name, count in ids.items() if count > 1]
    for name in re.findall(r'href="#([^"]+)"', html) + re.findall(r"url\(#([^)]+)\)", html):
        if name not in ids:
            problems.append(f'href="#{name}" names no id of the page')
    for attribute, address in re.findall(r'\b(href|src)="([^"#?]*)[^"]*"', html):
        if not address or "://" in address or address.startswith(("/", "data:", "mailto:")):
            continue
        target = (page.parent / unquote(address)).resolve()
        if not (target.is_file() or (target / "index.html").is_file()):
            problems.append(f'{attribute}="{address}" is not a file of the site')
    return problems
