"""The engine protocol, the candidate type, the context engines see, and edit helpers.

An engine reads a :class:`~negatives.analysis.Parsed` positive and proposes candidates; each
candidate is built from word-level replacements on the positive by :func:`candidate`, which
fixes indefinite articles and records the single contiguous :class:`~negatives.records.Edit`.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from operator import methodcaller
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from negatives.analysis import ATTRIBUTE_CATEGORY, Entity, NounPhrase, Parsed
from negatives.lexical import article_for, inflect_verb, match_case, singular, zipf
from negatives.lexical import plural as to_plural
from negatives.lexicon import ARTICLES, OBJECT_DETERMINERS, PLURAL_AUX, SINGULAR_AUX
from negatives.plausibility.compositions import Composition, CompositionCounts
from negatives.plausibility.ngram import TrigramCounts
from negatives.records import Edit

_WORD = re.compile(r"[A-Za-z]+")
FINITE_TAGS = frozenset({"VBZ", "VBP", "VBD"})
_strip_punctuation = methodcaller("strip", ".,;:!?\"'()")
ATTRIBUTE_SKIP = frozenset({"and", "or", "very", "light", "dark", "bright"})
"""Words between attributes and their noun that the corpus statistics skip ("light blue", "red and white")."""


class Replacement(NamedTuple):
    start: int
    end: int
    new: str


@dataclass(frozen=True)
class Candidate:
    """A proposed distractor: its text, operator, edit, the compositions the edit creates
    (:mod:`negatives.plausibility.compositions`), which plausibility checks against the counts, and
    those it replaces (what the changed word was written with: the context it must still fit)."""

    text: str
    op: str
    edit: Edit
    created: tuple[Composition, ...] = ()
    replaced: tuple[Composition, ...] = ()


def _by_category() -> defaultdict[str, Counter[str]]:
    return defaultdict(Counter)


@dataclass(eq=False)
class CorpusStats:
    """Statistics from a first pass over the input (hashed by identity: engines memoise per stats).

    ``attributes[noun][category][word]`` counts attribute words seen right before a noun;
    ``actions[noun][verb]`` counts -ing words seen before it, a determiner and perhaps one
    lexicon attribute between ("riding a (brown) horse", never "eating a hot dog");
    ``entities[label][text]`` counts named entities by type; ``words`` counts lower-case words and
    word pairs ("fire truck"); ``trigrams`` and ``compositions`` feed plausibility
    (:mod:`negatives.plausibility`), the latter from parses (:meth:`observe_parsed`).
    """

    attributes: dict[str, dict[str, Counter[str]]] = field(default_factory=lambda: defaultdict(_by_category))
    actions: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    entities: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    words: Counter[str] = field(default_factory=Counter)
    trigrams: TrigramCounts = field(default_factory=TrigramCounts)
    compositions: CompositionCounts = field(default_factory=CompositionCounts)

    def observe(self, text: str) -> None:
        """Count the words and trigrams of ``text``, the lexicon attributes that precede each noun
        and the -ing words before it."""
        self.trigrams.observe(text)
        words = [w.lower() for w in _WORD.findall(text)]
        self.words.update(words)
        self.words.update(f"{a} {b}" for a, b in zip(words, words[1:]))
        for k, word in enumerate(words):
            if word.endswith("ing") and k + 2 < len(words) and words[k + 1] in OBJECT_DETERMINERS:
                j = k + 3 if words[k + 2] in ATTRIBUTE_CATEGORY and k + 3 < len(words) else k + 2
                self.actions[singular(words[j]) or words[j]][word] += 1
            category = ATTRIBUTE_CATEGORY.get(word)
            if category is None:
                continue
            j = k + 1
            while j < len(words) and (words[j] in ATTRIBUTE_CATEGORY or words[j] in ATTRIBUTE_SKIP):
                j += 1
            if j < len(words) and words[j] not in ARTICLES:
                self.attributes[singular(words[j]) or words[j]][category][word] += 1

    def observe_parsed(self, parsed: Parsed) -> None:
        self.compositions.observe(parsed)

    def merge(self, other: CorpusStats) -> None:
        """Add ``other``'s counts (the statistics of another part of the corpus) to these."""
        for noun, categories in other.attributes.items():
            for category, counts in categories.items():
                self.attributes[noun][category].update(counts)
        for table, more in ((self.actions, other.actions), (self.entities, other.entities)):
            for key, counts in more.items():
                table[key].update(counts)
        self.words.update(other.words)
        self.trigrams.update(other.trigrams)
        self.compositions.update(other.compositions.counts)

    def observe_entities(self, entities: tuple[Entity, ...]) -> None:
        for e in entities:
            self.entities[e.label][e.text] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "attributes": {n: {c: dict(w) for c, w in cats.items()} for n, cats in self.attributes.items()},
            "actions": {n: dict(v) for n, v in self.actions.items()},
            "entities": {label: dict(c) for label, c in self.entities.items()},
            "words": dict(self.words),
        }


@dataclass(frozen=True)
class Context:
    """What an engine may know beyond the positive: anchor entities, siblings, corpus statistics,
    and ``mentioned``, the lower-case words of the positive and its siblings (what the item
    already talks about, so never a contradiction)."""

    anchor_entities: tuple[Entity, ...] | None = None
    siblings: tuple[str, ...] = ()
    stats: CorpusStats = field(default_factory=CorpusStats)
    task: str = "image-caption"
    mentioned: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        positive: str,
        siblings: tuple[str, ...] = (),
        stats: CorpusStats | None = None,
        task: str = "image-caption",
        anchor_entities: tuple[Entity, ...] | None = None,
    ) -> Context:
        words = frozenset(map(_strip_punctuation, " ".join((positive, *siblings)).lower().split()))
        return cls(anchor_entities, tuple(siblings), stats or CorpusStats(), task, words)


class Engine(Protocol):
    name: str

    def propose(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]: ...


def candidate(
    parsed: Parsed,
    op: str,
    replacements: list[Replacement],
    created: Sequence[Composition] = (),
    replaced: Sequence[Composition] = (),
    **extra: Any,
) -> Candidate | None:
    """The candidate made by ``replacements`` (non-overlapping, on the positive) plus the article
    fixes they need, creating the compositions ``created``; None when they overlap or change
    nothing."""
    text = parsed.text
    repls = _with_articles(parsed, sorted(replacements))
    for a, b in zip(repls, repls[1:]):
        if a.end > b.start:
            return None
    start, end = repls[0].start, repls[-1].end
    pieces, pos = [], start
    for r in repls:
        pieces.append(text[pos : r.start])
        pieces.append(r.new)
        pos = r.end
    pieces.append(text[pos:end])
    new = "".join(pieces)
    if new == text[start:end]:
        return None
    edit = Edit((start, end), text[start:end], new, dict(extra))
    return Candidate(text[:start] + new + text[end:], op, edit, tuple(created), tuple(replaced))


def _with_articles(parsed: Parsed, repls: list[Replacement]) -> list[Replacement]:
    """Add a replacement for each "a"/"an" whose following word changes to need the other article
    (``repls`` sorted; so is the result)."""
    text, fixes = parsed.text, []
    for r in repls:
        k = r.start - 1
        while k >= 0 and text[k].isspace():
            k -= 1
        if k < 0 or text[k] not in "aAnN":  # cheap test: no article can end right here
            continue
        word = r.new.lstrip().split(" ", 1)[0]
        if not word or not word[0].isalnum():
            continue
        art = _token_before(parsed, r.start)
        if art is None or art.lower not in ARTICLES or any(x.start <= art.start < x.end for x in repls):
            continue
        wanted = article_for(word)
        if wanted != art.lower:
            fixes.append(Replacement(art.start, art.end, match_case(wanted, art.text)))
    return sorted(repls + fixes) if fixes else repls


def _token_before(parsed: Parsed, pos: int) -> Any:
    """The token that ends right before ``pos`` (only whitespace between), if any."""
    k = bisect_right(parsed.tokens, pos, key=_end)
    if k == 0:
        return None
    t = parsed.tokens[k - 1]
    return t if not parsed.text[t.end : pos].strip() else None


def _end(token: Any) -> int:
    return token.end


def draw(rng: random.Random, options: list[Any], k: int) -> list[Any]:
    """Up to ``k`` distinct ``options`` in a seeded random order (none when ``k`` <= 0)."""
    k = min(k, len(options))
    return rng.sample(options, k) if k > 0 else []


def replace_token(parsed: Parsed, i: int, new: str) -> Replacement:
    t = parsed.tokens[i]
    return Replacement(t.start, t.end, match_case(new, t.text))


def agreement(parsed: Parsed, np: NounPhrase, plural: bool) -> list[Replacement]:
    """Replacements that make the verbs agreeing with ``np`` (as subject) singular or plural: its
    finite verb and those of verbs coordinated with it ("a woman is holding scissors and is going
    to cut" -> "two women are holding scissors and are going to cut")."""
    if np.agree is None:
        return []
    out = []
    for i in _coordinated_finite(parsed, np.agree):
        t = parsed.tokens[i]
        lower = t.lower
        if plural and lower in SINGULAR_AUX:
            out.append(replace_token(parsed, i, SINGULAR_AUX[lower]))
        elif not plural and lower in PLURAL_AUX:
            out.append(replace_token(parsed, i, PLURAL_AUX[lower]))
        elif lower not in ("am", "'s", "'re") and t.tag in ("VBZ", "VBP") and (t.tag == "VBZ") != (not plural):
            form = inflect_verb(t.lemma, "VBP" if plural else "VBZ")
            if form:
                out.append(replace_token(parsed, i, form))
    return out


def _coordinated_finite(parsed: Parsed, i: int) -> list[int]:
    """Finite word ``i`` and the finite words (auxiliaries or verbs) of the verbs coordinated with
    the verb it belongs to."""
    tokens = parsed.tokens
    verb = tokens[i].head if tokens[i].dep in ("aux", "auxpass") else i
    out = [i]
    for k, t in enumerate(tokens):
        if t.dep == "conj" and t.head == verb and t.pos in ("VERB", "AUX"):
            aux = [a for a, x in enumerate(tokens) if x.head == k and x.dep in ("aux", "auxpass") and x.tag in FINITE_TAGS]
            out += aux[:1] or ([k] if t.tag in FINITE_TAGS else [])
    return out


def noun_form(noun: str, plural: bool, was_plural: bool) -> str | None:
    """``noun`` (given in the number ``was_plural``) in the wanted number; None when unknown."""
    if plural == was_plural:
        return noun
    return to_plural(noun) if plural else singular(noun)


LARGE_VOCABULARY = 5_000
"""Distinct words from which a corpus is taken to know its domain's vocabulary."""


def familiarity(stats: CorpusStats, min_count: int = 2, min_zipf: float = 4.0) -> Callable[[str], bool]:
    """A test for words an engine may write: seen ``min_count`` times in the corpus (a two-word
    term as a phrase); a small corpus also admits single words common in English (Zipf
    frequency ``min_zipf`` or more)."""
    if len(stats.words) >= LARGE_VOCABULARY:
        return lambda w: stats.words.get(w, 0) >= min_count
    return lambda w: stats.words.get(w, 0) >= min_count or (" " not in w and zipf(w) >= min_zipf)
