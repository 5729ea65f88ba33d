"""Where a run's time goes: seconds per stage, for the manifest and the summary printed at the end.

A command opens a :class:`StageTimes` (``with StageTimes() as times:``) and the code of each stage
marks its work with :func:`stage`, wherever it runs, without a timer passed down to it; outside an
open :class:`StageTimes`, :func:`stage` does nothing. Stages nest and are counted exclusively: the
embedding inside mining counts as ``embedding``, the rest of mining as ``mining``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
STAGES = ("read", "parse", "engines", "mining", "embedding", "selection", "debias", "write")
_active: list[StageTimes] = []


class StageTimes:
    """Exclusive wall-clock seconds per stage of one run (:data:`STAGES` first, in that order)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._stack: list[tuple[str, float]] = []
        self.start = time.perf_counter()
        self.end: float | None = None  # set when the run's block ends

    def enter(self, name: str) -> None:
        now = time.perf_counter()
        if self._stack:  # the enclosing stage pauses
            outer, since = self._stack[-1]
            self.seconds[outer] = self.seconds.get(outer, 0.0) + now - since
        self._stack.append((name, now))

    def leave(self) -> None:
        now = time.perf_counter()
        name, since = self._stack.pop()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - since
        if self._stack:
            self._stack[-1] = (self._stack[-1][0], now)

    def to_dict(self) -> dict[str, float]:
        total = (self.end or time.perf_counter()) - self.start
        out = {name: round(s, 2) for name, s in self.seconds.items()}
        return {**out, "other": round(max(0.0, total - sum(self.seconds.values())), 2), "total": round(total, 2)}

    def line(self) -> str:
        """``time: read 1.0 s, parse 20.3 s, ... (total 70.2 s)``, stages that took any time."""
        d = self.to_dict()
        parts = [f"{name} {s:.1f} s" for name, s in d.items() if name != "total" and s >= 0.05]
        return f"time: {', '.join(parts)} (total {d['total']:.1f} s)"

    def __enter__(self) -> StageTimes:
        _active.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.end = time.perf_counter()
        _active.remove(self)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Count the block's time as ``name`` in the open :class:`StageTimes`, if any."""
    if not _active:
        yield
        return
    times = _active[-1]
    times.enter(name)
    try:
        yield
    finally:
        times.leave()


def timed(items: Iterable[T], name: str) -> Iterator[T]:
    """``items``, the time spent producing each counted as ``name`` (e.g. reading rows)."""
    it = iter(items)
    while True:
        with stage(name):
            try:
                item = next(it)
            except StopIteration:
                return
        yield item
