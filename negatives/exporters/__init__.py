"""Exporters: a record set in the formats other evaluation suites read, each with its manifest.

:data:`FORMATS` maps every ``--to`` name to ``module:function``; an exporter function takes
``(records, target, seed)`` and returns the manifest parts it knows (``counts`` and extras). Folder
formats are built in a staging folder and moved into place whole, with ``manifest.json`` inside
(an existing folder is replaced only when that manifest says it is an export of ours); file
formats come with ``<out>.manifest.json`` (and a format's sidecar) beside them, all committed
together (:mod:`negatives.outputs`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negatives.exporters.common import ExportError, Target, select
from negatives.manifest import build_manifest, is_manifest, manifest_path
from negatives.outputs import Outputs, Recognise
from negatives.records import Record
from negatives.writers import write_json

MANIFEST_IN_FOLDER = "manifest.json"


def _load(spec: str) -> Any:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Format:
    function: str  # "module:function"
    folder: bool
    help: str
    sidecar: str | None = None  # "module:function": out -> (path, role, recogniser) of a file beside out

    def load(self) -> Callable[[list[Record], Target, int], dict[str, Any]]:
        return _load(self.function)

    def sidecar_of(self, out: Path) -> tuple[Path, str, Recognise] | None:
        return _load(self.sidecar)(out) if self.sidecar else None


FORMATS: dict[str, Format] = {
    "lm-eval": Format("negatives.exporters.lm_eval:export", True, "lm-evaluation-harness task folder (text sets only)"),
    "inspect": Format(
        "negatives.exporters.inspect_export:export", False, "inspect_ai Sample JSONL, lettered and shuffled, and a task file",
        sidecar="negatives.exporters.inspect_export:sidecar",
    ),
    "sugarcrepe": Format("negatives.exporters.sugarcrepe:export", True, "SugarCrepe-style JSON per engine (image sets)"),
    "hf": Format("negatives.exporters.hf:export_dataset", True, "Hugging Face datasets folder (save_to_disk)"),
    "parquet": Format("negatives.exporters.hf:export_parquet", False, "one parquet file, one row per item"),
    "triplets": Format(
        "negatives.exporters.triplets:export", False, "(anchor, positive, negative) rows, .jsonl or .parquet",
        sidecar="negatives.exporters.triplets:sidecar",
    ),
}


def is_export_folder(path: Path) -> bool:
    """``path`` is a folder export of ours (its manifest says so), so a new export may replace it."""
    return is_manifest(path / MANIFEST_IN_FOLDER)


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
    outputs = Outputs([input_path], overwrite)
    outputs.add(out, folder=fmt.folder, ours=is_export_folder if fmt.folder else None)
    if not fmt.folder:
        outputs.add(manifest_path(out), "manifest", ours=is_manifest)
    sidecar = fmt.sidecar_of(out)
    if sidecar:
        outputs.add(sidecar[0], sidecar[1], ours=sidecar[2])
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
    with outputs:
        if fmt.folder:
            staging = outputs.folder(out)
            result = manifest(write(chosen.records, Target(staging, out), seed))
            write_json(staging / MANIFEST_IN_FOLDER, result)
        else:
            result = manifest(write(chosen.records, Target(out, out), seed))
            write_json(manifest_path(out), result)
    return result
