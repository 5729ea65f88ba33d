"""SugarCrepe-style JSON, one file per engine: ``OUT/<engine>.json``.

Each file is ``{"0": {"filename", "caption", "negative_caption", ...}, "1": ...}`` with contiguous
string keys (CLIP_benchmark looks items up by ``str(index)``), one pair per text distractor, so
SugarCrepe's ``main_eval.py`` and CLIP_benchmark's ``sugar_crepe`` loader run on it with
``--data-root``/image root pointing where the ``filename`` paths resolve. Extra keys (``id``,
``engine``, ``op``, ``level``, ``difficulty``) keep the provenance; those loaders ignore them.
"""

from __future__ import annotations

import json
from typing import Any

from negatives.exporters.common import ExportError, Target
from negatives.records import Record
from negatives.writers import atomic_open


def pairs(records: list[Record]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """SugarCrepe items by engine, and counts of what could not become a pair."""
    by_engine: dict[str, list[dict[str, Any]]] = {}
    skipped = {"items_without_image": 0, "image_distractors": 0}
    for record in records:
        if not record.anchor_image:
            skipped["items_without_image"] += 1
            continue
        for d in record.distractors:
            if d.text is None:
                skipped["image_distractors"] += 1
                continue
            by_engine.setdefault(d.engine, []).append(
                {
                    "filename": record.anchor_image,
                    "caption": record.positive,
                    "negative_caption": d.text,
                    "id": record.id,
                    "engine": d.engine,
                    "op": d.op,
                    "level": d.level,
                    "difficulty": d.difficulty,
                }
            )
    return by_engine, skipped


def export(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    by_engine, skipped = pairs(records)
    if not by_engine:
        raise ExportError("no image-caption pairs to write: SugarCrepe items need an anchor image and a text negative")
    files: dict[str, int] = {}
    for engine in sorted(by_engine):
        name = f"{engine}.json"
        if "/" in engine or engine.startswith("."):
            raise ExportError(f"engine name {engine!r} cannot be a file name")
        with atomic_open(target.path / name) as fh:
            json.dump({str(i): item for i, item in enumerate(by_engine[engine])}, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        files[name] = len(by_engine[engine])
    return {"counts": {"pairs": sum(files.values()), **skipped}, "sugarcrepe": {"files": files}}
