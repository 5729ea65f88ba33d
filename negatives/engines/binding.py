"""The ``binding`` engine: change which attribute belongs to which object.

Operators:

* ``swap`` — two objects trade attributes ("a red car next to a blue truck" -> "a blue car next
  to a red truck"): every word still occurs, but bound to the wrong object.
* ``replace`` — an attribute becomes a contrasting one of the same category (colour -> colour,
  "small" -> "large", never "small" -> "little" and never colour -> size): the object now has a
  property it lacks.
* ``move`` — one object's attribute moves to an object that has none ("a red car next to a truck"
  -> "a car next to a red truck"): the same words, but the attribute now belongs to an object the
  positive and its siblings never give it, and never one of that object's defaults.
* ``add`` — an object with no attribute gets one, preferably one that co-occurs with that noun in
  the corpus ("a dog" -> "a brown dog"), never one a sibling caption uses and never the noun's
  default ("a blue sky"): the caption now asserts a property the positive and its siblings do
  not, and one the object need not have.
* ``shift`` — one object loses an attribute and another gets a new one, chosen as ``add`` chooses
  ("a red car next to a truck" -> "a car next to a blue truck"): the caption keeps its length and
  shape, but asserts a property of an object the positive does not. The dropped word is one whose
  noun still names the same thing without it (never "stuffed bear", "hot dog"), so the drop itself
  keeps the caption true.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from itertools import combinations, permutations, product

from negatives.analysis import Attribute, NounPhrase, Parsed
from negatives.engines.base import Candidate, Context, CorpusStats, Replacement, candidate, draw, replace_token
from negatives.engines.lexical import in_classes, match_case, noun_lexname
from negatives.lexicon import (
    ANIMATE_LEXNAMES,
    ATTRIBUTE_GROUPS,
    IMPLIED_FOR_JUVENILES,
    JUVENILE_CLASSES,
    JUVENILE_NOUNS,
    LIVING_AGES,
    NON_SUBSECTIVE,
    SCALAR_CATEGORIES,
)

_WORD = re.compile(r"\w+")
ADD_FALLBACK_LEXNAMES = frozenset({"noun.artifact", "noun.food", "noun.object", "noun.plant"})
"""Nouns that get a colour from the lexicon when the corpus has no usable attribute for them (none,
or only their defaults)."""
DEFAULT_SHARE = 1 / 3
"""An attribute (with its synonyms) of more than this share of a noun's mentions in its category is
one of that noun's defaults."""


@lru_cache(maxsize=None)
def contrasts(word: str) -> tuple[str, ...]:
    """Attribute words of the same category that contradict ``word`` (sorted)."""
    lower = word.lower()
    out: set[str] = set()
    for category, groups in ATTRIBUTE_GROUPS.items():
        for k, group in enumerate(groups):
            if lower not in group:
                continue
            if category in SCALAR_CATEGORIES:
                out.update(groups[k ^ 1])
            else:
                out.update(w for g in groups if lower not in g for w in g)
    synonyms = {w for groups in ATTRIBUTE_GROUPS.values() for g in groups if lower in g for w in g}
    return tuple(sorted(out - synonyms))


class BindingEngine:
    name = "binding"

    def __init__(self, alternatives: int = 1) -> None:
        self.alternatives = alternatives  # new attributes drawn per replaced attribute or bare noun

    def propose(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        fresh = [self._new_attributes(parsed, np, context, rng) for np in parsed.nps]
        return (
            self.swap(parsed) + self.move(parsed, context) + self.replace(parsed, context, rng)
            + self.add(parsed, fresh) + self.shift(parsed, fresh)
        )

    def swap(self, parsed: Parsed) -> list[Candidate]:
        out = []
        for a, b in combinations(parsed.nps, 2):
            if a.lemma == b.lemma:
                continue
            for x, y in product(a.attributes, b.attributes):
                if x.category != y.category or x.category == "other" or x.text.lower() == y.text.lower():
                    continue  # same kind only: "red car, blue truck" -> "blue car, red truck"
                if y.text.lower() in {t.text.lower() for t in a.attributes} or x.text.lower() in {
                    t.text.lower() for t in b.attributes
                }:
                    continue  # would read "small small circles"
                if "colour" in (x.category, y.category) and (_person(a) or _person(b)):
                    continue
                repls = [replace_token(parsed, x.token, y.text.lower()), replace_token(parsed, y.token, x.text.lower())]
                c = candidate(parsed, "swap", repls, swapped=[x.text, y.text])
                if c:
                    out.append(c)
        return out

    def move(self, parsed: Parsed, context: Context) -> list[Candidate]:
        out = []
        for a, b in permutations(parsed.nps, 2):
            if a.lemma == b.lemma or b.attributes or not _bare(parsed, b):
                continue
            head = b.head_lemma
            for x in a.attributes:
                word = x.text.lower()
                if x.category == "other" or (x.category == "colour" and (_person(a) or _person(b))):
                    continue
                if word in LIVING_AGES and not _animate(b):  # "eating young breakfast"
                    continue
                if word in _defaults(context.stats, head) or _said_of(word, head, context.siblings):
                    continue
                removal = _removal(parsed, a, x.token)
                if removal is None:
                    continue
                c = candidate(parsed, "move", [removal, _insertion(b, word)], moved=word, category=x.category)
                if c:
                    out.append(c)
        return out

    def replace(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        known = context.mentioned
        out = []
        for np in parsed.nps:
            own = {a.text.lower() for a in np.attributes}
            seen = context.stats.attributes.get(np.head_lemma, {})
            for attr in np.attributes:
                if attr.category == "colour" and _person(np):
                    continue
                living = _animate(np)
                options = [w for w in contrasts(attr.text) if w not in known and w not in own and (living or w not in LIVING_AGES)]
                if not options:
                    continue
                usual = [w for w in options if seen.get(attr.category, {}).get(w)]
                rest = [w for w in options if w not in usual]
                k = self.alternatives
                for new in draw(rng, usual, k) + draw(rng, rest, k - len(usual)):
                    c = candidate(parsed, "replace", [replace_token(parsed, attr.token, new)], category=attr.category)
                    if c:
                        out.append(c)
        return out

    def add(self, parsed: Parsed, fresh: list[list[tuple[str, str]]]) -> list[Candidate]:
        """``fresh``: per noun phrase, the new attributes it may get (:meth:`_new_attributes`)."""
        out = []
        for np, new in zip(parsed.nps, fresh):
            for word, category in new:
                c = candidate(parsed, "add", [_insertion(np, word)], category=category)
                if c:
                    out.append(c)
        return out

    def shift(self, parsed: Parsed, fresh: list[list[tuple[str, str]]]) -> list[Candidate]:
        """``fresh`` as for :meth:`add`."""
        out = []
        for (a, _), (b, new) in permutations(zip(parsed.nps, fresh), 2):
            if a.lemma == b.lemma:
                continue
            removals = [
                (x.text.lower(), r)
                for x in a.attributes
                if _droppable(x, a) and (r := _removal(parsed, a, x.token)) is not None
            ]
            if not removals:
                continue
            for word, category in new:
                for dropped, removal in removals:
                    if word == dropped:
                        continue  # that is a move
                    c = candidate(parsed, "shift", [removal, _insertion(b, word)], dropped=dropped, category=category)
                    if c:
                        out.append(c)
        return out

    def _new_attributes(self, parsed: Parsed, np: NounPhrase, context: Context, rng: random.Random) -> list[tuple[str, str]]:
        """Up to ``alternatives`` (word, category) to give a bare noun (none for other nouns): what
        the corpus puts before the noun, drawn by count, never a word a sibling uses, the noun's
        default or one implied for juveniles; colours for artifacts, food, objects and plants the
        corpus gives nothing usable."""
        if np.attributes or not _bare(parsed, np):
            return []
        head = np.head_lemma
        young = head in JUVENILE_NOUNS or in_classes(head, JUVENILE_CLASSES)
        skip = context.mentioned | (IMPLIED_FOR_JUVENILES if young else frozenset()) | _defaults(context.stats, head)
        options = sorted(
            (word, category, n)
            for category, words in context.stats.attributes.get(head, {}).items()
            for word, n in words.items()
            if word not in skip and not (category == "colour" and _person(np))
        )
        if options:
            return _weighted_draw(rng, options, self.alternatives)
        if noun_lexname(head) in ADD_FALLBACK_LEXNAMES:
            colours = [g[0] for g in ATTRIBUTE_GROUPS["colour"] if g[0] not in skip]
            return [(word, "colour") for word in draw(rng, colours, self.alternatives)]
        return []


def _insertion(np: NounPhrase, word: str) -> Replacement:
    """``word`` put right before the noun of ``np`` (capitalised when it starts the sentence)."""
    if np.noun_start == 0:
        return Replacement(0, np.end, match_case(word, np.noun) + " " + np.noun[0].lower() + np.noun[1:])
    return Replacement(np.noun_start, np.noun_start, word + " ")


def _removal(parsed: Parsed, np: NounPhrase, i: int) -> Replacement | None:
    """Attribute token ``i`` of ``np`` deleted, written as the next word replacing both (so the
    article before it is fixed: "an old car" -> "a car"); None unless it sits between the phrase's
    determiner, numeral or attributes and its other attributes or noun ("a red and white bus")."""
    tokens, own = parsed.tokens, {np.det, np.num, *(a.token for a in np.attributes)}
    if i + 1 >= len(tokens) or not (i + 1 in own or tokens[i + 1].start == np.noun_start):
        return None
    if tokens[i].start != np.start and i - 1 not in own:
        return None
    after = tokens[i + 1]
    return Replacement(tokens[i].start, after.end, match_case(after.text, tokens[i].text) if tokens[i].start == 0 else after.text)


def _droppable(x: Attribute, np: NounPhrase) -> bool:
    """Whether deleting attribute ``x`` keeps what ``np`` names: never a skin colour, a word whose
    noun without it is another thing ("stuffed bear"), or half of a WordNet compound ("hot dog")."""
    if x.category == "colour" and _person(np):
        return False
    word = x.text.lower()
    return word not in NON_SUBSECTIVE and (x.category != "other" or noun_lexname(f"{word} {np.head_lemma}") is None)


def _said_of(word: str, head: str, siblings: tuple[str, ...]) -> bool:
    """A sibling caption puts ``word`` right before ``head`` or a word starting with it
    ("trucks"), one word perhaps between ("red fire truck")."""
    for sibling in siblings:
        lower = sibling.lower()
        if word not in lower:
            continue
        words = _WORD.findall(lower)
        for k, w in enumerate(words):
            if w == word and any(x.startswith(head) for x in words[k + 1 : k + 3]):
                return True
    return False


@lru_cache(maxsize=1 << 16)
def _defaults(stats: CorpusStats, head: str) -> frozenset[str]:
    """A noun's default attributes: the synonym groups ("wooden"/"wood") that hold more than
    :data:`DEFAULT_SHARE` of the noun's mentions in their category ("blue" sky, "green" grass,
    "brown" and "black" bears). Adding one most likely states what is true of the image, so
    ``add`` never does. Cached per corpus statistics (hashed by identity) and noun."""
    out: set[str] = set()
    for category, words in stats.attributes.get(head, {}).items():
        total = sum(words.values())
        for group in ATTRIBUTE_GROUPS.get(category, ()):
            if sum(words.get(w, 0) for w in group) > DEFAULT_SHARE * total:
                out.update(group)
        out.update(w for w, n in words.items() if n > DEFAULT_SHARE * total)  # words outside the groups
    return frozenset(out)


def _weighted_draw(rng: random.Random, options: list[tuple[str, str, int]], k: int) -> list[tuple[str, str]]:
    """Up to ``k`` distinct (word, category) of ``options`` drawn by their counts, without replacement."""
    left, out = list(options), []
    while left and len(out) < k:
        word, category, _ = pick = rng.choices(left, weights=[n for *_, n in left])[0]
        left.remove(pick)
        out.append((word, category))
    return out


def _bare(parsed: Parsed, np: NounPhrase) -> bool:
    """Nothing modifies the noun: the word before it is the phrase's determiner or numeral, or no
    modifier at all (a verb, a preposition, the start)."""
    before = [t for t in parsed.tokens if t.end <= np.noun_start]
    if not before:
        return True
    k = len(before) - 1
    return k in (np.det, np.num) or before[-1].pos in ("ADP", "VERB", "AUX", "SCONJ", "PUNCT", "PRON")


def _person(np: NounPhrase) -> bool:
    """People nouns: a colour word on them names skin colour, which this engine never edits."""
    return noun_lexname(np.head_lemma) == "noun.person"


def _animate(np: NounPhrase) -> bool:
    """People and animals: the nouns that :data:`~negatives.lexicon.LIVING_AGES` describe."""
    return noun_lexname(np.head_lemma) in ANIMATE_LEXNAMES
