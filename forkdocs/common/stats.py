"""Counters of what process creation cost: copies, faults and page tables."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class Stats:
    """Running totals for one machine since it started (or since [`reset()`][forkdocs.common.stats.Stats.reset]).

    ``page_table_pages`` is the number of frames page tables hold *now*; every other field
    counts events.
    """

    forks: int = 0
    vforks: int = 0
    execs: int = 0
    cow_faults: int = 0
    pages_copied: int = 0
    bytes_copied: int = 0
    page_table_pages: int = 0

    def count_copy(self, pages: int, page_size: int) -> None:
        """``pages`` pages of ``page_size`` bytes were copied."""
        self.pages_copied += pages
        self.bytes_copied += pages * page_size

    def reset(self) -> None:
        """Zero the event counters (``page_table_pages`` is a level, not a count, and stays)."""
        for item in fields(self):
            if item.name != "page_table_pages":
                setattr(self, item.name, 0)
