"""Exporters: a record set in the formats other evaluation suites read, each with its manifest.

:data:`FORMATS` maps every ``--to`` name to ``module:function``; an exporter function takes
``(records, target, seed)`` and returns the manifest parts it knows (``counts`` and extras). Folder
formats are built in a staging folder and moved into place whole, with ``manifest.json`` inside;
file formats are written atomically with ``<out>.manifest.json`` beside them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negatives.exporters.common import ExportError, Target, atomic_dir, select
from negatives.manifest import build_manifest, manifest_path
from negatives.records import Record
from negatives.writers import check_writable, write_json

MANIFEST_IN_FOLDER = "manifest.json"


@dataclass(frozen=True)
class Format:
    function: str  # "module:function"
    folder: bool
    help: str

    def load(self) -> Callable[[list[Record], Target, int], dict[str, Any]]:
        module, _, name = self.function.partition(":")
        return getattr(importlib.import_module(module), name)


FORMATS: dict[str, Format] = {
    "lm-eval": Format("negatives.exporters.lm_eval:export", True, "lm-evaluation-harness task folder (text sets only)"),
    "inspect": Format("negatives.exporters.inspect_export:export", False, "inspect_ai Sample JSONL, lettered and shuffled"),
    "sugarcrepe": Format("negatives.exporters.sugarcrepe:export", True, "SugarCrepe-style JSON per engine (image sets)"),
    "hf": Format("negatives.exporters.hf:export_dataset", True, "Hugging Face datasets folder (save_to_disk)"),
    "parquet": Format("negatives.exporters.hf:export_parquet", False, "one parquet file, one row per item"),
    "triplets": Format("negatives.exporters.triplets:export", False, "(anchor, positive, negative) rows, .jsonl or .parquet"),
}


def manifest_location(to: str, out: str | Path) -> Path:
    """Where the manifest of an export to ``out`` lives."""
    return Path(out) / MANIFEST_IN_FOLDER if FORMATS[to].folder else manifest_path(out)


def export(
    records: Iterable[Record],
    to: str,
    out: str | Path,
    *,
    levels: Sequence[int] | None = None,
    engines: Sequence[str] | None = None,
    seed: int = 0,
    overwrite: bool = False,
    input_path: str | Path | None = None,
) -> dict[str, Any]:
    """Write ``records`` (distractors filtered by level and engine) as ``to``; returns the manifest.

    Items left without distractors by the filters are dropped and counted (``counts.dropped``).
    """
    if to not in FORMATS:
        raise ExportError(f"unknown export format {to!r}; choose one of {', '.join(FORMATS)}")
    fmt = FORMATS[to]
    out = Path(out)
    records = list(records)
    chosen = select(records, levels, engines)
    if not chosen.records:
        raise ExportError(f"nothing to export: none of the {len(records)} items has a distractor matching the filters")

    def manifest(parts: dict[str, Any]) -> dict[str, Any]:
        counts = {
            "read": len(records),
            "dropped": chosen.dropped,
            "distractors": sum(len(r.distractors) for r in chosen.records),
            **parts.pop("counts"),
        }
        config = {"to": to, "levels": list(levels) if levels else None, "engines": list(engines) if engines else None}
        return build_manifest("export", config, input_path, counts, seed, extra={"output": str(out), **parts})

    write = fmt.load()
    if fmt.folder:
        with atomic_dir(out, overwrite) as staging:
            result = manifest(write(chosen.records, Target(staging, out), seed))
            write_json(staging / MANIFEST_IN_FOLDER, result)
    else:
        check_writable(out, overwrite)
        result = manifest(write(chosen.records, Target(out, out, overwrite), seed))
        write_json(manifest_location(to, out), result, overwrite=True)
    return result
