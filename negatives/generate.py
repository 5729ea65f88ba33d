"""Generation: parse positives once, run the engines, validate, keep up to N distractors per engine.

:func:`build_corpus_stats` is the first pass (attribute co-occurrence, entity pools, word counts);
:class:`Generator` is a batch transform (``list[Record] -> list[Record]``, for
``pipeline.run``) that fills :class:`GenerationStats`; :func:`generate` streams records through it.
Each record and engine gets its own ``random.Random`` seeded from ``(seed, record id, engine)``
by SHA-256, so output does not depend on batch boundaries, other engines or ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import copy
import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from negatives.analysis import Entity, ParseCache, Parsed, analyze_entities, parse
from negatives.engines import DEFAULT_OPS, build_engines
from negatives.engines.base import Candidate, Context, CorpusStats
from negatives.explain import drop
from negatives.parallel import Workers
from negatives.pipeline import batches
from negatives.records import Distractor, Record
from negatives.plausibility import MIN_PLAUSIBILITY, Plausibility, PlausibilityModel
from negatives.plausibility.compositions import Composition, compositions
from negatives.plausibility.ngram import words
from negatives.validators import CHECKS, Item, normalise, validate

MAX_CANDIDATES = 2_000
"""Candidates of one engine checked per record at most: a very long caption proposes many more."""
SIBLING, PLAUSIBLE = "sibling", "plausible"
REMOVALS = (*CHECKS, SIBLING, PLAUSIBLE)
"""What can remove a candidate: every validator, a composition a sibling caption states (the
photo may well show "sitting on a table" when one caption says so), then plausibility below
:data:`MIN_PLAUSIBILITY`."""

DEFAULT_ENGINES = ("entity", "binding", "count", "relation")


def record_rng(seed: int, record_id: str, engine: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}\x00{record_id}\x00{engine}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _needs_ner(record: Record) -> bool:
    """Text tasks get NER (named-entity swap, entity pools); image captions never do."""
    return record.task == "text"


def build_corpus_stats(
    records: Iterable[Record],
    nlp: Any = None,
    batch_size: int = 256,
    entities: bool = True,
    parses: ParseCache | None = None,
    workers: Workers | None = None,
) -> CorpusStats:
    """First pass: word and trigram counts, attribute co-occurrence and the compositions of every
    positive (one parse each, kept in ``parses`` for generation), and with ``entities`` the entity
    pools of text tasks (NER over positives and contexts, for the entity engine). With ``workers``,
    each worker counts a part of the corpus and the counts are added up (the same totals)."""
    if workers is not None and workers.n > 1:
        records = list(records)
        stats = CorpusStats()
        for part, store in workers.map(partial(_corpus_part, entities=entities, batch_size=batch_size), records):
            stats.merge(part)
            if parses is not None:
                parses.merge(store)
        return stats
    stats = CorpusStats()
    models: dict[bool, Any] = {}
    for batch in batches(records, batch_size):
        ner = entities and any(_needs_ner(r) for r in batch)
        if ner not in models:
            models[ner] = nlp if nlp is not None else _load_spacy(ner)
        for r, parsed in zip(batch, parse([r.positive for r in batch], models[ner], parses, batch_size)):
            stats.observe(r.positive)
            stats.observe_parsed(parsed)
            if parses is not None:
                parses.put(parsed)
            if ner and _needs_ner(r):
                stats.observe_entities(parsed.entities or ())
        contexts = [r.anchor_text for r in batch if ner and _needs_ner(r) and r.anchor_text]
        for found in analyze_entities(contexts, models[ner], batch_size) if contexts else ():
            stats.observe_entities(found)
    return stats


def _corpus_part(part: Sequence[Record], entities: bool, batch_size: int) -> tuple[CorpusStats, ParseCache]:
    """A worker's share of the corpus pass: its statistics and parses."""
    parses = ParseCache()
    return build_corpus_stats(part, entities=entities, batch_size=batch_size, parses=parses), parses


def _load_spacy(ner: bool) -> Any:
    from negatives import models

    return models.load_spacy(ner=ner)


@dataclass
class OpStats:
    proposed: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    kept: int = 0
    inputs: int = 0  # inputs with at least one kept distractor of this op

    def to_dict(self, n: int) -> dict[str, Any]:
        return {
            "proposed": self.proposed,
            "removed": {name: self.removed[name] for name in REMOVALS},
            "kept": self.kept,
            "yield": self.inputs / n if n else 0.0,
        }


class GenerationStats:
    """Per engine and operator: candidates proposed, removed by each check, kept; yield per input.

    Candidates are checked in a random order until ``per_engine`` are kept, so ``proposed`` may
    exceed ``kept`` plus the removals (the rest were not needed).
    """

    def __init__(self, engines: Sequence[str]) -> None:
        self.inputs = 0
        self.with_any = 0
        self.odd = 0  # inputs left alone: their own caption has a typo
        self.engine_inputs: Counter[str] = Counter({name: 0 for name in engines})
        self.ops: dict[str, dict[str, OpStats]] = {name: defaultdict(OpStats) for name in engines}

    def merge(self, other: GenerationStats) -> None:
        """Add ``other``'s counts (a worker's share of the records) to these."""
        self.inputs += other.inputs
        self.with_any += other.with_any
        self.odd += other.odd
        self.engine_inputs.update(other.engine_inputs)
        for engine, ops in other.ops.items():
            for op, o in ops.items():
                mine = self.ops.setdefault(engine, defaultdict(OpStats))[op]
                mine.proposed += o.proposed
                mine.removed.update(o.removed)
                mine.kept += o.kept
                mine.inputs += o.inputs

    def record(self, kept: list[Distractor]) -> None:
        self.inputs += 1
        self.with_any += bool(kept)
        for name in {d.engine for d in kept}:
            self.engine_inputs[name] += 1
        for engine, op in {(d.engine, d.op) for d in kept}:
            self.ops[engine][op].inputs += 1

    def to_dict(self) -> dict[str, Any]:
        n = self.inputs
        return {
            "inputs": n,
            "odd_inputs": self.odd,
            "yield": self.with_any / n if n else 0.0,
            "engines": {
                name: {
                    "yield": self.engine_inputs[name] / n if n else 0.0,
                    "proposed": sum(o.proposed for o in self.ops[name].values()),
                    "kept": sum(o.kept for o in self.ops[name].values()),
                    "ops": {op: self.ops[name][op].to_dict(n) for op in sorted(self.ops[name])},
                }
                for name in self.engine_inputs
            },
        }

    def table(self) -> Any:
        """A rich table: one row per engine and operator."""
        from rich.table import Table

        d = self.to_dict()
        table = Table(title=f"Generation: {d['inputs']} inputs ({d['odd_inputs']} with a typo left alone), "
                            f"yield {d['yield']:.1%}")
        for col in ("engine", "op", "proposed", *(f"-{c}" for c in REMOVALS), "kept", "yield"):
            table.add_column(col, justify="left" if col in ("engine", "op") else "right")
        for name, e in d["engines"].items():
            for op, o in e["ops"].items():
                table.add_row(name, op, str(o["proposed"]), *(str(o["removed"][c]) for c in REMOVALS),
                              str(o["kept"]), f"{o['yield']:.1%}")
            table.add_row(f"[bold]{name}[/bold]", "all", str(e["proposed"]), *("" for _ in REMOVALS),
                          str(e["kept"]), f"[bold]{e['yield']:.1%}[/bold]", end_section=True)
        return table


class Generator:
    """A batch transform adding up to ``per_engine`` validated distractors per engine to each record.

    A positive holding a word neither English nor the captions know (a typo: "plowig") or a
    real-word typo ("in font of") is left alone: every edit of it would inherit the error."""

    def __init__(
        self,
        engines: Sequence[str] = DEFAULT_ENGINES,
        per_engine: int = 2,
        seed: int = 0,
        corpus_stats: CorpusStats | None = None,
        nlp: Any = None,
        stats: GenerationStats | None = None,
        *,
        ops: Collection[str] | None = None,
        parses: ParseCache | None = None,
        plausibility: PlausibilityModel | None = None,
        **engine_options: Any,
    ) -> None:
        if per_engine < 1:
            raise ValueError("per_engine must be at least 1")
        self.engines = build_engines(list(engines), **engine_options)
        self.ops = frozenset(DEFAULT_OPS if ops is None else ops)
        self.per_engine = per_engine
        self.seed = seed
        self.corpus_stats = corpus_stats or CorpusStats()
        self.parses = parses
        self.plausibility = plausibility or PlausibilityModel.build(self.corpus_stats)
        self._nlp = {False: nlp, True: nlp} if nlp is not None else {}
        self._own_nlp = nlp is None  # the default parsers, loaded on first use
        self.stats = stats or GenerationStats([e.name for e in self.engines])

    def __getstate__(self) -> dict[str, Any]:
        """Pickled for another process (a Ray worker), the default parsers stay here: it loads its own."""
        return {**vars(self), "_nlp": {} if self._own_nlp else self._nlp}

    def counts(self) -> GenerationStats:
        """What :meth:`add_counts` of another copy of this generator (a worker's parent) adds up."""
        return self.stats

    def reset_counts(self) -> None:
        self.stats = GenerationStats([e.name for e in self.engines])

    def add_counts(self, counts: GenerationStats) -> None:
        self.stats.merge(counts)

    def warm_up(self, records: Sequence[Record]) -> None:
        """Run over copies of ``records``, counting nothing: what the engines load on first use (word
        frequencies, WordNet, inflection tables, memo tables) is loaded here once, before workers
        fork and share it, rather than in every worker."""
        stats = self.stats
        self.reset_counts()
        try:
            self(copy.deepcopy(list(records)))
        finally:
            self.stats = stats

    def nlp(self, ner: bool) -> Any:
        if ner not in self._nlp:
            from negatives import models

            self._nlp[ner] = models.load_spacy(ner=ner)
        return self._nlp[ner]

    def __call__(self, batch: list[Record]) -> list[Record]:
        ner = any(_needs_ner(r) for r in batch) and any(e.name == "entity" for e in self.engines)
        nlp = self.nlp(ner)
        parsed = parse([r.positive for r in batch], nlp, self.parses, batch_size=len(batch) or 1)
        anchors: dict[int, tuple[Entity, ...]] = {}
        if ner:
            idx = [k for k, r in enumerate(batch) if _needs_ner(r) and r.anchor_text]
            found = analyze_entities([batch[k].anchor_text or "" for k in idx], nlp)
            anchors = dict(zip(idx, found))
        stated = self._stated(batch, parsed)
        return [self.fill(r, p, anchors.get(k), stated) for k, (r, p) in enumerate(zip(batch, parsed))]

    def _stated(self, batch: list[Record], parsed: list[Parsed]) -> dict[str, frozenset[Composition]]:
        """The compositions each sibling caption of the batch states, parsed once: most are
        positives of the same batch, the rest come from the cache of the corpus pass, if any."""
        texts = sorted({s for r in batch for s in r.siblings})
        here = {r.positive: p for r, p in zip(batch, parsed)}
        found = {t: here.get(t) or (self.parses.get(t, False) or self.parses.get(t, True) if self.parses else None)
                 for t in texts}
        missing = [t for t in texts if found.get(t) is None]
        if missing:
            found.update(zip(missing, parse(missing, self.nlp(False))))
        return {t: frozenset(compositions(p)) for t, p in found.items() if p is not None}

    def fill(
        self,
        record: Record,
        parsed: Parsed,
        anchor_entities: tuple[Entity, ...] | None = None,
        stated: dict[str, frozenset[Composition]] | None = None,
    ) -> Record:
        context = Context.build(record.positive, tuple(record.siblings), self.corpus_stats, record.task, anchor_entities)
        item = Item(record.positive, context.siblings, {normalise(d.text) for d in record.distractors if d.text})
        said = frozenset().union(*((stated or {}).get(s, frozenset()) for s in context.siblings))
        kept: list[Distractor] = []
        if self.plausibility.misspelt(words(record.positive)):
            self.stats.odd += 1  # every edit would inherit the typo
        else:
            for engine in self.engines:
                rng = record_rng(self.seed, record.id, engine.name)
                proposed = [c for c in engine.propose(parsed, context, rng) if f"{engine.name}.{c.op}" in self.ops]
                del proposed[MAX_CANDIDATES:]  # bounded work per row, however long the row
                kept += self._select(record, engine.name, proposed, item, rng, said)
        self.stats.record(kept)
        return replace(record, distractors=[*record.distractors, *kept]) if kept else record

    def _select(
        self,
        record: Record,
        engine: str,
        candidates: list[Candidate],
        item: Item,
        rng: random.Random,
        said: frozenset[Composition],
    ) -> list[Distractor]:
        """Check candidates operator by operator in a seeded order, each operator's likeliest first
        (the highest ``lm_delta``: a blind language model then prefers the positive less often); keep
        the first ``per_engine`` that pass every check, create no composition a sibling caption
        states (``said``: the scene may show it) and are plausible."""
        by_op: dict[str, list[tuple[Candidate, Plausibility]]] = defaultdict(list)
        for c in candidates:
            by_op[c.op].append((c, self.plausibility.score(item.positive, c.text, c.created, c.replaced)))
        ops = sorted(by_op)
        rng.shuffle(ops)
        for op in ops:
            rng.shuffle(by_op[op])
            by_op[op].sort(key=lambda cp: -cp[1].lm_delta)
            self.stats.ops[engine][op].proposed += len(by_op[op])
        order = [cp for group in _interleave([by_op[op] for op in ops]) for cp in group]
        kept: list[Distractor] = []
        for c, plausibility in order:
            if len(kept) >= self.per_engine:
                break
            failed = (
                validate(c, item) or (SIBLING if not said.isdisjoint(c.created) else None)
                or (PLAUSIBLE if plausibility.value < MIN_PLAUSIBILITY else None)
            )
            if failed:
                self.stats.ops[engine][c.op].removed[failed] += 1
                drop(record, "engine", failed, engine, c.op, c.text, plausibility=round(plausibility.value, 4))
                continue
            item.kept.add(normalise(c.text))
            self.stats.ops[engine][c.op].kept += 1
            checks = {name: True for name in REMOVALS}
            kept.append(Distractor(c.text, engine, c.op, c.edit, checks=checks, meta={"signals": plausibility.to_dict()}))
        return kept


def _interleave(lists: list[list[Any]]) -> Iterator[list[Any]]:
    """Round-robin: the first of each list, then the second of each, ..."""
    for k in range(max((len(x) for x in lists), default=0)):
        yield [x[k] for x in lists if k < len(x)]


def generate(
    records: Iterable[Record],
    engines: Sequence[str] = DEFAULT_ENGINES,
    per_engine: int = 2,
    seed: int = 0,
    corpus_stats: CorpusStats | None = None,
    batch_size: int = 256,
    stats: GenerationStats | None = None,
    nlp: Any = None,
    **options: Any,
) -> Iterator[Record]:
    """Stream ``records`` with distractors added; pass ``stats`` to read the statistics afterwards.
    ``options`` go to :class:`Generator` (``ops``, ``parses``, ``plausibility``) and the engines."""
    gen = Generator(engines, per_engine, seed, corpus_stats, nlp, stats, **options)
    for batch in batches(records, batch_size):
        yield from gen(batch)
