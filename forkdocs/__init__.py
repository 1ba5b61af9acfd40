"""forkdocs: a simulation of how a Unix process starts another program.

Physical memory in frames; three kinds of MMU (paging with copy-on-write, base+length, none);
processes with fork, vfork, execve, _exit and waitpid; a trace of events and statistics.
Everything a page of the guide claims can be observed here. Nothing in the model prints.

The names below are imported when first used (PEP 562), so that importing a submodule, such
as the docs harness ``forkdocs.doctools``, does not load the whole simulation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forkdocs.errors import (
        BadFileDescriptor,
        ExecFormatError,
        ForkdocsError,
        InvalidArgument,
        KernelPanic,
        NoChild,
        NoSuchProcess,
        NoSuchProgram,
        NotModelled,
        NotPermitted,
        NotSupported,
        OutOfMemory,
        PermissionDenied,
        ProcessBlocked,
        ProcessGone,
        SegmentationFault,
        TryAgain,
        WouldBlock,
        WrongType,
    )
    from forkdocs.machine import Machine
    from forkdocs.memory import MemoryUse
    from forkdocs.process import OpenFile, Process, State
    from forkdocs.program import Program, Segment
    from forkdocs.signals import (
        SIGABRT,
        SIGCHLD,
        SIGCONT,
        SIGHUP,
        SIGINT,
        SIGKILL,
        SIGQUIT,
        SIGSEGV,
        SIGSTOP,
        SIGTERM,
        SIGTSTP,
        SIGUSR1,
        SIGUSR2,
    )
    from forkdocs.stats import Stats
    from forkdocs.trace import Event, Trace
    from forkdocs.units import format_address, format_size, parse_size
    from forkdocs.wait import (
        WCOREDUMP,
        WEXITSTATUS,
        WIFEXITED,
        WIFSIGNALED,
        WIFSTOPPED,
        WNOHANG,
        WSTOPSIG,
        WTERMSIG,
        WUNTRACED,
    )

__all__ = [
    "SIGABRT",
    "SIGCHLD",
    "SIGCONT",
    "SIGHUP",
    "SIGINT",
    "SIGKILL",
    "SIGQUIT",
    "SIGSEGV",
    "SIGSTOP",
    "SIGTERM",
    "SIGTSTP",
    "SIGUSR1",
    "SIGUSR2",
    "WCOREDUMP",
    "WEXITSTATUS",
    "WIFEXITED",
    "WIFSIGNALED",
    "WIFSTOPPED",
    "WNOHANG",
    "WSTOPSIG",
    "WTERMSIG",
    "WUNTRACED",
    "BadFileDescriptor",
    "Event",
    "ExecFormatError",
    "ForkdocsError",
    "InvalidArgument",
    "KernelPanic",
    "Machine",
    "MemoryUse",
    "NoChild",
    "NoSuchProcess",
    "NoSuchProgram",
    "NotModelled",
    "NotPermitted",
    "NotSupported",
    "OpenFile",
    "OutOfMemory",
    "PermissionDenied",
    "Process",
    "ProcessBlocked",
    "ProcessGone",
    "Program",
    "Segment",
    "SegmentationFault",
    "State",
    "Stats",
    "Trace",
    "TryAgain",
    "WouldBlock",
    "WrongType",
    "format_address",
    "format_size",
    "parse_size",
]

#: The module each public name comes from.
_HOMES: dict[str, str] = {
    "BadFileDescriptor": "forkdocs.errors",
    "ExecFormatError": "forkdocs.errors",
    "ForkdocsError": "forkdocs.errors",
    "InvalidArgument": "forkdocs.errors",
    "KernelPanic": "forkdocs.errors",
    "NoChild": "forkdocs.errors",
    "NoSuchProcess": "forkdocs.errors",
    "NoSuchProgram": "forkdocs.errors",
    "NotModelled": "forkdocs.errors",
    "NotPermitted": "forkdocs.errors",
    "NotSupported": "forkdocs.errors",
    "OutOfMemory": "forkdocs.errors",
    "PermissionDenied": "forkdocs.errors",
    "ProcessBlocked": "forkdocs.errors",
    "ProcessGone": "forkdocs.errors",
    "SegmentationFault": "forkdocs.errors",
    "TryAgain": "forkdocs.errors",
    "WouldBlock": "forkdocs.errors",
    "WrongType": "forkdocs.errors",
    "Machine": "forkdocs.machine",
    "MemoryUse": "forkdocs.memory",
    "OpenFile": "forkdocs.process",
    "Process": "forkdocs.process",
    "State": "forkdocs.process",
    "Program": "forkdocs.program",
    "Segment": "forkdocs.program",
    "SIGABRT": "forkdocs.signals",
    "SIGCHLD": "forkdocs.signals",
    "SIGCONT": "forkdocs.signals",
    "SIGHUP": "forkdocs.signals",
    "SIGINT": "forkdocs.signals",
    "SIGKILL": "forkdocs.signals",
    "SIGQUIT": "forkdocs.signals",
    "SIGSEGV": "forkdocs.signals",
    "SIGSTOP": "forkdocs.signals",
    "SIGTERM": "forkdocs.signals",
    "SIGTSTP": "forkdocs.signals",
    "SIGUSR1": "forkdocs.signals",
    "SIGUSR2": "forkdocs.signals",
    "Stats": "forkdocs.stats",
    "Event": "forkdocs.trace",
    "Trace": "forkdocs.trace",
    "format_address": "forkdocs.units",
    "format_size": "forkdocs.units",
    "parse_size": "forkdocs.units",
    "WCOREDUMP": "forkdocs.wait",
    "WEXITSTATUS": "forkdocs.wait",
    "WIFEXITED": "forkdocs.wait",
    "WIFSIGNALED": "forkdocs.wait",
    "WIFSTOPPED": "forkdocs.wait",
    "WNOHANG": "forkdocs.wait",
    "WSTOPSIG": "forkdocs.wait",
    "WTERMSIG": "forkdocs.wait",
    "WUNTRACED": "forkdocs.wait",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'forkdocs' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
