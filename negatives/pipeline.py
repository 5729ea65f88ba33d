"""Stream an input file through a batch transform into a record file, a rejects file and a manifest.

Every input row ends up in the output or in the rejects file; ``counts`` in the manifest add up
(``read == written + rejected``). Output and rejects are written atomically. The run tunes the
garbage collector for batch work (:func:`batch_gc`).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Literal

from negatives.errors import InputError, NegativesError
from negatives.manifest import build_manifest, manifest_path
from negatives.readers import ReadOptions, Reject, read_records
from negatives.records import Record
from negatives.writers import atomic_open, check_writable, write_json

OnError = Literal["fail", "skip"]
Transform = Callable[[list[Record]], list[Record]]


def rejects_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".rejects.jsonl")


def progress(items: Iterable[Any], desc: str, unit: str = "rows") -> Iterator[Any]:
    """A tqdm progress bar on stderr, shown only when stderr is a terminal."""
    from tqdm import tqdm

    return iter(tqdm(items, desc=desc, unit=unit, disable=None, dynamic_ncols=True))


def checked_rows(
    input_path: str | Path, read: ReadOptions, on_error: OnError, rejects: list[Reject] | None = None
) -> Iterator[Record]:
    """Records of ``input_path``; a bad row raises ``file:line: reason`` or is appended to ``rejects``."""
    for item in read_records(input_path, read):
        if isinstance(item, Reject):
            if on_error == "fail":
                raise InputError(f"{input_path}:{item.line}: {item.reason}")
            if rejects is not None:
                rejects.append(item)
            continue
        yield item


def batches(items: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Consecutive lists of at most ``size`` records."""
    batch: list[Record] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


BATCH_GC_THRESHOLD = 10_000
"""Allocations between young collections during a batch run (Python's default is 700)."""


@contextmanager
def batch_gc() -> Iterator[None]:
    """Garbage collection for a long batch run, as mypy does for its own: young collections every
    :data:`BATCH_GC_THRESHOLD` allocations and older ones a tenth as often as usual, so the
    collector stops re-scanning the many objects each batch leaves alive (caches, lexicons);
    call :func:`freeze_alive` once the models are loaded to take them out of its scans too.
    Reference counting still frees everything at once and the collector still runs, so memory
    stays bounded. Thresholds and frozen objects are restored on exit."""
    old = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def freeze_alive() -> None:
    """Collect, then move every object alive now (loaded models, tables) out of the collector's scans."""
    gc.collect()
    gc.freeze()


def run(
    input_path: str | Path,
    out_path: str | Path,
    transform: Transform | None = None,
    *,
    read: ReadOptions | None = None,
    on_error: OnError = "fail",
    rejects: str | Path | None = None,
    overwrite: bool = False,
    seed: int | None = None,
    command: str = "convert",
    config: dict[str, Any] | None = None,
    batch_size: int = 256,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Read, transform in batches, write records atomically; write rejects and the manifest.

    ``extra`` is called after the last batch and its dict is merged into the manifest (engine
    statistics and the like). Returns the manifest.
    """
    read = read or ReadOptions()
    out_path = Path(out_path)
    check_writable(out_path, overwrite)
    reject_file = Path(rejects) if rejects else rejects_path(out_path)
    if on_error == "skip":
        check_writable(reject_file, overwrite)
    if Path(input_path).resolve() == out_path.resolve():
        raise NegativesError(f"{out_path}: the output would overwrite the input")
    bad: list[Reject] = []
    read_count = written = 0
    with ExitStack() as stack:
        stack.enter_context(batch_gc())
        fh = stack.enter_context(atomic_open(out_path, overwrite))
        rows = progress(checked_rows(input_path, read, on_error, bad), desc=command)
        for batch in batches(rows, batch_size):
            read_count += len(batch)
            out = transform(batch) if transform else batch
            if len(out) != len(batch):
                raise RuntimeError(f"transform returned {len(out)} records for {len(batch)} inputs")
            if read_count == len(batch):  # the first batch has loaded the transform's models
                freeze_alive()
            for record in out:
                fh.write(record.to_json() + "\n")
            written += len(out)
    if on_error == "skip":
        with atomic_open(reject_file, overwrite=True) as rh:
            for r in bad:
                rh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    counts = {"read": read_count + len(bad), "written": written, "rejected": len(bad)}
    manifest = build_manifest(
        command,
        {"read": read.to_dict(), "on_error": on_error, "batch_size": batch_size, **(config or {})},
        input_path,
        counts,
        seed=seed,
        extra={"rejects": str(reject_file) if on_error == "skip" else None, **(extra() if extra else {})},
    )
    write_json(manifest_path(out_path), manifest, overwrite=True)
    return manifest
