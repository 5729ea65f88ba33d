"""Blind scorers: they never look at the anchor, so accuracy above chance means the distractors
carry surface artifacts (length, implausible word sequences) that give the answer away.

* ``blind-length`` — candidate length (``prefer=shorter`` by default, or ``longer``; ``unit=chars``
  or ``words``; ends stripped, so a trailing space is not a tell).
* ``blind-ngram`` — a smoothed word n-gram LM (add-k, default bigram, k=0.1) fitted on the set's
  positives. Leave-one-out: all candidates of an item are scored by the model without any
  occurrence of the item's candidates among the positives (a caption shared by several records is
  left out entirely). That is "the item's own positive left out" (plus any distractor that is
  another item's positive), without the scorer knowing which candidate is the positive; scoring a
  distractor with the positive's counts still in the model would favour distractors sharing its words.
* ``blind-prior`` — the causal LM's likelihood with an empty prompt (see :mod:`probes.scorers.lm`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from negatives.records import Record
from probes.scorers.base import Anchor, ItemScorer, PairScorer

WORD = re.compile(r"[a-z0-9']+")
BOS, EOS = "<s>", "</s>"


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


class LengthScorer(PairScorer):
    """Score = length of the candidate, signed so that the preferred direction scores higher."""

    kind = "blind-length"

    def __init__(self, prefer: str = "shorter", unit: str = "chars") -> None:
        if prefer not in ("shorter", "longer") or unit not in ("chars", "words"):
            raise ValueError("blind-length takes prefer=shorter|longer and unit=chars|words")
        super().__init__(prefer=prefer, unit=unit)

    def score_pairs(self, anchors: Sequence[Anchor], candidates: Sequence[str]) -> list[float]:
        sign = -1.0 if self.options["prefer"] == "shorter" else 1.0
        measure = (lambda c: len(c.strip())) if self.options["unit"] == "chars" else (lambda c: len(words(c)))
        return [sign * measure(c) for c in candidates]


class NgramScorer(ItemScorer):
    """Add-k smoothed word n-gram log-probability, fitted on the positives (leave-one-out per item)."""

    kind = "blind-ngram"

    def __init__(self, n: int = 2, k: float = 0.1, reduction: str = "mean") -> None:
        if n < 1 or k <= 0 or reduction not in ("sum", "mean"):
            raise ValueError("blind-ngram takes n>=1, k>0 and reduction=sum|mean")
        super().__init__(n=int(n), k=float(k), reduction=reduction)
        self.grams: Counter[tuple[str, ...]] = Counter()
        self.contexts: Counter[tuple[str, ...]] = Counter()
        self.positives: Counter[tuple[str, ...]] = Counter()
        self.vocab = 0

    def _ngrams(self, tokens: Sequence[str]) -> list[tuple[str, ...]]:
        n = self.options["n"]
        padded = [BOS] * (n - 1) + list(tokens) + [EOS]
        return [tuple(padded[i : i + n]) for i in range(len(padded) - n + 1)]

    def prepare(self, records: Sequence[Record]) -> None:
        """Fit on the positives of ``records`` (every call refits from scratch)."""
        self.grams.clear()
        self.contexts.clear()
        self.positives = Counter(tuple(words(r.positive)) for r in records)
        for tokens, count in self.positives.items():
            for gram in self._ngrams(tokens):
                self.grams[gram] += count
                self.contexts[gram[:-1]] += count
        self.vocab = len({w for tokens in self.positives for w in tokens}) + 2  # + </s> + unknown

    def logprob(self, text: str, left_out: Sequence[str] = ()) -> tuple[float, int]:
        """Summed log-probability of ``text`` and its n-gram count, with every occurrence of the
        ``left_out`` texts among the positives removed from the model."""
        held: Counter[tuple[str, ...]] = Counter()
        for t in {tuple(words(x)) for x in left_out}:
            for g in self._ngrams(t):
                held[g] += self.positives.get(t, 0)
        held_ctx = Counter(g[:-1] for g in held.elements())
        k, vocab = self.options["k"], self.vocab
        grams = self._ngrams(words(text))
        total = 0.0
        for gram in grams:
            num = self.grams.get(gram, 0) - held[gram] + k
            den = self.contexts.get(gram[:-1], 0) - held_ctx[gram[:-1]] + k * vocab
            total += math.log(num / den)
        return total, len(grams)

    def score_items(self, items: Sequence[tuple[Anchor, Sequence[str]]]) -> list[list[float]]:
        if not self.vocab:
            raise RuntimeError("blind-ngram must be fitted first: call prepare(records)")
        out = []
        for _, cands in items:
            scored = [self.logprob(c, cands) for c in cands]
            out.append([t if self.options["reduction"] == "sum" else t / n for t, n in scored])
        return out


def prior_scorer(model: str | None = None, reduction: str = "mean") -> Any:
    """``blind-prior``: the causal LM's likelihood of the candidate alone (no prompt)."""
    from probes.scorers.lm import LMScorer

    return LMScorer(model, reduction=reduction, blind=True)


def blind_panel(records: Sequence[Record], lm: str | None = None) -> dict[str, Any]:
    """The standard blind panel, fitted on ``records``: length, ngram, lm-prior-sum, lm-prior-mean.

    The two LM-prior scorers share one model and one cache, so the second costs nothing extra.
    """
    ngram = NgramScorer()
    ngram.prepare(records)
    return {
        "length": LengthScorer(),
        "ngram": ngram,
        "lm-prior-sum": prior_scorer(lm, "sum"),
        "lm-prior-mean": prior_scorer(lm, "mean"),
    }
