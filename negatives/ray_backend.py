"""``negatives generate --backend ray``: the per-record work on Ray, the corpus-level steps in the driver.

:class:`RayWorkers` is :class:`negatives.parallel.Workers` on Ray, so the builder runs unchanged:

- ``map`` (the corpus pass: parse and corpus statistics) streams the records through Ray Data in
  blocks of at most :data:`BLOCK` (``map_batches`` over an actor pool, one actor per worker, order
  preserved); each block's statistics and parses come back to the driver, which adds them up in
  order (``CorpusStats.merge``, ``ParseCache.merge``: the same totals as one process).
- ``submit`` (each batch's candidates, :func:`negatives.graded._candidates_part`, and the corpus
  embedding the pool is lent to) sends chunk ``k`` to actor ``k``: the chunks of the forked pool,
  their results and counts back in order. Each actor holds its own copy of the pool's state (the
  generator with its corpus statistics and parses), put in the object store once; it loads its own
  models (spaCy, the ONNX embedder), as a forked worker would.

Single-node steps stay in the driver: reading and checking the input, the FAISS index and mining,
difficulty (the embedder), debias, level selection and writing. Same input and seed, same bytes as
``--backend local``.

:func:`ray_session` starts Ray bound to 127.0.0.1 only (or connects to ``--address``); ray is
imported there, never when ``negatives`` is.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import socket
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from negatives.errors import UsageError
from negatives.parallel import Workers, available_workers, limit_threads, set_state

T = TypeVar("T")
R = TypeVar("R")
LOOPBACK = "127.0.0.1"
BLOCK = 1024
"""Records per Ray Data block of the corpus pass: its statistics and parses cross back as one object."""


@contextmanager
def ray_session(address: str | None = None, cpus: int | None = None) -> Iterator[int]:
    """Ray for one run; yields the number of workers it offers (``cpus``, else the cluster's CPUs).

    Without ``address``: a new Ray instance of ``cpus`` CPUs (default: every core) whose processes
    listen on 127.0.0.1 only, no dashboard, shut down on exit. With ``address``: the running cluster
    there, left running (one it cannot reach is a :class:`negatives.errors.UsageError`). Worker output
    stays in Ray's logs; usage statistics are never sent."""
    loopback = address is None or address.rsplit(":", 1)[0] in (LOOPBACK, "localhost")
    if loopback:  # Ray resolves 127.0.0.1 to the machine's address and listens on every interface otherwise
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    import ray
    from ray._private import ray_constants

    if loopback and ray_constants.ENABLE_RAY_CLUSTER:
        raise RuntimeError("ray was imported before negatives could keep it on 127.0.0.1; start a fresh process")
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    handler = signal.getsignal(signal.SIGTERM)
    if address is None:
        ray.init(address="local", num_cpus=cpus or available_workers(), _node_ip_address=LOOPBACK,
                 include_dashboard=False, **quiet)
    else:
        _answers(address)
        try:
            ray.init(address=address, **quiet)
        except (ConnectionError, RuntimeError) as exc:  # RuntimeError: Ray's authentication errors
            raise UsageError(f"--address {address}: cannot connect to a Ray cluster there ({exc}); check the "
                             "address, and that RAY_AUTH_TOKEN holds the cluster's token") from None
    if signal.getsignal(signal.SIGTERM) is not handler:  # ray.init set its own: keep the caller's (the CLI's rollback)
        signal.signal(signal.SIGTERM, handler)
    try:
        if loopback and ray.util.get_node_ip_address() != LOOPBACK:
            raise RuntimeError(f"Ray runs on {ray.util.get_node_ip_address()}, not {LOOPBACK}")
        yield cpus or int(ray.cluster_resources().get("CPU", 1))
    finally:
        if address is None:
            ray.shutdown()


def _answers(address: str) -> None:
    """Refuse at once a ``host:port`` where nothing listens (Ray would retry for minutes)."""
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        return  # another form (ray://...): Ray's to judge
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=10).close()
    except OSError as exc:
        raise UsageError(f"--address {address}: no Ray cluster answers there ({exc.strerror or exc})") from None


class RayWorkers(Workers):
    """``n`` Ray actors sharing ``shared`` (read with :func:`negatives.parallel.state`); the
    interface and the results of :class:`negatives.parallel.Workers`, with ``n == 1`` in this
    process. Needs a connected Ray (:func:`ray_session`)."""

    def __init__(self, n: int, shared: Any) -> None:
        super().__init__(n, shared)
        self._shared: Any = None

    def _shared_ref(self) -> Any:
        """``shared`` in the object store, put once."""
        if self._shared is None:
            import ray

            self._shared = ray.put(self.shared)
        return self._shared

    def start(self) -> RayWorkers:
        """Start the actors now (``submit`` does it when first needed)."""
        if self.n > 1 and self._pool is None:
            import ray

            actor = ray.remote(num_cpus=1)(_Worker)
            self._pool = [actor.remote(self._shared_ref()) for _ in range(self.n)]
        return self

    def _run(self, fn: Callable[[Sequence[T]], R], parts: list[Sequence[T]]) -> Callable[[], list[R]]:
        import ray

        actors = self.start()._pool
        refs = [actors[k % len(actors)].run.remote(fn, part) for k, part in enumerate(parts)]
        return lambda: ray.get(refs)

    def map(self, fn: Callable[[Sequence[T]], R], items: Sequence[T], align: int = 1) -> list[R]:
        """``fn`` over ``items`` in blocks of at most :data:`BLOCK` (each starting at a multiple of
        ``align``) through Ray Data, the results in order: one per block, not per worker."""
        if self.n == 1 or not items:
            return super().map(fn, items, align)
        import ray.data

        logging.getLogger("ray.data").setLevel(logging.ERROR)  # no progress or execution lines on the terminal
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        size = -(-min(BLOCK, -(-len(items) // self.n)) // align) * align
        blocks = [pickle.dumps(items[i : i + size], pickle.HIGHEST_PROTOCOL) for i in range(0, len(items), size)]
        data = ray.data.from_items([{"block": block} for block in blocks], override_num_blocks=len(blocks))
        with warnings.catch_warnings():  # max_restarts, deprecated: else each actor logs an error (ray#53727)
            warnings.simplefilter("ignore", DeprecationWarning)
            mapped = data.map_batches(
                _Apply, fn_constructor_args=(fn, [self._shared_ref()]), batch_size=1, batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=min(self.n, len(blocks))), num_cpus=1, max_restarts=0,
            )
        return [pickle.loads(row["result"]) for row in mapped.iter_rows()]

    def close(self) -> None:
        if self._pool is not None:
            import ray

            for actor in self._pool:
                ray.kill(actor)
            self._pool = None
        self._shared = None


class _Worker:
    """A Ray actor: the pool's state in this process, ``fn`` on the parts sent to it."""

    def __init__(self, shared: Any) -> None:
        limit_threads(1)
        set_state(shared)

    def run(self, fn: Callable[[Sequence[T]], R], part: Sequence[T]) -> R:
        return fn(part)


class _Apply:
    """A Ray Data actor: ``fn`` on each pickled block of a batch, with the pool's state."""

    def __init__(self, fn: Callable[[Sequence[Any]], Any], shared: list[Any]) -> None:
        import ray

        limit_threads(1)
        set_state(ray.get(shared[0]))
        self.fn = fn

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        results = [pickle.dumps(self.fn(pickle.loads(block)), pickle.HIGHEST_PROTOCOL)
                   for block in batch.column("block").to_pylist()]
        return pa.table({"result": pa.array(results, pa.large_binary())})
