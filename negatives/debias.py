"""Debiased selection: keep the distractors that a whole panel of blind scorers cannot tell apart.

SugarCrepe's adversarial refinement pairs each item whose (model-1, model-2) score gap is positive
with one whose gap is negative, bin by bin, and drops the rest, so both blind models end at 50%.
This generalises it to any panel and to a pool of several candidates per item. Per (engine, level)
group every candidate distractor has an *outcome vector*, one entry per blind scorer: +1/2 when the
scorer prefers the positive, -1/2 when it prefers the distractor, 0 on a tie. A scorer's pairwise
accuracy on a selection is 1/2 + (sum of its entries) / (pairs selected), so the goal is a
selection whose summed vector is ~0 in every coordinate, with as many items as possible and at most
``per_engine`` distractors per item:

1. *herding*: items with the fewest distinct outcome patterns first (their choice is forced), each
   round every item takes the candidate that keeps the running sum closest to 0;
2. *swaps*: an item exchanges a chosen candidate for an unchosen one of another outcome pattern when
   that brings the sum closer to 0 without pushing a scorer further out of the band, best exchange
   first (so flexible items compensate for forced ones);
3. *trim*: while a scorer is outside ``0.5 +/- tolerance``, drop the chosen candidate whose removal
   reduces the excess most, taking second distractors before an item's only one (yield first);
4. *refill*: add back unchosen candidates, items without a distractor first, while every scorer
   stays inside the tolerance; then swaps again, to end as close to 50% as the kept items allow.

Score magnitudes (``tanh`` of the margin over its median size) enter the herding objective with a
small weight, so the selection also balances how strongly scorers prefer one side, not only
which side, as SugarCrepe's grid bins do.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from negatives.audit import GroupKey, Scorer, panel_margins, text_pairs
from negatives.audit.verdict import blind_accuracy, outcomes, percent
from negatives.records import Record

DEFAULT_TOLERANCE = 0.02
MAGNITUDE_WEIGHT = 0.1


@dataclass
class DebiasStats:
    """Per (engine, level) group: items and pairs before and after, and the blind panel on both."""

    per_engine: int
    tolerance: float
    groups: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"per_engine": self.per_engine, "tolerance": self.tolerance, "groups": self.groups}

    def table(self) -> str:
        """A plain-text table: panel accuracy before -> after, and the yield kept."""
        lines = [f"debias (per engine {self.per_engine}, tolerance {self.tolerance:.0%}): blind pairwise accuracy %, pool -> kept"]
        for g in self.groups:
            panel = ", ".join(
                f"{name} {percent(g['before'][name]['accuracy'])}->{percent(g['after'][name]['accuracy'])}" for name in sorted(g["before"])
            )
            lines.append(
                f"  {g['engine']} level {g['level'] if g['level'] is not None else '-'}: items {g['items_after']}/{g['items_before']} "
                f"(yield kept {100 * g['yield_kept']:.1f}%), pairs {g['pairs_after']}/{g['pairs_pool']}; {panel}"
            )
        return "\n".join(lines)


def debias(
    records: Sequence[Record],
    panel: Mapping[str, Scorer],
    per_engine: int = 1,
    seed: int = 0,
    tolerance: float = DEFAULT_TOLERANCE,
    by_level: bool = True,
    progress: bool = True,
) -> tuple[list[Record], DebiasStats]:
    """Keep at most ``per_engine`` text distractors per item and group, balanced against ``panel``.

    Records are returned in order, each with its kept distractors in their original order (image
    distractors, which blind text scorers cannot score, are kept untouched); a record may end with
    none. Groups are (engine, level) when ``by_level``, else engines.
    """
    if per_engine < 1:
        raise ValueError("per_engine must be at least 1")
    if not panel:
        raise ValueError("debiasing needs at least one blind scorer")
    pairs = text_pairs(records, by_level)
    margins = panel_margins(records, panel, progress)
    names = sorted(margins)
    matrix = np.stack([margins[n] for n in names], axis=1)
    groups: dict[GroupKey, list[int]] = {}
    for k, pair in enumerate(pairs):
        groups.setdefault(pair.key, []).append(k)
    keep = np.zeros(len(pairs), dtype=bool)
    stats = DebiasStats(per_engine, tolerance)
    for g, key in enumerate(sorted(groups, key=lambda x: (x[0], x[1] is None, x[1] or 0))):
        ks = np.asarray(groups[key])
        items = np.asarray([pairs[k].record for k in ks])
        mask = select(matrix[ks], items, per_engine, tolerance, seed + g)
        keep[ks[mask]] = True
        before_items = len(set(items.tolist()))
        after_items = len(set(items[mask].tolist()))
        stats.groups.append(
            {
                "engine": key[0],
                "level": key[1],
                "items_before": before_items,
                "items_after": after_items,
                "yield_kept": after_items / before_items,
                "pairs_pool": int(len(ks)),
                "pairs_after": int(mask.sum()),
                "before": {n: blind_accuracy(matrix[ks, s]) for s, n in enumerate(names)},
                "after": {n: blind_accuracy(matrix[ks[mask], s]) for s, n in enumerate(names)},
            }
        )
    kept = {(pairs[k].record, pairs[k].index) for k in np.flatnonzero(keep)}
    out = [
        replace(rec, distractors=[d for j, d in enumerate(rec.distractors) if d.text is None or (r, j) in kept])
        for r, rec in enumerate(records)
    ]
    return out, stats


def select(margins: np.ndarray, items: np.ndarray, per_item: int, tolerance: float, seed: int = 0) -> np.ndarray:
    """Boolean mask over candidates (rows of ``margins``: one column per blind scorer; ``items``: owner ids)."""
    return _Selection(margins, items, per_item, tolerance, seed).run()


class _Selection:
    """State of one group's selection: chosen mask, per-item counts and the running sums."""

    def __init__(self, margins: np.ndarray, items: np.ndarray, per_item: int, tolerance: float, seed: int) -> None:
        margins = np.asarray(margins, dtype=float).reshape(len(items), -1)
        self.d = outcomes(margins) - 0.5
        scale = np.array([np.median(np.abs(c[c != 0])) if np.any(c != 0) else 1.0 for c in margins.T])
        self.m = 0.5 * np.tanh(margins / scale) if margins.size else np.zeros_like(margins)
        self.per_item = per_item
        self.tol = tolerance
        self.rng = np.random.default_rng(seed)
        _, owner = np.unique(items, return_inverse=True)
        self.owner = owner
        by_owner = np.argsort(owner, kind="stable")
        self.members: list[np.ndarray] = np.split(by_owner, np.flatnonzero(np.diff(owner[by_owner])) + 1) if len(items) else []
        self.chosen = np.zeros(len(items), dtype=bool)
        self.count = np.zeros(len(self.members), dtype=int)
        self.n = 0
        self.D = np.zeros(self.d.shape[1])
        self.M = np.zeros(self.d.shape[1])
        self.patterns, of = np.unique(self.d, axis=0, return_inverse=True)  # distinct outcome vectors
        self.pattern_of = of.reshape(-1)

    # -- bookkeeping -------------------------------------------------------------------------
    def _add(self, c: int) -> None:
        self.chosen[c] = True
        self.count[self.owner[c]] += 1
        self.n += 1
        self.D += self.d[c]
        self.M += self.m[c]

    def _remove(self, c: int) -> None:
        self.chosen[c] = False
        self.count[self.owner[c]] -= 1
        self.n -= 1
        self.D -= self.d[c]
        self.M -= self.m[c]

    @staticmethod
    def _objective(D: np.ndarray, M: np.ndarray) -> np.ndarray:
        return (D * D).sum(-1) + MAGNITUDE_WEIGHT * (M * M).sum(-1)

    def _excess(self, D: np.ndarray, n: int) -> np.ndarray:
        """How far each summed vector is outside the tolerance band (0 when inside)."""
        over = np.maximum(0.0, np.abs(D) - self.tol * n)
        return (over * over).sum(-1)

    # -- phases ------------------------------------------------------------------------------
    def run(self) -> np.ndarray:
        if not self.members:
            return self.chosen
        self._herd()
        self._swap()
        self._trim()
        self._refill()
        self._swap()
        return self.chosen

    def _item_order(self) -> np.ndarray:
        """Items with the fewest distinct outcome patterns first; seeded order among equals."""
        P = len(self.patterns)
        distinct = np.unique(self.owner * P + self.pattern_of) // P
        flex = np.bincount(distinct, minlength=len(self.members))
        shuffle = self.rng.permutation(len(self.members))
        return shuffle[np.argsort(flex[shuffle], kind="stable")]

    def _herd(self) -> None:
        order = self._item_order()
        for _ in range(self.per_item):
            for i in order:
                free = self.members[i][~self.chosen[self.members[i]]]
                if free.size:
                    cost = self._objective(self.D + self.d[free], self.M + self.m[free])
                    self._add(int(free[np.argmin(cost)]))

    def _swap(self) -> None:
        """Exchange moves between outcome patterns: an item trades its chosen candidate of pattern p
        for its unchosen one of pattern q, best move first, while that brings the sums closer to 0
        without pushing any scorer further out of the band."""
        patterns, of = self.patterns, self.pattern_of
        moves: dict[tuple[int, int], list[tuple[int, int]]] = {}

        def index(cands: np.ndarray) -> None:
            for a in cands[self.chosen[cands]]:
                for b in cands[~self.chosen[cands]]:
                    if of[a] != of[b]:
                        moves.setdefault((int(of[a]), int(of[b])), []).append((int(a), int(b)))

        def valid(key: tuple[int, int]) -> tuple[int, int] | None:
            queue = moves[key]
            while queue:
                a, b = queue[-1]
                if self.chosen[a] and not self.chosen[b]:
                    return a, b
                queue.pop()
            del moves[key]
            return None

        for cands in self.members:
            if cands.size > 1:
                index(cands)
        while moves:
            keys = sorted(moves)
            p, q = np.array(keys).T
            D = self.D + patterns[q] - patterns[p]
            ok = self._excess(D, self.n) <= self._excess(self.D, self.n)
            cost = np.where(ok, (D * D).sum(-1), np.inf)
            best = int(np.argmin(cost))
            if not cost[best] < (self.D * self.D).sum() - 1e-12:
                return
            move = valid(keys[best])
            if move is None:
                continue
            self._remove(move[0])
            self._add(move[1])
            index(self.members[self.owner[move[0]]])

    def _trim(self) -> None:
        """Drop chosen candidates until every scorer is inside the band; second distractors first."""
        patterns, of = self.patterns, self.pattern_of
        direction = self.m @ self.M  # within a pattern, drop the most one-sided magnitudes first
        heaps: dict[tuple[int, bool], list[tuple[float, int]]] = {}
        for c in np.flatnonzero(self.chosen):
            heaps.setdefault((int(of[c]), bool(self.count[self.owner[c]] > 1)), []).append((-direction[c], int(c)))
        for heap in heaps.values():
            heapq.heapify(heap)

        def top(p: int, extra: bool) -> int | None:
            heap = heaps.get((p, extra), [])
            while heap:
                c = heap[0][1]
                if self.chosen[c] and (self.count[self.owner[c]] > 1) == extra:
                    return c
                heapq.heappop(heap)  # stale: removed, or no longer of this status
            return None

        while self.n and self._excess(self.D, self.n) > 0:
            now = self._excess(self.D, self.n)
            after = self._excess(self.D - patterns, self.n - 1)
            best = None
            for extra in (True, False):
                options = [(after[p], p) for p in np.argsort(after, kind="stable") if top(int(p), extra) is not None]
                if options and (options[0][0] < now or not extra):
                    best = top(int(options[0][1]), extra)
                    break
            if best is None:
                return
            self._remove(best)
            if self.count[self.owner[best]] == 1:  # its partner is now an item's only distractor
                for c in self.members[self.owner[best]][self.chosen[self.members[self.owner[best]]]]:
                    heapq.heappush(heaps.setdefault((int(of[c]), False), []), (-direction[c], int(c)))

    def _refill(self) -> None:
        """Add unchosen candidates back while every scorer stays inside the band; empty items first."""
        patterns, of = self.patterns, self.pattern_of
        for uncovered in (True, False):
            pools: dict[int, list[int]] = {}
            count = self.count[self.owner]
            room = (count == 0) if uncovered else (count > 0) & (count < self.per_item)
            for c in self.rng.permutation(np.flatnonzero(~self.chosen & room)):
                pools.setdefault(int(of[c]), []).append(int(c))
            while pools:
                keys = np.array(sorted(pools))
                ok = keys[self._excess(self.D + patterns[keys], self.n + 1) == 0]
                if not ok.size:
                    break
                p = int(ok[np.argmin(self._objective(self.D + patterns[ok], self.M))])
                c = pools[p].pop()
                if not pools[p]:
                    del pools[p]
                if self.count[self.owner[c]] >= self.per_item or (uncovered and self.count[self.owner[c]] > 0):
                    continue
                self._add(c)
