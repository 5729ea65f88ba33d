"""Graded distractor sets: rule engines, corpus-level sources, difficulty levels, optional debiasing.

:class:`GradedTransform` is the batch transform behind ``negatives generate``. For each batch it

1. runs the rule engines (:class:`negatives.generate.Generator`; over-generating when debiasing),
2. adds the corpus-level candidates mined beforehand for each record (``neighbours``: FAISS
   neighbours; ``random``: random captions of other items, the easy negatives of level 1), and runs
   the ``checks`` on them (the demo's ground truth of its scene world keeps the false ones),
3. scores plausibility (:mod:`negatives.plausibility`), difficulty and level of every distractor
   (:mod:`negatives.difficulty`),
4. with a ``selector`` (``negatives generate --debias`` passes
   :func:`negatives.debias.blind_selector`), keeps per (engine, level) the candidates it selects,
5. selects up to ``per_level`` distractors per level, balanced across engines (:mod:`negatives.grading`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from negatives.difficulty import DEFAULT_LEVELS, easy_random, score_difficulty
from negatives.generate import Generator
from negatives.grading import GradingStats, build_graded_set
from negatives.plausibility import PlausibilityModel
from negatives.records import Distractor, Record
from negatives.timings import stage

CORPUS_SOURCES = ("neighbours", "random")
Selector = Callable[[list[Record]], tuple[list[Record], Any]]
"""A batch selection: the records with the distractors it keeps, and statistics with ``to_dict()``."""


def corpus_candidates(
    records: list[Record], sources: Sequence[str], seed: int, per_item: int, **neighbour_options: Any
) -> tuple[dict[str, list[Distractor]], dict[str, Any]]:
    """Candidates that need the whole corpus, by record id, and their statistics for the manifest."""
    found: dict[str, list[Distractor]] = {}
    stats: dict[str, Any] = {}
    if "neighbours" in sources:
        from negatives.engines.neighbours import NeighboursEngine

        engine = NeighboursEngine(**neighbour_options)
        for rid, ds in engine.mine(records, seed=seed).items():
            found.setdefault(rid, []).extend(ds)
        stats["mining"] = engine.stats.to_dict() if engine.stats else None
    if "random" in sources:
        for rid, ds in easy_random(records, seed=seed, n=per_item).items():
            found.setdefault(rid, []).extend(ds)
    return found, stats


class GradedTransform:
    """``list[Record] -> list[Record]``: every record leaves with graded, scored distractors."""

    def __init__(
        self,
        generator: Generator | None,
        corpus: dict[str, list[Distractor]],
        *,
        levels: int = DEFAULT_LEVELS,
        per_level: int = 2,
        per_engine: int = 2,
        seed: int = 0,
        selector: Selector | None = None,
        model: str | None = None,
        device: str = "auto",
        plausibility: PlausibilityModel | None = None,
        checks: Sequence[Callable[[Record], None]] = (),
    ) -> None:
        self.generator = generator
        self.plausibility = plausibility or (generator.plausibility if generator else None)
        self.corpus = corpus
        self.levels = levels
        self.per_level = per_level
        self.per_engine = per_engine
        self.seed = seed
        self.selector = selector
        self.checks = list(checks)
        self.model, self.device = model, device
        self.grading = GradingStats(levels=levels, per_level=per_level)
        self.debias_stats: list[dict[str, Any]] = []

    def __call__(self, batch: list[Record]) -> list[Record]:
        if self.generator is not None:
            with stage("engines"):
                batch = self.generator(batch)
        with stage("selection"):
            for record in batch:
                record.distractors.extend(self.corpus.pop(record.id, []))
                for check in self.checks:
                    check(record)
            from negatives.embeddings import shared_embedder

            embedder = shared_embedder(self.model, self.device)
            score_difficulty(batch, embedder, levels=self.levels, plausibility=self.plausibility)
        if self.selector is not None:
            with stage("debias"):
                batch, stats = self.selector(batch)
            self.debias_stats.append(stats.to_dict())
        if self.per_level:
            with stage("selection"):
                build_graded_set(batch, self.levels, self.per_level, self.seed, stats=self.grading)
        return batch

    def manifest(self) -> dict[str, Any]:
        out: dict[str, Any] = {"grading": self.grading.to_dict()}
        if self.plausibility is not None:
            out["plausibility"] = self.plausibility.source
        if self.selector is not None:
            out["debias"] = self.debias_stats
        return out
