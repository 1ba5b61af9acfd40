"""Events as data: what the kernel did, in order. Renderers turn them into tables."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from forkdocs.guard import checked_class


@dataclass(frozen=True)
class Event:
    """One thing that happened: ``kind`` (``"fork"``, ``"cow"``, ``"exec"``...), the pid it
    happened to, and details such as ``child=3`` or ``vpn=5``. ``seq`` orders events."""

    seq: int
    kind: str
    pid: int
    detail: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        details = " ".join(f"{key}={value}" for key, value in self.detail.items())
        return f"{self.kind} pid={self.pid}" + (f" {details}" if details else "")


class Trace:
    """The ordered list of events of one machine."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def record(self, kind: str, pid: int, **detail: object) -> Event:
        """Append an event and return it."""
        event = Event(len(self.events), kind, pid, detail)
        self.events.append(event)
        return event

    def of_kind(self, *kinds: str) -> list[Event]:
        """The events whose kind is one of ``kinds``, in order."""
        return [event for event in self.events if event.kind in kinds]

    def kinds(self) -> list[str]:
        """The kind of every event, in order: handy for asserting a sequence."""
        return [event.kind for event in self.events]

    def since(self, event: Event) -> list[Event]:
        """The events after ``event``."""
        return self.events[event.seq + 1 :]

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)


checked_class(Trace)
