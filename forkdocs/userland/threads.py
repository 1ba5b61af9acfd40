"""Threads and fork, as the C library sees them: a mutex in memory, pthread_atfork, and
the fork() that runs the atfork handlers.

fork copies the calling thread only. A mutex is a word of memory holding the id of the
thread that locked it (0: unlocked), so a child inherits a lock taken by a thread that does
not exist in it: nothing will ever unlock it. pthread_atfork registers handlers that fork
runs around the copy: ``prepare`` in the parent before (in reverse order of registration:
take the locks), then ``parent`` in the parent and ``child`` in the child after (in order:
release them, or in the child start them afresh).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from forkdocs.common.errors import WouldBlock
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.kernel.process import Process, Thread
from forkdocs.machine import Machine

#: Whoever acts: a process (its main thread, whose id is the pid) or another thread.
Actor = Process | Thread
#: An atfork handler: called with the process it runs in.
Handler = Callable[[Process], None]


def tid_of(actor: Actor) -> int:
    """The thread id of ``actor``: a process's main thread has the pid."""
    return actor.tid if isinstance(actor, Thread) else actor.pid


def process_of(actor: Actor) -> Process:
    return actor.process if isinstance(actor, Thread) else actor


@dataclass(frozen=True)
class Mutex:
    """A pthread mutex at ``address``: the word holds the owner's thread id, 0 when free."""

    address: int

    def owner(self, actor: Actor) -> int:
        """The thread id that holds it, as ``actor`` reads the word (0: nobody)."""
        return actor.read_word(self.address)

    def lock(self, actor: Actor) -> None:
        """pthread_mutex_lock. Taking a free mutex writes the caller's id; a mutex held by
        someone else blocks, which a script cannot wait out: WouldBlock says who holds it,
        and whether that thread exists in the caller's process at all."""
        owner = self.owner(actor)
        if owner == 0:
            actor.write_word(self.address, tid_of(actor))
            return
        process = process_of(actor)
        alive = owner == process.pid or owner in process.threads
        why = "" if alive else f", which does not exist in pid {process.pid}: nobody can unlock it"
        raise WouldBlock(
            f"thread {tid_of(actor)} of pid {process.pid} blocks on the mutex at"
            f" {self.address:#x}: thread {owner} holds it{why}"
        )

    def try_lock(self, actor: Actor) -> bool:
        """pthread_mutex_trylock: True when it took the mutex, False (EBUSY) when held."""
        if self.owner(actor):
            return False
        self.lock(actor)
        return True

    def unlock(self, actor: Actor) -> None:
        """pthread_mutex_unlock (by the owner)."""
        actor.write_word(self.address, 0)

    def reset(self, actor: Actor) -> None:
        """pthread_mutex_init again: what an atfork child handler does in the child."""
        actor.write_word(self.address, 0)


def pthread_create(machine: Machine, process: Process) -> Thread:
    """A new thread of ``process`` (see [`thread_create()`][forkdocs.kernel.access.MemoryAccess.thread_create])."""
    return machine.thread_create(process)


def pthread_atfork(
    process: Process,
    prepare: Handler | None = None,
    parent: Handler | None = None,
    child: Handler | None = None,
) -> None:
    """Register fork handlers in ``process`` (kept with its C library's state: copied by
    fork, gone at exec)."""
    handlers = list(process.variables.get("atfork", []))  # type: ignore[call-overload]
    process.variables["atfork"] = [*handlers, (prepare, parent, child)]  # a new list: a
    # forked child's copy of the variables must not share it


def fork(machine: Machine, process: Process) -> Process:
    """The C library's fork(): the prepare handlers (last registered first), the system
    call, then the parent handlers in the parent and the child handlers in the child (in
    the order they were registered)."""
    handlers = list(process.variables.get("atfork", []))  # type: ignore[call-overload]
    for prepare, _, _ in reversed(handlers):
        if prepare is not None:
            prepare(process)
    child = machine.fork(process)
    for _, in_parent, in_child in handlers:
        if in_parent is not None:
            in_parent(process)
        if in_child is not None:
            in_child(child)
    return child


checked_module(globals())
checked_class(Mutex)
