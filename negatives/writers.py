"""Atomic output of single files: each is staged beside its target and put in place whole
(:mod:`negatives.outputs` does the staging, the checks and the commit)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from negatives.outputs import Outputs, active
from negatives.records import Record


def check_writable(path: str | Path, overwrite: bool) -> Path:
    """Refuse now an output that could not be written (it exists without ``overwrite``, ...)."""
    return Outputs(overwrite=overwrite).add(path)


@contextmanager
def atomic_open(path: str | Path, overwrite: bool = False, mode: str = "w") -> Iterator[IO[Any]]:
    """Write ``path`` through a staging file that replaces it only when the block succeeds.

    Inside an active :class:`~negatives.outputs.Outputs` plan that holds ``path``, the file is
    committed with the plan's other outputs; otherwise on its own at the end of the block. An
    exception (or an interrupt) inside the block leaves no half-written output.
    """
    plan = active()
    if plan is not None and plan.planned(path):
        with plan.open(path, mode) as fh:
            yield fh
        return
    with Outputs(overwrite=overwrite) as single:
        single.add(path)
        with single.open(path, mode) as fh:
            yield fh


def write_records(path: str | Path, records: Iterable[Record], overwrite: bool = False) -> int:
    """Write records as JSON lines atomically; returns how many were written."""
    n = 0
    with atomic_open(path, overwrite) as fh:
        for record in records:
            fh.write(record.to_json() + "\n")
            n += 1
    return n


def write_json(path: str | Path, obj: Any, overwrite: bool = False) -> None:
    """Write one JSON document atomically (sorted keys, so equal content gives equal bytes)."""
    with atomic_open(path, overwrite) as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")
