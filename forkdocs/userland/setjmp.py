"""vfork built from setjmp and longjmp, the model of BusyBox's 2006 programming guide.

The parent saves its registers (setjmp) and then runs the child's code *itself*: during the
"child" window there is only one process. When that code calls exec, exec creates the real
child process running the new program; when it calls _exit, only an exit status is recorded
(in a child that holds no memory). Either way the parent then restores its registers
(longjmp) and vfork returns a second time, with the new pid.

Memory written during the window stays written (it was the parent's all along); locals kept
in registers come back with the values they had at setjmp time.
"""

from __future__ import annotations

from dataclasses import dataclass

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_class
from forkdocs.kernel.frames import StackFrame
from forkdocs.kernel.process import Process
from forkdocs.machine import Machine


@dataclass(frozen=True)
class JmpBuf:
    """What setjmp saves: the stack pointer, the frame chain and the register-held locals."""

    sp: int | None
    stack_frames: tuple[StackFrame, ...]
    registers: tuple[tuple[str, int], ...]


class SetjmpVfork:
    """One vfork done the setjmp/longjmp way, by ``parent`` on ``machine``.

    Creating it is the first return of vfork: 0 is stored at ``pid_at`` (if given) and the
    parent goes on as the child. [`execve()`][forkdocs.userland.setjmp.SetjmpVfork.execve] and [`exit()`][forkdocs.userland.setjmp.SetjmpVfork.exit] end the window and return the
    new pid, which is also stored at ``pid_at``.
    """

    def __init__(self, machine: Machine, parent: Process, *, pid_at: int | None = None) -> None:
        self.machine = machine
        self.parent = parent
        self.pid_at = pid_at
        self.saved = JmpBuf(parent.sp, tuple(parent.stack_frames), tuple(parent.registers.items()))
        self.child: Process | None = None
        machine.trace.record("setjmp", parent.pid)
        parent.retval = 0
        if pid_at is not None:
            parent.write_word(pid_at, 0)

    def execve(self, path: str) -> int:
        """exec does the real fork: a child running ``path``. Then longjmp. Raises what exec
        would (NoSuchProgram...), with ``errno`` set, and leaves the window open, as a failed
        exec does."""
        self._check_open()
        self.child = self.machine.spawn(self.parent, path)
        return self._longjmp()

    def exit(self, status: int) -> int:
        """_exit in the window: record ``status`` in a child that never ran, then longjmp."""
        self._check_open()
        self.child = self.machine.spawn(self.parent, None)
        self.machine._exit(self.child, status)
        return self._longjmp()

    def _check_open(self) -> None:
        if self.child is not None:
            raise InvalidArgument(
                f"pid {self.parent.pid}: this vfork already returned {self.child.pid};"
                " exec or _exit ends the window once"
            )

    def _longjmp(self) -> int:
        assert self.child is not None
        parent, saved = self.parent, self.saved
        parent.sp, parent.stack_frames, parent.registers = (
            saved.sp,
            list(saved.stack_frames),
            dict(saved.registers),
        )
        self.machine.trace.record("longjmp", parent.pid, returns=self.child.pid)
        if self.pid_at is not None:
            parent.write_word(self.pid_at, self.child.pid)
        parent.retval = self.child.pid
        return self.child.pid


checked_class(SetjmpVfork)
checked_class(JmpBuf)
