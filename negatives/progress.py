"""Progress of the slow stages, on stderr, whether or not it is a terminal.

On a terminal, a tqdm bar (shown once a stage has run :data:`BAR_DELAY` seconds, so quick stages
stay quiet). Otherwise (a log file, CI, a pipe) one line every :data:`EVERY` seconds with the count,
the rate and the time left when the total is known, and a last line when a stage that printed
ends: ``generate: 2,560/10,000 rows, 41.3 rows/s, ETA 3m 00s``. ``NEGATIVES_PROGRESS_EVERY`` sets
the interval in seconds (0: a line at every update).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
BAR_DELAY = 2.0
EVERY = 5.0


def _every() -> float:
    try:
        return max(0.0, float(os.environ.get("NEGATIVES_PROGRESS_EVERY", EVERY)))
    except ValueError:
        return EVERY


def duration(seconds: float) -> str:
    """``42s``, ``3m 05s``, ``2h 04m``."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


class Progress:
    """Work done on one stage: ``update(n)`` as it goes, ``close()`` (or a ``with`` block) at the end."""

    def __init__(self, desc: str, total: int | None = None, unit: str = "rows", show: bool = True) -> None:
        self.desc, self.total, self.unit = desc, total, unit
        self.done = 0
        self.start = self.last = time.monotonic()
        self.printed = False
        self.every = _every()
        self.bar: Any = None
        self.show = show
        if show and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, delay=BAR_DELAY, leave=False, dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if self.show and now - self.last >= self.every:
            self.last = now
            self._line(self.status(now))

    def status(self, now: float) -> str:
        """The count, the rate and, with a total, the time left."""
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        count = f"{self.done:,}/{self.total:,}" if self.total is not None else f"{self.done:,}"
        text = f"{self.desc}: {count} {self.unit}, {rate:,.1f} {self.unit}/s"
        if self.total is not None and rate > 0 and self.done < self.total:
            text += f", ETA {duration((self.total - self.done) / rate)}"
        return text

    def _line(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)
        self.printed = True

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.printed:
            self._line(f"{self.desc}: done, {self.done:,} {self.unit} in {duration(time.monotonic() - self.start)}")

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress(items: Iterable[T], desc: str, unit: str = "rows", total: int | None = None) -> Iterator[T]:
    """``items``, counted on a :class:`Progress` as they are consumed."""
    with Progress(desc, total, unit) as bar:
        for item in items:
            yield item
            bar.update()
