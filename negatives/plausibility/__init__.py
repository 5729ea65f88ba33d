"""Plausibility: how likely a person would write a candidate caption about *some* scene.

Two signals, both read off counts of captions people wrote (the shipped reference,
:mod:`negatives.plausibility.reference`, plus the run's own input):

* **compositions** — every composition an edit creates (:mod:`negatives.plausibility.compositions`:
  an attribute on a noun, a noun counted, a noun as a verb's subject or object, a preposition with
  its object and with both its ends) must have been written at least ``attested`` times, unless
  the counts know too little about its head (fewer than ``evidence`` compositions of that relation
  and head) to tell (:data:`THRESHOLDS`), or (for pairs; with a verb or preposition only of a noun
  captions seldom name, :data:`KIN_MAX_NOUN`) its noun's kin (WordNet sister terms: "yacht",
  "canoe" for "boat") were written with the same words :data:`KIN_ATTESTED` times; a noun is the compound WordNet knows
  ("teddy bear", "polar bear": :func:`~negatives.plausibility.compositions.noun_key`); nouns
  a replacement puts together must have been written together: "the
  pink zoo", "three lakes", "a ball throwing", "skiing skis", "under a tarmac", "sitting in the
  air" are *unattested*, and so is any composition of a noun that few captions use (:data:`MIN_NOUN`)
  and any new word neither English nor the captions know (a typo: "stting");
* **fluency** — the syntactic log-odds ratio (SLOR: a Kneser-Ney trigram model's log-probability
  minus what word frequency alone predicts, per word) of the candidate against the positive's,
  scaled to the positive's length: ``fluency = (n_p + 1) * (slor(d) - slor(p))``, ``slor(s) =
  (logp(s) - logp_unigram(s)) / (n_s + 1)`` (``n``: words). 0 when the candidate reads as well as
  the positive; a rarer word costs nothing by itself ("two dogs" for "a dog"), an odd sequence
  does (about -20 for a scrambled caption).

    plausibility = 0                                    if a composition is unattested
                 = 1 / (1 + exp(-(fluency - T) / S))    otherwise (T = -10, S = 2)

``lm_delta`` (the summed log-probability difference, what a blind summed-likelihood scorer sees) is
recorded beside it.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cached_property, lru_cache
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negatives.lexical import kin_nouns, zipf
from negatives.lexicon import PERSON_CONTRASTS
from negatives.plausibility.compositions import Composition, CompositionCounts
from negatives.plausibility.ngram import KneserNey, Memo, TrigramCounts, words
from negatives.plausibility.typos import Typos

if TYPE_CHECKING:
    from negatives.engines.base import CorpusStats

THRESHOLDS: dict[str, tuple[int, int]] = {"pp": (0, 1), "amod": (0, 1), "num": (0, 1), "with": (0, 1)}
"""(evidence, attested) per relation: a head seen in ``evidence`` compositions of the relation must
have been seen ``attested`` times with the dependent. A preposition between two words (``pp``) must
always have been written with them once: pairs can be attested where the triple is absurd
("sitting in the air": "sit in" and "in the air" are both common). An attribute or a count must
always have been written of the noun (or its kin): a noun seldom described ("a zoo") is no
licence for "the pink zoo". Two nouns a replacement puts in one caption must have been written
together once ("skis" -> "matches" beside "ski slopes": WordNet's match is no tennis match)."""
DEFAULT_THRESHOLDS = (10, 2)
KIN_ATTESTED = 3
KIN_RELATIONS = frozenset({"amod", "num", "subj", "obj", "pobj"})
"""Relations whose pairs may be attested by kin; a word triple (``pp``) must be attested itself:
"slices of pizza on a fork" is not made plausible by "a slice of cake on a spoon"."""
KIN_MAX_NOUN, VERB_RELATIONS = 25, frozenset({"subj", "obj", "pobj"})
"""Kin speak for a noun's verbs and prepositions only where captions seldom name it (fewer
compositions than this): one people write about often and never so is not so ("holding a mound":
bats and gloves are held, mounds are not; "riding a cutting board": skateboards are ridden). An
attribute or a count of kin always speaks (a blue truck for a blue car)."""
MEMO_TEXTS = 100_000
"""Texts and compositions whose scores are remembered (the memory is cleared past this)."""
MIN_NOUN = 10
"""Compositions a noun must head in captions to be one people write about ("blue", "short" and
"fabric" are WordNet nouns few captions use as such)."""
ANYONE = frozenset({*PERSON_CONTRASTS, "person", "people", "child", "kid", "baby", "lady", "guy", "crowd", "family"})
"""People nouns that say nothing of the scene: seen with everything, so no co-occurrence is required."""
RARE_ZIPF, MIN_WORD = 1.5, 5
"""A word rarer than this in English (Zipf frequency) and seen fewer than ``MIN_WORD`` times in the
captions is unknown: a typo ("stting")."""
NOUN_END: dict[str, tuple[int, int]] = {
    "amod": (1, 0), "num": (1, 0), "prep": (1, 0), "subj": (2, 0), "obj": (2, 0), "pobj": (2, 0), "pp": (1, 1),
    "with": (1, 0),
}
"""Where the noun of each relation sits: (1 = head, 2 = dependent; part of a head "a|b")."""
FLUENCY_MIDPOINT, FLUENCY_SCALE = -10.0, 2.0
FIT_EVIDENCE, FIT_RATIO = 10, 20
"""A replacement must be written with the caption's other nouns at least 1/20 as often (per mention) as
the noun it replaces, where that noun was written with them 10 times or more (:meth:`PlausibilityModel.unfitting`)."""
MIN_PLAUSIBILITY = 0.5
"""Candidates below this plausibility are never kept by the rule engines."""


@dataclass(frozen=True)
class Plausibility:
    value: float
    fluency: float
    lm_delta: float
    unattested: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """For a distractor's signals; a log-probability of an unknown word (``-inf``) is null, as JSON has no infinity."""
        finite = {k: v if math.isfinite(v) else None for k, v in (("fluency", self.fluency), ("lm_delta", self.lm_delta))}
        out: dict[str, Any] = {"plausibility": self.value, **finite}
        if self.unattested:
            out["unattested"] = list(self.unattested)
        return out


class PlausibilityModel:
    """Scores candidates against their positive from composition and trigram counts."""

    def __init__(self, compositions: CompositionCounts, trigrams: TrigramCounts, source: dict[str, Any]) -> None:
        self.compositions = compositions
        self.nouns: Counter[str] = Counter()
        for c, n in compositions.counts.items():
            self.nouns[self._noun(c)] += n
        self.lm = KneserNey(trigrams)
        self.source = source
        self._logprob = Memo(self._both_logprobs, MEMO_TEXTS)
        self._kin = Memo(self._count_kin, MEMO_TEXTS)
        self._misspelt = Memo(self._find_misspelt, MEMO_TEXTS)

    @classmethod
    def build(cls, stats: CorpusStats | None = None) -> PlausibilityModel:
        """The reference's counts plus those of ``stats`` (the run's input)."""
        from negatives.plausibility.reference import reference  # not at import: `python -m` runs that module

        ref = reference()
        comps, trigrams = ref.compositions, ref.trigrams
        if stats is not None and (stats.compositions or stats.trigrams):
            comps = comps.merged(stats.compositions)
            trigrams = TrigramCounts(trigrams)
            trigrams.update(stats.trigrams)
        source = {"reference": ref.source, "corpus_compositions": len(stats.compositions) if stats else 0,
                  "model": "Kneser-Ney word trigrams + composition counts"}
        return cls(comps, trigrams, source)

    def unattested(self, created: Sequence[Composition]) -> tuple[str, ...]:
        """The compositions of ``created`` people never wrote (where the counts can tell)."""
        out = []
        for c in created:
            if c[0] == "with" and not ANYONE.isdisjoint(c[1:]):
                continue  # people are seen with everything (a skier is not: no "a tennis player on a ski slope")
            noun = self._noun(c)
            if " " in noun and self.nouns[noun] < MIN_NOUN:  # a compound few captions name: as its head
                c = _with_noun(c, noun, noun.rsplit(" ", 1)[-1])
                noun = self._noun(c)
            if self.nouns[noun] < MIN_NOUN:
                out.append(f"noun {noun}")
                continue
            evidence, attested = THRESHOLDS.get(c[0], DEFAULT_THRESHOLDS)
            if self.compositions[c] >= attested or self.compositions.head_count(c[0], c[1]) < evidence:
                continue
            if c[0] not in KIN_RELATIONS or (c[0] in VERB_RELATIONS and self.nouns[noun] >= KIN_MAX_NOUN) or (
                self.kin_count(c) < KIN_ATTESTED
            ):
                out.append(" ".join(c))
        return tuple(dict.fromkeys(out))

    def unfitting(self, created: Sequence[Composition], replaced: Sequence[Composition]) -> tuple[str, ...]:
        """The caption's nouns a replacement is rarely written with where the replaced noun often was
        (a bus "going down the tracks": trains are written with tracks 195 times in 1,067 mentions,
        buses once in 1,617): a ``with`` pair the old noun has at least :data:`FIT_EVIDENCE` times
        whose rate per mention falls below 1 / :data:`FIT_RATIO` of the old noun's. The same holds of
        the count the slot gives ("a ski": skis are written as a pair, "a ski" 2 times in 500)."""
        old = [c for c in replaced if c[0] == "with" and self.compositions[c] >= FIT_EVIDENCE]
        out = []
        counted = {c[2]: c for c in replaced if c[0] == "num" and self.compositions[c] >= FIT_EVIDENCE}
        for c in created:
            if c[0] == "num" and c[2] in counted and c != (before := counted[c[2]]):
                if self._rate(c, c[1]) < self._rate(before, before[1]) / FIT_RATIO:
                    out.append(f"{'a' if c[2] == '1' else 'several'} {c[1]}")
            if c[0] != "with":
                continue
            for before in old:
                shared = set(c[1:]) & set(before[1:])
                if len(shared) != 1 or not ANYONE.isdisjoint(shared):
                    continue  # people are written with everything
                (context,) = shared
                new_noun, old_noun = (_other(c, context), _other(before, context))
                if self._rate(c, new_noun) < self._rate(before, old_noun) / FIT_RATIO:
                    out.append(f"{new_noun} beside {context}")
        return tuple(dict.fromkeys(out))

    def _rate(self, c: Composition, noun: str) -> float:
        """How often ``c`` was written per composition of ``noun``."""
        return self.compositions[c] / max(1, self.nouns[noun])

    @staticmethod
    def _noun(c: Composition) -> str:
        relation, head, dep = c
        end, part = NOUN_END[relation]
        return head.split("|")[part] if end == 1 and part < head.count("|") + 1 else dep if end == 2 else head

    def kin_count(self, c: Composition) -> int:
        """How often the composition was written with the noun's kin in the noun's place (cached)."""
        return self._kin[c]

    def _count_kin(self, c: Composition) -> int:
        relation, head, dep = c
        end, part = NOUN_END[relation]
        words = (head.split("|") if end == 1 else [dep])
        noun = words[part] if part < len(words) else words[-1]
        total = 0
        for other in kin_nouns(noun):
            words[part if part < len(words) else -1] = other
            new = ("|".join(words), dep) if end == 1 else (head, other)
            total += self.compositions[(relation, *new)]
        return total

    def logprob(self, text: str) -> tuple[float, float]:
        """(log-probability, unigram log-probability) of ``text``, cached (positives are scored many
        times)."""
        return self._logprob[text]

    def _both_logprobs(self, text: str) -> tuple[float, float]:
        return self.lm.logprob(text), self.lm.unigram_logprob(text)

    def misspelt(self, tokens: Sequence[str]) -> list[str]:
        """The unknown words and real-word typos (:mod:`~negatives.plausibility.typos`) of ``tokens``
        (remembered: a corpus caption is checked as a positive and as a candidate)."""
        return self._misspelt[tuple(tokens)]

    def _find_misspelt(self, tokens: tuple[str, ...]) -> list[str]:
        return self.unknown_words(tokens) + self._typos(tokens)

    @cached_property
    def _typos(self) -> Typos:
        return Typos(self.lm)

    def unknown_words(self, tokens: Iterable[str]) -> list[str]:
        """The words of ``tokens`` neither English nor the captions know (:data:`RARE_ZIPF`), sorted."""
        return sorted(
            w for w in set(tokens) if w.isalpha() and self.lm.unigrams.get(w, 0) < MIN_WORD and zipf(w) < RARE_ZIPF
        )

    def score(
        self, positive: str, text: str, created: Sequence[Composition] = (), replaced: Sequence[Composition] = ()
    ) -> Plausibility:
        """The candidate ``text``'s plausibility against ``positive``; one with an unattested
        composition, a replacement that does not fit its context (:meth:`unfitting`) or an unknown
        word scores 0 without the trigram model (fluency and lm_delta ``-inf``: no one keeps it)."""
        a, b = words(positive), words(text)
        missing = (
            self.unattested(created) + self.unfitting(created, replaced)
            + tuple(f"word {w}" for w in self.unknown_words(set(b) - set(a)))
        )
        if missing:
            return Plausibility(0.0, -math.inf, -math.inf, missing)
        lp, up = self.logprob(positive)
        dl, du = self.lm.delta(a, b)  # the candidate's sums from the positive's, over what the edit changed
        ld, ud = lp + dl, up + du
        n_p, n_d = len(a) + 1, len(b) + 1
        fluency = n_p * ((ld - ud) / n_d - (lp - up) / n_p)
        value = 1.0 / (1.0 + math.exp(-(fluency - FLUENCY_MIDPOINT) / FLUENCY_SCALE))
        return Plausibility(round(value, 4), round(fluency, 3), round(dl, 3))


def _with_noun(c: Composition, old: str, new: str) -> Composition:
    """``c`` with its noun ``old`` (an end or part of a head ``a|b``) read as ``new``."""
    relation, head, dep = c
    head, dep = "|".join(new if part == old else part for part in head.split("|")), new if dep == old else dep
    return (relation, *sorted((head, dep))) if relation == "with" else (relation, head, dep)


def _other(c: Composition, word: str) -> str:
    """The noun of a ``with`` pair that is not ``word``."""
    return c[2] if c[1] == word else c[1]


@lru_cache(maxsize=1)
def reference_model() -> PlausibilityModel:
    """The model of the shipped reference alone (for distractors scored outside a run)."""
    return PlausibilityModel.build()
