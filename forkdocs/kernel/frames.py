"""A process's stack frames as the kernel sees them: records of where each activation's
return address and locals are in stack memory. The kernel moves them when it copies a stack
(a clone child with a stack of its own); [`forkdocs.userland.callstack`][forkdocs.userland.callstack] pushes and pops them."""

from __future__ import annotations

from dataclasses import dataclass, field

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_class


@dataclass(frozen=True)
class StackFrame:
    """One activation of ``function``: where its return address and locals live, and which
    call site it should return to."""

    function: str
    top: int
    return_slot: int
    returns_to: str
    slots: dict[str, int] = field(default_factory=dict)
    #: where the caller's frame pointer was saved (None: the function keeps no frame pointer)
    fp_slot: int | None = None
    #: the frame pointer value saved there at the call
    saved_fp: int = 0

    def address_of(self, name: str) -> int:
        """Where local ``name`` lives on the stack."""
        try:
            return self.slots[name]
        except KeyError:
            known = ", ".join(self.slots) or "none"
            raise InvalidArgument(
                f"{self.function}() has no local {name!r} on the stack (its locals: {known})"
            ) from None

    def moved(self, shift: int) -> StackFrame:
        """The same frame in a stack copied ``shift`` bytes away."""
        slots = {name: address + shift for name, address in self.slots.items()}
        fp_slot = None if self.fp_slot is None else self.fp_slot + shift
        return StackFrame(
            self.function,
            self.top + shift,
            self.return_slot + shift,
            self.returns_to,
            slots,
            fp_slot,
            self.saved_fp,
        )


checked_class(StackFrame)
