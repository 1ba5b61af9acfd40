"""forkdocs: a simulation of how a Unix process starts another program.

Physical memory in frames; three kinds of MMU (paging with copy-on-write, base+length, none);
processes with fork, vfork, execve, _exit and waitpid; a trace of events and statistics.
Everything a page of the guide claims can be observed here. Nothing in the model prints.
"""

from forkdocs.errors import (
    BadFileDescriptor,
    ForkdocsError,
    InvalidArgument,
    KernelPanic,
    NoChild,
    NoSuchProcess,
    NoSuchProgram,
    NotModelled,
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
    "ForkdocsError",
    "InvalidArgument",
    "KernelPanic",
    "Machine",
    "MemoryUse",
    "NoChild",
    "NoSuchProcess",
    "NoSuchProgram",
    "NotModelled",
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
