"""A bounded trace for long simulations: O(1) per event, the latest events kept."""

from __future__ import annotations

import pytest

from forkdocs import InvalidArgument, Machine
from forkdocs.common.trace import Trace


def test_a_bounded_trace_keeps_the_latest_events_and_counts_the_rest() -> None:
    trace = Trace(limit=10)
    for n in range(55):
        trace.record("tick", 1, n=n)
    assert 10 <= len(trace.events) < 20
    assert 55 == len(trace)
    assert 54 == trace.events[-1].detail["n"] == trace.events[-1].seq
    assert 55 == trace.dropped + len(trace.events)
    last = trace.events[-3]
    assert [e.seq for e in trace.since(last)] == [last.seq + 1, last.seq + 2]


def test_a_trace_can_be_switched_off() -> None:
    m = Machine(trace_limit=0)
    shell = m.start("/bin/sh", image="64 KiB")
    child = m.fork(shell)
    m._exit(child, 0)
    m.waitpid(shell)
    assert ([], 4) == (m.trace.events, len(m.trace)), "start, fork, exit, reap"


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="trace limit"):
        Trace(limit=-1)
