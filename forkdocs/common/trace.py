"""Events as data: what the kernel did, in order. Renderers turn them into tables."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_class


@dataclass(frozen=True)
class Event:
    """One thing that happened: ``kind`` (``"fork"``, ``"cow"``, ``"exec"``...), the pid it
    happened to, and details such as ``child=3`` or ``vpn=5``. ``seq`` orders events."""

    seq: int
    kind: str
    pid: int
    detail: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        details = " ".join(f"{key}={value!r}" for key, value in self.detail.items())
        return f"{self.kind} pid={self.pid}" + (f" {details}" if details else "")


class Trace:
    """The ordered list of events of one machine.

    ``limit`` bounds what is kept, for long simulations: ``None`` keeps every event (the
    default, what the pages use), ``0`` keeps none, ``n`` keeps at least the latest ``n``
    (older ones are dropped in batches, so recording stays O(1) amortised). Sequence numbers
    keep counting across drops; `dropped` says how many were let go.
    """

    def __init__(self, limit: int | None = None) -> None:
        if limit is not None and limit < 0:
            raise InvalidArgument(f"a trace limit is a number of events (0 or more), not {limit}")
        self.events: list[Event] = []
        self.limit = limit
        #: how many of the oldest events were dropped to respect ``limit``
        self.dropped = 0

    def record(self, kind: str, pid: int, **detail: object) -> Event:
        """Append an event and return it."""
        event = Event(self.dropped + len(self.events), kind, pid, detail)
        if self.limit == 0:
            self.dropped += 1
            return event
        self.events.append(event)
        if self.limit is not None and len(self.events) >= 2 * self.limit:
            excess = len(self.events) - self.limit
            del self.events[:excess]
            self.dropped += excess
        return event

    def of_kind(self, *kinds: str) -> list[Event]:
        """The events whose kind is one of ``kinds``, in order."""
        return [event for event in self.events if event.kind in kinds]

    def kinds(self) -> list[str]:
        """The kind of every event, in order: handy for asserting a sequence."""
        return [event.kind for event in self.events]

    def since(self, event: Event) -> list[Event]:
        """The events after ``event`` (those still kept)."""
        return self.events[max(event.seq + 1 - self.dropped, 0) :]

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        """How many events were recorded, the dropped ones included."""
        return self.dropped + len(self.events)


checked_class(Trace)
