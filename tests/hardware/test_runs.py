from forkdocs.hardware.runs import RunMap


def shifted(value: int, offset: int) -> int:
    return value + offset


def test_assign_splits_and_merges_back() -> None:
    table: RunMap[int] = RunMap(shifted)
    table.assign(0, 10, 100)
    table.assign(3, 4, 500)
    assert list(table.runs()) == [(0, 3, 100), (3, 4, 500), (4, 10, 104)]
    table.assign(3, 4, 103)
    assert list(table.runs()) == [(0, 10, 100)]


def test_update_counts_and_get() -> None:
    counts: RunMap[int] = RunMap()
    counts.assign(0, 10, 1)
    counts.update(2, 5, lambda c: c + 1)
    assert [counts.get(2), counts.get(5)] == [2, 1]
    assert counts.get(10) is None
    assert counts.between(1, 3) == [(1, 2, 1), (2, 3, 2)]


def test_remove_returns_clipped_runs() -> None:
    counts: RunMap[int] = RunMap()
    counts.assign(0, 10, 3)
    assert counts.remove(1, 3) == [(1, 3, 3)]
    assert counts.total() == 8
