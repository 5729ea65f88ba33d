"""Run one scorer over a set of records, doing each unit of work once per run.

Every record becomes one task: its anchor and the candidates ``[positive, *distractors]``. The
runner collects the unique work over all tasks first (texts and images for an
:class:`EmbeddingScorer`, (anchor, candidate) pairs for a :class:`PairScorer`, whole items for
anything else), scores it in batches behind a progress bar, then maps the results back. Records
without distractors are skipped and counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negatives.progress import Progress
from negatives.records import Record
from probes.metrics import ScoredItem
from probes.scorers.base import Anchor, EmbeddingScorer, ImagePath, ItemScorer, PairScorer, anchor_key, anchor_value

Task = tuple[Anchor, list[str]]


@dataclass
class ProbeRun:
    """A scorer's results on a set: one :class:`ScoredItem` per record with distractors."""

    items: list[ScoredItem]
    skipped: int
    stats: dict[str, int] = field(default_factory=dict)


def candidates(record: Record) -> list[str]:
    """``[positive, *distractors]``; image candidates (and then the positive) as :class:`ImagePath`."""
    images = [d.text is None and d.image is not None for d in record.distractors]
    if any(images) and not all(images):
        raise ValueError(f"record {record.id}: mixes text and image candidates")
    if any(images):
        return [ImagePath(record.positive), *(ImagePath(str(d.image)) for d in record.distractors)]
    return [record.positive, *(str(d.text) for d in record.distractors)]


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _value_key(value: str) -> tuple[bool, str]:
    return (isinstance(value, ImagePath), str(value))


def _by_embedding(scorer: EmbeddingScorer, tasks: list[Task], batch: int, show: bool, desc: str) -> tuple[list[list[float]], dict[str, int]]:
    index: dict[tuple[bool, str], int] = {}
    for anchor, cands in tasks:
        for value in (anchor_value(anchor, scorer.kind), *cands):
            index.setdefault(_value_key(value), len(index))
    keys = list(index)
    texts = [k for k in keys if not k[0]]
    images = [k for k in keys if k[0]]
    vectors: np.ndarray | None = None
    with Progress(desc, len(keys), "scores", show) as bar:
        for group, encode in ((texts, scorer.encode_texts), (images, scorer.encode_images)):
            for chunk in _chunks(group, batch):
                encoded = np.asarray(encode([v for _, v in chunk]), dtype=np.float32)
                if vectors is None:
                    vectors = np.zeros((len(keys), encoded.shape[1]), dtype=np.float32)
                vectors[[index[k] for k in chunk]] = encoded
                bar.update(len(chunk))
    assert vectors is not None
    scores = []
    for anchor, cands in tasks:
        a = vectors[index[_value_key(anchor_value(anchor, scorer.kind))]]
        scores.append((vectors[[index[_value_key(c)] for c in cands]] @ a).tolist())
    return scores, {"unique_texts": len(texts), "unique_images": len(images)}


def _by_pairs(scorer: PairScorer, tasks: list[Task], batch: int, show: bool, desc: str) -> tuple[list[list[float]], dict[str, int]]:
    unique: dict[tuple, tuple[Anchor, str]] = {}
    for anchor, cands in tasks:
        for c in cands:
            unique.setdefault((anchor_key(anchor), _value_key(c)), (anchor, c))
    # similar lengths in one batch keep padding (and so wasted work) low for sequence models
    order = sorted(unique, key=lambda k: (len(unique[k][0].get("text", "")) + len(unique[k][1]), k))
    result: dict[tuple, float] = {}
    with Progress(desc, len(order), "scores", show) as bar:
        for chunk in _chunks(order, batch):
            anchors = [unique[k][0] for k in chunk]
            values = [unique[k][1] for k in chunk]
            result.update(zip(chunk, _checked(scorer.score_pairs(anchors, values), len(chunk), "score_pairs")))
            bar.update(len(chunk))
    scores = [[result[(anchor_key(anchor), _value_key(c))] for c in cands] for anchor, cands in tasks]
    return scores, {"unique_pairs": len(unique)}


def _by_items(scorer: Callable[..., Any], tasks: list[Task], batch: int, show: bool, desc: str) -> tuple[list[list[float]], dict[str, int]]:
    unique: dict[tuple, Task] = {}
    for anchor, cands in tasks:
        unique.setdefault((anchor_key(anchor), tuple(_value_key(c) for c in cands)), (anchor, cands))
    keys = list(unique)
    result: dict[tuple, list[float]] = {}
    with Progress(desc, len(keys), "scores", show) as bar:
        for chunk in _chunks(keys, batch if isinstance(scorer, ItemScorer) else 1):
            items = [unique[k] for k in chunk]
            if isinstance(scorer, ItemScorer):
                batch_scores = scorer.score_items(items)
            else:
                batch_scores = [scorer(anchor, list(cands)) for anchor, cands in items]
            for k, (_, cands), s in zip(chunk, items, batch_scores):
                result[k] = _checked(s, len(cands), "scorer")
            bar.update(len(chunk))
    scores = [result[(anchor_key(anchor), tuple(_value_key(c) for c in cands))] for anchor, cands in tasks]
    return scores, {"unique_items": len(unique)}


def _checked(scores: Iterable[float], n: int, what: str) -> list[float]:
    out = [float(s) for s in scores]
    if len(out) != n:
        raise ValueError(f"{what} returned {len(out)} scores for {n} candidates")
    if any(math.isnan(s) for s in out):
        raise ValueError(f"{what} returned NaN scores")
    return out


def run_scorer(
    records: Iterable[Record],
    scorer: Callable[..., Any],
    *,
    batch_size: int = 64,
    progress: bool = True,
    desc: str = "score",
) -> ProbeRun:
    """Score every record with distractors; see the module docstring for the caching."""
    records = list(records)
    if hasattr(scorer, "prepare"):
        scorer.prepare(records)
    usable = [r for r in records if r.distractors]
    tasks = [(dict(r.anchor), candidates(r)) for r in usable]
    if isinstance(scorer, EmbeddingScorer):
        scores, stats = _by_embedding(scorer, tasks, batch_size, progress, desc)
    elif isinstance(scorer, PairScorer):
        scores, stats = _by_pairs(scorer, tasks, batch_size, progress, desc)
    else:
        scores, stats = _by_items(scorer, tasks, batch_size, progress, desc)
    items = [
        ScoredItem(
            id=r.id,
            positive=s[0],
            scores=s[1:],
            engines=[d.engine for d in r.distractors],
            ops=[d.op for d in r.distractors],
            levels=[d.level for d in r.distractors],
        )
        for r, s in zip(usable, scores)
    ]
    return ProbeRun(items, skipped=len(records) - len(usable), stats={"records": len(records), "scored": len(items), **stats})
