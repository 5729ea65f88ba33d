"""Checks a candidate must pass to become a distractor, kept apart from the engines that propose.

Each check is a function ``(candidate, item) -> bool`` registered in :data:`CHECKS` under the
name recorded in ``Distractor.checks`` and in the generation statistics. Checks run in the order
of :data:`CHECKS`; the first one that fails removes the candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from negatives.analysis import number_value
from negatives.engines.base import Candidate
from negatives.lexical import article_for, is_plural_noun
from negatives.lexicon import ARTICLES, NUMBER_WORDS, PLURAL_AUX, SINGULAR_AUX
from negatives.records import RecordError

_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")
_LEADING = re.compile(r"\A\s*")
_COUNTS = dict(NUMBER_WORDS)
_ANCHORS = frozenset(ARTICLES) | frozenset(_COUNTS)
_PHRASE_BREAK = frozenset(
    {"and", "or", "of", "with", "in", "on", "at", "to", "by", "for", "from", "near", "next", "while",
     "that", "who", "which", "the", "a", "an", "is", "are", "was", "were", "has", "have", "there",
     "up", "down", "above", "below", "over", "under", "behind", "across", "along", "through", "into", "onto",
     "inside", "outside", "around", "past", "between", "beside", "against", "during", "off", "out", "toward",
     "towards", "after", "before", "about", "as", "than", "like", "top", "front"}
)
"""Words that end a run of nouns: prepositions (some also nouns to lemminflect: "up", "above") and
the nouns inside multiword ones ("on top of", "in front of"), conjunctions, determiners, auxiliaries."""


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Lower case, punctuation dropped, whitespace collapsed: equal meaning-bearing words."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower())).strip()


@dataclass
class Item:
    """One record being filled: its positive, its siblings and the distractors kept so far."""

    positive: str
    siblings: tuple[str, ...] = ()
    kept: set[str] = field(default_factory=set)
    forbidden: set[str] = field(init=False)
    violations: int = field(init=False)
    surface: tuple[str, str, bool, bool] = field(init=False)

    def __post_init__(self) -> None:
        self.forbidden = {normalise(t) for t in (self.positive, *self.siblings)}
        self.violations = agreement_violations(self.positive)
        self.surface = _surface(self.positive)


def edit_reproduces(c: Candidate, item: Item) -> bool:
    """Applying the edit to the positive gives the candidate text exactly."""
    try:
        return c.edit.apply(item.positive) == c.text
    except RecordError:
        return False


def surface_preserved(c: Candidate, item: Item) -> bool:
    """First-word capitalisation (and all capitals), leading/trailing whitespace and final
    punctuation as in the positive; no new double spaces and no new doubled word ("a lamp is on
    by a laptop" -> "on on a laptop")."""
    if ("  " in c.text) and ("  " not in item.positive):
        return False
    return _surface(c.text) == item.surface and _doubled(c.text) <= _doubled(item.positive)


def _doubled(text: str) -> int:
    words = _SPACES.split(normalise(text))
    return sum(a == b for a, b in zip(words, words[1:]))


def _surface(text: str) -> tuple[str, str, bool, bool]:
    """Trailing non-word characters, leading whitespace, all capitals, first letter a capital."""
    first = next((ch for ch in text if ch.isalpha()), "")
    end = len(text)
    while end and not (text[end - 1].isascii() and text[end - 1].isalnum()):
        end -= 1
    return text[end:], _LEADING.match(text).group(), text.isupper(), first.isupper()  # type: ignore[union-attr]


def agreement_preserved(c: Candidate, item: Item) -> bool:
    """No more a/an, numeral-noun or noun-verb number disagreements than the positive has."""
    return agreement_violations(c.text) <= item.violations


def distinct(c: Candidate, item: Item) -> bool:
    """Not the positive nor a sibling positive after normalisation."""
    return normalise(c.text) not in item.forbidden


def unique(c: Candidate, item: Item) -> bool:
    """Not a duplicate of a distractor the item already has."""
    return normalise(c.text) not in item.kept


CHECKS: dict[str, Callable[[Candidate, Item], bool]] = {
    "edit": edit_reproduces,
    "surface": surface_preserved,
    "agreement": agreement_preserved,
    "distinct": distinct,
    "unique": unique,
}


def validate(c: Candidate, item: Item) -> str | None:
    """The name of the first failing check, or None when the candidate passes all."""
    for name, check in CHECKS.items():
        if not check(c, item):
            return name
    return None


def agreement_violations(text: str) -> int:
    """Count a/an mismatches and number disagreements in ``text``, from words alone.

    A numeral (or "a"/"an", which count one) must match the number of the last noun of the run
    of nouns that follows it, and an auxiliary right after that run ("is"/"are", "has"/"have")
    must match it too. Unknown words end a run, so the count is a conservative lower bound.
    """
    words = _WORDS.findall(text.lower())
    n = 0
    for k in [k for k, w in enumerate(words) if w in _ANCHORS or w[0].isdigit()]:
        w = words[k]
        if w in ARTICLES and k + 1 < len(words) and words[k + 1][0].isalnum():
            n += article_for(words[k + 1]) != w
        count = 1 if w in ARTICLES else _COUNTS.get(w) or (number_value(w) if w[0].isdigit() else None)
        if count is None:
            continue
        j, head = k + 1, None
        while j < len(words) and words[j] not in _PHRASE_BREAK and not words[j].endswith("ing"):
            if is_plural_noun(words[j]) is None:
                break
            head = words[j]
            j += 1
        if head is None:
            continue
        head_plural = bool(is_plural_noun(head))
        n += head_plural != (count > 1)
        if j < len(words) and (words[j] in SINGULAR_AUX or words[j] in PLURAL_AUX):
            n += (words[j] in PLURAL_AUX) != head_plural
    return n
