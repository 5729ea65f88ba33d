"""Checks of a text task's distractor against its question (the item's anchor text).

* ``answer_type``: a question that asks for a kind of answer (*how many* a number, *when* a time,
  *where* a place, *who* a person, *what colour* a colour) keeps a distractor only if it still gives
  that kind of answer, when the positive does: "Ten legs." answers "How many legs does a spider
  have?", "Long legs." does not.
* ``question_copy``: a distractor brings in no word of the question that the positive does not use:
  "France." is no wrong answer to "What is the capital of France?", it is a non-answer.

Both read words only (no parser); kinds of words come from WordNet's lexicographer files
(:func:`negatives.lexical.noun_lexname`). :class:`QuestionChecked` wraps the generator so every
distractor it adds to a text item passes them, and :func:`checked` filters any other candidates
(FAISS neighbours: other items' answers). An item without a question is left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from negatives.lexicon import ATTRIBUTE_GROUPS, NUMBER_WORDS
from negatives.records import Distractor, Record

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
STOPWORDS = frozenset(
    "a an the of in on at to by for from with and or but is are was were be been do does did has have had "
    "what which who whom whose when where why how many much it its this that these those there their they "
    "he she his her him them you your i me my we our not no yes as than into onto about".split()
)
QUANTITIES = frozenset({"zero", "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion"})
COLOURS = frozenset(word for group in ATTRIBUTE_GROUPS["colour"] for word in group)
QUESTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhow (many|much|old|long|far|tall|high|deep|big|heavy|fast)\b", re.I), "number"),
    (re.compile(r"\bwhat (colou?r)\b", re.I), "colour"),
    (re.compile(r"\b(when|what year|what time|what day|what month|what century)\b", re.I), "time"),
    (re.compile(r"\bwhere\b", re.I), "place"),
    (re.compile(r"\bwho(m|se)?\b", re.I), "person"),
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _base(word: str) -> str:
    """A word without case and a plural ending, to compare words roughly ("Legs" ~ "leg")."""
    w = word.lower()
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def _lexname(word: str) -> str | None:
    from negatives.lexical import noun_lexname

    return noun_lexname(word.lower())


def _lexnames(text: str) -> set[str]:
    return {name for w in tokens(text) if w.lower() not in STOPWORDS and (name := _lexname(w))}


def _is_number(text: str) -> bool:
    return any(w[0].isdigit() or w.lower() in NUMBER_WORDS or w.lower() in QUANTITIES for w in tokens(text))


def _named(text: str, *lexnames: str) -> bool:
    """A name of one of the kinds ``lexnames``: a capitalised word (past the sentence's first, unless it
    is the only word) that WordNet files there or does not know ("Shakespeare", "Vinci"; not
    "Antarctica" for a person)."""
    words = [w for w in tokens(text) if w.isalpha()]
    names = [w for w in (words if len(words) == 1 else words[1:]) if w[0].isupper() and w.lower() not in STOPWORDS]
    return any(_lexname(w) in (None, *lexnames) for w in names)


KINDS: dict[str, Callable[[str], bool]] = {
    "number": _is_number,
    "colour": lambda text: any(w.lower() in COLOURS for w in tokens(text)),
    "time": lambda text: _is_number(text) or "noun.time" in _lexnames(text),
    "place": lambda text: _named(text, "noun.location", "noun.object") or "noun.location" in _lexnames(text),  # Antarctica: an object
    "person": lambda text: _named(text, "noun.person") or "noun.person" in _lexnames(text),
}
"""What each kind of answer must contain."""


def asked(question: str) -> str | None:
    """The kind of answer ``question`` asks for, if it says."""
    return next((kind for pattern, kind in QUESTIONS if pattern.search(question)), None)


def answer_type(question: str, positive: str, distractor: str) -> bool:
    """The distractor gives the kind of answer asked for, when the positive does."""
    kind = asked(question)
    return kind is None or not KINDS[kind](positive) or KINDS[kind](distractor)


def question_copy(question: str, positive: str, distractor: str) -> bool:
    """The distractor brings in no word of the question that the positive does not use (True: it does not)."""
    asked_words = {_base(w) for w in tokens(question) if w.lower() not in STOPWORDS}
    used = {_base(w) for w in tokens(positive)}
    return not any(_base(w) in asked_words and _base(w) not in used for w in tokens(distractor) if w.lower() not in STOPWORDS)


CHECKS: dict[str, Callable[[str, str, str], bool]] = {"answer_type": answer_type, "question_copy": question_copy}
EXEMPT = frozenset({"random"})


def failed(record: Record, distractor: Distractor) -> str | None:
    """The first check ``distractor`` fails against ``record``'s question, or None."""
    question = record.anchor_text
    if record.task != "text" or not question or distractor.text is None:
        return None
    return next((name for name, check in CHECKS.items() if not check(question, record.positive, distractor.text)), None)


def checked(record: Record, distractors: Sequence[Distractor], removed: Counter[str]) -> list[Distractor]:
    """``distractors`` that pass every check (recorded in their ``checks``); ``removed`` counts the rest by
    check. Random answers of other items (engine ``random``) are the easy negatives of level 1: kept as they are."""
    kept = []
    for d in distractors:
        name = None if d.engine in EXEMPT else failed(record, d)
        if name:
            removed[name] += 1
        else:
            if record.task == "text" and record.anchor_text:
                d.checks.update(dict.fromkeys(CHECKS, True))
            kept.append(d)
    return kept


def check_candidates(records: Sequence[Record], candidates: dict[str, list[Distractor]]) -> Counter[str]:
    """Filter ``candidates`` (record id -> distractors, e.g. FAISS neighbours) in place; the removals by check."""
    removed: Counter[str] = Counter()
    for record in records:
        if record.id in candidates:
            candidates[record.id] = checked(record, candidates[record.id], removed)
    return removed


class QuestionChecked:
    """The generator, with every distractor it adds to a text item checked against the question."""

    def __init__(self, generator: Any) -> None:
        self.generator = generator
        self.removed: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:  # plausibility, stats, ... of the wrapped generator
        return getattr(self.generator, name)

    def __call__(self, batch: list[Record]) -> list[Record]:
        starts = [len(r.distractors) for r in batch]  # the generator returns the batch in order, distractors appended
        out = self.generator(batch)
        for record, start in zip(out, starts):
            record.distractors[start:] = checked(record, record.distractors[start:], self.removed)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"checks": list(CHECKS), "removed": dict(sorted(self.removed.items()))}
