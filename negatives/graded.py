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

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from negatives.difficulty import DEFAULT_LEVELS, easy_random, score_difficulty, score_plausibility
from negatives.explain import check_name, drop_distractor, dropped
from negatives.grading import GradingStats, build_graded_set
from negatives.parallel import Workers, state
from negatives.plausibility import PlausibilityModel, reference_model
from negatives.plausibility.ngram import words
from negatives.records import Distractor, Record
from negatives.timings import stage

CORPUS_SOURCES = ("neighbours", "random")
Vectors = dict[str, np.ndarray]
"""Reference embedder vectors by text."""
GROUP = 64
"""Records whose candidates' texts are encoded together (:meth:`Candidates._embed`)."""
Selector = Callable[[list[Record]], tuple[list[Record], Any]]
"""A batch selection: the records with the distractors it keeps, and statistics with ``to_dict()``."""


def corpus_candidates(
    records: list[Record], sources: Sequence[str], seed: int, per_item: int,
    plausibility: PlausibilityModel | None = None, **neighbour_options: Any,
) -> tuple[dict[str, list[Distractor]], dict[str, Any]]:
    """Candidates that need the whole corpus, by record id, and their statistics for the manifest.
    Captions with a typo (:meth:`PlausibilityModel.misspelt`, default model: the shipped
    reference) are never candidates: a person reads them as odd, however false they are."""
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
    if found:
        stats["misspelt"] = _drop_misspelt(records, found, plausibility or reference_model())
    return found, stats


def _drop_misspelt(records: list[Record], found: dict[str, list[Distractor]], model: PlausibilityModel) -> dict[str, int]:
    """Remove the candidates whose text has a typo from ``found``, noting each on its record; how
    many per engine."""
    removed: dict[str, int] = {}
    for record in records:
        kept = []
        for d in found.get(record.id, ()):
            if d.text is not None and model.misspelt(words(d.text)):
                drop_distractor(record, "check", "misspelt", d)
                removed[d.engine] = removed.get(d.engine, 0) + 1
            else:
                kept.append(d)
        if record.id in found:
            found[record.id] = kept
    return removed


class Candidates:
    """Steps 1-3 short of difficulty, per record: a batch's rule candidates (``generator``), then its
    corpus candidates (given with each record), the ``checks``, and plausibility of each candidate.

    Called on ``(record, corpus candidates)`` pairs; each record's result depends on that record
    alone, so :class:`GradedTransform` may split a batch over worker processes. The generator and
    any check that counts what it did (``counts``, ``reset_counts``, ``add_counts``, as
    :class:`negatives.generate.Generator`) send their counts back from the workers to add up.
    """

    def __init__(
        self,
        generator: Any | None,
        checks: Sequence[Callable[[Record], None]] = (),
        embedder: tuple[str | None, str] | None = None,
    ) -> None:
        self.generator = generator
        self.checks = list(checks)
        self.plausibility: PlausibilityModel | None = generator.plausibility if generator is not None else None
        self.counted = [part for part in (generator, *self.checks) if hasattr(part, "add_counts")]
        self.embedder = embedder

    def __call__(self, items: Sequence[tuple[Record, list[Distractor]]]) -> tuple[list[Record], Vectors]:
        """The records with their candidates, and the vectors of the rule candidates' texts."""
        batch = [record for record, _ in items]
        if self.generator is not None:
            batch = self.generator(batch)
        vectors = self._embed(batch)
        for record, (_, mined) in zip(batch, items):
            record.distractors.extend(mined)
            for check in self.checks:
                before = list(record.distractors)
                check(record)
                dropped(record, before, "check", check_name(check))
        score_plausibility(batch, self.plausibility)
        return batch, vectors

    def _embed(self, batch: list[Record]) -> Vectors:
        """With ``embedder`` (a reference embedder's name and device), the vectors of the candidates'
        texts, each group of :data:`GROUP` records encoded as one call, so a text's vector does not
        depend on how a batch was split over workers (a text in several groups: the last one's)."""
        if self.embedder is None:
            return {}
        from negatives.embeddings import shared_embedder

        embedder = shared_embedder(*self.embedder)
        out: Vectors = {}
        for start in range(0, len(batch), GROUP):
            texts = list(dict.fromkeys(d.text for r in batch[start : start + GROUP] for d in r.distractors if d.text))
            if texts:
                out.update(zip(texts, embedder.encode(texts, lookup=False)))
        return out

    def add_counts(self, counts: list[Any]) -> None:
        for part, more in zip(self.counted, counts):
            part.add_counts(more)


def _candidates_part(items: Sequence[tuple[Record, list[Distractor]]]) -> tuple[list[Record], list[Any], Vectors]:
    """A worker's share of a batch (:class:`Candidates`, shared by the parent): its records, the
    counts of the generator and checks for them alone, and the vectors of their candidates."""
    candidates: Candidates = state()
    for part in candidates.counted:
        part.reset_counts()
    records, vectors = candidates(items)
    return records, [part.counts() for part in candidates.counted], vectors


class GradedTransform:
    """``list[Record] -> list[Record]``: every record leaves with graded, scored distractors.

    With ``workers`` (a :class:`negatives.parallel.Workers` sharing ``candidates``), each batch's
    candidates are made on the workers; difficulty, selection and levels run here. The output is
    the same for any number of workers. Every candidate a step drops is noted on its record
    (:mod:`negatives.explain`); ``notes`` holds those dropped before the batches, by record id.
    """

    def __init__(
        self,
        candidates: Candidates,
        corpus: dict[str, list[Distractor]],
        *,
        levels: int = DEFAULT_LEVELS,
        per_level: int | None = None,
        seed: int = 0,
        selector: Selector | None = None,
        model: str | None = None,
        device: str = "auto",
        workers: Workers | None = None,
        notes: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        self.candidates = candidates
        self.notes = notes or {}  # record id -> corpus candidates dropped before the batches (negatives.explain)
        self.plausibility = candidates.plausibility
        self.corpus = corpus
        self.levels = levels
        self.per_level = per_level
        self.seed = seed
        self.selector = selector
        self.workers = workers
        self.model, self.device = model, device
        self.grading = GradingStats(levels=levels, per_level=per_level)
        self.debias_stats: list[dict[str, Any]] = []

    def __call__(self, batch: list[Record]) -> list[Record]:
        return self._grade(self._submit(batch))

    def stream(self, batches: Iterable[list[Record]]) -> Iterator[tuple[list[Record], list[Record]]]:
        """Each batch with its graded records, in order; on workers, batch i + 1's candidates are made
        while this process grades batch i (the same output as calling the transform per batch)."""
        pending: tuple[list[Record], Callable[[], tuple[list[Record], Vectors]]] | None = None
        for batch in batches:
            waiting = (batch, self._submit(batch))
            if pending is not None:
                yield pending[0], self._grade(pending[1])
            pending = waiting
        if pending is not None:
            yield pending[0], self._grade(pending[1])

    def _submit(self, batch: list[Record]) -> Callable[[], tuple[list[Record], Vectors]]:
        """Start making ``batch``'s candidates; the returned call waits for them."""
        for record in batch:
            record.dropped[:0] = self.notes.pop(record.id, [])
        items = [(record, self.corpus.pop(record.id, [])) for record in batch]
        if self.workers is None or self.workers.n == 1:
            return lambda: self.candidates(items)
        parts = self.workers.submit(_candidates_part, items, align=GROUP)

        def candidates() -> tuple[list[Record], Vectors]:
            out: list[Record] = []
            vectors: Vectors = {}
            for records, counts, more in parts():
                out += records
                vectors.update(more)
                self.candidates.add_counts(counts)
            return out, vectors

        return candidates

    def _grade(self, candidates: Callable[[], tuple[list[Record], Vectors]]) -> list[Record]:
        """Difficulty, debias and level selection of a batch's candidates."""
        with stage("engines"):
            batch, vectors = candidates()
        with stage("selection"):
            from negatives.embeddings import shared_embedder

            embedder = shared_embedder(self.model, self.device)
            score_difficulty(batch, embedder, levels=self.levels, plausibility=self.plausibility, vectors=vectors)
        if self.selector is not None:
            before = {record.id: list(record.distractors) for record in batch}
            with stage("debias"):
                batch, stats = self.selector(batch)
            for record in batch:
                dropped(record, before[record.id], "debias", "debias")
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

