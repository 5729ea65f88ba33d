"""Atomic output: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from negatives.errors import OutputExists
from negatives.records import Record


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_writable(path: str | Path, overwrite: bool) -> Path:
    """Refuse an existing output unless ``overwrite``; create the parent directory."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExists(f"{path} exists; pass --overwrite to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def atomic_open(path: str | Path, overwrite: bool = False, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file in the target's directory; rename it over ``path`` only on success.

    An exception (or an interrupt) inside the block removes the temporary file, so an interrupted
    run leaves no half-written output.
    """
    path = check_writable(path, overwrite)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=None if "b" in mode else "\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_records(path: str | Path, records: Iterable[Record], overwrite: bool = False) -> int:
    """Write records as JSON lines atomically; returns how many were written."""
    n = 0
    with atomic_open(path, overwrite) as fh:
        for record in records:
            fh.write(record.to_json() + "\n")
            n += 1
    return n


def write_json(path: str | Path, obj: Any, overwrite: bool = True) -> None:
    """Write one JSON document atomically (sorted keys, so equal content gives equal bytes)."""
    with atomic_open(path, overwrite) as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")
