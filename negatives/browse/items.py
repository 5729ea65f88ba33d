"""What the site knows of each item: its view (everything shown on an item page) and its line in
the filter index (which the page searches without loading every item).

An image is shown by its file name and, when thumbnails are made, the thumbnail's path in the site.
The index lists the distinct (engine, op, level) triples of the set once and, per item, the triple of
each distractor in order and, per scorer, one character per distractor: ``1`` when the scorer scored
it at or above the positive (it was fooled: ties fail, as in the report), else ``0``; an empty string
when the scorer did not score the item. A scorer got a group of distractors right when none fooled it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from negatives.records import Distractor, Record

Thumbnail = Callable[[str], str]


def image_view(path: str, thumbnail: Thumbnail | None) -> dict[str, str]:
    view = {"name": PurePath(path).name}
    if thumbnail is not None:
        view["src"] = thumbnail(path)
    return view


def distractor_view(d: Distractor, thumbnail: Thumbnail | None) -> dict[str, Any]:
    meta = dict(d.meta)
    view: dict[str, Any] = {
        "engine": d.engine, "op": d.op, "level": d.level, "difficulty": d.difficulty, "checks": d.checks,
        "signals": meta.pop("signals", {}), "meta": meta,
    }  # fmt: skip
    if d.image is not None:
        view["image"] = image_view(d.image, thumbnail)
    else:
        view["text"] = d.text
    if d.edit is not None:
        view["edit"] = d.edit.to_dict()
    return view


def item_view(record: Record, thumbnail: Thumbnail | None, scores: dict[str, Any] | None) -> dict[str, Any]:
    """The item as the page draws it: anchor, positive, distractors, siblings, meta and scores."""
    anchor: dict[str, Any] = {}
    if record.anchor_image is not None:
        anchor = {"image": image_view(record.anchor_image, thumbnail)}
    elif record.anchor_text is not None:
        anchor = {"text": record.anchor_text}
    images = any(d.image is not None for d in record.distractors)
    meta = dict(record.meta)
    meta.pop("siblings", None)
    return {
        "id": record.id,
        "task": record.task,
        "anchor": anchor,
        "positive": {"image": image_view(record.positive, thumbnail)} if images else {"text": record.positive},
        "distractors": [distractor_view(d, thumbnail) for d in record.distractors],
        "siblings": record.siblings,
        "meta": meta,
        **(scores or {}),
    }


class Index:
    """The filter index of a set, built one item at a time, and its counts for the overview."""

    def __init__(self, scorers: list[str]) -> None:
        self.scorers = scorers
        self.triples: dict[tuple[str, str, int | None], int] = {}
        self.items: list[list[int]] = []
        self.fooled: list[list[str]] = []

    def add(self, record: Record, scores: dict[str, list[float | None]]) -> None:
        """Index ``record``; ``scores`` maps scorers to their scores of ``[positive, *distractors]``."""
        self.items.append([self.triples.setdefault((d.engine, d.op, d.level), len(self.triples)) for d in record.distractors])
        self.fooled.append([_fooled(scores[s]) if s in scores else "" for s in self.scorers])

    def to_dict(self, per_page: int) -> dict[str, Any]:
        return {"per_page": per_page, "scorers": self.scorers, "triples": [list(t) for t in self.triples],
                "items": self.items, "fooled": self.fooled}  # fmt: skip

    def counts(self) -> dict[str, Any]:
        """Distractors per engine and level and per engine and op; items with none."""
        per_triple = Counter(t for item in self.items for t in item)
        by_level: Counter[tuple[str, int | None]] = Counter()
        by_op: Counter[tuple[str, str]] = Counter()
        for (engine, op, level), k in self.triples.items():
            by_level[engine, level] += per_triple[k]
            by_op[engine, op] += per_triple[k]
        return {
            "items": len(self.items),
            "distractors": sum(per_triple.values()),
            "without_distractors": sum(not item for item in self.items),
            "engine_level": sorted(([e, lv, n] for (e, lv), n in by_level.items() if n), key=lambda r: (r[0], r[1] is None, r[1] or 0)),
            "engine_op": sorted([e, op, n] for (e, op), n in by_op.items() if n),
        }


def _fooled(scores: list[float | None]) -> str:
    positive = scores[0]  # None: an infinite score in the report, counted as a failure like a tie
    return "".join("1" if positive is None or d is None or d >= positive else "0" for d in scores[1:])
