"""Graded distractor sets: per item, up to ``per_level`` distractors in each difficulty level.

Within a level, engines take turns (round robin, in an order shuffled per item), so no engine crowds
out the others; inside an engine, candidates are shuffled. Every draw comes from a generator seeded by
``seed`` and the item's id and positive, so the result does not depend on batching or record order.
A candidate whose normalised text was already chosen for the item, or equals its positive or a
sibling, is dropped as ``duplicate``; candidates left once a level is full are ``over_quota``.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from negatives.difficulty import DEFAULT_LEVELS, level_edges, level_of, score_difficulty
from negatives.explain import drop_distractor
from negatives.mining import distribution, normalise
from negatives.records import Distractor, Record

COLUMNS = ("proposed", "duplicate", "over_quota", "kept")
KNOBS = {
    "random": "more random captions per item",
    "neighbours": "-k / --range-max for more candidates; --relative-margin lower or --max-similarity higher to remove fewer",
}
DEFAULT_KNOB = "--per-engine for more candidates per item"


@dataclass
class GradingStats:
    """Counts per engine and level, difficulty distributions, upstream guard counts, short levels."""

    levels: int = DEFAULT_LEVELS
    per_level: int = 2
    items: int = 0
    counts: dict[str, dict[int, dict[str, int]]] = field(default_factory=dict)
    unscored: dict[str, int] = field(default_factory=dict)  # image candidates: no text to score
    short: dict[int, int] = field(default_factory=dict)  # level -> items with fewer than per_level
    guards: dict[str, dict[str, int]] = field(default_factory=dict)  # engine -> removals before scoring
    _difficulty: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def count(self, engine: str, level: int, column: str, n: int = 1) -> None:
        cell = self.counts.setdefault(engine, {}).setdefault(level, dict.fromkeys(COLUMNS, 0))
        cell[column] += n

    def add_guards(self, engine: str, removed: dict[str, int]) -> None:
        """Record what an engine's own guards removed before scoring (e.g. ``MiningStats.removed``)."""
        bucket = self.guards.setdefault(engine, {})
        for guard, n in removed.items():
            bucket[guard] = bucket.get(guard, 0) + int(n)

    def hints(self) -> list[str]:
        """One line per level that some items could not fill, naming the knob to relax."""
        lines = []
        for level in range(1, self.levels + 1):
            missing = self.short.get(level, 0)
            if not missing:
                continue
            engines = sorted(e for e, by_level in self.counts.items() if by_level.get(level, {}).get("proposed"))
            if engines:
                knobs = "; ".join(f"{e}: {KNOBS.get(e, DEFAULT_KNOB)}" for e in engines)
                lines.append(f"level {level}: {missing} of {self.items} items short of {self.per_level} ({knobs})")
            else:
                lines.append(
                    f"level {level}: empty, no engine proposed a candidate this "
                    f"{'easy' if level <= self.levels // 2 else 'hard'} (add an engine that reaches it)"
                )
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": self.levels,
            "level_edges": level_edges(self.levels),
            "per_level": self.per_level,
            "items": self.items,
            "counts": {e: {str(lv): dict(c) for lv, c in sorted(by.items())} for e, by in sorted(self.counts.items())},
            "unscored": dict(sorted(self.unscored.items())),
            "short": {str(lv): n for lv, n in sorted(self.short.items())},
            "guards": {e: dict(g) for e, g in sorted(self.guards.items())},
            "difficulty": {e: distribution(v) for e, v in sorted(self._difficulty.items())},
            "hints": self.hints(),
        }

    def table(self) -> Any:
        """A rich renderable in the style of sentence-transformers' miner printout."""
        from rich.console import Group
        from rich.table import Table

        levels = Table(title=f"graded set: {self.items} items, {self.levels} levels, up to {self.per_level} per level")
        for name in ("engine", "level", *COLUMNS):
            levels.add_column(name, justify="left" if name == "engine" else "right")
        for engine, by_level in sorted(self.counts.items()):
            for level, cell in sorted(by_level.items()):
                levels.add_row(engine, str(level), *(f"{cell[c]:,}" for c in COLUMNS))
        parts: list[Any] = [levels]
        if self.guards:
            names = sorted({g for removed in self.guards.values() for g in removed})
            guards = Table(title="removed by guards before scoring")
            guards.add_column("engine")
            for name in names:
                guards.add_column(name, justify="right")
            for engine, removed in sorted(self.guards.items()):
                guards.add_row(engine, *(f"{removed.get(n, 0):,}" for n in names))
            parts.append(guards)
        spread = Table(title="difficulty of the candidates")
        keys = ("count", "mean", "std", "min", "25%", "50%", "75%", "max")
        spread.add_column("engine")
        for key in keys:
            spread.add_column(key, justify="right")
        for engine, values in sorted(self._difficulty.items()):
            d = distribution(values)
            spread.add_row(engine, *(str(d.get(k, "-")) for k in keys))
        parts.append(spread)
        parts.append(f"level edges: {level_edges(self.levels)}")
        if self.unscored:
            parts.append(f"not scored (image candidates): {dict(sorted(self.unscored.items()))}")
        parts.extend(f"[yellow]{line}[/yellow]" for line in self.hints())
        return Group(*parts)


def _rng(seed: int, record: Record) -> random.Random:
    digest = hashlib.sha256(f"grade\0{seed}\0{record.id}\0{record.positive}".encode("utf-8", "surrogatepass")).digest()
    return random.Random(int.from_bytes(digest[:8], "little"))


def _select(record: Record, levels: int, per_level: int, seed: int, stats: GradingStats) -> list[Distractor]:
    rng = _rng(seed, record)
    pools: dict[int, dict[str, list[Distractor]]] = defaultdict(lambda: defaultdict(list))
    for d in record.distractors:
        if d.difficulty is None:
            stats.unscored[d.engine] = stats.unscored.get(d.engine, 0) + 1
            drop_distractor(record, "selection", "unscored", d)
            continue
        d.level = level_of(d.difficulty, levels)
        pools[d.level][d.engine].append(d)
        stats.count(d.engine, d.level, "proposed")
        stats._difficulty[d.engine].append(d.difficulty)
    seen = {normalise(record.positive), *(normalise(s) for s in record.siblings)}
    chosen: list[Distractor] = []
    for level in range(1, levels + 1):
        by_engine = pools.get(level, {})
        queues = []
        for engine in sorted(by_engine):
            items = list(by_engine[engine])
            rng.shuffle(items)
            queues.append(items)
        rng.shuffle(queues)
        taken = 0
        while queues:
            for queue in list(queues):
                if not queue:
                    queues.remove(queue)
                    continue
                d = queue.pop(0)
                key = normalise(d.text) if d.text is not None else f"image:{d.image}"
                if key in seen or taken >= per_level:
                    reason = "duplicate" if key in seen else "over_quota"
                    stats.count(d.engine, level, reason)
                    drop_distractor(record, "selection", reason, d, level=level, difficulty=d.difficulty)
                else:
                    seen.add(key)
                    chosen.append(d)
                    taken += 1
                    stats.count(d.engine, level, "kept")
        if taken < per_level:
            stats.short[level] = stats.short.get(level, 0) + 1
    return chosen


def build_graded_set(
    records: list[Record],
    levels: int = DEFAULT_LEVELS,
    per_level: int = 2,
    seed: int = 0,
    *,
    stats: GradingStats | None = None,
    embedder: Any | None = None,
) -> tuple[list[Record], GradingStats]:
    """Replace each record's distractors by its graded selection, in place; returns (records, stats).

    Unscored text distractors are scored first with :func:`score_difficulty`. Pass ``stats`` to
    accumulate over batches.
    """
    if per_level < 1:
        raise ValueError(f"per_level must be at least 1, got {per_level}")
    stats = stats or GradingStats(levels=levels, per_level=per_level)
    if any(d.difficulty is None and d.text is not None for r in records for d in r.distractors):
        score_difficulty(records, embedder, levels)
    for record in records:
        record.distractors = _select(record, levels, per_level, seed, stats)
        stats.items += 1
    return records, stats
