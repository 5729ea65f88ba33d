"""Generation: parse positives once, run the engines, validate, keep up to N distractors per engine.

:func:`build_corpus_stats` is the first pass (attribute co-occurrence, entity pools, word counts);
:class:`Generator` is a batch transform (``list[Record] -> list[Record]``, for
``pipeline.run``) that fills :class:`GenerationStats`; :func:`generate` streams records through it.
Each record and engine gets its own ``random.Random`` seeded from ``(seed, record id, engine)``
by SHA-256, so output does not depend on batch boundaries, other engines or ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from negatives.analysis import Entity, Parsed, analyze, analyze_entities
from negatives.engines import build_engines
from negatives.engines.base import Candidate, Context, CorpusStats
from negatives.pipeline import batches
from negatives.records import Distractor, Record
from negatives.validators import CHECKS, Item, normalise, validate

DEFAULT_ENGINES = ("entity", "binding", "count", "relation")


def record_rng(seed: int, record_id: str, engine: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}\x00{record_id}\x00{engine}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _needs_ner(record: Record) -> bool:
    """Text tasks get NER (named-entity swap, entity pools); image captions never do."""
    return record.task == "text"


def build_corpus_stats(
    records: Iterable[Record], nlp: Any = None, batch_size: int = 256, entities: bool = True
) -> CorpusStats:
    """First pass: word counts and attribute co-occurrence (no parse), and with ``entities`` the
    entity pools of text tasks (NER over positives and contexts, for the entity engine)."""
    stats = CorpusStats()
    for batch in batches(records, batch_size):
        texts = []
        for r in batch:
            stats.observe(r.positive)
            if entities and _needs_ner(r):
                texts += [r.positive] + ([r.anchor_text] if r.anchor_text else [])
        if texts:
            if nlp is None:
                from negatives import models

                nlp = models.load_spacy(ner=True)
            for entities in analyze_entities(texts, nlp, batch_size):
                stats.observe_entities(entities)
    return stats


@dataclass
class OpStats:
    proposed: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    kept: int = 0
    inputs: int = 0  # inputs with at least one kept distractor of this op

    def to_dict(self, n: int) -> dict[str, Any]:
        return {
            "proposed": self.proposed,
            "removed": {name: self.removed[name] for name in CHECKS},
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
        self.engine_inputs: Counter[str] = Counter({name: 0 for name in engines})
        self.ops: dict[str, dict[str, OpStats]] = {name: defaultdict(OpStats) for name in engines}

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
        table = Table(title=f"Generation: {d['inputs']} inputs, yield {d['yield']:.1%}")
        for col in ("engine", "op", "proposed", *(f"-{c}" for c in CHECKS), "kept", "yield"):
            table.add_column(col, justify="left" if col in ("engine", "op") else "right")
        for name, e in d["engines"].items():
            for op, o in e["ops"].items():
                table.add_row(name, op, str(o["proposed"]), *(str(o["removed"][c]) for c in CHECKS),
                              str(o["kept"]), f"{o['yield']:.1%}")
            table.add_row(f"[bold]{name}[/bold]", "all", str(e["proposed"]), *("" for _ in CHECKS),
                          str(e["kept"]), f"[bold]{e['yield']:.1%}[/bold]", end_section=True)
        return table


class Generator:
    """A batch transform adding up to ``per_engine`` validated distractors per engine to each record."""

    def __init__(
        self,
        engines: Sequence[str] = DEFAULT_ENGINES,
        per_engine: int = 2,
        seed: int = 0,
        corpus_stats: CorpusStats | None = None,
        nlp: Any = None,
        stats: GenerationStats | None = None,
        **engine_options: Any,
    ) -> None:
        if per_engine < 1:
            raise ValueError("per_engine must be at least 1")
        self.engines = build_engines(list(engines), **engine_options)
        self.per_engine = per_engine
        self.seed = seed
        self.corpus_stats = corpus_stats or CorpusStats()
        self._nlp = {False: nlp, True: nlp} if nlp is not None else {}
        self.stats = stats or GenerationStats([e.name for e in self.engines])

    def nlp(self, ner: bool) -> Any:
        if ner not in self._nlp:
            from negatives import models

            self._nlp[ner] = models.load_spacy(ner=ner)
        return self._nlp[ner]

    def __call__(self, batch: list[Record]) -> list[Record]:
        ner = any(_needs_ner(r) for r in batch) and any(e.name == "entity" for e in self.engines)
        nlp = self.nlp(ner)
        parsed = analyze([r.positive for r in batch], nlp, batch_size=len(batch) or 1)
        anchors: dict[int, tuple[Entity, ...]] = {}
        if ner:
            idx = [k for k, r in enumerate(batch) if _needs_ner(r) and r.anchor_text]
            found = analyze_entities([batch[k].anchor_text or "" for k in idx], nlp)
            anchors = dict(zip(idx, found))
        return [self.fill(r, p, anchors.get(k)) for k, (r, p) in enumerate(zip(batch, parsed))]

    def fill(self, record: Record, parsed: Parsed, anchor_entities: tuple[Entity, ...] | None = None) -> Record:
        context = Context.build(record.positive, tuple(record.siblings), self.corpus_stats, record.task, anchor_entities)
        item = Item(record.positive, context.siblings, {normalise(d.text) for d in record.distractors if d.text})
        kept: list[Distractor] = []
        for engine in self.engines:
            rng = record_rng(self.seed, record.id, engine.name)
            kept += self._select(engine.name, engine.propose(parsed, context, rng), item, rng)
        self.stats.record(kept)
        return replace(record, distractors=[*record.distractors, *kept]) if kept else record

    def _select(self, engine: str, candidates: list[Candidate], item: Item, rng: random.Random) -> list[Distractor]:
        """Check candidates in a seeded order that alternates operators; keep the first passing ones."""
        by_op: dict[str, list[Candidate]] = defaultdict(list)
        for c in candidates:
            by_op[c.op].append(c)
        ops = sorted(by_op)
        rng.shuffle(ops)
        for op in ops:
            rng.shuffle(by_op[op])
            self.stats.ops[engine][op].proposed += len(by_op[op])
        order = [c for group in _interleave([by_op[op] for op in ops]) for c in group]
        kept: list[Distractor] = []
        for c in order:
            if len(kept) >= self.per_engine:
                break
            failed = validate(c, item)
            if failed:
                self.stats.ops[engine][c.op].removed[failed] += 1
                continue
            item.kept.add(normalise(c.text))
            self.stats.ops[engine][c.op].kept += 1
            kept.append(Distractor(c.text, engine, c.op, c.edit, checks={name: True for name in CHECKS}))
        return kept


def _interleave(lists: list[list[Candidate]]) -> Iterator[list[Candidate]]:
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
    **engine_options: Any,
) -> Iterator[Record]:
    """Stream ``records`` with distractors added; pass ``stats`` to read the statistics afterwards."""
    gen = Generator(engines, per_engine, seed, corpus_stats, nlp, stats, **engine_options)
    for batch in batches(records, batch_size):
        yield from gen(batch)
