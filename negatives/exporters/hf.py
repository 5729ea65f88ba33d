"""Tabular exports: a Hugging Face ``datasets`` folder (``save_to_disk``) or one parquet file.

One row per item: ``id, task, anchor_text, anchor_image, positive`` and parallel lists
``distractors, engines, ops, levels, difficulties`` (original order, not shuffled), plus ``record``
(the item as a JSON string) so the export imports back losslessly.
"""

from __future__ import annotations

import hashlib
from typing import Any

from negatives.exporters.common import Target, record_json
from negatives.records import Record
from negatives.writers import atomic_open


def flat_row(record: Record) -> dict[str, Any]:
    """One row per record for tabular formats (HF datasets, parquet), lossless via ``record``."""
    ds = record.distractors
    return {
        "id": record.id,
        "task": record.task,
        "anchor_text": record.anchor_text,
        "anchor_image": record.anchor_image,
        "positive": record.positive,
        "distractors": [d.candidate for d in ds],
        "engines": [d.engine for d in ds],
        "ops": [d.op for d in ds],
        "levels": [d.level for d in ds],
        "difficulties": [d.difficulty for d in ds],
        "record": record_json(record),
    }


def schema() -> Any:
    """The fixed arrow schema (so empty or all-null columns keep their types)."""
    import pyarrow as pa

    text = pa.string()
    return pa.schema(
        [
            ("id", text),
            ("task", text),
            ("anchor_text", text),
            ("anchor_image", text),
            ("positive", text),
            ("distractors", pa.list_(text)),
            ("engines", pa.list_(text)),
            ("ops", pa.list_(text)),
            ("levels", pa.list_(pa.int64())),
            ("difficulties", pa.list_(pa.float64())),
            ("record", text),
        ]
    )


def table(records: list[Record]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist([flat_row(r) for r in records], schema=schema())


def export_dataset(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    import datasets

    t = table(records)
    # a content hash, not datasets' random one, so equal sets give equal bytes
    fingerprint = hashlib.sha256("\n".join(t.column("record").to_pylist()).encode()).hexdigest()[:16]
    ds = datasets.Dataset(datasets.table.InMemoryTable(t), fingerprint=fingerprint)
    ds.save_to_disk(str(target.path))
    return {"counts": {"items": len(ds)}, "usage": f"datasets.load_from_disk({str(target.final)!r})"}


def export_parquet(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    import pyarrow.parquet as pq

    t = table(records)
    with atomic_open(target.path, mode="wb") as fh:
        pq.write_table(t, fh)
    return {"counts": {"items": t.num_rows}, "usage": f"pyarrow.parquet.read_table({str(target.final)!r})"}
