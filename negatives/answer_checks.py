"""Checks of a text task's distractor against its question (the item's anchor text) and its positive.

* ``same_answer``: a distractor that only restates the positive, a part of it or more of it, is no
  wrong answer ("Paris." for "In Paris.", "She bakes bread and cakes." for "He bakes ...").
* ``answer_type``: a question that asks for a kind of answer keeps a distractor only if it gives
  that kind of answer as the positive does, down to the detail the positive has:

  - *how many / how long / how old ...* a number: another number of the same unit ("Ten legs." for
    "Eight legs.", not "Long legs.", "32 teeth.", "100 degrees legs." nor "Eight spiders.");
  - *when / what year ...* a time of the same grain (a year for a year, a season for a season: no
    "In 1912." for "In autumn.", no "In July." for "In 1492.");
  - *where* a place, named when the positive names one, and a city for a city, a country,
    continent, island or region for one (no "Off the coast of Paris." for "Off the coast of
    Australia.", no "In Japan." nor "In Earth." for "In Rome.");
  - *who* a person, named when the positive names one (no "Neil Armstrong." for "A pilot.");
  - *what colour* a colour, a bare one for a bare one (no "The blue whale." for "Yellow."), never a
    shade people name either way (no "Red." for "Pink.");
  - *what shape* a shape (no "Tennis." for "Round.");
  - *what X / what is the ADJ-est X* a kind of X when the positive is one, by WordNet ("Apples." for
    "Grapes.": a fruit; not "The Nile." for "The lion.": no animal);

  and a question that asks no number gets no number the positive does not give ("Two pilots." for
  "A pilot.": a count edit of an article answers another question).
* ``answer_form``: the distractor has the positive's form: a purpose ("To keep dry ..."), a clause
  ("It turns into ice."), a prepositional phrase or a noun phrase (a phrase and a noun phrase are one
  form when a time or place is asked: "1989." and "In 1945.").
* ``question_copy``: a distractor brings in no word of the question that the positive does not use:
  "France." is no wrong answer to "What is the capital of France?", it is a non-answer.

All read words only (no parser); kinds of words come from WordNet's lexicographer files and
hypernyms. :class:`QuestionChecked` wraps the generator so every distractor it adds to a text item
passes them, and :func:`checked` filters any other candidates (FAISS neighbours: other items'
answers). An item without a question is left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from negatives.explain import drop_distractor
from negatives.lexicon import ATTRIBUTE_GROUPS, CLOSE_COLOURS, DAYPARTS, MONTHS, NUMBER_WORDS, SEASONS, WEEKDAYS
from negatives.number_words import numbers
from negatives.records import Distractor, Record

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
STOPWORDS = frozenset(
    "a an the of in on at to by for from with and or but is are was were be been do does did has have had "
    "what which who whom whose when where why how many much it its this that these those there their they "
    "he she his her him them you your i me my we our not no yes as than into onto about".split()
)
PREPOSITIONS = frozenset(
    "in on at off to through by from under near inside into over with during before after around across "
    "behind between for along beside below above outside".split()
)
SUBJECTS = frozenset("he she it they you we i".split())
DETERMINERS = frozenset("a an the his her their its our my your this that these those some".split())
QUANTITIES = frozenset({"zero", "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion"})
COLOURS = frozenset(word for group in ATTRIBUTE_GROUPS["colour"] for word in group)
SHAPES = frozenset({*(word for group in ATTRIBUTE_GROUPS["shape"] for word in group), "spherical", "oblong", "flat"})
QUESTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhow (many|much|old|long|far|tall|high|deep|big|heavy|fast)\b", re.I), "number"),
    (re.compile(r"\bwhat (colou?r)\b", re.I), "colour"),
    (re.compile(r"\bwhat shape\b", re.I), "shape"),
    (re.compile(r"\b(when|what year|what time|what day|what month|what century)\b", re.I), "time"),
    (re.compile(r"\bwhere\b", re.I), "place"),
    (re.compile(r"\bwho(m|se)?\b", re.I), "person"),
)
CATEGORY = (
    re.compile(r"\b(?:what|which) (?:kind of |type of |sort of )?([a-z]+)\b", re.I),
    re.compile(r"\b(?:what|which) (?:is|are|was|were) the (?:[a-z]+est |main )?([a-z]+)\b(?! of)", re.I),
)
"""Where a question names the category of its answer: "What fruit ...", "What is the largest ocean ...";
never "the capital of France", a role of the answer: Lyon is a good wrong answer, though no capital."""
GRAINS: tuple[tuple[str, Callable[[list[str]], bool]], ...] = (
    ("date", lambda w: bool(set(MONTHS) & set(w)) and any(x.isdigit() or x in _ORDINAL_WORDS or x[:-2].isdigit() for x in w)),
    ("clock", lambda w: bool({"am", "pm", "o'clock", "oclock"} & set(w)) or any(":" in x for x in w)),
    ("century", lambda w: "century" in w or "centuries" in w),
    ("decade", lambda w: any(re.fullmatch(r"1\d\d0s|20\d0s", x) for x in w)),
    ("year", lambda w: any(re.fullmatch(r"1\d{3}|20\d{2}", x) for x in w)),
    ("month", lambda w: bool(set(MONTHS) & set(w))),
    ("weekday", lambda w: bool(set(WEEKDAYS) & set(w))),
    ("season", lambda w: bool({*SEASONS, "fall"} & set(w))),
    ("daypart", lambda w: bool({*DAYPARTS, "noon", "midnight", "dawn", "dusk"} & set(w))),
)
"""The grain of a time answer, finest first."""
_ORDINAL_WORDS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth".split())
PLACE_CLASSES = (
    ("city", "municipality.n.01"), ("water", "body_of_water.n.01"), ("land", "region.n.03"), ("land", "land.n.04"),
)
"""Classes of named places that answer "where" alike, the first that applies (Paris is a city and a
region): a city is no answer where a country, a continent or a region is."""


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
    return bool(numbers(text)) or any(w.lower() in NUMBER_WORDS or w.lower() in QUANTITIES for w in tokens(text))


def _content(text: str) -> list[str]:
    return [w for w in tokens(text) if w.lower() not in STOPWORDS and w.lower() not in PREPOSITIONS]


def names(text: str) -> list[str]:
    """Runs of capitalised words, as WordNet spells them ("New_York", "George_Washington"); the text's
    first word only when it is no function word ("Through their gills", "The Nile")."""
    words = [w for w in tokens(text) if w.isalpha()]
    lead = 1 if len(words) > 1 and words[0].lower() in STOPWORDS | PREPOSITIONS else 0
    runs: list[list[str]] = []
    for k, w in enumerate(words):
        if k >= lead and w[0].isupper() and w.lower() not in STOPWORDS:
            if runs and runs[-1][-1] == words[k - 1] and k > lead:
                runs[-1].append(w)
            else:
                runs.append([w])
    return ["_".join(r) for r in runs]


def _named(text: str, *lexnames: str) -> bool:
    """A name of one of the kinds ``lexnames``: a capitalised word (past the sentence's first, unless it
    is the only word) that WordNet files there or does not know ("Shakespeare", "Vinci"; not
    "Antarctica" for a person)."""
    return any(_lexname(w) in (None, *lexnames) for name in names(text) for w in name.split("_"))


@lru_cache(maxsize=None)
def _classes(synset_names: tuple[str, ...]) -> tuple[int, ...]:
    from negatives import wordnet_index

    wn = wordnet_index.load()
    return tuple(wn.synset(n) for n in synset_names)


def _senses(word: str) -> tuple[int, ...]:
    from negatives import wordnet_index

    return wordnet_index.load().synsets(word, "n")


def _is_a(word: str, category: str) -> bool:
    """Whether a sense of the noun ``word`` is a kind (or an instance) of a sense of ``category``."""
    from negatives import wordnet_index

    wn = wordnet_index.load()
    targets = set(_senses(category))
    return any(s in targets or not targets.isdisjoint(wn.hypernym_closure(s)) for s in _senses(word))


def place_classes(text: str) -> set[str]:
    """The classes (:data:`PLACE_CLASSES`) of the places ``text`` names, each by its first sense that
    is a place (New York: the city, not the state, so "In the United States." is no answer beside it)."""
    from negatives import wordnet_index

    wn = wordnet_index.load()
    roots = dict(zip(_classes(tuple(n for _, n in PLACE_CLASSES)), (c for c, _ in PLACE_CLASSES)))
    found = set()
    for name in names(text):
        senses = _senses(name) or _senses(name.rsplit("_", 1)[-1])
        place = next((s for s in senses if wn.lexname(s) in ("noun.location", "noun.object")), None)
        if place is not None:
            above = wn.hypernym_closure(place) | {place}
            cls = next((c for root, c in roots.items() if root in above), None)  # the first that applies
            if cls:
                found.add(cls)
    return found


@lru_cache(maxsize=1 << 14)
def grain(text: str) -> str | None:
    """The grain of a time answer (:data:`GRAINS`), if it has one."""
    words = [w.lower() for w in re.findall(r"[A-Za-z']+|\d+(?:st|nd|rd|th|s)?|\d+:\d+", text)]
    return next((name for name, test in GRAINS if test(words)), None)


def _head(text: str) -> str | None:
    """The answer's last content word (or its last two, when WordNet knows them as one noun)."""
    words = [w.lower() for w in _content(text) if w.isalpha()]
    if len(words) > 1 and _senses(f"{words[-2]}_{words[-1]}"):
        return f"{words[-2]}_{words[-1]}"
    return words[-1] if words else None


@lru_cache(maxsize=1 << 14)
def category(question: str) -> str | None:
    """The noun a question names as its answer's category ("fruit" in "What fruit ..."), if any."""
    for pattern in CATEGORY:
        m = pattern.search(question)
        if m and m[1].lower() not in STOPWORDS and not m[1].lower().startswith("colo") and _senses(m[1].lower()):
            return m[1].lower()
    return None


KINDS: dict[str, Callable[[str], bool]] = {
    "number": _is_number,
    "colour": lambda text: any(w.lower() in COLOURS for w in tokens(text)),
    "shape": lambda text: any(w.lower() in SHAPES for w in tokens(text)),
    "time": lambda text: _is_number(text) or grain(text) is not None or "noun.time" in _lexnames(text),
    "place": lambda text: (
        _named(text, "noun.location", "noun.object")  # Antarctica: an object
        or "noun.location" in _lexnames(text)
        or (tokens(text)[:1] or [""])[0].lower() in PREPOSITIONS - {"to", "for", "with", "through", "by"}
        or (tokens(text)[:2] or [""])[0].lower() == "to" and len(tokens(text)) > 1 and tokens(text)[1].lower() in DETERMINERS
    ),
    "person": lambda text: _named(text, "noun.person") or "noun.person" in _lexnames(text),
}
"""What each kind of answer must contain."""


def _unit(text: str) -> str | None:
    """The word a number of ``text`` counts ("leg" in "Eight legs."), if any."""
    found = numbers(text)
    if not found:
        return None
    rest = tokens(text[found[-1].end :])
    return _base(rest[0]) if rest and rest[0].isalpha() and rest[0].lower() not in STOPWORDS else None


def _same_detail(kind: str, positive: str, distractor: str) -> bool:
    """The distractor answers with the detail the positive has (see the module's list)."""
    if kind == "number":
        unit = _unit(positive)
        values = {n.value for n in numbers(positive)}
        return (not values or {n.value for n in numbers(distractor)} != values) and (unit is None or _unit(distractor) == unit)
    if kind == "time":
        return grain(positive) is None or grain(distractor) == grain(positive)
    if kind == "colour":
        mine = {w.lower() for w in tokens(positive) if w.lower() in COLOURS}
        theirs = {w.lower() for w in tokens(distractor) if w.lower() in COLOURS}
        if any(CLOSE_COLOURS.get(c, frozenset()) & theirs for c in mine):
            return False  # one shade, two names: "Red." may well be said of a pink flamingo
        bare = all(w.lower() in COLOURS for w in _content(positive))
        return not bare or all(w.lower() in COLOURS for w in _content(distractor))
    if kind in ("place", "person"):
        lexnames = ("noun.location", "noun.object") if kind == "place" else ("noun.person",)
        if _named(positive, *lexnames) != _named(distractor, *lexnames):
            return False
        if kind == "place":
            mine = place_classes(positive)
            return not mine or bool(mine & place_classes(distractor))
    return True


@lru_cache(maxsize=1 << 14)
def asked(question: str) -> str | None:
    """The kind of answer ``question`` asks for, if it says."""
    return next((kind for pattern, kind in QUESTIONS if pattern.search(question)), None)


def answer_type(question: str, positive: str, distractor: str) -> bool:
    """The distractor gives the kind of answer asked for, with the positive's detail, when the
    positive does; no number the positive lacks when no number is asked; a kind of the question's
    category when the positive is one."""
    kind = asked(question)
    if kind != "number" and not _is_number(positive) and _is_number(distractor) and kind != "time":
        return False
    if kind is not None and KINDS[kind](positive) and not (KINDS[kind](distractor) and _same_detail(kind, positive, distractor)):
        return False
    noun = category(question) if kind is None else None
    head = _head(positive)
    if noun and head and _is_a(head, noun):
        other = _head(distractor)
        return other is not None and _is_a(other, noun)
    return True


def form(text: str) -> str:
    """The form of an answer: ``purpose`` ("To keep dry"), ``clause`` ("It turns into ice"),
    ``phrase`` (a prepositional phrase) or ``noun`` (anything else)."""
    words = [w.lower() for w in tokens(text)]
    if not words:
        return "noun"
    if words[0] == "to" and len(words) > 1 and words[1] not in DETERMINERS and not tokens(text)[1][0].isupper():
        return "purpose"
    if words[0] in SUBJECTS and len(words) > 1:
        return "clause"
    return "phrase" if words[0] in PREPOSITIONS else "noun"


def answer_form(question: str, positive: str, distractor: str) -> bool:
    """The distractor has the positive's form (a phrase and a noun are one when a time or place is asked)."""
    merge = {"phrase": "noun"} if asked(question) in ("time", "place") else {}
    mine, theirs = form(positive), form(distractor)
    return merge.get(mine, mine) == merge.get(theirs, theirs)


def same_answer(question: str, positive: str, distractor: str) -> bool:
    """The distractor does not only restate the positive (True: it does not): its content words
    (numbers by value) are neither a part of the positive's nor the positive's a part of its."""
    def content(text: str) -> set[str]:
        values = {str(n.value) for n in numbers(text)}
        spelled = {w.lower() for n in numbers(text) for w in re.split(r"[-\s]", n.text)}
        return {_base(w) for w in _content(text) if w.lower() not in spelled and not w[0].isdigit()} | values

    mine, theirs = content(positive), content(distractor)
    if {n.value for n in numbers(positive)} != {n.value for n in numbers(distractor)}:
        return True  # "Two pilots." is another answer than "A pilot."
    return not mine or not theirs or not (mine <= theirs or theirs <= mine)


def question_copy(question: str, positive: str, distractor: str) -> bool:
    """The distractor brings in no word of the question that the positive does not use (True: it does not)."""
    asked_words = {_base(w) for w in tokens(question) if w.lower() not in STOPWORDS}
    used = {_base(w) for w in tokens(positive)}
    return not any(_base(w) in asked_words and _base(w) not in used for w in tokens(distractor) if w.lower() not in STOPWORDS)


CHECKS: dict[str, Callable[[str, str, str], bool]] = {
    "same_answer": same_answer, "answer_type": answer_type, "answer_form": answer_form, "question_copy": question_copy,
}
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
    if record.task != "text" or not record.anchor_text:
        return list(distractors)
    kept = []
    for d in distractors:
        name = None if d.engine in EXEMPT else failed(record, d)
        if name:
            removed[name] += 1
            drop_distractor(record, "question", name, d)
            continue
        if d.engine not in EXEMPT and d.text is not None:  # the verdicts of checks that ran, none for the rest
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
        if "generator" not in vars(self):  # a copy being unpickled (a Ray worker's)
            raise AttributeError(name)
        return getattr(self.generator, name)

    def __call__(self, batch: list[Record]) -> list[Record]:
        starts = [len(r.distractors) for r in batch]  # the generator returns the batch in order, distractors appended
        out = self.generator(batch)
        for record, start in zip(out, starts):
            record.distractors[start:] = checked(record, record.distractors[start:], self.removed)
        return out

    def counts(self) -> tuple[Any, Counter[str]]:
        """What this process removed, with the wrapped generator's counts if it keeps any (a worker
        process sends them back to be added up)."""
        inner = self.generator.counts() if hasattr(self.generator, "counts") else None
        return inner, Counter(self.removed)

    def reset_counts(self) -> None:
        if hasattr(self.generator, "reset_counts"):
            self.generator.reset_counts()
        self.removed.clear()

    def add_counts(self, counts: tuple[Any, Counter[str]]) -> None:
        if counts[0] is not None:
            self.generator.add_counts(counts[0])
        self.removed.update(counts[1])

    def to_dict(self) -> dict[str, Any]:
        return {"checks": list(CHECKS), "removed": dict(sorted(self.removed.items()))}
