"""The ``entity`` engine: change *which* things the positive talks about.

Operators:

* ``replace`` — an object noun becomes a WordNet sister term (co-hyponym, "dog" -> "cat") of
  similar word frequency; never the name of a place, landform, substance, building or room (see
  :data:`~negatives.lexicon.SCENE_CLASSES`), a body part, nor one item of a list ("a bathroom with
  a shower and a toilet" -> "a sink and a toilet" may well be true). Synonyms, hypernyms and hyponyms are excluded in both directions over
  all senses, because "dog" -> "puppy" or "dog" -> "animal" keeps the caption true; a sister
  term names a different kind of thing, so the caption now describes something absent.
* ``swap`` (off by default: judges found even these swaps odd or absurd more often than not, "a
  traffic sign with a green exit sign and a yellow highway") — two object nouns of one kind (two people, two animals, or two things close in WordNet:
  two vehicles, two pieces of furniture; :func:`~negatives.lexical.same_kind`) trade
  places, each slot keeping its number and article ("a dog chasing a cat" -> "a cat chasing a
  dog", "a car parked behind a truck" -> "a truck parked behind a car"): the same words now bind
  the wrong roles. Never a place, a substance or a part swapped with a thing ("an old sky is flying
  through the airplane"), which no one would write. Pairs joined by a symmetric relation ("X and
  Y", "X next to Y") are skipped: swapping them keeps the meaning.
* ``named_swap`` — text tasks only: a PERSON / GPE / ORG / DATE / number entity of the positive
  becomes another entity of the same type, taken from the anchor context when it has one (the
  hardest factual-consistency negatives), else from the corpus pool. The answer then states a
  fact the context does not support.
"""

from __future__ import annotations

import random
import re
from itertools import combinations

from negatives.analysis import NounPhrase, Parsed
from negatives.engines.base import Candidate, Context, CorpusStats, Replacement, candidate, draw, familiarity, noun_form
from negatives.lexical import SWAPPABLE_LEXNAMES, in_classes, match_case, noun_lexname, related, same_kind, scene_noun, sister_terms
from negatives.plausibility.compositions import compositions, noun_key
from negatives.plausibility.similarity import similarity
from negatives.lexicon import (
    CHILD_WORDS,
    CHILDREN,
    CROSS_CLASSES,
    GENDERED_PRONOUNS,
    NON_OBJECT_NOUNS,
    PERSON_CONTRASTS,
    PLURAL_QUANTIFIERS,
    SEXES,
    SYMMETRIC_PREPOSITIONS,
)

_WORD = re.compile(r"[a-z]+")


def _sex_agreed(lemma: str, context: Context) -> bool:
    """Whether a sibling caption names the person's sex as the positive does ("a woman" and "a lady"
    of one photo), or there are no siblings to ask: a sex only one annotator saw may not show."""
    words = next((group for group in SEXES if lemma in group), frozenset())
    if not context.siblings or not words:
        return True  # no siblings to ask, or no sex to agree on ("a child" contrasts in age: "a man")
    return not words.isdisjoint(_WORD.findall(" ".join(context.siblings).lower()))


def _adjective_in_noun(np: NounPhrase) -> bool:
    """Whether the phrase's last adjective and its noun are one noun to WordNet ("hot dog", "polar bear")."""
    return bool(np.attributes) and noun_lexname(f"{np.attributes[-1].text.lower()} {np.lemma}") is not None


MIN_SIMILARITY = 0.08
"""The least slot similarity (:class:`~negatives.plausibility.similarity.NounSimilarity`) of a replacement."""

ENTITY_GROUPS = {
    "PERSON": "PERSON", "GPE": "GPE", "ORG": "ORG", "DATE": "DATE",
    "CARDINAL": "NUMBER", "QUANTITY": "NUMBER", "MONEY": "NUMBER", "PERCENT": "NUMBER",
}
"""spaCy entity labels the named swap uses, and the type they are swapped within."""


class EntityEngine:
    name = "entity"
    OPS = ("replace", "swap", "named_swap")
    DEFAULT_OPS = ("replace", "named_swap")

    def __init__(self, closest: int = 5, pool: int = 20, swaps: int = 3, alternatives: int = 3) -> None:
        self.closest = closest  # replacements considered per noun: the first of its options
        self.pool = pool  # corpus entities considered: the most frequent of the type
        self.swaps = swaps  # noun pairs tried per positive
        self.alternatives = alternatives  # replacements drawn per noun or named entity
        self._options: dict[tuple[CorpusStats, str], list[str]] = {}

    def propose(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        out = self.replace(parsed, context, rng) + self.swap(parsed, rng)
        if context.task == "text" and parsed.entities:
            out += self.named_swap(parsed, context, rng)
        return out

    def replace(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        lemmas = {t.lemma.lower() for t in parsed.tokens}
        articled = any(np.det is not None for np in parsed.nps)  # not headline style ("Man on bike")
        known = context.mentioned | lemmas  # no "two cars facing a variety of cars"
        out = []
        for k, np in enumerate(parsed.nps):
            elsewhere = {t.lemma.lower() for t in parsed.tokens if not np.start <= t.start < np.end}
            if set(np.lemma.lower().split()) & elsewhere:
                continue  # "baseball players playing baseball": one of the two would stay
            if _adjective_in_noun(np):
                continue  # "hot dog" is one noun: "dog" alone must not change
            if scene_noun(noun_key(np)) or np.coordinated or noun_lexname(noun_key(np)) == "noun.body":
                continue  # a list of a room's things is no claim about the rest ("a sink and a toilet"); eyes are no ears
            before = parsed.text[np.start : np.noun_start].lower().split()
            if (np.count == 1 and np.plural) or (not np.plural and before and before[0] in PLURAL_QUANTIFIERS - {"some"}):
                continue  # the positive's own slip ("A women is", "Several horse are"): every replacement would keep it
            if np.det is None and np.count is None and not np.plural and articled:
                continue  # a mass or an activity ("to have cake", "playing baseball"): "to have book" is no caption
            key = (context.stats, noun_key(np))
            if key not in self._options:
                self._options[key] = self.options(key[1], context.stats)
            if np.lemma in PERSON_CONTRASTS and (
                any(t.lower in GENDERED_PRONOUNS for t in parsed.tokens) or not _sex_agreed(np.lemma, context)
            ):
                continue  # "a man holding an apple between his fingers": no "a girl ... his fingers"
            pool = [s for s in self._options[key] if not set(s.split()) & known]
            if np.lemma in PERSON_CONTRASTS and any(a.text.lower() in CHILD_WORDS for a in np.attributes):
                pool = [s for s in pool if s in CHILDREN]  # "a little boy" is never "a little woman"
            pool = pool[: self.closest]
            if not pool:
                continue
            slot = ("np", k)
            replaced = compositions(parsed, None, [slot])
            for new in draw(rng, pool, self.alternatives):
                form = noun_form(new, np.plural, False)
                created = compositions(parsed, {slot: new}, [slot])
                repls = [Replacement(np.noun_start, np.end, match_case(form, np.noun))] if form else []
                c = candidate(parsed, "replace", repls, created, replaced) if form else None
                if c:
                    out.append(c)
        return out

    @staticmethod
    def options(lemma: str, stats: CorpusStats) -> list[str]:
        """Replacements for a noun, familiar in the corpus and naming objects: curated contrasts
        for gendered people nouns; else the nouns people write in the same slots
        (:mod:`~negatives.plausibility.similarity`, at least :data:`MIN_SIMILARITY`) of the same
        WordNet lexicographer class (animals for an animal), neither synonym, hypernym nor hyponym
        nor a general word ("equipment"), most similar first (whether one fits *this* caption is
        for plausibility to say), then the WordNet sister terms (for people nouns only these, never
        an overlapping class such as "adult": a man may well be the skier); never a noun the
        captions of one image use for the same thing (:meth:`~negatives.plausibility.alternates.Alternates.alternate`: a plate is
        often called a dish, a table a desk)."""
        from negatives.plausibility.reference import reference  # not at import: `python -m` runs that module

        if lemma in PERSON_CONTRASTS:
            return list(PERSON_CONTRASTS[lemma])
        familiar, slots, kind = familiarity(stats), similarity(stats), noun_lexname(lemma)
        person = kind == "noun.person"
        near = [] if person or kind not in SWAPPABLE_LEXNAMES else [
            w for w, s in slots.similar(lemma)
            if s >= MIN_SIMILARITY and familiar(w) and noun_lexname(w) == kind and not related(lemma, w, "n")
            and not slots.general(w)
        ]
        sisters = sister_terms(lemma, "n", keep=familiar)
        named = reference().alternates
        return [
            s for s in dict.fromkeys([*near, *sisters])
            if s not in NON_OBJECT_NOUNS and not (person and in_classes(s, CROSS_CLASSES)) and not scene_noun(s)
            and not named.alternate(lemma, s)
        ]

    def swap(self, parsed: Parsed, rng: random.Random) -> list[Candidate]:
        symmetric = {
            frozenset((r.head, r.object)) for r in parsed.relations if r.prep in SYMMETRIC_PREPOSITIONS
        }
        pairs = [
            (ia, ib) for (ia, a), (ib, b) in combinations(enumerate(parsed.nps), 2)
            if a.lemma != b.lemma and not (a.coordinated and b.coordinated) and frozenset((ia, ib)) not in symmetric
            and same_kind(a.head_lemma, b.head_lemma)
        ]
        out = []
        for ia, ib in draw(rng, pairs, self.swaps):
            a, b = parsed.nps[ia], parsed.nps[ib]
            if _adjective_in_noun(a) or _adjective_in_noun(b):
                continue  # moving "bear" alone out of "a polar bear" leaves "a polar dog"
            new_a = noun_form(b.noun.lower(), a.plural, b.plural)
            new_b = noun_form(a.noun.lower(), b.plural, a.plural)
            if new_a is None or new_b is None:
                continue
            new_a, new_b = match_case(new_a, a.noun), match_case(new_b, b.noun)
            repls = [Replacement(a.noun_start, a.end, new_a), Replacement(b.noun_start, b.end, new_b)]
            created = compositions(parsed, {("np", ia): noun_key(b), ("np", ib): noun_key(a)}, [("np", ia), ("np", ib)])
            c = candidate(parsed, "swap", repls, created, swapped=[a.noun, b.noun])
            if c:
                out.append(c)
        return out

    def named_swap(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        out = []
        for e in parsed.entities or ():
            group = ENTITY_GROUPS.get(e.label)
            if group is None:
                continue
            from_context = sorted(
                {x.text for x in context.anchor_entities or () if ENTITY_GROUPS.get(x.label) == group}
                - {e.text}
            )
            from_context = [x for x in from_context if x not in parsed.text]
            source = "context"
            pool = from_context
            if not pool:
                source = "corpus"
                counts = {}
                for label, group_of in ENTITY_GROUPS.items():
                    if group_of == group:
                        for text, n in context.stats.entities.get(label, {}).items():
                            counts[text] = counts.get(text, 0) + n
                ranked = sorted(counts, key=lambda t: (-counts[t], t))
                pool = [t for t in ranked if t != e.text and t not in parsed.text][: self.pool]
            if not pool:
                continue
            for new in draw(rng, pool, self.alternatives):
                c = candidate(parsed, "named_swap", [Replacement(e.start, e.end, new)], label=e.label, source=source)
                if c:
                    out.append(c)
        return out

