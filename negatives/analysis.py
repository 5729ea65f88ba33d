"""The shared parse step: each text is parsed once with spaCy into a light, picklable structure.

:func:`analyze` runs ``nlp.pipe`` over a batch and keeps, per text, only what the engines read:
tokens (text, offsets, lemma, tag, dependency), object noun phrases (determiner, numeral,
attributes by category, noun, number), verbs with their subject and object phrases,
prepositional relations (multiword prepositions such as "in front of" included) and, when the
pipeline has NER, named entities. The spaCy ``Doc`` is dropped right away, so memory does not
grow with the input.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from negatives.lexicon import (
    ARTICLES,
    ATTRIBUTE_GROUPS,
    MULTIWORD_PREPOSITIONS,
    NON_OBJECT_NOUNS,
    NUMBER_WORDS,
)

ATTRIBUTE_CATEGORY: dict[str, str] = {}
for _category, _groups in ATTRIBUTE_GROUPS.items():
    for _group in _groups:
        for _word in _group:
            ATTRIBUTE_CATEGORY.setdefault(_word, _category)

_MULTIWORD: dict[str, list[tuple[str, ...]]] = {}
for _words in sorted(MULTIWORD_PREPOSITIONS, key=len, reverse=True):
    _MULTIWORD.setdefault(_words[0], []).append(_words)
_FINITE_TAGS = frozenset({"VBZ", "VBP", "VBD", "MD"})
_NP_DEPS = frozenset({"det", "nummod", "amod", "compound"})
_RELATIVE_TAGS = frozenset({"WDT", "WP"})  # "a dog that is", "a man who is"


class Token(NamedTuple):
    text: str
    start: int
    end: int
    lower: str
    lemma: str
    tag: str
    pos: str
    dep: str
    head: int


class Attribute(NamedTuple):
    token: int
    text: str
    category: str  # colour, size, material, shape, age, state or other


@dataclass(frozen=True, slots=True)
class NounPhrase:
    """An object noun phrase: [determiner] [numeral] [attributes] noun (compounds included)."""

    start: int  # char offset of the first word of the phrase
    end: int  # char offset after the head noun
    det: int | None  # token index of the determiner
    num: int | None  # token index of the numeral
    count: int | None  # value of the numeral, 1 for "a"/"an"
    attributes: tuple[Attribute, ...]
    noun_start: int  # char offset of the noun (first compound word)
    noun: str  # the noun text, compounds included ("fire hydrant")
    lemma: str  # its lemma ("fire hydrant")
    head: int  # token index of the head noun
    plural: bool
    dep: str  # dependency of the head noun (nsubj, dobj, pobj, attr ...)
    coordinated: bool  # part of "X and Y": number and roles are shared
    agree: int | None  # token index of the finite verb that agrees with this phrase as subject

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def head_lemma(self) -> str:
        """The lemma of the head noun alone ("hydrant" of "fire hydrant")."""
        return self.lemma.rsplit(" ", 1)[-1]


@dataclass(frozen=True, slots=True)
class Verb:
    token: int
    lemma: str
    tag: str
    subject: int | None  # noun phrase index
    object: int | None  # noun phrase index
    aux: tuple[int, ...]  # token indices of auxiliaries, in order
    neg: int | None  # token index of "not"/"n't"
    particle: bool  # phrasal verb ("sit down"): not replaced word by word


@dataclass(frozen=True, slots=True)
class Relation:
    """A prepositional relation ``head prep object``; ``prep`` is lower case, words joined by spaces."""

    head: int | None  # noun phrase index of what the phrase attaches to (via a verb's subject)
    prep: str
    start: int
    end: int
    object: int  # noun phrase index


class Entity(NamedTuple):
    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Parsed:
    text: str
    tokens: tuple[Token, ...]
    nps: tuple[NounPhrase, ...]
    verbs: tuple[Verb, ...]
    relations: tuple[Relation, ...]
    entities: tuple[Entity, ...] | None  # None when NER did not run

    def np_of_token(self, i: int) -> int | None:
        for k, np in enumerate(self.nps):
            if np.head == i:
                return k
        return None


def number_value(word: str) -> int | None:
    """The value of a number word or a digit string (None for anything else)."""
    lower = word.lower()
    if lower in NUMBER_WORDS:
        return NUMBER_WORDS[lower]
    return int(lower) if lower.isdigit() and len(lower) <= 3 else None


@lru_cache(maxsize=None)
def verb_lemma(word: str) -> str:
    """lemminflect's verb lemma (spaCy's small model says "riding" -> "rid")."""
    from lemminflect import getLemma

    lemmas = getLemma(word, "VERB")
    return lemmas[0] if lemmas else word


def analyze(texts: Sequence[str], nlp: Any, batch_size: int = 256) -> list[Parsed]:
    """Parse ``texts`` with one ``nlp.pipe`` call; entities are kept only if ``nlp`` runs NER."""
    has_ner = "ner" in nlp.pipe_names
    return [_convert(doc, text, has_ner) for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True)]


class ParseCache:
    """Parses kept between the corpus pass and generation, so each positive is parsed once: pickled
    (about 750 bytes a caption, a sixth of the live objects), keyed by text and whether NER ran."""

    def __init__(self) -> None:
        self._store: dict[tuple[str, bool], bytes] = {}

    def put(self, parsed: Parsed) -> None:
        self._store[parsed.text, parsed.entities is not None] = pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL)

    def get(self, text: str, ner: bool) -> Parsed | None:
        blob = self._store.get((text, ner))
        return pickle.loads(blob) if blob is not None else None

    def __len__(self) -> int:
        return len(self._store)

    def merge(self, other: ParseCache) -> None:
        self._store.update(other._store)


def parse(texts: Sequence[str], nlp: Any, cache: ParseCache | None = None, batch_size: int = 256) -> list[Parsed]:
    """:func:`analyze`, taking what ``cache`` already holds and parsing only the rest."""
    ner = "ner" in nlp.pipe_names
    found = [cache.get(t, ner) if cache is not None else None for t in texts]
    missing = [k for k, p in enumerate(found) if p is None]
    if missing:
        for k, parsed in zip(missing, analyze([texts[k] for k in missing], nlp, batch_size)):
            found[k] = parsed
    return found  # type: ignore[return-value]


def analyze_entities(texts: Sequence[str], nlp: Any, batch_size: int = 256) -> list[tuple[Entity, ...]]:
    """Named entities only (for anchor contexts): runs just the NER part of the pipeline."""
    keep = [p for p in nlp.pipe_names if p in ("tok2vec", "ner")]
    with nlp.select_pipes(enable=keep):
        return [_entities(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]


def _entities(doc: Any) -> tuple[Entity, ...]:
    return tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)


def _tokens(doc: Any, text: str) -> tuple[Token, ...]:
    """The tokens of ``doc`` (parsed from ``text``), read in bulk with ``Doc.to_array`` (much cheaper
    than per-token attributes)."""
    import numpy as np
    from spacy.attrs import DEP, HEAD, IDX, LEMMA, LENGTH, LOWER, POS, TAG
    from spacy.parts_of_speech import NAMES

    strings = doc.vocab.strings
    rows = doc.to_array([LOWER, LEMMA, TAG, POS, DEP, HEAD, IDX, LENGTH])
    heads = rows[:, 5].view(np.int64).tolist()  # offsets to the head, stored as unsigned
    out = []
    for i, (lower, lemma, tag, pos, dep, _, idx, n) in enumerate(rows.tolist()):
        low, pos_name = strings[lower], NAMES[pos] if pos else ""
        lem = verb_lemma(low) if pos_name == "VERB" else strings[lemma].lower()
        out.append(Token(text[idx : idx + n], idx, idx + n, low, lem, strings[tag], pos_name, strings[dep], i + heads[i]))
    return tuple(out)


def _convert(doc: Any, text: str, has_ner: bool) -> Parsed:
    """``doc`` as a :class:`Parsed`; ``text`` is the string it was parsed from (spaCy keeps every
    character, and ``Doc.text`` would rebuild it token by token)."""
    tokens = _tokens(doc, text)
    children: list[list[int]] = [[] for _ in tokens]
    for i, t in enumerate(tokens):
        if t.head != i:
            children[t.head].append(i)
    nps = _noun_phrases(tokens, children)
    np_at = {np.head: k for k, np in enumerate(nps)}
    verbs = _verbs(tokens, children, np_at)
    relations = _relations(tokens, children, np_at, verbs)
    return Parsed(text, tokens, nps, verbs, relations, _entities(doc) if has_ner else None)


def _noun_phrases(tokens: tuple[Token, ...], children: list[list[int]]) -> tuple[NounPhrase, ...]:
    out = []
    for i, t in enumerate(tokens):
        if t.pos != "NOUN" or t.lower in NON_OBJECT_NOUNS or not t.text.isalpha():
            continue
        if t.dep in ("compound", "amod", "nmod") and t.head > i:  # "microwave oven": a modifier
            continue
        # contiguous pre-modifiers that hang off the head or off a word of the phrase ("a red stop
        # sign": "red" modifies "stop")
        first = i
        while first > 0 and first <= tokens[first - 1].head <= i and tokens[first - 1].dep in _NP_DEPS:
            first -= 1
        det = num = None
        count = None
        attributes: list[Attribute] = []
        noun_first = i
        for j in range(first, i):
            m = tokens[j]
            if m.dep == "det" and j == first:
                det = j
                if m.lower in ARTICLES:
                    count = 1
            elif m.dep == "nummod" and number_value(m.text) is not None and num is None:
                num, count = j, number_value(m.text)
            elif m.dep in ("amod", "compound") and m.lower in ATTRIBUTE_CATEGORY and not children[j]:
                attributes.append(Attribute(j, m.text, ATTRIBUTE_CATEGORY[m.lower]))
                noun_first = i
            elif m.dep == "amod" and m.pos == "ADJ" and m.text.isalpha() and not children[j]:
                attributes.append(Attribute(j, m.text, "other"))
                noun_first = i
            elif m.dep == "compound" and m.text.isalpha():
                noun_first = min(noun_first, j)  # "fire hydrant": compounds belong to the noun
            else:
                first = j + 1  # an unhandled modifier: the phrase starts after it
                det = num = count = None
                attributes = []
                noun_first = i
        if num is not None and det is not None and tokens[det].lower in ARTICLES:
            count = number_value(tokens[num].text)
        noun_tokens = tokens[noun_first : i + 1]
        coordinated = t.dep == "conj" or any(tokens[c].dep == "conj" for c in children[i])
        out.append(
            NounPhrase(
                start=tokens[first].start,
                end=t.end,
                det=det,
                num=num,
                count=count,
                attributes=tuple(attributes),
                noun_start=tokens[noun_first].start,
                noun=" ".join(x.text for x in noun_tokens),
                lemma=" ".join([x.lower for x in noun_tokens[:-1]] + [t.lemma]),
                head=i,
                plural=t.tag in ("NNS", "NNPS"),
                dep=t.dep,
                coordinated=coordinated,
                agree=None if coordinated else _agreeing_verb(i, tokens, children),
            )
        )
    return tuple(out)


def _finite(v: int, tokens: tuple[Token, ...], children: list[list[int]]) -> int | None:
    """The finite word of verb ``v``'s group: an auxiliary or the verb itself."""
    for c in children[v]:
        if tokens[c].dep in ("aux", "auxpass") and tokens[c].tag in _FINITE_TAGS:
            return c
    return v if tokens[v].tag in _FINITE_TAGS else None


def _agreeing_verb(i: int, tokens: tuple[Token, ...], children: list[list[int]]) -> int | None:
    t = tokens[i]
    if t.dep in ("nsubj", "nsubjpass"):
        return _finite(t.head, tokens, children)
    if t.dep == "attr" and any(tokens[c].dep == "expl" for c in children[t.head]):
        return _finite(t.head, tokens, children)  # "there are two dogs"
    for c in children[i]:  # "a dog that is sitting": the relative clause agrees with the noun
        if tokens[c].dep == "relcl":
            subj = [s for s in children[c] if tokens[s].dep in ("nsubj", "nsubjpass") and tokens[s].tag in _RELATIVE_TAGS]
            if subj:
                return _finite(c, tokens, children)
    return None


def _verbs(
    tokens: tuple[Token, ...], children: list[list[int]], np_at: dict[int, int]
) -> tuple[Verb, ...]:
    out = []
    for i, t in enumerate(tokens):
        if t.pos != "VERB":
            continue
        subject = obj = neg = None
        aux: list[int] = []
        particle = False
        for c in children[i]:
            dep = tokens[c].dep
            if dep in ("nsubj", "nsubjpass") and c in np_at:
                subject = np_at[c]
            elif dep in ("nsubj", "nsubjpass") and tokens[c].tag in _RELATIVE_TAGS and t.dep == "relcl" and t.head in np_at:
                subject = np_at[t.head]
            elif dep == "dobj" and c in np_at:
                obj = np_at[c]
            elif dep in ("aux", "auxpass"):
                aux.append(c)
            elif dep == "neg":
                neg = c
            elif dep == "prt":
                particle = True
        if subject is None and t.dep == "acl" and t.head in np_at:
            subject = np_at[t.head]  # "a man riding a wave"
        out.append(Verb(i, t.lemma, t.tag, subject, obj, tuple(aux), neg, particle))
    return tuple(out)


def _relations(
    tokens: tuple[Token, ...], children: list[list[int]], np_at: dict[int, int], verbs: tuple[Verb, ...]
) -> tuple[Relation, ...]:
    verb_subject = {v.token: v.subject for v in verbs}
    out = []
    used: set[int] = set()
    for i, t in enumerate(tokens):
        if i in used or t.dep not in ("prep", "prt", "advmod", "ROOT", "pobj", "agent"):
            continue
        words = _multiword_at(tokens, i)
        last = i + len(words) - 1
        if tokens[last].dep not in ("prep", "prt") and len(words) == 1:
            continue  # a particle with an object of its own is a preposition: "skiing down a hill"
        objs = [c for c in children[last] if tokens[c].dep == "pobj" and c in np_at]
        if not objs:
            continue
        used.update(range(i, last + 1))
        attach = tokens[i].head
        head = np_at.get(attach, verb_subject.get(attach))
        out.append(Relation(head, " ".join(words), t.start, tokens[last].end, np_at[objs[0]]))
    return tuple(out)


def _multiword_at(tokens: tuple[Token, ...], i: int) -> tuple[str, ...]:
    for words in _MULTIWORD.get(tokens[i].lower, ()):
        if tuple(t.lower for t in tokens[i : i + len(words)]) == words:
            return words
    return (tokens[i].lower,)

