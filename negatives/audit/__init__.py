"""Artifact audit: can a distractor set be solved without the anchor?

Every (positive, text distractor) pair is grouped by (engine, level) — level ``None`` when the set is
not graded — and each group gets its surface tells (:mod:`negatives.audit.tells`), the pairwise
accuracy of a panel of blind scorers (scorers that never see the anchor) and a verdict
(:mod:`negatives.audit.verdict`); a flagged group gets three example pairs and its remedy
(:mod:`negatives.audit.advice`). :func:`panel_margins` is shared with :mod:`negatives.debias`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from negatives.audit.advice import examples, giveaway, remedy, why
from negatives.audit.tells import pair_tells, position_balance, summarize
from negatives.audit.verdict import blind_accuracy, verdict
from negatives.records import Distractor, Edit, Record

GroupKey = tuple[str, int | None]
Scorer = Callable[[dict[str, str], Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Pair:
    """One positive against one of its text distractors."""

    record: int
    index: int
    key: GroupKey
    positive: str
    text: str
    edit: Edit | None
    positive_first: bool | None


def group_key(distractor: Distractor, by_level: bool = True) -> GroupKey:
    return (distractor.engine, distractor.level if by_level else None)


def _positive_first(record: Record, text: str) -> bool | None:
    """Whether an export presented the positive before this distractor (``meta["options"]``)."""
    options = record.meta.get("options")
    if not isinstance(options, list) or record.positive not in options or text not in options:
        return None
    return options.index(record.positive) < options.index(text)


def text_pairs(records: Sequence[Record], by_level: bool = True) -> list[Pair]:
    """Every (positive, text distractor) pair, in record and distractor order."""
    return [
        Pair(r, j, group_key(d, by_level), rec.positive, d.text, d.edit, _positive_first(rec, d.text))
        for r, rec in enumerate(records)
        for j, d in enumerate(rec.distractors)
        if d.text is not None
    ]


def panel_margins(records: Sequence[Record], panel: Mapping[str, Scorer], progress: bool = True) -> dict[str, np.ndarray]:
    """Per scorer, score(positive) - score(distractor) for every pair of :func:`text_pairs` (> 0: scorer right).

    Scoring goes through the probe runner (each unique text scored once; a scorer's ``prepare``
    sees every record, e.g. to fit the n-gram model on all positives). Image distractors are left out.
    """
    from probes.runner import run_scorer

    texts_only = [replace(r, distractors=[d for d in r.distractors if d.text is not None]) for r in records]
    out: dict[str, np.ndarray] = {}
    for name, scorer in panel.items():
        run = run_scorer(texts_only, scorer, progress=progress, desc=name)
        parts = [item.positive - np.asarray(item.scores, dtype=float) for item in run.items]
        out[name] = np.concatenate(parts) if parts else np.zeros(0)
    return out


def audit(
    records: Sequence[Record], panel: Mapping[str, Scorer] | None = None, by_level: bool = True, progress: bool = True
) -> dict[str, Any]:
    """Tells, blind-panel accuracy and verdict for every (engine, level) group of ``records``."""
    pairs = text_pairs(records, by_level)
    margins = panel_margins(records, panel, progress) if panel else {}
    groups: dict[GroupKey, list[int]] = {}
    for k, pair in enumerate(pairs):
        groups.setdefault(pair.key, []).append(k)
    rows = []
    for key in sorted(groups, key=lambda g: (g[0], g[1] is None, g[1] or 0)):
        ks = groups[key]
        measured = [pair_tells(pairs[k].positive, pairs[k].text, pairs[k].edit) for k in ks]
        firsts = [pairs[k].positive_first for k in ks]
        tells = summarize(measured)
        tells["position"] = position_balance(firsts)
        blind = {name: blind_accuracy(m[ks]) for name, m in margins.items()}
        judged = verdict(tells, blind, len(ks))
        if judged["causes"]:
            cause = judged["causes"][0]
            ops = [records[pairs[k].record].distractors[pairs[k].index].op for k in ks]
            strength = giveaway(cause, measured, margins[cause["name"]][ks] if cause["kind"] == "blind" else None, firsts)
            judged["examples"] = examples(strength, [pairs[k] for k in ks], ops, why(cause))
            judged["remedy"] = remedy(cause, key[0], strength, ops)
        rows.append(
            {
                "engine": key[0],
                "level": key[1],
                "items": len({pairs[k].record for k in ks}),
                **tells,
                "blind": blind,
                "verdict": judged,
            }
        )
    return {
        "records": len(records),
        "pairs": len(pairs),
        "scorers": sorted(margins),
        "groups": rows,
        "flagged": sum(row["verdict"]["flagged"] for row in rows),
    }
