"""Function calls on the simulated stack: saved return addresses and locals in memory.

A call pushes, from high addresses to low: the caller's arguments (only on i386: the x86-64
System V ABI, the default, passes the first six integer arguments in registers), the return
address (the call site, an address in the program's text), the caller's frame pointer when
the function keeps one (as gcc -O0 builds do), then the callee's locals. Returning reads the
saved return address back *from memory*: if something overwrote it, the process returns to
the wrong place, or to an address that is not code and dies of SIGSEGV. A saved frame
pointer that was overwritten is restored as it is: the caller, which finds its locals
through it, then faults (SIGSEGV) at its next access.

The machine's ``abi`` (``Machine(abi="x86-64")`` or ``"i386"``) says which convention applies.

A process knows where its stack frames are (its stack pointer and frame chain: registers);
memory holds what is in them. A vforked child starts with copies of the parent's registers,
pointing into the *same* memory.

Locals given as ``registers`` are not in memory at all: a compiler may keep a non-volatile
local in a register, which the child's copy of the registers does not share.
"""

from __future__ import annotations

from forkdocs.common.errors import InvalidArgument, SegmentationFault
from forkdocs.common.guard import checked_module
from forkdocs.common.units import format_address
from forkdocs.kernel import wait
from forkdocs.kernel.frames import StackFrame
from forkdocs.kernel.process import WORD, Process
from forkdocs.machine import machine_of


def current(process: Process) -> StackFrame:
    """The innermost frame of ``process``."""
    if not process.stack_frames:
        raise InvalidArgument(
            f"pid {process.pid} has called no function yet: callstack.call() it first"
        )
    return process.stack_frames[-1]


#: Integer arguments the x86-64 System V ABI passes in registers.
REGISTER_ARGS = 6


def call(
    process: Process,
    function: str,
    *,
    args: tuple[int, ...] = (),
    locals: tuple[str, ...] = (),
    frame_pointer: bool = False,
) -> StackFrame:
    """Call ``function``: push the arguments that go on the stack under the machine's ABI,
    the return address of this call site, the caller's frame pointer if ``frame_pointer``
    (a -O0 build), and room for ``locals`` (zeroed). Returns the new frame."""
    caller = process.stack_frames[-1].function if process.stack_frames else "_start"
    site = f"{caller}:call {function}"
    symbols = machine_of(process).symbols
    sp = process.stack_pointer
    stacked = args if machine_of(process).abi == "i386" else args[REGISTER_ARGS:]
    for value in reversed(stacked):
        sp -= WORD
        process.write_word(sp, value)
    top = sp
    sp -= WORD
    process.write_word(sp, symbols.address(process, site))
    frame = StackFrame(function, top, sp, site)
    if frame_pointer:
        saved = process.registers.get("fp", 0)
        sp -= WORD
        process.write_word(sp, saved)
        frame = StackFrame(function, top, frame.return_slot, site, fp_slot=sp, saved_fp=saved)
        process.registers["fp"] = sp
    for name in locals:
        sp -= WORD
        process.write_word(sp, 0)
        frame.slots[name] = sp
    process.stack_frames.append(frame)
    process.sp = sp
    machine_of(process).trace.record("call", process.pid, function=function, sp=sp)
    return frame


def ret(process: Process) -> str:
    """Return from the innermost function, to the address saved in its frame.

    Returns the label of the code returned to. If that is not the call site the frame was
    made for, a ``wrong-return`` event is recorded. If it is not code at all, the process is
    killed with SIGSEGV and SegmentationFault is raised.
    """
    frame = current(process)
    saved = process.read_word(frame.return_slot)
    restored_fp = None if frame.fp_slot is None else process.read_word(frame.fp_slot)
    process.stack_frames.pop()
    process.sp = frame.top
    label = machine_of(process).symbols.label(process, saved)
    trace = machine_of(process).trace
    if restored_fp is not None:
        process.registers["fp"] = restored_fp
        if restored_fp != frame.saved_fp:
            machine_of(process).kill(process, wait.SIGSEGV)
            raise SegmentationFault(
                f"pid {process.pid}: {frame.function}() restored a frame pointer of"
                f" {format_address(restored_fp)} instead of {format_address(frame.saved_fp)}:"
                " its saved copy was overwritten, and the caller faults at its next local"
                " variable; killed by SIGSEGV",
                pid=process.pid,
                address=restored_fp,
            )
    if label is None:
        machine_of(process).kill(process, wait.SIGSEGV)
        raise SegmentationFault(
            f"pid {process.pid}: {frame.function}() returned to {format_address(saved)}, which is"
            " not code: its saved return address was overwritten; killed by SIGSEGV",
            pid=process.pid,
            address=saved,
        )
    if label != frame.returns_to:
        trace.record("wrong-return", process.pid, function=frame.function, to=label)
    else:
        trace.record("return", process.pid, function=frame.function, to=label)
    return label


def call_through_lazy_plt(process: Process, function: str, index: int) -> StackFrame:
    """Call a shared-library ``function`` whose address is not resolved yet, the first time:
    the call pushes its return address, then the PLT stub pushes the relocation ``index``
    (x86-64, lazy binding) before it jumps to the dynamic linker. Returns the frame."""
    frame = call(process, function)
    process.sp = frame.return_slot - WORD
    process.write_word(process.sp, index)
    return frame


checked_module(globals())
