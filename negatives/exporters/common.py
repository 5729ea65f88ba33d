"""What the exporters share: distractor selection, seeded choice order, the record column."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from negatives.errors import InputError, NegativesError
from negatives.records import Distractor, Record


class ExportError(NegativesError):
    """The set cannot be written in the requested format (the message says why)."""


@dataclass(frozen=True)
class Target:
    """Where an exporter writes: ``path`` (a staging folder for folder formats) and the final ``out``.

    A file format writes ``path`` (and its sidecar) with :func:`negatives.writers.atomic_open`: the
    export's plan stages them and commits them with the manifest."""

    path: Path
    final: Path


@dataclass
class Selection:
    """Records keeping only the selected distractors; items left without any are dropped and counted."""

    records: list[Record]
    dropped: int


def select(records: Iterable[Record], levels: Sequence[int] | None = None, engines: Sequence[str] | None = None) -> Selection:
    """Keep distractors whose level is in ``levels`` and engine in ``engines`` (None: all)."""
    kept: list[Record] = []
    dropped = 0
    for record in records:
        chosen = [
            d
            for d in record.distractors
            if (levels is None or d.level in levels) and (engines is None or d.engine in engines)
        ]
        if chosen:
            kept.append(replace(record, distractors=chosen))
        else:
            dropped += 1
    return Selection(kept, dropped)


@dataclass
class Choices:
    """A multiple-choice item: candidates in a seeded order and where the positive landed.

    ``order[i]`` is the index in ``[positive, *distractors]`` of ``choices[i]``; ``label`` is the
    position of the positive.
    """

    choices: list[str]
    label: int
    order: list[int]
    engines: list[str | None]
    ops: list[str | None]
    levels: list[int | None]
    difficulties: list[float | None]


def shuffled(positive: str, distractors: Sequence[Distractor], seed: int, key: str) -> Choices:
    """Shuffle ``[positive, *distractors]`` with a generator seeded by ``(seed, key)``.

    A string seed is hashed with SHA-512 by :class:`random.Random`, so the order depends only on
    the seed and the key (an item id), never on file order or ``PYTHONHASHSEED``.
    """
    order = list(range(len(distractors) + 1))
    random.Random(f"{seed}\x1f{key}").shuffle(order)
    cands = [positive, *(d.candidate for d in distractors)]
    meta: list[Distractor | None] = [None, *distractors]
    return Choices(
        choices=[cands[i] for i in order],
        label=order.index(0),
        order=order,
        engines=[m.engine if m else None for m in (meta[i] for i in order)],
        ops=[m.op if m else None for m in (meta[i] for i in order)],
        levels=[m.level if m else None for m in (meta[i] for i in order)],
        difficulties=[m.difficulty if m else None for m in (meta[i] for i in order)],
    )


def check_choices(choices: Sequence[str], order: Sequence[int], record: Record, where: str) -> None:
    """Check that ``choices`` are ``record``'s candidates permuted by ``order``; raise otherwise."""
    cands = [record.positive, *(d.candidate for d in record.distractors)]
    if sorted(order) != list(range(len(cands))) or list(choices) != [cands[i] for i in order]:
        raise InputError(f"{where}: choices do not match the stored record {record.id!r} (edited after export?)")


def slug(name: str) -> str:
    """``name`` as a lower-case identifier part."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def identifier(name: str) -> str:
    """``name`` as a Python/lm-eval identifier (a name that is none gets a ``negatives_`` prefix)."""
    name = slug(name)
    return name if name and not name[0].isdigit() else f"negatives_{name}".rstrip("_")


def record_json(record: Record) -> str:
    """The record as one compact JSON string (a column every format can hold)."""
    return json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)


def write_jsonl(fh: Any, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n
