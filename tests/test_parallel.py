"""Worker pools: chunks in order and aligned; a submitted map returns what map returns."""

from __future__ import annotations

from collections.abc import Sequence

from negatives.parallel import Workers, chunks, state


def _offset_sum(part: Sequence[int]) -> tuple[int, int]:
    return state() + sum(part), len(part)


def test_chunks_keep_order_and_start_on_the_alignment():
    items = list(range(37))
    for n in (1, 2, 3, 5):
        for align in (1, 4, 16):
            parts = chunks(items, n, align)
            assert [x for part in parts for x in part] == items
            assert len(parts) <= n and all(parts)
            starts = [sum(len(p) for p in parts[:k]) for k in range(len(parts))]
            assert all(start % align == 0 for start in starts)
    assert [len(p) for p in chunks(items, 2, 16)] == [32, 5]
    assert [len(p) for p in chunks(items, 3)] == [13, 12, 12]


def test_a_submitted_map_runs_on_the_forked_workers_while_the_caller_goes_on():
    items = list(range(100))
    with Workers(2, 1000) as pool:
        waiting = pool.submit(_offset_sum, items, align=16)
        here = sum(items)  # the parent works meanwhile
        assert waiting() == [(1000 + sum(range(64)), 64), (1000 + sum(range(64, 100)), 36)]
        assert pool.map(_offset_sum, items) == [(1000 + sum(range(50)), 50), (1000 + sum(range(50, 100)), 50)]
    assert Workers(1, 5).submit(_offset_sum, items)() == [(5 + here, 100)]


def _count(part: Sequence[int]) -> int:
    shared = state()
    shared.append(len(part))
    return len(shared)


def test_one_part_still_runs_on_a_worker_not_in_the_parent():
    shared: list[int] = []
    with Workers(2, shared) as pool:
        assert pool.map(_count, [1, 2, 3], align=16) == [1]
    assert shared == []  # the worker's copy counted, not the parent's
