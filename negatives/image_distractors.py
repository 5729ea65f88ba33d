"""Image-side distractors for text-to-image selection: given a caption, pick the right image.

A caption record (anchor image, positive caption) becomes a selection record whose anchor is the
caption, whose positive is the image path and whose distractors are other images of the corpus
(``Distractor(text=None, image=path, engine="image-neighbours")``).  Candidates come from two places:
FAISS nearest neighbours of the positive image's CLIP embedding (``op="retrieve"``) and a seeded
random draw from the corpus (``op="random"``), so every level gets candidates.

Grading: an image pair's cosine similarity is turned into a difficulty in [0, 1] by its rank among
the similarities of random image pairs of the same corpus (a calibration sample): a candidate as
similar as a typical random image is 0.5, one more similar than every sampled pair is 1.  Levels are
the usual equal-width bins of that difficulty.

Guards: never the positive image itself, never an image one of whose captions equals the positive
caption (up to case and punctuation), and, when ``is_true`` is given (e.g. the world's ground truth),
never an image the caption is true of.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negatives.difficulty import DEFAULT_LEVELS, level_of
from negatives.mining import normalise
from negatives.records import Distractor, Record

ENGINE = "image-neighbours"
CALIBRATION_PAIRS = 20_000
GUARDS = ("same_image", "same_caption", "true_of_image")


@dataclass
class ImageCorpus:
    """Images (paths), their L2-normalised embeddings and their captions."""

    paths: list[str]
    vectors: np.ndarray
    captions: list[list[str]]
    calibration: np.ndarray = field(init=False)
    row: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        if len(self.paths) != len(self.vectors) or len(self.paths) != len(self.captions):
            raise ValueError("paths, vectors and captions must have one entry per image")
        self.vectors = np.ascontiguousarray(self.vectors, dtype=np.float32)
        self.row = {p: i for i, p in enumerate(self.paths)}
        self._normalised = [{normalise(c) for c in caps} for caps in self.captions]
        self.calibration = self._calibrate()

    def _calibrate(self) -> np.ndarray:
        """Sorted cosine similarities of seeded random pairs of distinct images."""
        n = len(self.paths)
        if n < 2:
            return np.zeros(1, dtype=np.float32)
        rng = np.random.default_rng(0)
        a = rng.integers(0, n, CALIBRATION_PAIRS)
        b = (a + rng.integers(1, n, CALIBRATION_PAIRS)) % n
        return np.sort(np.einsum("ij,ij->i", self.vectors[a], self.vectors[b]))

    def difficulty(self, similarity: float) -> float:
        """Share of calibration pairs less similar than ``similarity`` (0..1, rounded)."""
        rank = np.searchsorted(self.calibration, similarity, side="left")
        return round(float(rank) / len(self.calibration), 4)

    def has_caption(self, row: int, caption: str) -> bool:
        return normalise(caption) in self._normalised[row]


@dataclass
class ImageDistractorStats:
    items: int = 0
    proposed: int = 0
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GUARDS, 0))
    kept_by_level: dict[int, int] = field(default_factory=dict)
    short_items: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "proposed": self.proposed, "removed": dict(self.removed),
                "kept_by_level": {str(k): v for k, v in sorted(self.kept_by_level.items())},
                "short_items": self.short_items}


def embed_images(paths: Sequence[str], clip: tuple[Any, Any, Any], batch_size: int = 64) -> np.ndarray:
    """L2-normalised CLIP image embeddings; ``clip`` is ``(model, preprocess, tokenizer)``."""
    import torch

    from negatives.images import load_image

    model, preprocess, _ = clip
    rows = []
    with torch.inference_mode():
        for start in range(0, len(paths), batch_size):
            batch = torch.stack([preprocess(load_image(p)) for p in paths[start:start + batch_size]])
            rows.append(torch.nn.functional.normalize(model.encode_image(batch).float(), dim=-1).numpy())
    return np.concatenate(rows) if rows else np.zeros((0, 1), dtype=np.float32)


def text_to_image(record: Record) -> Record:
    """The selection item of a caption record: anchor the caption, positive its image."""
    if not record.anchor_image:
        raise ValueError(f"record {record.id} has no anchor image")
    meta = {k: v for k, v in record.meta.items() if k not in ("siblings", "line")}
    return Record(id=f"{record.id}:image", task="image-caption", anchor={"text": record.positive},
                  positive=record.anchor_image, meta={**meta, "selection": "text-to-image"})


def _rng(seed: int, record: Record) -> random.Random:
    return random.Random(hashlib.sha256(f"{seed}\0{record.id}".encode()).hexdigest())


def add_image_distractors(
    records: list[Record],
    corpus: ImageCorpus,
    *,
    levels: int = DEFAULT_LEVELS,
    per_level: int = 1,
    neighbours: int = 10,
    random_draws: int = 30,
    seed: int = 0,
    is_true: Callable[[str, str], bool | None] | None = None,
    stats: ImageDistractorStats | None = None,
) -> ImageDistractorStats:
    """Give each text-to-image record up to ``per_level`` image distractors per level, in place."""
    from negatives.index import build_index

    stats = stats or ImageDistractorStats()
    index = build_index(corpus.vectors, seed=seed)
    rows = [corpus.row[r.positive] for r in records]
    _, found = index.search(corpus.vectors[rows], min(len(corpus.paths), neighbours + 1))
    for record, row, near in zip(records, rows, found):
        rng = _rng(seed, record)
        drawn = rng.sample(range(len(corpus.paths)), min(random_draws, len(corpus.paths)))
        caption = record.anchor_text or ""
        candidates: dict[int, str] = {}
        for op, ids in (("retrieve", [int(i) for i in near if i >= 0]), ("random", drawn)):
            for i in ids:
                candidates.setdefault(i, op)
        pools: dict[int, list[Distractor]] = {}
        for i, op in candidates.items():
            stats.proposed += 1
            guard = ("same_image" if i == row else "same_caption" if corpus.has_caption(i, caption)
                     else "true_of_image" if is_true is not None and is_true(caption, corpus.paths[i]) is True
                     else None)
            if guard:
                stats.removed[guard] += 1
                continue
            similarity = float(corpus.vectors[row] @ corpus.vectors[i])
            difficulty = corpus.difficulty(similarity)
            level = level_of(difficulty, levels)
            pools.setdefault(level, []).append(Distractor(
                text=None, image=corpus.paths[i], engine=ENGINE, op=op, difficulty=difficulty, level=level,
                meta={"similarity": round(similarity, 4)}))
        chosen = []
        for level in range(1, levels + 1):
            pool = pools.get(level, [])
            picked = rng.sample(pool, min(per_level, len(pool)))
            chosen.extend(picked)
            stats.kept_by_level[level] = stats.kept_by_level.get(level, 0) + len(picked)
        stats.short_items += len(chosen) < levels * per_level
        record.distractors = chosen
        stats.items += 1
    return stats
