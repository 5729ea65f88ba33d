"""A word trigram language model with interpolated Kneser-Ney smoothing (discount 0.75).

Cheap enough to score every candidate: a sentence's log-probability is a few dictionary lookups
per word. Counts come from captions (:meth:`TrigramCounts.observe`) and add up across corpora
(the shipped reference and the run's own input); :class:`KneserNey` freezes them into the
interpolated estimates

    p3(w | u v) = max(c(u v w) - D, 0) / c(u v .) + D * N1+(u v .) / c(u v .) * p2(w | v)
    p2(w | v)   = max(N1+(. v w) - D, 0) / N1+(. v .) + D * N1+(v .) / N1+(. v .) * p1(w)
    p1(w)       = (N1+(. w) + 1) / (N1+(. .) + V + 1)

where the lower orders count distinct left contexts (continuation counts), so a word that only
follows one phrase ("Francisco") is not likely after any other.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
BOS, EOS = "<s>", "</s>"
DISCOUNT = 0.75
MEMO = 1 << 20  # remembered log-probabilities (~100 MB at most)


class Memo(dict):  # type: ignore[type-arg]
    """Values of ``compute(key)``, remembered; cleared when ``limit`` keys are held. A hit is a plain
    dict lookup."""

    def __init__(self, compute: Callable[[Any], Any], limit: int = MEMO) -> None:
        super().__init__()
        self.compute, self.limit = compute, limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value
Trigram = tuple[str, str, str]


def words(text: str) -> list[str]:
    """Lower-case word tokens (punctuation dropped, contractions kept whole)."""
    return WORD.findall(text.lower())


def common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """(length of the common prefix, length of the common suffix not overlapping it) of ``a`` and ``b``."""
    lo = 0
    while lo < min(len(a), len(b)) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < min(len(a), len(b)) - lo and a[-1 - hi] == b[-1 - hi]:
        hi += 1
    return lo, hi


def padded(tokens: list[str]) -> list[str]:
    return [BOS, BOS, *tokens, EOS]


class TrigramCounts(Counter[Trigram]):
    """Counts of word trigrams over sentences padded with two ``<s>`` and one ``</s>``."""

    def observe(self, text: str) -> None:
        t = padded(words(text))
        self.update(zip(t, t[1:], t[2:]))

    def to_rows(self) -> list[list[Any]]:
        return [[*g, n] for g, n in sorted(self.items())]

    @classmethod
    def from_rows(cls, rows: Iterable[list[Any]]) -> TrigramCounts:
        return cls({(a, b, c): int(n) for a, b, c, n in rows})


class KneserNey:
    """Interpolated Kneser-Ney estimates frozen from :class:`TrigramCounts`."""

    def __init__(self, counts: Counter[Trigram], discount: float = DISCOUNT) -> None:
        self.d = discount
        self.c3 = dict(counts)
        ctx3: Counter[tuple[str, str]] = Counter()
        types3: Counter[tuple[str, str]] = Counter()
        cont2: Counter[tuple[str, str]] = Counter()  # N1+(. v w)
        for (u, v, w), n in counts.items():
            ctx3[u, v] += n
            types3[u, v] += 1
            cont2[v, w] += 1
        ctx2: Counter[str] = Counter()  # N1+(. v .)
        types2: Counter[str] = Counter()  # N1+(v .) among continuation bigrams
        cont1: Counter[str] = Counter()  # N1+(. w)
        for (v, w), n in cont2.items():
            ctx2[v] += n
            types2[v] += 1
            cont1[w] += 1
        self.ctx3, self.types3, self.cont2 = dict(ctx3), dict(types3), dict(cont2)
        self.ctx2, self.types2, self.cont1 = dict(ctx2), dict(types2), dict(cont1)
        self.bigram_types = len(cont2)
        self.vocab = len(cont1)
        self._p1_unknown = 1.0 / (self.bigram_types + self.vocab + 1)
        unigrams: Counter[str] = Counter()
        for (_, _, w), n in counts.items():
            unigrams[w] += n
        self.unigrams = dict(unigrams)
        self._unigram_total = sum(unigrams.values()) + len(unigrams) + 1
        self._log3 = Memo(self._trigram_logprob)
        self._log1 = Memo(self._word_logprob)

    def p1(self, w: str) -> float:
        return (self.cont1.get(w, 0) + 1) * self._p1_unknown

    def p2(self, v: str, w: str) -> float:
        total = self.ctx2.get(v, 0)
        if not total:
            return self.p1(w)
        seen = max(self.cont2.get((v, w), 0) - self.d, 0.0)
        return (seen + self.d * self.types2[v] * self.p1(w)) / total

    def p3(self, u: str, v: str, w: str) -> float:
        total = self.ctx3.get((u, v), 0)
        if not total:
            return self.p2(v, w)
        seen = max(self.c3.get((u, v, w), 0) - self.d, 0.0)
        return (seen + self.d * self.types3[u, v] * self.p2(v, w)) / total

    def log3(self, u: str, v: str, w: str) -> float:
        """``log p3(w | u v)``, remembered (candidates share most of their trigrams: a corpus caption
        is scored as a distractor of many items); the memory is cleared past :data:`MEMO` entries."""
        return self._log3[u, v, w]

    def _trigram_logprob(self, trigram: Trigram) -> float:
        return math.log(self.p3(*trigram))

    def logprob(self, text: str) -> float:
        """Natural-log probability of ``text`` as a whole sentence (end of sentence included)."""
        t = padded(words(text))
        return sum(self.log3(u, v, w) for u, v, w in zip(t, t[1:], t[2:]))

    def delta(self, a: list[str], b: list[str]) -> tuple[float, float]:
        """(log-probability, unigram log-probability) of the sentence of words ``b`` minus those of
        ``a``, summed only over what differs: the trigrams that see a changed word (an edit of one
        word touches three of them)."""
        pa, pb = padded(a), padded(b)
        lo, hi = common_ends(pa, pb)

        def trigrams(t: list[str]) -> float:
            ends = range(max(2, lo), min(len(t) - 1, len(t) - hi + 1) + 1)
            return sum(self.log3(t[i - 2], t[i - 1], t[i]) for i in ends)

        def unigrams(t: list[str]) -> float:
            return sum(self._unigram_logprob(w) for w in t[lo : len(t) - hi])

        return trigrams(pb) - trigrams(pa), unigrams(pb) - unigrams(pa)

    def _unigram_logprob(self, w: str) -> float:
        return self._log1[w]

    def _word_logprob(self, w: str) -> float:
        return math.log((self.unigrams.get(w, 0) + 1) / self._unigram_total)

    def unigram_logprob(self, text: str) -> float:
        """Natural-log probability of the words of ``text`` (and ``</s>``) drawn independently
        (add-one): what word frequency alone predicts."""
        return sum(self._unigram_logprob(w) for w in [*words(text), EOS])
