"""What to do about a flagged group: three pairs that show its first cause, and the remedy.

Example pairs are those where the cause gives the answer away most plainly: for a blind scorer the
pairs it separates by the widest margin in the flagged direction, for a tell pairs on the dominant
side (in set order). The remedy names the option that fixes the cause: ``negatives generate
--debias`` for what the blind panel or a length or rarity tell sees, ``--ops -ENGINE.OP`` for the
operator of the group that gives the answer away most often, and the source texts for formatting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from negatives.audit.tells import FORMATTING, PairTells, difference, side

EXAMPLES = 3
MIN_OP_PAIRS = 5  # an operator is named in a remedy only with at least this many pairs in the group


def giveaway(cause: Mapping[str, Any], tells: Sequence[PairTells], margins: np.ndarray | None, firsts: Sequence[bool | None]) -> np.ndarray:
    """Per pair of the group, how strongly ``cause`` gives it away (> 0: it does)."""
    sign = 1.0 if cause["direction"] in ("positive", "higher") else -1.0
    if cause["kind"] == "blind":
        assert margins is not None
        return sign * margins
    if cause["name"] == "position":
        return np.array([0.0 if f is None else sign * (1.0 if f else -1.0) for f in firsts])
    return np.array([sign * (difference(t, cause["name"]) or 0.0) for t in tells])


def examples(strength: np.ndarray, pairs: Sequence[Any], ops: Sequence[str], why: str) -> list[dict[str, Any]]:
    """Up to :data:`EXAMPLES` pairs with the largest ``strength`` (ties in set order)."""
    order = sorted((i for i in range(len(pairs)) if strength[i] > 0), key=lambda i: (-float(strength[i]), i))[:EXAMPLES]
    return [{"positive": pairs[i].positive, "distractor": pairs[i].text, "op": ops[i], "why": why} for i in order]


def remedy(cause: Mapping[str, Any], engine: str, strength: np.ndarray, ops: Sequence[str]) -> str:
    """The option that fixes ``cause`` in this group, in one sentence."""
    if cause["kind"] == "tell" and cause["name"] in FORMATTING:
        return (f"the distractors' formatting differs from the positives' ({cause['name']}): make the source texts' "
                "capitals, final punctuation and spacing uniform, or leave out the engine that writes them (--engines)")
    if cause["kind"] == "tell" and cause["name"] == "position":
        return "shuffle the options when exporting (negatives export shuffles them with --seed)"
    text = "regenerate with `negatives generate --debias`, which keeps candidates that leave every blind scorer near 50%"
    shares = {}
    for op in sorted(set(ops)):
        mine = strength[[i for i, o in enumerate(ops) if o == op]]
        if len(mine) >= MIN_OP_PAIRS:
            shares[op] = float(np.mean(mine > 0))
    if len(shares) > 1:
        worst = max(shares, key=lambda op: (shares[op], op))
        text += f", or drop its worst operator with --ops -{engine}.{worst} (it gives the answer away in {100 * shares[worst]:.0f}% of its pairs)"
    return text


def why(cause: Mapping[str, Any]) -> str:
    """What the example pairs show, in a few words."""
    if cause["kind"] == "blind":
        return f"{cause['name']} scores the {cause['direction']} higher"
    return side(cause["name"], cause["direction"])
