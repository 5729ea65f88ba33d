"""(anchor, positive, negative) rows for contrastive fine-tuning: JSONL or parquet by extension.

The file holds exactly the three columns, in that order, because sentence-transformers feeds every
column but ``label``/``score`` to the loss (NegCLIP-style trainers read the same three fields; for
image items the anchor is the image path). Provenance (``id, engine, op, level, difficulty``) goes
row by row to a sidecar ``<out>.provenance.jsonl``. Items without an anchor are dropped and counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negatives.exporters.common import ExportError, Target, write_jsonl
from negatives.outputs import Recognise, jsonl_with_keys
from negatives.records import Record
from negatives.writers import atomic_open

COLUMNS = ("anchor", "positive", "negative")
PROVENANCE_KEYS = frozenset({"id", "engine", "op", "level", "difficulty"})


def provenance_path(out: Path) -> Path:
    return out.with_name(out.name + ".provenance.jsonl")


def sidecar(out: Path) -> tuple[Path, str, Recognise]:
    """The provenance file beside ``out``: its path, its role, and how to recognise one of ours."""
    return provenance_path(out), "provenance file", jsonl_with_keys(PROVENANCE_KEYS)


def rows(records: list[Record]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Triplets, their provenance (same order) and the number of items without an anchor."""
    triplets: list[dict[str, Any]] = []
    provenance: list[dict[str, Any]] = []
    unanchored = 0
    for record in records:
        anchor = record.anchor_text or record.anchor_image
        if not anchor:
            unanchored += 1
            continue
        for d in record.distractors:
            triplets.append({"anchor": anchor, "positive": record.positive, "negative": d.candidate})
            provenance.append({"id": record.id, "engine": d.engine, "op": d.op, "level": d.level, "difficulty": d.difficulty})
    return triplets, provenance, unanchored


def export(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    suffix = target.path.suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise ExportError(f"triplets are written as .jsonl or .parquet, not {suffix or 'a file without extension'!r}")
    triplets, provenance, unanchored = rows(records)
    if not triplets:
        raise ExportError("no triplets: none of the items has an anchor (text or image) to pair with")
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        t = pa.Table.from_pylist(triplets, schema=pa.schema([(c, pa.string()) for c in COLUMNS]))
        with atomic_open(target.path, mode="wb") as fh:
            pq.write_table(t, fh)
    else:
        with atomic_open(target.path) as fh:
            write_jsonl(fh, triplets)
    side = provenance_path(target.path)
    with atomic_open(side) as fh:
        write_jsonl(fh, provenance)
    return {
        "counts": {"triplets": len(triplets), "items_without_anchor": unanchored},
        "triplets": {"columns": list(COLUMNS), "provenance": str(side)},
    }
