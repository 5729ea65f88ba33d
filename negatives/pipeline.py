"""Stream an input file through a batch transform into a record file, a rejects file and a manifest.

Every input row ends up in the output or in the rejects file; ``counts`` in the manifest add up
(``read == written + rejected``). The three files are planned before any work (:func:`plan_run`)
and committed together (:mod:`negatives.outputs`). The run tunes the garbage collector for batch
work (:func:`batch_gc`).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Literal

from negatives.errors import InputError
from negatives.explain import EXPLAIN_KEYS, explain_path
from negatives.manifest import build_manifest, is_manifest, manifest_path
from negatives.outputs import Outputs, jsonl_with_keys
from negatives.progress import Progress
from negatives.readers import ReadOptions, Reject, read_records
from negatives.records import Record
from negatives.timings import stage, timed
from negatives.writers import atomic_open, write_json

OnError = Literal["fail", "skip"]
Transform = Callable[[list[Record]], list[Record]]


REJECT_KEYS = frozenset({"line", "raw", "reason"})
SHARD_REJECT_KEYS = REJECT_KEYS | {"file"}  # a folder of shards' rejects name the file


def rejects_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".rejects.jsonl")


def write_rejects(path: str | Path, rejects: Iterable[Reject]) -> None:
    """One JSON line per reject ([file,] line, raw, reason), atomically (or staged in the active plan)."""
    with atomic_open(path) as fh:
        fh.writelines(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in rejects)


def plan_run(
    input_path: str | Path,
    out_path: str | Path,
    *,
    read: ReadOptions | None = None,
    on_error: OnError = "fail",
    rejects: str | Path | None = None,
    overwrite: bool = False,
    explain: bool = False,
) -> Outputs:
    """The output, rejects file (with ``skip``), the dropped candidates (with ``explain``) and the
    manifest of a run, checked now, before any work."""
    outputs = Outputs([input_path, (read or ReadOptions()).image_root], overwrite)
    outputs.add(out_path)
    _add_rejects(outputs, on_error, rejects, rejects_path(out_path))
    if explain:
        outputs.add(explain_path(out_path), "explain file", ours=jsonl_with_keys(EXPLAIN_KEYS))
    outputs.add(manifest_path(out_path), "manifest", ours=is_manifest)
    return outputs


def plan_folder(
    input_path: str | Path,
    out_dir: Path,
    names: Iterable[str],
    *,
    read: ReadOptions,
    on_error: OnError,
    rejects: str | Path | None,
    overwrite: bool,
) -> tuple[Outputs, Path]:
    """Files ``names`` in ``out_dir`` and, with ``skip``, the rejects file (``--rejects`` or
    ``out_dir/rejects.jsonl``), checked now; returns the plan and the rejects path."""
    outputs = Outputs([input_path, read.image_root], overwrite)
    for name in names:
        outputs.add(out_dir / name)
    return outputs, _add_rejects(outputs, on_error, rejects, out_dir / "rejects.jsonl")


def _add_rejects(outputs: Outputs, on_error: OnError, given: str | Path | None, default: Path) -> Path:
    path = Path(given) if given else default
    if on_error == "skip":
        outputs.add(path, "rejects file", ours=None if given else jsonl_with_keys(REJECT_KEYS, SHARD_REJECT_KEYS))
    return path


def checked_rows(
    input_path: str | Path, read: ReadOptions, on_error: OnError, rejects: list[Reject] | None = None
) -> Iterator[Record]:
    """Records of ``input_path`` (a file or a folder of shards); a bad row raises ``file:line: reason``
    or is appended to ``rejects``."""
    for item in read_records(input_path, read):
        if isinstance(item, Reject):
            if on_error == "fail":
                raise InputError(f"{item.where(input_path)}: {item.reason}")
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
    outputs: Outputs | None = None,
    total: int | None = None,
    explain: bool = False,
) -> dict[str, Any]:
    """Read, transform in batches, write records, rejects and the manifest; all three or nothing.
    With ``explain``, the candidates each record dropped go to ``<out>.explain.jsonl`` too.

    ``outputs`` is the run's :func:`plan_run` when the caller checked it before expensive work (or
    adds files of its own to commit with these: enter it around the call). ``extra`` is called after
    the last batch and its dict is merged into the manifest (engine statistics and the like). A
    ``transform`` with a ``stream(batches)`` method (yielding each batch with its output, in order)
    may work on the next batch while this one is written.
    Progress counts the records written (of ``total``, when the caller knows it). Returns the manifest.
    """
    read = read or ReadOptions()
    out_path = Path(out_path)
    plan = outputs or plan_run(
        input_path, out_path, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite, explain=explain
    )
    reject_file = Path(rejects or rejects_path(out_path))
    bad: list[Reject] = []
    read_count = written = 0
    with plan, batch_gc(), Progress(command, total) as bar:
        with atomic_open(out_path) as fh, atomic_open(explain_path(out_path)) if explain else nullcontext() as why:
            source = batches(timed(checked_rows(input_path, read, on_error, bad), "read"), batch_size)
            stream = getattr(transform, "stream", None)
            pairs = stream(source) if stream else ((b, transform(b) if transform else b) for b in source)
            for batch, out in pairs:
                read_count += len(batch)
                if len(out) != len(batch):
                    raise RuntimeError(f"transform returned {len(out)} records for {len(batch)} inputs")
                if read_count == len(batch):  # the first batch has loaded the transform's models
                    freeze_alive()
                with stage("write"):
                    fh.writelines(record.to_json() + "\n" for record in out)
                    if why is not None:
                        why.writelines(json.dumps(row, ensure_ascii=False) + "\n" for r in out for row in r.dropped)
                written += len(out)
                bar.update(len(out))
        if on_error == "skip":
            write_rejects(reject_file, bad)
        counts = {"read": read_count + len(bad), "written": written, "rejected": len(bad)}
        manifest = build_manifest(
            command,
            {"read": read.to_dict(), "on_error": on_error, "batch_size": batch_size, **(config or {})},
            input_path,
            counts,
            seed=seed,
            extra={"rejects": str(reject_file) if on_error == "skip" else None, **(extra() if extra else {})},
        )
        write_json(manifest_path(out_path), manifest)
    return manifest
