"""Accuracy metrics over scored items (pure numpy, no model).

A scored item holds the positive's score and one score per distractor with its engine, op and
level. The item is *correct* for a group of its distractors when the positive scores strictly
above every distractor of the group (ties count as failures); pairwise accuracy compares the
positive with each distractor on its own. Items are grouped overall, by level, by engine, by
(engine, level) and by op; a distractor whose level is None falls in the level group ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Z95 = 1.959963984540054
BOOTSTRAP_RESAMPLES = 2000
GROUPINGS: dict[str, Callable[[str, str, int | None], Hashable]] = {
    "overall": lambda engine, op, level: (),
    "level": lambda engine, op, level: (level,),
    "engine": lambda engine, op, level: (engine,),
    "engine_level": lambda engine, op, level: (engine, level),
    "op": lambda engine, op, level: (op,),
}
GROUP_KEYS = {"overall": (), "level": ("level",), "engine": ("engine",), "engine_level": ("engine", "level"), "op": ("op",)}


@dataclass
class ScoredItem:
    """One record's scores: the positive and each distractor, with the distractors' provenance."""

    id: str
    positive: float
    scores: list[float]
    engines: list[str]
    ops: list[str]
    levels: list[int | None]


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion; (nan, nan) when n is 0."""
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # clamp so rounding never puts p outside its own interval (0/n or n/n)
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


def item_outcomes(items: Sequence[ScoredItem], grouping: str) -> dict[Hashable, dict[str, list]]:
    """For each group: item positions, per-item correctness and chance, pairwise wins, ties."""
    key_of = GROUPINGS[grouping]
    groups: dict[Hashable, dict[str, list]] = {}
    for index, item in enumerate(items):
        margins: dict[Hashable, list[float]] = {}
        for score, engine, op, level in zip(item.scores, item.engines, item.ops, item.levels):
            margins.setdefault(key_of(engine, op, level), []).append(item.positive - score)
        for key, ms in margins.items():
            g = groups.setdefault(key, {"index": [], "correct": [], "chance": [], "pairs": [], "ties": []})
            g["index"].append(index)
            g["correct"].append(min(ms) > 0)
            g["chance"].append(1.0 / (len(ms) + 1))
            g["pairs"].extend(m > 0 for m in ms)
            g["ties"].append(min(ms) == 0)
    return groups


def _sort_key(key: Hashable) -> tuple:
    """Integers in numeric order, then strings, None last."""
    return tuple((v is None, isinstance(v, str), v if isinstance(v, int) else 0, str(v)) for v in key)  # type: ignore[union-attr]


def group_stats(outcome: dict[str, list]) -> dict[str, Any]:
    """Item and pairwise accuracy with Wilson 95% intervals, chance levels and counts."""
    n = len(outcome["correct"])
    correct = int(sum(outcome["correct"]))
    n_pairs = len(outcome["pairs"])
    wins = int(sum(outcome["pairs"]))
    lo, hi = wilson(correct, n)
    plo, phi = wilson(wins, n_pairs)
    return {
        "n": n,
        "correct": correct,
        "accuracy": correct / n if n else math.nan,
        "lo": lo,
        "hi": hi,
        "chance": float(np.mean(outcome["chance"])) if n else math.nan,
        "ties": int(sum(outcome["ties"])),
        "n_pairs": n_pairs,
        "pairwise_correct": wins,
        "pairwise_accuracy": wins / n_pairs if n_pairs else math.nan,
        "pairwise_lo": plo,
        "pairwise_hi": phi,
        "pairwise_chance": 0.5,
    }


def summarize(items: Sequence[ScoredItem]) -> dict[str, list[dict[str, Any]]]:
    """Group statistics for every grouping: ``{grouping: [row, ...]}``, rows sorted by key."""
    out: dict[str, list[dict[str, Any]]] = {}
    for grouping, names in GROUP_KEYS.items():
        groups = item_outcomes(items, grouping)
        out[grouping] = [
            {**dict(zip(names, key)), **group_stats(groups[key])} for key in sorted(groups, key=_sort_key)  # type: ignore[arg-type]
        ]
    return out


def curve_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Summary of an accuracy-vs-level curve (rows with integer ``level``; None levels are ignored).

    ``auc`` is the trapezoidal area under accuracy vs level divided by the level span (the accuracy
    itself for a single level); ``chance_level`` is the first level whose Wilson interval reaches
    down to chance (accuracy not distinguishable from, or below, chance), None if none does.
    """
    pts = sorted((r["level"], r["accuracy"], r["lo"], r["chance"]) for r in rows if r.get("level") is not None and r["n"])
    if not pts:
        return {"levels": [], "auc": None, "chance_level": None}
    levels = np.array([p[0] for p in pts], dtype=float)
    acc = np.array([p[1] for p in pts], dtype=float)
    span = levels[-1] - levels[0]
    auc = float(acc[0]) if span == 0 else float(np.sum((acc[1:] + acc[:-1]) / 2 * np.diff(levels)) / span)
    chance_level = next((int(level) for level, _, lo, chance in pts if lo <= chance), None)
    return {"levels": [int(x) for x in levels], "auc": auc, "chance_level": chance_level}


def bootstrap_ci(values: np.ndarray, seed: int = 0, resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float]:
    """Percentile 95% interval of the mean of ``values`` resampled over items."""
    if len(values) == 0:
        return (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(values), size=(resamples, len(values)))
    means = values[idx].mean(axis=1)
    return (float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975)))


def paired_comparison(
    a: Sequence[ScoredItem], b: Sequence[ScoredItem], grouping: str = "overall", seed: int = 0
) -> list[dict[str, Any]]:
    """Item accuracy of scorer A minus scorer B on the same items, per group, with a bootstrap CI."""
    if [i.id for i in a] != [i.id for i in b]:
        raise ValueError("paired comparison needs both scorers' results on the same items, in the same order")
    ga, gb = item_outcomes(a, grouping), item_outcomes(b, grouping)
    rows = []
    for key in sorted(set(ga) & set(gb), key=_sort_key):
        ca = dict(zip(ga[key]["index"], ga[key]["correct"]))
        cb = dict(zip(gb[key]["index"], gb[key]["correct"]))
        shared = [i for i in ga[key]["index"] if i in cb]
        diff = np.array([float(ca[i]) - float(cb[i]) for i in shared])
        lo, hi = bootstrap_ci(diff, seed)
        rows.append(
            {
                **dict(zip(GROUP_KEYS[grouping], key)),  # type: ignore[arg-type]
                "n": len(shared),
                "accuracy_a": float(np.mean([ca[i] for i in shared])) if shared else math.nan,
                "accuracy_b": float(np.mean([cb[i] for i in shared])) if shared else math.nan,
                "difference": float(diff.mean()) if shared else math.nan,
                "lo": lo,
                "hi": hi,
            }
        )
    return rows
