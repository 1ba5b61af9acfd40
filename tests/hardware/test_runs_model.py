"""The blocked RunMap against the plainest possible model, a dict from key to value, over
random sequences of assign, remove, update and copy, with blocks made tiny so that dividing
and joining blocks happens all the time."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from forkdocs.hardware import runs
from forkdocs.hardware.runs import RunMap, same


def offset(value: int, by: int) -> int:
    return value + by


class AgainstADict(RuleBasedStateMachine):
    shift: Callable[[int, int], int] = staticmethod(same)

    def __init__(self) -> None:
        super().__init__()
        self.map: RunMap[int] = RunMap(self.shift)
        self.model: dict[int, int] = {}
        self.copies: list[tuple[RunMap[int], dict[int, int]]] = []

    keys = st.integers(0, 80)

    @rule(start=keys, length=st.integers(0, 12), value=st.integers(0, 3))
    def assign(self, start: int, length: int, value: int) -> None:
        self.map.assign(start, start + length, value)
        for key in range(start, start + length):
            self.model[key] = self.shift(value, key - start)

    @rule(start=keys, length=st.integers(0, 12))
    def remove(self, start: int, length: int) -> None:
        removed = self.map.remove(start, start + length)
        gone = {k: self.model.pop(k) for k in range(start, start + length) if k in self.model}
        assert gone == {k: self.shift(v, k - s) for s, e, v in removed for k in range(s, e)}

    @rule(start=keys, length=st.integers(0, 12), add=st.integers(1, 2))
    def update(self, start: int, length: int, add: int) -> None:
        self.map.update(start, start + length, lambda value: value + add)
        for key in range(start, start + length):
            if key in self.model:
                self.model[key] += add

    @rule(
        ranges=st.lists(st.tuples(st.integers(0, 80), st.integers(0, 6)), max_size=8),
        add=st.integers(1, 2),
    )
    def update_all(self, ranges: list[tuple[int, int]], add: int) -> None:
        """One sweep gives the same runs as one update() per range."""
        disjoint, last = [], -1
        for start, length in sorted(ranges):
            if start >= last and length:
                disjoint.append((start, start + length))
                last = start + length
        twin = self.map.copy()
        for start, end in disjoint:
            twin.update(start, end, lambda value: value + add)
        self.map.update_all(disjoint, lambda value: value + add)
        assert list(twin.runs()) == list(self.map.runs())
        for start, end in disjoint:
            for key in range(start, end):
                if key in self.model:
                    self.model[key] += add

    @rule()
    def copy(self) -> None:
        self.copies.append((self.map.copy(), dict(self.model)))

    @invariant()
    def agrees(self) -> None:
        for twin, model in [(self.map, self.model), *self.copies]:
            keys = {k: twin.get(k) for k in range(0, 100)}
            assert {k: v for k, v in keys.items() if v is not None} == model
            assert len(model) == twin.total()
            listed = [(s, e) for s, e, _ in twin.runs()]
            assert listed == sorted(listed)
            assert all(a[1] <= b[0] for a, b in pairwise(listed))
            assert {k for s, e, _ in twin.between(10, 50) for k in range(s, e)} == {
                k for k in model if 10 <= k < 50
            }


class AgainstADictWithOffsets(AgainstADict):
    shift = staticmethod(offset)


@pytest.mark.parametrize("machine", [AgainstADict, AgainstADictWithOffsets])
@pytest.mark.parametrize("load", [2, 4, 512])
def test_runmap_agrees_with_a_dict(
    machine: type[AgainstADict], load: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs, "_LOAD", load)
    test = machine.TestCase
    test.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
    test().runTest()
