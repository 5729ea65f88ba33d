"""Which nouns people write in the same slots: distributional similarity read off composition counts.

A noun's contexts are the compositions it takes part in, with the noun's own place left open: the
attributes it is given ("red _"), how it is counted, the verbs it is subject or object of ("ride
_"), the prepositions it follows and the word and preposition before it ("sit on _"). Each
context is weighted by positive pointwise mutual information (contexts smoothed to the power
0.75), and two nouns are as similar as the cosine of their weighted contexts: a dog is written
where a cat is, a bus where a truck or a train is. Nouns written together (``with``) are left out:
a pizza is written with cheese, but never in its place.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from negatives.lexical import kin_senses, main_noun_sense
from negatives.plausibility.compositions import CompositionCounts
from negatives.plausibility.ngram import Memo

if TYPE_CHECKING:
    from negatives.engines.base import CorpusStats

MIN_NOUN = 30
"""Compositions a noun must take part in to have a context vector."""
GENERAL_ABOVE = 4
"""A noun whose main sense is a near hypernym (:data:`~negatives.lexical.KIN_STEPS`) of this many
other nouns of the vocabulary is a general word ("equipment", "device", "furniture"): written in
the slots of the things it covers, yet naming none in particular."""
SMOOTHING = 0.75
MEMO_NOUNS = 10_000
"""Nouns whose neighbour lists are remembered."""



class NounSimilarity:
    """Cosine similarity of nouns' PPMI-weighted slot contexts, computed per noun on demand."""

    def __init__(self, counts: CompositionCounts, min_noun: int = MIN_NOUN) -> None:
        contexts: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
        for (relation, head, dep), n in sorted(counts.counts.items()):
            for noun, context in _slots(relation, head, dep):
                contexts[noun][context] += n
        contexts = {w: c for w, c in contexts.items() if sum(c.values()) >= min_noun}
        context_totals: Counter[tuple[str, ...]] = Counter()
        for c in contexts.values():
            context_totals.update(c)
        total = sum(context_totals.values()) or 1
        smoothed = {f: n**SMOOTHING for f, n in context_totals.items()}
        smoothed_total = sum(smoothed.values()) or 1.0
        self.vectors: dict[str, dict[tuple[str, ...], float]] = {}
        self.index: dict[tuple[str, ...], list[tuple[str, float]]] = defaultdict(list)
        for noun in sorted(contexts):
            c = contexts[noun]
            noun_total = sum(c.values())
            weights = {}
            for f, n in sorted(c.items()):
                pmi = math.log((n / total) / ((noun_total / total) * (smoothed[f] / smoothed_total)))
                if pmi > 0:
                    weights[f] = pmi
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            self.vectors[noun] = {f: w / norm for f, w in weights.items()}
            for f, w in self.vectors[noun].items():
                self.index[f].append((noun, w))
        self._similar = Memo(self._scores, MEMO_NOUNS)

    def similar(self, noun: str) -> list[tuple[str, float]]:
        """Every other noun sharing a context with ``noun``, most similar first (cosine, rounded
        to 4 places; ties alphabetical); empty for a noun without a vector (remembered)."""
        return self._similar[noun]

    def _scores(self, noun: str) -> list[tuple[str, float]]:
        scores: dict[str, float] = defaultdict(float)
        for f, w in self.vectors.get(noun, {}).items():
            for other, v in self.index[f]:
                scores[other] += w * v
        scores.pop(noun, None)
        return sorted(((w, round(s, 4)) for w, s in scores.items()), key=lambda ws: (-ws[1], ws[0]))

    @cached_property
    def _general(self) -> frozenset[str]:
        covered: Counter[int] = Counter(sense for w in self.vectors for sense in kin_senses(w))
        return frozenset(w for w in self.vectors if (m := main_noun_sense(w)) is not None and covered[m] - 1 >= GENERAL_ABOVE)

    def general(self, noun: str) -> bool:
        """Whether ``noun`` is a general word of the vocabulary (:data:`GENERAL_ABOVE`)."""
        return noun in self._general


def _slots(relation: str, head: str, dep: str) -> list[tuple[str, tuple[str, ...]]]:
    """(noun, its context) for the noun end of one composition: the head of an attribute or a count,
    the subject, object or prepositional object, the object end of a ``pp``; never the word a
    preposition hangs on, which is mostly a verb ("sit|bench")."""
    if relation in ("amod", "num"):
        return [(head, (relation, dep))]
    if relation in ("subj", "obj", "pobj"):
        return [(dep, (relation, head))]
    if relation == "pp" and head.count("|") == 1:
        before, noun = head.split("|")
        return [(noun, ("pp", before, dep))]
    return []


@lru_cache(maxsize=4)
def similarity(stats: CorpusStats | None = None) -> NounSimilarity:
    """The similarity of the shipped reference's nouns plus those of ``stats`` (the run's input),
    built once per corpus."""
    from negatives.plausibility.reference import reference  # not at import: `python -m` runs that module

    counts = reference().compositions
    return NounSimilarity(counts.merged(stats.compositions) if stats is not None and stats.compositions else counts)
