"""Compositions: the word pairs a caption puts together, read off its parse, and their counts.

A composition is ``(relation, head, dependent)`` with lemmas:

* ``amod``  — a noun and an attribute before it: ``("amod", "ball", "red")``;
* ``num``   — a noun and how it is counted, ``"1"`` ("a dog", "one dog") or ``"n"`` ("two dogs");
* ``subj``  — a verb and the head noun of its subject: ``("subj", "throw", "pitcher")``;
* ``obj``   — a verb and the head noun of its object: ``("obj", "ride", "horse")``;
* ``prep``  — the word a preposition hangs on and the preposition: ``("prep", "sit", "on")``;
* ``pobj``  — a preposition and the head noun of its object: ``("pobj", "on", "bench")``;
* ``pp``    — both ends of a preposition and the preposition: ``("pp", "sit|bench", "on")``;
* ``with``  — two object nouns of one caption, in alphabetical order: ``("with", "mirror", "sink")``
  (what is seen together: "a bathroom sink and a computer" has no such caption).

Engines declare the compositions an edit creates (a noun replaced takes its slot's attributes, count,
verb and prepositions: :func:`compositions` with ``words`` and ``involving``);
:class:`CompositionCounts` says how often people wrote each one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from negatives.analysis import ATTRIBUTE_CATEGORY, NounPhrase, Parsed
from negatives.lexical import noun_lexname

Composition = tuple[str, str, str]


def count_word(count: int) -> str:
    """The ``num`` dependent for a count: ``"1"`` or ``"n"``."""
    return "1" if count == 1 else "n"


def noun_key(np: NounPhrase) -> str:
    """The noun a composition names for ``np``: its last two words where they are a compound ("stop
    sign", "teddy bear"; joined where WordNet knows them so: "skateboard" for "skate board"), an
    adjective outside the attribute categories and its noun where WordNet knows the pair ("polar
    bear"; a "white house" is a house), else its head lemma. A teddy bear on a toilet is then no
    licence for a polar bear there, nor riding a skate board for riding a cutting board; a compound
    captions seldom name is read as its head (:meth:`PlausibilityModel.unattested`)."""
    words = np.lemma.split()
    if len(words) > 1:
        return compound(words[-2], words[-1], always=True)
    last = np.attributes[-1].text.lower() if np.attributes else ""
    return compound(last, words[-1]) if last not in ATTRIBUTE_CATEGORY else words[-1]


@lru_cache(maxsize=100_000)
def compound(first: str, head: str, always: bool = False) -> str:
    """``first head`` (or ``firsthead``) where WordNet knows it as a noun; else ``first head`` if
    ``always``, else ``head``."""
    for form in (f"{first} {head}", f"{first}{head}") if first else ():
        if noun_lexname(form) is not None:
            return form
    return f"{first} {head}" if always and first else head


Ref = tuple[str, int] | str
"""One end of an arc: ``("np", k)`` (noun phrase k), ``("verb", v)`` (``parsed.verbs[v]``),
``("rel", j)`` (the preposition of ``parsed.relations[j]``), ``("tok", i)`` (any other token) or a
literal word."""
Arc = tuple[str, tuple[Ref, ...], Ref]
"""(relation, head, dependent); a head of two references reads as ``"a|b"``."""


_last: list[Any] = [None, [], {}]
"""The last parse :func:`arcs` read, its arcs and their indices by reference: an engine asks again
for every candidate."""


def arcs(parsed: Parsed) -> list[Arc]:
    """The caption's compositions with their ends as references, so an edit can re-read them with
    other words in some slots (:func:`compositions`). Besides the pairs of the module docstring,
    ``pp`` ties a preposition to both its ends: ``("pp", "sit|bench", "on")``."""
    if _last[0] is parsed:
        return _last[1]
    out: list[Arc] = []
    for k, np in enumerate(parsed.nps):
        key = noun_key(np)
        out += [("amod", (("np", k),), a.text.lower()) for a in np.attributes if not key.startswith(f"{a.text.lower()} ")]
        if np.count is not None:
            out.append(("num", (("np", k),), count_word(np.count)))
        out += [("with", (("np", k),), ("np", j)) for j in range(k + 1, len(parsed.nps))]
    for v, verb in enumerate(parsed.verbs):
        if verb.subject is not None:
            out.append(("subj", (("verb", v),), ("np", verb.subject)))
        if verb.object is not None:
            out.append(("obj", (("verb", v),), ("np", verb.object)))
    np_at = {np.head: k for k, np in enumerate(parsed.nps)}
    verb_at = {verb.token: v for v, verb in enumerate(parsed.verbs)}
    for j, r in enumerate(parsed.relations):
        prep, obj = ("rel", j), ("np", r.object)
        out.append(("pobj", (prep,), obj))
        i = attachment(parsed, r.start)
        if i is not None:
            ref: Ref = ("np", np_at[i]) if i in np_at else ("verb", verb_at[i]) if i in verb_at else ("tok", i)
            out += [("prep", (ref,), prep), ("pp", (ref, obj), prep)]
    index: dict[Ref, list[int]] = {}
    for k, (_, head, dep) in enumerate(out):
        for ref in {*head, dep}:
            index.setdefault(ref, []).append(k)
    _last[:] = [parsed, out, index]
    return out


def compositions(
    parsed: Parsed, words: dict[Ref, str] | None = None, involving: Iterable[Ref] | None = None
) -> list[Composition]:
    """The compositions of ``parsed`` with the slots in ``words`` holding other lemmas; with
    ``involving``, only those with an end among these references (what an edit creates)."""
    words = words or {}
    keep = None if involving is None else set(involving)
    out = []
    for relation, head, dep in arcs(parsed) if keep is None else _involving(parsed, keep):
        first, second = "|".join(_word(parsed, h, words) for h in head), _word(parsed, dep, words)
        if relation == "with":
            if first == second:
                continue
            first, second = sorted((first, second))
        out.append((relation, first, second))
    return out


def _involving(parsed: Parsed, keep: set[Ref]) -> list[Arc]:
    """The arcs of ``parsed`` with an end among ``keep``, in order (read from an index of the arcs
    by reference, built with them)."""
    all_arcs = arcs(parsed)
    index = _last[2]
    found = sorted({k for ref in keep for k in index.get(ref, ())})
    return [all_arcs[k] for k in found]


def _word(parsed: Parsed, ref: Ref, words: dict[Ref, str]) -> str:
    if isinstance(ref, str):
        return ref
    if ref in words:
        return words[ref]
    kind, k = ref
    if kind == "np":
        return noun_key(parsed.nps[k])
    if kind == "rel":
        return parsed.relations[k].prep
    return parsed.verbs[k].lemma if kind == "verb" else parsed.tokens[k].lemma


def attachment(parsed: Parsed, start: int) -> int | None:
    """The token a preposition starting at char ``start`` hangs on (None if none)."""
    for i, t in enumerate(parsed.tokens):
        if t.start == start:
            return t.head if t.head != i else None
    return None


class CompositionCounts:
    """How often each composition was written, and how often each head took each relation."""

    def __init__(self, counts: Counter[Composition] | None = None) -> None:
        self.counts: Counter[Composition] = Counter()
        self.heads: Counter[tuple[str, str]] = Counter()
        if counts:
            self.update(counts)

    def update(self, found: Iterable[Composition] | Counter[Composition]) -> None:
        items = found.items() if isinstance(found, Counter) else ((c, 1) for c in found)
        for c, n in items:
            self.counts[c] += n
            self.heads[c[0], c[1]] += n

    def observe(self, parsed: Parsed) -> None:
        self.update(compositions(parsed))

    def merged(self, other: CompositionCounts) -> CompositionCounts:
        out = CompositionCounts(self.counts)
        out.update(other.counts)
        return out

    def __getitem__(self, c: Composition) -> int:
        return self.counts.get(c, 0)

    def head_count(self, relation: str, head: str) -> int:
        return self.heads.get((relation, head), 0)

    def __len__(self) -> int:
        return len(self.counts)

    def to_rows(self) -> list[list[Any]]:
        return [[*c, n] for c, n in sorted(self.counts.items())]

    @classmethod
    def from_rows(cls, rows: Iterable[list[Any]]) -> CompositionCounts:
        return cls(Counter({(r, h, d): int(n) for r, h, d, n in rows}))
