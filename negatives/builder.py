"""The one graded-set pipeline every entry point runs: ``negatives generate``, the demo, the notebooks
and the Python API build a set through :class:`GradedSetBuilder`, so the same records and options
give the same bytes whichever way they come in.

    builder = GradedSetBuilder(seed=0)            # the defaults of `negatives generate`
    graded = builder.build(records)               # a list of records, each with its graded distractors
    builder.manifest()                            # configuration and statistics, as the CLI's manifest holds

:meth:`GradedSetBuilder.prepare` is the corpus pass (corpus statistics and parses, FAISS neighbours,
random captions) and returns the batch transform (:class:`negatives.graded.GradedTransform`) that
the CLI streams the input through; :meth:`build` does both over a list.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from negatives.analysis import ParseCache
from negatives.answer_checks import QuestionChecked, check_candidates
from negatives.answer_plausibility import QuestionPlausibility
from negatives.difficulty import DEFAULT_LEVELS
from negatives.embeddings import shared_embedder
from negatives.engines import DEFAULT_OPS, ENGINES, POOL_OPS, overgeneration
from negatives.generate import GenerationStats, Generator, build_corpus_stats
from negatives.graded import CORPUS_SOURCES, Candidates, GradedTransform, Selector, corpus_candidates
from negatives.models import onnx_reference
from negatives.parallel import Workers, limit_threads
from negatives.pipeline import batches
from negatives.plausibility import reference_model
from negatives.records import Record
from negatives.timings import stage

DEFAULT_SOURCES = ("entity", "binding", "count", "relation", "answer", "neighbours", "random")
Check = Callable[[Record], None]
"""A check of a record's candidates before scoring: it removes (or marks) the distractors it refuses."""


DEFAULT_OVERSAMPLE = 4
"""Rule candidates generated per kept one when a selector chooses among them."""


class GradedSetBuilder:
    """Rule engines, corpus sources, checks, difficulty, an optional selector and levels, configured once.

    ``engines`` names rule engines and corpus sources (:data:`DEFAULT_SOURCES`); ``ops`` the rule
    operators (default :data:`negatives.engines.DEFAULT_OPS`); ``selector`` a batch selection
    (:func:`negatives.debias.blind_selector` is ``negatives generate --debias``'s) that chooses from a
    larger pool: ``oversample`` candidates per kept one, the operators of
    :data:`negatives.engines.POOL_OPS` added and the engines'
    :func:`~negatives.engines.overgeneration` options under ``engine_options``; ``checks`` run on every
    record's candidates before they are scored. ``model`` is the reference embedder of mining and
    difficulty (default :data:`negatives.models.REFERENCE_EMBEDDER`), loaded on ``device``
    (``auto|cpu|cuda``). ``workers`` is the number of cores to use: that many processes share the
    corpus pass, the engines, the checks and plausibility, and the embedder and native thread pools
    of this process use that many threads (default: one process, threads as the libraries choose).
    Any number gives the same bytes; call :meth:`close` (or let :meth:`build` do it) to end the processes. ``pool`` makes those pools: forked processes
    (:class:`negatives.parallel.Workers`) or Ray actors (:class:`negatives.ray_backend.RayWorkers`).
    """

    def __init__(
        self,
        engines: Sequence[str] = DEFAULT_SOURCES,
        *,
        ops: Collection[str] | None = None,
        per_engine: int = 2,
        levels: int = DEFAULT_LEVELS,
        per_level: int = 2,
        seed: int = 0,
        max_count_delta: int = 2,
        neighbours_k: int = 5,
        max_similarity: float = 0.95,
        relative_margin: float = 0.05,
        model: str | None = None,
        device: str = "auto",
        selector: Selector | None = None,
        oversample: int = DEFAULT_OVERSAMPLE,
        engine_options: dict[str, Any] | None = None,
        checks: Sequence[Check] = (),
        workers: int | None = None,
        pool: Callable[[int, Any], Workers] = Workers,
    ) -> None:
        unknown = [n for n in engines if n not in ENGINES and n not in CORPUS_SOURCES]
        if unknown or not engines:
            raise ValueError(f"unknown engine(s) {unknown}; choose from {', '.join([*ENGINES, *CORPUS_SOURCES])}")
        self.engines = list(engines)
        self.rule = [n for n in self.engines if n in ENGINES]
        self.sources = [n for n in self.engines if n in CORPUS_SOURCES]
        self.ops = frozenset(DEFAULT_OPS if ops is None else ops)
        self.per_engine, self.levels, self.per_level, self.seed = per_engine, levels, per_level, seed
        self.max_count_delta, self.model, self.device = max_count_delta, model, device
        self.neighbours = {"k": neighbours_k, "max_similarity": max_similarity, "relative_margin": relative_margin}
        self.engine_options = dict(engine_options or {})
        if selector is not None:  # a larger, more varied candidate pool to select from
            self.ops |= POOL_OPS
            self.engine_options = {**overgeneration(self.rule), **self.engine_options}
        self.selector, self.oversample = selector, oversample if selector is not None else 1
        self.checks = list(checks)
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers, self.pool = workers, pool
        self._pool: Workers | None = None
        self.stats = GenerationStats(self.rule)
        self._generator: QuestionChecked | None = None
        self._asked: dict[str, int] = {}
        self._mining: dict[str, Any] = {}
        self._transform: GradedTransform | None = None

    @property
    def batch_size(self) -> int:
        """Records per batch: a selector compares many items at once."""
        return 10_000 if self.selector is not None else 256

    def prepare(
        self, records: Sequence[Record], watch: Callable[[Iterable[Record]], Iterable[Record]] | None = None
    ) -> GradedTransform:
        """The corpus pass over ``records`` (``watch`` wraps its parse, e.g. in a progress bar);
        returns the batch transform that grades them."""
        parses = ParseCache()
        if self.workers is not None:
            limit_threads(self.workers)
        if self.rule:
            ner = "entity" in self.rule and any(r.task == "text" for r in records)
            if self.workers is not None and self.workers > 1:
                from negatives.models import load_spacy

                for with_ner in {False, ner}:
                    load_spacy(ner=with_ner)  # once, before the workers fork
            parsed = watch(records) if watch else records
            with self.pool(self.workers or 1, None) as pool, stage("parse"):
                corpus = build_corpus_stats(parsed, entities="entity" in self.rule, parses=parses, workers=pool)
            options = {"max_delta": self.max_count_delta} if "count" in self.rule else {}
            if records and all(r.task == "text" and r.anchor_text for r in records):
                options["plausibility"] = reference_model()  # an answer is its own only example: its counts refuse edits
            options.update(self.engine_options)
            self._generator = QuestionChecked(Generator(  # a text item's distractors also answer its question's kind
                self.rule, self.per_engine * self.oversample, self.seed, corpus, stats=self.stats, ops=self.ops,
                parses=parses, **options,
            ))
        light = onnx_reference(self.model, self.device)  # every worker embeds with its own copy
        candidates = Candidates(self._generator, self.checks, embedder=(self.model, self.device) if light else None)
        if self.workers is not None and self.workers > 1:
            if self._generator is not None:
                with stage("engines"):
                    self._generator.warm_up(records[:64])
            self._pool = self.pool(self.workers, candidates).start()  # before the embedder's thread pools exist
            if light:
                shared_embedder(self.model, self.device).workers = self._pool
        with stage("mining"):
            mined, self._mining = corpus_candidates(
                records, self.sources, self.seed, 3 * (self.per_level or self.per_engine),
                plausibility=self._generator.plausibility if self._generator is not None else None,
                model=self.model, device=self.device, **self.neighbours,
            )
        self._asked = dict(check_candidates(records, mined))  # other items' answers pass the question checks too
        notes = {r.id: r.dropped for r in records if r.dropped}  # the batches' records may be other objects
        for r in records:
            r.dropped = []
        self._transform = GradedTransform(
            candidates, mined, levels=self.levels, per_level=self.per_level, seed=self.seed,
            selector=self.selector, model=self.model, device=self.device, workers=self._pool,
            notes=notes,
        )
        if self._mining.get("mining"):
            self._transform.grading.add_guards("neighbours", self._mining["mining"]["removed"])
        for engine, n in sorted(self._mining.pop("misspelt", {}).items()):
            self._transform.grading.add_guards(engine, {"misspelt": n})
        return self._transform

    def build(self, records: Iterable[Record]) -> list[Record]:
        """``records`` with their graded distractors, as ``negatives generate`` writes them."""
        records = list(records)
        try:  # the workers end even when the corpus pass fails
            transform = self.prepare(records)
            return [r for _, out in transform.stream(batches(records, self.batch_size)) for r in out]
        finally:
            self.close()

    def close(self) -> None:
        """End the worker processes, if any."""
        if self._pool is not None:
            shared_embedder(self.model, self.device).workers = None
            self._pool.close()
            self._pool = None

    def config(self) -> dict[str, Any]:
        """The options, as the manifest records them."""
        return {
            "engines": self.engines, "ops": sorted(op for op in self.ops if op.split(".")[0] in self.rule),
            "per_engine": self.per_engine, "levels": self.levels, "per_level": self.per_level,
            "max_count_delta": self.max_count_delta, "neighbours_k": self.neighbours["k"],
            "max_similarity": self.neighbours["max_similarity"], "relative_margin": self.neighbours["relative_margin"],
            "model": self.model, "device": self.device,
            "debias": self.selector is not None, "oversample": self.oversample if self.selector is not None else None,
        }

    def manifest(self) -> dict[str, Any]:
        """The statistics of the last build: generation, mining, grading, selection, question checks."""
        transform = self._transform.manifest() if self._transform else {}
        return {
            "generation": self.stats.to_dict(), **self._mining, **transform,
            "question_checks": {"generator": self._generator.to_dict() if self._generator else None,
                                "neighbours": dict(sorted(self._asked.items())),
                                "lm": next((c.to_dict() for c in self.checks if isinstance(c, QuestionPlausibility)), None)},
        }

    def tables(self) -> list[Any]:
        """Rich renderables for the run's summary: what each check removed, and the graded set."""
        out: list[Any] = [self.stats.table()] if self.rule else []
        return out + ([self._transform.grading.table()] if self._transform else [])
