"""Work on every core: contiguous chunks of a list mapped over forked worker processes, in order.

The state a worker needs (loaded models, corpus statistics) is set before the fork and inherited,
never pickled; only the chunks and their results cross between processes. Results come back in
the order of the chunks, so a deterministic function gives the same output for any number of
workers. Each worker's native thread pools (BLAS, OpenMP, torch) use one thread, so N workers
keep N cores busy; :func:`limit_threads` sets the parent's (and the ONNX Runtime sessions it
opens afterwards) to the same N. Fork before a library starts its thread pools (the ONNX
embedder, torch): a forked child must not use pools whose threads stayed in the parent.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_STATE: list[Any] = [None]
_THREADS: list[int | None] = [None]


def available_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def chunks(items: Sequence[T], n: int, align: int = 1) -> list[Sequence[T]]:
    """``items`` cut into at most ``n`` contiguous, nearly equal, non-empty chunks, each starting at a
    multiple of ``align``."""
    if align > 1:
        groups = [items[i : i + align] for i in range(0, len(items), align)]
        return [[x for group in part for x in group] for part in chunks(groups, n)]
    n = max(1, min(n, len(items)))
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for k in range(n):
        end = start + size + (k < extra)
        out.append(items[start:end])
        start = end
    return out


def limit_threads(n: int) -> None:
    """Let this process's native thread pools use ``n`` threads: BLAS and OpenMP, torch, and the
    ONNX Runtime sessions opened from now on (:func:`threads`)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(n)
    _THREADS[0] = n
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def threads() -> int | None:
    """The threads :func:`limit_threads` allowed, if it was called."""
    return _THREADS[0]


def state() -> Any:
    """The state the parent set for its workers (:class:`Workers`)."""
    return _STATE[0]


def set_state(shared: Any) -> None:
    """Make ``shared`` what :func:`state` returns in this process (a worker another backend started)."""
    _STATE[0] = shared


class Workers:
    """A pool of ``n`` forked processes that inherit ``shared`` (read by workers with :func:`state`).

    ``map(fn, items)`` runs ``fn`` (a module-level function) on chunks of ``items`` and returns the
    results in order; with ``n == 1`` it runs in this process, without forking. ``submit`` starts the
    same work and returns a call that waits for it, so this process can work meanwhile.
    """

    def __init__(self, n: int, shared: Any) -> None:
        self.n = n
        self.shared = shared
        self._pool: Any = None

    def start(self) -> Workers:
        """Fork the processes now (``map`` does it when first needed)."""
        if self.n > 1 and self._pool is None:
            _STATE[0] = self.shared  # inherited by the fork
            self._pool = multiprocessing.get_context("fork").Pool(self.n, initializer=limit_threads, initargs=(1,))
        return self

    def map(self, fn: Callable[[Sequence[T]], R], items: Sequence[T], align: int = 1) -> list[R]:
        return self.submit(fn, items, align)()

    def submit(self, fn: Callable[[Sequence[T]], R], items: Sequence[T], align: int = 1) -> Callable[[], list[R]]:
        """Start ``map(fn, items)`` on the workers and return at once; call the result to wait for
        the results. With one process the work runs in that call. Chunks start at multiples of
        ``align`` (:func:`chunks`)."""
        parts = chunks(items, self.n, align)
        if self.n == 1:  # (with more, even one part goes to a worker: fn may count into the shared state)
            def run_here() -> list[R]:
                _STATE[0] = self.shared
                return [fn(part) for part in parts]

            return run_here
        return self._run(fn, parts)

    def _run(self, fn: Callable[[Sequence[T]], R], parts: list[Sequence[T]]) -> Callable[[], list[R]]:
        """Start ``fn`` on each part in the workers; the returned call waits for the results, in order
        (what another backend overrides: :class:`negatives.ray_backend.RayWorkers`)."""
        return self.start()._pool.map_async(fn, parts).get

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
