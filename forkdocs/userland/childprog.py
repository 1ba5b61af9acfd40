"""What a vforked child does between vfork and exec, as data, and two ways to run it.

A `ChildProgram` is a tuple of steps. [`run_vfork()`][forkdocs.userland.childprog.run_vfork] runs one in a fixed scene, with
the kernel's vfork or with the setjmp/longjmp model, and returns the [`Outcome`][forkdocs.userland.childprog.Outcome] the
parent can observe. The scene: ``main`` calls ``spawner``, whose locals ``pid``, ``failed``,
``v0`` and ``v1`` live on the stack and whose ``r0`` and ``r1`` are kept in registers;
``spawner`` calls vfork with ``pid`` as the variable for the result, the child runs the
program, the parent resumes, reads everything back, and returns from ``spawner`` to ``main``.

Stack locals are in memory, as ``volatile`` guarantees. A register local that the child
changed is reported as `UNSPECIFIED`: C gives it no defined value after longjmp (or
after vfork), since the compiler may have kept it in a register or spilled it to the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from forkdocs.common.errors import NoSuchProgram, SegmentationFault
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.kernel.frames import StackFrame
from forkdocs.kernel.process import WORD, Process, State
from forkdocs.machine import Abi, Machine, MmuName
from forkdocs.userland import callstack
from forkdocs.userland.setjmp import SetjmpVfork

#: The stack locals of ``spawner``, and its register locals.
STACK_LOCALS = ("pid", "failed", "v0", "v1")
REGISTER_LOCALS = ("r0", "r1")
GLOBALS = 4
#: What a called helper leaves in its locals: recognisably not an address.
JUNK = 0x4141_4141_4141_4141
#: What ``pid`` holds before vfork returns: neither 0 nor a pid.
SENTINEL = 0xDEAD
#: The reported value of a register local the child changed.
UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class SetLocal:
    """Assign a stack local of ``spawner`` (POSIX allows only ``pid``; BusyBox also uses a
    ``volatile int failed``)."""

    name: str
    value: int


@dataclass(frozen=True)
class SetRegister:
    """Assign a local the compiler kept in a register (a non-volatile local)."""

    name: str
    value: int


@dataclass(frozen=True)
class WriteGlobal:
    """Store ``value`` in global word ``index`` (in the data segment)."""

    index: int
    value: int


@dataclass(frozen=True)
class Call:
    """Call a helper with ``args`` (pushed on the stack) and ``locals`` locals, then return."""

    function: str
    args: tuple[int, ...] = ()
    locals: int = 0


@dataclass(frozen=True)
class ReturnEarly:
    """Return from ``spawner``, the function that called vfork: what POSIX forbids."""


@dataclass(frozen=True)
class Exec:
    """execve(path); a failed exec goes on to the next step."""

    path: str


@dataclass(frozen=True)
class Exit:
    """_exit(code)."""

    code: int


Step = SetLocal | SetRegister | WriteGlobal | Call | ReturnEarly | Exec | Exit
ChildProgram = tuple[Step, ...]


@dataclass(frozen=True)
class Outcome:
    """What the parent sees after the child's window, and what became of the child."""

    pid_variable: int
    stack_locals: tuple[int, ...]
    registers: tuple[int | str, ...]
    globals: tuple[int, ...]
    errno_in_window: str
    parent_return: str
    child_status: int | None
    child_program: str | None
    processes_in_window: int


def complies(program: ChildProgram) -> bool:
    """True when the program never returns from ``spawner`` and ends in exec or _exit."""
    ends = any(isinstance(step, Exit) for step in program) or any(
        isinstance(step, Exec) and step.path == "/bin/true" for step in program
    )
    return ends and not any(isinstance(step, ReturnEarly) for step in program)


def run_vfork(
    program: ChildProgram,
    *,
    mmu: MmuName = "paging",
    model: Literal["kernel", "setjmp"] = "kernel",
    abi: Abi = "x86-64",
    frame_pointers: bool = False,
) -> Outcome:
    """Run ``program`` in the scene with ``model`` ``"kernel"`` (vfork(2)) or ``"setjmp"``,
    under the calling convention ``abi``, with functions that keep a frame pointer when
    ``frame_pointers`` (as gcc -O0 builds them) or not (-O2). The child's ``_exit`` is its
    first call into the C library, made through a lazily bound PLT entry."""
    m = Machine(mmu=mmu, ram="4 MiB", abi=abi)
    m.install("/bin/true", image="20 KiB")
    parent = m.start("/bin/sh", image="64 KiB")
    callstack.call(parent, "main", frame_pointer=frame_pointers)
    frame = callstack.call(parent, "spawner", locals=STACK_LOCALS, frame_pointer=frame_pointers)
    parent.registers.update(dict.fromkeys(REGISTER_LOCALS, 0))
    pid_at = frame.address_of("pid")
    parent.write_word(pid_at, SENTINEL)
    if model == "kernel":
        actor = m.vfork(parent, pid_at=pid_at)
        jump = None
    else:
        actor, jump = parent, SetjmpVfork(m, parent, pid_at=pid_at)
    in_window = len(m.processes)
    changed: set[str] = set()
    errno = ""
    for step in (*program, Exit(0)):
        if isinstance(step, SetRegister):
            changed.add(step.name)
        errno = actor.errno
        if not _step(m, actor, frame, step, jump, frame_pointers):
            break
    child = m.process(parent.retval) if parent.retval in m.processes else None
    return _observe(m, parent, frame, child, in_window, changed, errno)


def _step(
    m: Machine,
    actor: Process,
    frame: StackFrame,
    step: Step,
    jump: SetjmpVfork | None,
    frame_pointers: bool,
) -> bool:
    """Do one step as the child; False once the window is over."""
    if isinstance(step, SetLocal):
        actor.write_word(frame.address_of(step.name), step.value)
    elif isinstance(step, SetRegister):
        actor.registers[step.name] = step.value
    elif isinstance(step, WriteGlobal):
        actor.write_word(actor.data + step.index * WORD, step.value)
    elif isinstance(step, Call):
        helper = callstack.call(
            actor,
            step.function,
            args=step.args,
            locals=tuple(f"l{i}" for i in range(step.locals)),
            frame_pointer=frame_pointers,
        )
        for address in helper.slots.values():
            actor.write_word(address, JUNK)
        callstack.ret(actor)
    elif isinstance(step, ReturnEarly):
        callstack.ret(actor)
    elif isinstance(step, Exec):
        try:
            if jump is None:
                m.execve(actor, step.path)
            else:
                jump.execve(step.path)
        except NoSuchProgram:
            return True
        return False
    else:
        callstack.call_through_lazy_plt(actor, "_exit", 0)
        if jump is None:
            m._exit(actor, step.code)
        else:
            jump.exit(step.code)
        return False
    return True


def _observe(
    m: Machine,
    parent: Process,
    frame: StackFrame,
    child: Process | None,
    in_window: int,
    changed: set[str],
    errno: str,
) -> Outcome:
    pid_variable = parent.read_word(frame.address_of("pid"))
    stack_locals = tuple(parent.read_word(frame.address_of(name)) for name in STACK_LOCALS)
    registers = tuple(
        UNSPECIFIED if name in changed else parent.registers[name] for name in REGISTER_LOCALS
    )
    globals_ = tuple(parent.read_word(parent.data + i * WORD) for i in range(GLOBALS))
    program = child.program if child is not None and child.space is not None else None
    try:
        label = callstack.ret(parent)
        parent_return = "ok" if label == "main:call spawner" else f"wrong place: {label}"
    except SegmentationFault:
        parent_return = "crash"
    status = None
    if parent.state is State.RUNNING and child is not None:
        if child.state is not State.ZOMBIE:
            m._exit(child, 0)
        status = m.waitpid(parent, child.pid)[1]
    return Outcome(
        pid_variable,
        stack_locals,
        registers,
        globals_,
        errno,
        parent_return,
        status,
        program,
        in_window,
    )


for _step_class in (SetLocal, SetRegister, WriteGlobal, Call, ReturnEarly, Exec, Exit):
    checked_class(_step_class)
checked_module(globals())
checked_class(Outcome)
