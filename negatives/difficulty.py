"""Difficulty in [0, 1] for every distractor, computed the same way whatever engine made it.

Three signals compare a distractor ``d`` with its positive ``p``:

* ``similarity`` — cosine of the reference embedder's vectors (default all-MiniLM-L6-v2), clipped to
  [0, 1]: how close the meanings look to a model;
* ``changed`` — share of word tokens changed: token-level edit distance / the longer token count
  (lower-cased words and numbers), 0 = same words in the same order, 1 = nothing in common;
* ``same_words`` — 1 when ``d`` uses exactly the words of ``p`` in another order (attribute or role
  swaps, where a bag-of-words model cannot tell them apart), else 0;

and one judges ``d`` alone:

* ``plausibility`` — how likely a person would write ``d`` about some scene
  (:mod:`negatives.plausibility`, in [0, 1]): an absurd caption is easy for any model with a
  language prior, however close it looks.

    closeness  = clip(0.6 * similarity + 0.3 * (1 - changed) + 0.1 * same_words, 0, 1)
    difficulty = closeness * (0.4 + 0.6 * plausibility)

so an implausible distractor (plausibility below 1/3) never reaches 0.6, the edge of level 4 of 5,
and one with plausibility 0 stays at or below level 3.

Levels use fixed equal-width bins, so a level means the same on every dataset (for a given reference
embedder, recorded in the manifest): with K levels, level = min(K, 1 + floor(K * difficulty)); for
K = 5 the edges are 0.2, 0.4, 0.6, 0.8. An unrelated caption (similarity ~0.1, nearly all words
changed) lands in level 1, a corpus neighbour in 2-3, a one-word substitution in 4-5 and a swap of
the same words in 5. Level 1 is also fed by :func:`easy_random`: random captions from the corpus, the
"easy negatives" of the Generative AI Paradox. Image candidates (no text) are not scored.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from negatives.plausibility import PlausibilityModel, reference_model
from negatives.plausibility.ngram import common_ends
from negatives.records import Distractor, Record

W_SIMILARITY, W_UNCHANGED, W_SAME_WORDS = 0.6, 0.3, 0.1
PLAUSIBILITY_FLOOR = 0.4
"""The share of closeness an entirely implausible distractor keeps."""
DEFAULT_LEVELS = 5
_TOKEN = re.compile(r"[a-z0-9']+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def changed_share(a: list[str], b: list[str]) -> float:
    """Token edit distance between ``a`` and ``b`` divided by the longer length (0 when both empty)."""
    longest = max(len(a), len(b))
    if not longest:
        return 0.0
    lo, hi = common_ends(a, b)
    return edit_distance(a[lo : len(a) - hi], b[lo : len(b) - hi]) / longest


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two token lists, bit-parallel (Hyyro 2003: one pass over ``b``
    with ``a``'s positions as the bits of Python integers)."""
    if not a or not b:
        return len(a) + len(b)
    where: dict[str, int] = {}
    for i, x in enumerate(a):
        where[x] = where.get(x, 0) | 1 << i
    full, top = (1 << len(a)) - 1, 1 << (len(a) - 1)
    plus, minus, score = full, 0, len(a)  # vertical +1 / -1 differences of the DP column
    for y in b:
        eq = where.get(y, 0)
        xv = eq | minus
        xh = (((eq & plus) + plus) ^ plus) | eq
        ph = (minus | ~(xh | plus)) & full
        mh = plus & xh
        score += 1 if ph & top else -1 if mh & top else 0
        ph = (ph << 1 | 1) & full
        mh = (mh << 1) & full
        plus = (mh | ~(xv | ph)) & full
        minus = ph & xv
    return score


def combine(similarity: float, changed: float, same_words: bool, plausibility: float = 1.0) -> float:
    """The documented formula, rounded to 4 decimals (levels are computed from the rounded value)."""
    value = W_SIMILARITY * max(0.0, similarity) + W_UNCHANGED * (1.0 - changed) + W_SAME_WORDS * same_words
    closeness = min(1.0, max(0.0, value))
    return round(closeness * (PLAUSIBILITY_FLOOR + (1 - PLAUSIBILITY_FLOOR) * plausibility), 4)


def level_of(difficulty: float, levels: int = DEFAULT_LEVELS) -> int:
    """Fixed equal-width bins: level 1 for [0, 1/K), ..., level K for [(K-1)/K, 1]."""
    if levels < 1:
        raise ValueError(f"levels must be at least 1, got {levels}")
    return min(levels, 1 + math.floor(difficulty * levels))


def level_edges(levels: int = DEFAULT_LEVELS) -> list[float]:
    """The lower difficulty bound of levels 2..K."""
    return [round(i / levels, 4) for i in range(1, levels)]


def score_difficulty(
    records: list[Record],
    embedder: Any | None = None,
    levels: int = DEFAULT_LEVELS,
    plausibility: PlausibilityModel | None = None,
    vectors: dict[str, np.ndarray] | None = None,
) -> None:
    """Fill ``difficulty``, ``level`` and ``meta["signals"]`` of every text distractor, in place.

    Embeds each distinct text (positives and distractors) once per call with ``embedder`` (an
    :class:`negatives.embeddings.Embedder`; default: the shared reference embedder), except those
    ``vectors`` already holds (embedded by the same model elsewhere). A distractor whose signals
    hold no plausibility yet (retrieved, imported) is scored with ``plausibility`` (default: the
    shipped reference alone).
    """
    from negatives.embeddings import shared_embedder

    pairs = [(r.positive, d) for r in records for d in r.distractors if d.text is not None]
    if not pairs:
        return
    embedder = embedder or shared_embedder()
    score_plausibility(records, plausibility)
    given = vectors or {}
    texts = list(dict.fromkeys(t for p, d in pairs for t in (p, d.text) if t not in given))
    known = {**dict(zip(texts, embedder.encode(texts))), **given} if texts else given
    left = np.stack([known[p] for p, _ in pairs])
    right = np.stack([known[d.text] for _, d in pairs])
    similarities = np.einsum("ij,ij->i", left, right)
    for (positive, d), similarity in zip(pairs, similarities.tolist()):
        a, b = tokens(positive), tokens(d.text or "")
        changed = changed_share(a, b)
        same_words = a != b and Counter(a) == Counter(b)
        signals = d.meta["signals"]
        d.difficulty = combine(similarity, changed, same_words, signals["plausibility"])
        d.level = level_of(d.difficulty, levels)
        signals.update(similarity=round(similarity, 4), changed=round(changed, 4), same_words=same_words)


def score_plausibility(records: list[Record], plausibility: PlausibilityModel | None = None) -> None:
    """Fill the plausibility signals of every text distractor that has none yet (retrieved,
    imported), with ``plausibility`` (default: the shipped reference alone), in place."""
    for record in records:
        for d in record.distractors:
            if d.text is None:
                continue
            signals = d.meta.setdefault("signals", {})
            if "plausibility" not in signals:
                plausibility = plausibility or reference_model()
                signals.update(plausibility.score(record.positive, d.text).to_dict())


def _rng(seed: int, record: Record) -> random.Random:
    digest = hashlib.sha256(f"{seed}\0{record.id}\0{record.positive}".encode("utf-8", "surrogatepass")).digest()
    return random.Random(int.from_bytes(digest[:8], "little"))


def easy_random(records: list[Record], seed: int = 0, n: int = 1) -> dict[str, list[Distractor]]:
    """``n`` random positives of *other* items per record (never its own positive or a sibling).

    Each record's draw depends only on ``seed``, its id and positive and the corpus, not on the order
    of records. Engine ``random``, op ``sample``; ``meta.source`` is the id of the item it came from.
    """
    from negatives.mining import normalise

    corpus: dict[str, str] = {}
    for r in records:
        corpus.setdefault(r.positive, r.id)
    texts = sorted(corpus)
    out: dict[str, list[Distractor]] = {}
    for record in records:
        banned = {normalise(record.positive), *(normalise(s) for s in record.siblings)}
        rng, chosen, tries = _rng(seed, record), [], 0
        while len(chosen) < n and tries < 20 * n and texts:
            tries += 1
            text = texts[rng.randrange(len(texts))]
            if normalise(text) in banned or text in chosen:
                continue
            chosen.append(text)
        out[record.id] = [Distractor(text=t, engine="random", op="sample", meta={"source": corpus[t]}) for t in chosen]
    return out
