"""Debiased selection: keep the distractors that a whole panel of blind scorers cannot tell apart.

SugarCrepe's adversarial refinement pairs each item whose (model-1, model-2) score gap is positive
with one whose gap is negative, bin by bin, and drops the rest, so both blind models end at 50%.
This generalises it to any panel and to a pool of several candidates per item. Per group (an
engine, or an (engine, level)) every candidate distractor has an *outcome vector*, one entry per
blind scorer: +1/2 when the scorer prefers the positive, -1/2 when it prefers the distractor, 0 on
a tie (a tie counts half a win, as in the audit). A scorer's pairwise accuracy on a selection is
1/2 + (sum of its entries) / (pairs selected), so every scorer is inside ``0.5 +/- tolerance``
exactly when each summed entry is within ``tolerance`` times the pairs selected: linear
constraints on 0/1 choices. :func:`select` works in two stages:

1. *yield*: the most items with a distractor (at most ``per_engine`` each), then the most pairs,
   with every scorer inside the band: that integer program solved exactly (HiGHS, through
   ``scipy.optimize.milp``), or, past :data:`MILP_TIME_LIMIT`, the best selection found so far
   (every scorer still inside the band), which the statistics report as not proven the largest;
2. *balance*: with that yield fixed, passes over the items in a seeded order, each item making
   its best exchange (a chosen candidate for an unchosen one) while that brings every scorer
   closer to 50% (the sum of the absolute summed outcomes), then the score magnitudes (``tanh`` of each margin over its median
   size, weight ``MAGNITUDE_WEIGHT``), so scorers also prefer each side about as strongly, as
   SugarCrepe's grid bins do.

A group's yield is therefore the largest any selection of its pool can keep: when it is low, the
pool lacks candidates the scorers prefer over the positive (see :func:`binding_scorers`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from negatives.audit import GroupKey, Scorer, panel_margins, text_pairs
from negatives.audit.verdict import blind_accuracy, outcomes, percent
from negatives.records import Record

DEFAULT_TOLERANCE = 0.04
MAGNITUDE_WEIGHT = 0.1
MILP_TIME_LIMIT = 60.0
"""Seconds HiGHS may spend proving one group's selection the largest; most take well under one. A
selection cut short depends on the machine's speed, so it may differ between runs of the same seed:
the statistics mark it (``proven``)."""
def blind_selector(per_engine: int, seed: int = 0, tolerance: float = DEFAULT_TOLERANCE) -> Any:
    """A :data:`negatives.graded.Selector`: :func:`debias` of each batch against the standard blind
    panel fitted on that batch (:func:`probes.scorers.blind.blind_panel`)."""
    from probes.scorers.blind import blind_panel

    def select_batch(batch: list[Record]) -> tuple[list[Record], DebiasStats]:
        return debias(batch, blind_panel(batch), per_engine=per_engine, seed=seed, tolerance=tolerance, progress=False)

    return select_batch


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
                f"(yield kept {100 * g['yield_kept']:.1f}%{'' if g['proven'] else ', not proven the largest'}), "
                f"pairs {g['pairs_after']}/{g['pairs_pool']}; {panel}"
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
        mask, proven = select(matrix[ks], items, per_engine, tolerance, seed + g)
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
                "proven": proven,
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


def select(margins: np.ndarray, items: np.ndarray, per_item: int, tolerance: float, seed: int = 0) -> tuple[np.ndarray, bool]:
    """Boolean mask over candidates (rows of ``margins``: one column per blind scorer; ``items``: owner
    ids), and whether its yield is proven the largest."""
    group = _Group(margins, items, per_item, tolerance)
    return group.balance(group.most_yield(), np.random.default_rng(seed)), group.proven


def binding_scorers(margins: np.ndarray, items: np.ndarray, per_item: int, tolerance: float) -> list[tuple[int, bool]]:
    """Items the largest balanced selection keeps with each scorer (column) left out of the band,
    then with the whole panel last: the scorers whose balance costs the yield. Each count comes
    with whether it is proven the largest (else it is the best found in :data:`MILP_TIME_LIMIT`)."""
    margins = np.asarray(margins, dtype=float).reshape(len(items), -1)
    cols = list(range(margins.shape[1]))
    out = []
    for p in [[c for c in cols if c != s] for s in cols] + [cols]:
        group = _Group(margins[:, p], items, per_item, tolerance)
        out.append((group.kept_items(group.most_yield()), group.proven))
    return out


class _Group:
    """One group's candidates: outcome entries ``d`` and magnitudes ``m`` (rows: candidates,
    columns: scorers), owners, the per-item cap and the band."""

    def __init__(self, margins: np.ndarray, items: np.ndarray, per_item: int, tolerance: float) -> None:
        margins = np.asarray(margins, dtype=float).reshape(len(items), -1)
        self.d = outcomes(margins) - 0.5
        scale = np.array([np.median(np.abs(c[c != 0])) if np.any(c != 0) else 1.0 for c in margins.T])
        self.m = 0.5 * np.tanh(margins / scale)
        _, self.owner = np.unique(np.asarray(items), return_inverse=True)
        self.owner = self.owner.reshape(-1)
        self.per_item = per_item
        self.tol = tolerance
        self.proven = True  # whether the last :meth:`most_yield` is proven the largest

    def kept_items(self, chosen: np.ndarray) -> int:
        return len(np.unique(self.owner[chosen]))

    def most_yield(self) -> np.ndarray:
        """The most items with a distractor, then the most pairs, every scorer inside the band:
        an integer program (variables: a 0/1 per candidate, a coverage in [0, 1] per item), or the
        best selection found in :data:`MILP_TIME_LIMIT` (then :attr:`proven` is False)."""
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import csr_matrix, hstack, identity, vstack

        n, scorers = self.d.shape
        if not n:
            return np.zeros(0, dtype=bool)
        k = int(self.owner.max()) + 1
        per = csr_matrix((np.ones(n), (self.owner, np.arange(n))), shape=(k, n))
        band = csr_matrix(np.vstack([(self.d - self.tol).T, (-self.d - self.tol).T]))
        A = vstack([
            hstack([per, csr_matrix((k, k))]),  # at most per_item distractors per item
            hstack([-per, identity(k)]),  # an item counts as covered only with a distractor
            hstack([band, csr_matrix((2 * scorers, k))]),  # every scorer inside the band
        ], format="csr")
        upper = np.r_[np.full(k, float(self.per_item)), np.zeros(k + 2 * scorers)]
        cost = np.r_[-np.ones(n), -(n + 1.0) * np.ones(k)]  # an item outweighs every pair
        res = milp(cost, constraints=LinearConstraint(A, -np.inf, upper), integrality=np.r_[np.ones(n), np.zeros(k)],
                   bounds=Bounds(0, 1), options={"mip_rel_gap": 0, "time_limit": MILP_TIME_LIMIT})
        self.proven = res.status == 0
        if res.x is None:
            if res.status == 1:  # out of time before any selection: choosing none is inside the band
                return np.zeros(n, dtype=bool)
            raise RuntimeError(f"debias selection failed: {res.message}")
        return res.x[:n] > 0.5

    def balance(self, chosen: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Passes over the items in a seeded order, each item making its best exchange (a chosen
        candidate for an unchosen one) when that brings the summed outcomes, then magnitudes,
        closer to 0 inside the band, until a pass changes nothing."""
        chosen = chosen.copy()
        order = np.argsort(self.owner, kind="stable")
        members = np.split(order, np.flatnonzero(np.diff(self.owner[order])) + 1)
        D, M, limit = self.d[chosen].sum(0), self.m[chosen].sum(0), self.tol * chosen.sum() + 1e-9

        def cost(D: np.ndarray, M: np.ndarray) -> np.ndarray:
            return np.abs(D).sum(-1) + MAGNITUDE_WEIGHT * np.abs(M).sum(-1)

        changed = True
        while changed:
            changed = False
            for i in rng.permutation(len(members)):
                cands = members[i]
                a, b = (x.ravel() for x in np.meshgrid(cands[chosen[cands]], cands[~chosen[cands]], indexing="ij"))
                if not a.size:
                    continue
                new_d, new_m = D + self.d[b] - self.d[a], M + self.m[b] - self.m[a]
                gain = np.where(np.all(np.abs(new_d) <= limit, axis=1), cost(D, M) - cost(new_d, new_m), -np.inf)
                best = int(np.argmax(gain))
                if gain[best] > 1e-12:
                    chosen[a[best]], chosen[b[best]] = False, True
                    D, M = new_d[best], new_m[best]
                    changed = True
        return chosen
