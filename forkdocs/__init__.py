"""forkdocs: a simulation of how a Unix process starts another program.

Physical memory in frames; three kinds of MMU (paging with copy-on-write, base+length, none);
processes with fork, vfork, execve, _exit and waitpid; a trace of events and statistics.
Everything a page of the guide claims can be observed here. Nothing in the model prints.

The folders are the layers, each importing only from those below it:

- [`common`][forkdocs.common]: errors, sizes, the trace, statistics, the argument guard;
- [`hardware`][forkdocs.hardware]: physical memory, the three kinds of MMU, segment layout;
- [`kernel`][forkdocs.kernel]: processes, programs, signals, wait, and the system calls;
- [`machine`][forkdocs.machine]: the kernel on its hardware, the object the pages drive;
- [`userland`][forkdocs.userland]: the C library, call stacks, heaps, BusyBox, posix_spawn;
- [`draw`][forkdocs.draw]: figures and text tables of the machine's state.

The docs harness, [`doctools`][forkdocs.doctools], imports none of them.

The public names are the imports below, each stated once (``name as name``: the form type
checkers take as a re-export): type checkers read them, and at run
time `__getattr__` imports a name from the same line when it is first used (PEP 562), so
that importing a submodule, such as the harness, does not load the whole simulation.
"""

from __future__ import annotations

import ast
import functools
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forkdocs.common.errors import (
        BadFileDescriptor as BadFileDescriptor,
        ExecFormatError as ExecFormatError,
        ForkdocsError as ForkdocsError,
        InvalidArgument as InvalidArgument,
        KernelPanic as KernelPanic,
        NoChild as NoChild,
        NoSuchProcess as NoSuchProcess,
        NoSuchProgram as NoSuchProgram,
        NotModelled as NotModelled,
        NotPermitted as NotPermitted,
        NotSupported as NotSupported,
        OutOfMemory as OutOfMemory,
        PermissionDenied as PermissionDenied,
        ProcessBlocked as ProcessBlocked,
        ProcessGone as ProcessGone,
        SegmentationFault as SegmentationFault,
        TryAgain as TryAgain,
        WouldBlock as WouldBlock,
        WrongType as WrongType,
    )
    from forkdocs.common.stats import Stats as Stats
    from forkdocs.common.trace import Event as Event, Trace as Trace
    from forkdocs.common.units import (
        format_address as format_address,
        format_size as format_size,
        parse_size as parse_size,
    )
    from forkdocs.hardware.memory import MemoryUse as MemoryUse
    from forkdocs.hardware.segments import Segment as Segment
    from forkdocs.kernel.process import OpenFile as OpenFile, Process as Process, State as State
    from forkdocs.kernel.program import Program as Program
    from forkdocs.kernel.signals import (
        SIGABRT as SIGABRT,
        SIGCHLD as SIGCHLD,
        SIGCONT as SIGCONT,
        SIGHUP as SIGHUP,
        SIGINT as SIGINT,
        SIGKILL as SIGKILL,
        SIGQUIT as SIGQUIT,
        SIGSEGV as SIGSEGV,
        SIGSTOP as SIGSTOP,
        SIGTERM as SIGTERM,
        SIGTSTP as SIGTSTP,
        SIGUSR1 as SIGUSR1,
        SIGUSR2 as SIGUSR2,
    )
    from forkdocs.kernel.wait import (
        WCOREDUMP as WCOREDUMP,
        WEXITSTATUS as WEXITSTATUS,
        WIFEXITED as WIFEXITED,
        WIFSIGNALED as WIFSIGNALED,
        WIFSTOPPED as WIFSTOPPED,
        WNOHANG as WNOHANG,
        WSTOPSIG as WSTOPSIG,
        WTERMSIG as WTERMSIG,
        WUNTRACED as WUNTRACED,
    )
    from forkdocs.machine import Machine as Machine


@functools.cache
def _homes() -> dict[str, str]:
    """Public name -> its module, read from the ``if TYPE_CHECKING:`` imports of this file."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    homes: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    homes.update((alias.name, statement.module) for alias in statement.names)
    return homes


def __getattr__(name: str) -> Any:
    if name == "__all__":
        return sorted(_homes())
    home = _homes().get(name)
    if home is None:
        raise AttributeError(f"module 'forkdocs' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_homes()))
