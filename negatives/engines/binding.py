"""The ``binding`` engine: change which attribute belongs to which object.

Operators:

* ``swap`` — two objects trade attributes ("a red car next to a blue truck" -> "a blue car next
  to a red truck"): every word still occurs, but bound to the wrong object.
* ``replace`` — an attribute becomes a contrasting one of the same category (colour -> colour,
  "empty" -> "full", never colour -> material): the object now has a property it lacks. Never a
  size (sizes are relative: one photo's "large table" is another's "small table") nor a noun's
  default ("white polar bears", "a yellow lab": the contrast would be absurd or still true).
* ``add`` — an object with no attribute gets one that contradicts what a sibling caption says of
  it ("a cat drinking water", with a sibling "a black cat drinks ...", -> "a white cat drinking
  water"): a property the scene is known not to have. An attribute the positive and its siblings
  never mention is no contradiction (the cat may well be white), so without siblings that describe
  the object there is no ``add``.
* ``move`` — one object's attribute moves to an object that has none and that a sibling describes
  otherwise ("a red car next to a truck", sibling "... a white truck", -> "a car next to a red
  truck"): the same words, bound to the wrong object.
* ``shift`` (off by default: the dropped word often leaves an odd caption) — one object loses an
  attribute and another gets one, chosen as ``add`` chooses ("a red
  car next to a truck" -> "a car next to a blue truck"): the caption keeps its length and shape,
  and asserts a property the scene lacks. The dropped word is one whose noun still names the same
  thing without it (never "stuffed bear", "hot dog"), so the drop itself keeps the caption true.

Every edit lists the attribute-noun compositions it creates, so plausibility can refuse the ones
people never write ("the pink zoo", "a maroon ball").
"""

from __future__ import annotations

import random
from collections import Counter
import re
from functools import lru_cache
from itertools import combinations, permutations, product

from negatives.analysis import ATTRIBUTE_CATEGORY, Attribute, NounPhrase, Parsed
from negatives.engines.base import ATTRIBUTE_SKIP, Candidate, Context, CorpusStats, Replacement, candidate, replace_token
from negatives.lexical import in_classes, match_case, noun_lexname, singular
from negatives.lexicon import (
    ANIMATE_LEXNAMES,
    ATTRIBUTE_GROUPS,
    CHILDREN,
    CLOSE_COLOURS,
    JUVENILE_CLASSES,
    LIVING_AGES,
    NON_SUBSECTIVE,
    SCALAR_CATEGORIES,
)
from negatives.plausibility.compositions import Composition, noun_key

_WORD = re.compile(r"\w+")
PHRASE = 3
"""Times the input must write two words together for them to be one phrase (:func:`_splits_a_phrase`)."""
COLOURED_LEXNAMES = frozenset({"noun.artifact", "noun.animal", "noun.food", "noun.plant"})
"""The WordNet classes of nouns :meth:`BindingEngine.add` may colour: things, animals, food, plants."""
DEFAULT_SHARE = 1 / 2
MIN_DEFAULT_MENTIONS = 5
"""An attribute (with its synonyms) said of a noun in more than this share of the noun's mentions in
its category (at least this many) is one of the noun's defaults: "white" polar bears, "green" grass."""


@lru_cache(maxsize=None)
def contrasts(word: str) -> tuple[str, ...]:
    """Attribute words of the same category that contradict ``word`` (sorted): the usual word of
    each contrasting group ("small", never "miniature"), and no colour close to it ("red" is never
    "orange" or "pink": people name one shade either way)."""
    lower = word.lower()
    out: set[str] = set()
    for category, groups in ATTRIBUTE_GROUPS.items():
        for k, group in enumerate(groups):
            if lower not in group:
                continue
            if category in SCALAR_CATEGORIES:
                out.add(groups[k ^ 1][0])
            else:
                out.update(g[0] for g in groups if lower not in g)
    synonyms = {w for groups in ATTRIBUTE_GROUPS.values() for g in groups if lower in g for w in g}
    return tuple(sorted(out - synonyms - CLOSE_COLOURS.get(lower, frozenset())))


class BindingEngine:
    name = "binding"
    OPS = ("swap", "move", "replace", "add", "shift")
    DEFAULT_OPS = ("swap", "move", "replace", "add")

    def propose(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        loose = _loose_colours(parsed)  # "a traffic light ... is red": a colour put on it would contradict the caption
        fresh = [[] if loose else self._new_attributes(parsed, np, context) for np in parsed.nps]
        return (
            self.swap(parsed) + self.move(parsed, context) + self.replace(parsed, context)
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
                created = [_amod(a, y.text), _amod(b, x.text)]
                c = candidate(parsed, "swap", repls, created, swapped=[x.text, y.text])
                if c:
                    out.append(c)
        return out

    def move(self, parsed: Parsed, context: Context) -> list[Candidate]:
        out = []
        for a, b in permutations(parsed.nps, 2):
            if a.lemma == b.lemma or b.attributes or not _bare(parsed, b):
                continue
            contradicting = {w for w, _ in _contradictions(b, context, moved=True)}
            for x in a.attributes:
                word = x.text.lower()
                if word not in contradicting or (x.category == "colour" and _person(a)):
                    continue
                removal = _removal(parsed, a, x.token)
                if removal is None:
                    continue
                c = candidate(parsed, "move", [removal, _insertion(b, word)], [_amod(b, word)], moved=word, category=x.category)
                if c:
                    out.append(c)
        return out

    def replace(self, parsed: Parsed, context: Context) -> list[Candidate]:
        known = context.mentioned
        out = []
        for np in parsed.nps:
            own = {a.text.lower() for a in np.attributes}
            for attr in np.attributes:
                if attr.category == "colour" and _person(np):
                    continue
                living = _animate(np)
                if attr.category == "size" or attr.text.lower() in _defaults(
                    context.stats, _counted_noun(parsed, attr.token), noun_key(np)
                ):
                    continue  # sizes are relative; a polar bear is white, a "black polar bear" absurd
                if attr.category == "age" and (np.head_lemma in CHILDREN or in_classes(np.head_lemma, JUVENILE_CLASSES)):
                    continue  # a young boy is no "old boy"
                for new in contrasts(attr.text):
                    if new in known or new in own or not (living or new not in LIVING_AGES):
                        continue
                    created = [_amod(np, new)]
                    c = candidate(parsed, "replace", [replace_token(parsed, attr.token, new)], created, category=attr.category)
                    if c:
                        out.append(c)
        return out

    def add(self, parsed: Parsed, fresh: list[list[tuple[str, str]]]) -> list[Candidate]:
        """``fresh``: per noun phrase, the new attributes it may get (:meth:`_new_attributes`)."""
        out = []
        for np, new in zip(parsed.nps, fresh):
            for word, category in new:
                c = candidate(parsed, "add", [_insertion(np, word)], [_amod(np, word)], category=category)
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
                    created = [_amod(b, word)]
                    c = candidate(parsed, "shift", [removal, _insertion(b, word)], created, dropped=dropped, category=category)
                    if c:
                        out.append(c)
        return out

    @staticmethod
    def _new_attributes(parsed: Parsed, np: NounPhrase, context: Context) -> list[tuple[str, str]]:
        """The (word, category) a bare noun may get: the contradictions of what siblings say of it
        (:func:`_contradictions`), none for other nouns."""
        if np.attributes or not _bare(parsed, np) or any(o is not np and o.lemma == np.lemma for o in parsed.nps):
            return []  # of a noun said twice, one mention would be coloured ("a red table ... the blue table")
        if noun_lexname(noun_key(np)) not in COLOURED_LEXNAMES:
            return []  # a place, a landform or a substance takes no colour of ours ("a blue beach")
        if _splits_a_phrase(parsed, np, context.stats):
            return []
        return _contradictions(np, context)


def _contradictions(np: NounPhrase, context: Context, moved: bool = False) -> list[tuple[str, str]]:
    """(word, "colour") contradicting a colour a sibling caption gives the noun of ``np`` ("black"
    said of the cat: "white", "brown" ...), sorted; never a word a sibling uses (nor, unless the
    word is ``moved`` from elsewhere in the positive, one the positive uses), a colour of a person,
    nor a contradiction of the noun's default (stop signs are red: no "a green stop sign"). Only
    colours: sizes are relative ("a small table" and "a large table" of one photo) and materials
    mix ("a metal bench" with wooden slats)."""
    if _person(np):
        return []
    used = _sibling_words(context.siblings) if moved else context.mentioned
    out = set()
    usual = _defaults(context.stats, np.lemma.split()[0], noun_key(np))
    for said in _said_of(np.head_lemma, context.siblings):
        if ATTRIBUTE_CATEGORY[said] == "colour" and said not in usual:  # no "green stop sign"
            out.update((word, "colour") for word in contrasts(said) if word not in used)
    return sorted(out)


def _counted_noun(parsed: Parsed, i: int) -> str:
    """The word the corpus statistics count attribute token ``i`` for: the next word after any other
    attributes ("polar" for "white" in "white polar bears"), singular."""
    tokens = parsed.tokens
    j = i + 1
    while j < len(tokens) and (tokens[j].lower in ATTRIBUTE_CATEGORY or tokens[j].lower in ATTRIBUTE_SKIP):
        j += 1
    word = tokens[j].lower if j < len(tokens) else ""
    return singular(word) or word


@lru_cache(maxsize=1 << 16)
def _defaults(stats: CorpusStats, head: str, noun: str) -> frozenset[str]:
    """A noun's default attributes: the synonym groups that hold more than :data:`DEFAULT_SHARE` of
    the noun's mentions in their category, with at least :data:`MIN_DEFAULT_MENTIONS` mentions,
    counted in the input (``head`` as the corpus statistics count it, :func:`_counted_noun`) and,
    for colours, in the shipped reference's compositions of ``noun`` (its
    :func:`~negatives.plausibility.compositions.noun_key`: a field is green, a stop sign red,
    however few captions a run has). Cached per corpus statistics (hashed by identity) and noun."""
    from negatives.plausibility.reference import reference  # not at import: `python -m` runs that module

    written = reference().compositions
    out: set[str] = set()
    seen = stats.attributes.get(head, {})
    for category in sorted({*seen, "colour"}):
        words = Counter(seen.get(category, {}))
        for group in ATTRIBUTE_GROUPS["colour"] if category == "colour" else ():
            words.update({w: n for w in group if (n := written[("amod", noun, w)])})
        total = sum(words.values())
        if total < MIN_DEFAULT_MENTIONS:
            continue
        for group in ATTRIBUTE_GROUPS.get(category, ()):
            if sum(words.get(w, 0) for w in group) > DEFAULT_SHARE * total:
                out.update(group)
    return frozenset(out)


@lru_cache(maxsize=1 << 14)
def _sibling_words(siblings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for sibling in siblings for w in _WORD.findall(sibling.lower()))


def _amod(np: NounPhrase, word: str) -> Composition:
    return ("amod", noun_key(np), word.lower())


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


@lru_cache(maxsize=1 << 14)
def _said_of(head: str, siblings: tuple[str, ...]) -> frozenset[str]:
    """The lexicon attributes sibling captions put right before ``head`` or a word starting with it
    ("trucks"), one word perhaps between ("red fire truck")."""
    out = set()
    for sibling in siblings:
        words = _WORD.findall(sibling.lower())
        for k, w in enumerate(words):
            if w in ATTRIBUTE_CATEGORY and any(x.startswith(head) for x in words[k + 1 : k + 3]):
                out.add(w)
    return frozenset(out)


def _loose_colours(parsed: Parsed) -> bool:
    """Whether the caption says a colour outside its noun phrases' attributes ("a traffic light near
    a street sign is red", "a tower white with yellow trim"): which noun it is said of, a parse does
    not tell reliably, so no colour is added anywhere."""
    bound = {a.token for np in parsed.nps for a in np.attributes} | {np.head for np in parsed.nps}  # "an orange" is a fruit
    return any(ATTRIBUTE_CATEGORY.get(t.lower) == "colour" and k not in bound for k, t in enumerate(parsed.tokens))


def _splits_a_phrase(parsed: Parsed, np: NounPhrase, stats: CorpusStats) -> bool:
    """Whether the word before the noun makes one phrase with it that a word put between would
    split: "stop sign" or "pick up truck" parsed as a verb and its object ("stop turquoise sign"),
    told by the corpus writing the pair :data:`PHRASE` times, WordNet knowing it, or a particle."""
    before = [k for k, t in enumerate(parsed.tokens) if t.end <= np.noun_start]
    if not before or before[-1] in (np.det, np.num):
        return False
    last = parsed.tokens[before[-1]]
    pair = f"{last.lower} {np.noun.split()[0].lower()}"
    return last.dep == "prt" or stats.words.get(pair, 0) >= PHRASE or noun_lexname(pair) is not None


def _bare(parsed: Parsed, np: NounPhrase) -> bool:
    """Nothing modifies the noun: the word before it is the phrase's determiner or numeral, or no
    modifier at all (a verb, a preposition, the start), but no participle of the noun ("a stuffed
    sheep")."""
    before = [t for t in parsed.tokens if t.end <= np.noun_start]
    if not before:
        return True
    k, last = len(before) - 1, before[-1]
    if last.dep in ("amod", "compound", "nmod") and last.head == np.head:
        return False
    return k in (np.det, np.num) or last.pos in ("ADP", "VERB", "AUX", "SCONJ", "PUNCT", "PRON")


def _person(np: NounPhrase) -> bool:
    """People nouns: a colour word on them names skin colour, which this engine never edits."""
    return noun_lexname(np.head_lemma) == "noun.person"


def _animate(np: NounPhrase) -> bool:
    """People and animals: the nouns that :data:`~negatives.lexicon.LIVING_AGES` describe."""
    return noun_lexname(np.head_lemma) in ANIMATE_LEXNAMES
