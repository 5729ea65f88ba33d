"""The ``answer`` engine: text tasks only: change the one detail a short answer gives.

Operators:

* ``number`` — a number becomes a near one, written the same way: "Eight legs." -> "Six legs.",
  "206 bones." -> "208 bones.", "In 1945." -> "In 1944.", "On the 25th of December." -> "On the
  24th ..." (a year, four digits from 1000 to 2100, by a few years; a day of the month within 1..31);
  never to or from 0 or 1 (the noun's number would have to change).
* ``time`` — a month, season, weekday or part of the day becomes another of its kind ("In autumn."
  -> "In spring.", "July." -> "August.").
* ``colour`` — a colour becomes a distant one ("Yellow." -> "Purple."; never red to orange, which
  people use for one shade, :data:`~negatives.lexicon.CLOSE_COLOURS`).

An image caption is left alone: the other engines edit captions, and a question's checks
(:mod:`negatives.answer_checks`) judge these edits against the question.
"""

from __future__ import annotations

import random

from negatives.analysis import Parsed
from negatives.engines.base import Candidate, Context, Replacement, candidate, draw
from negatives.lexical import match_case
from negatives.lexicon import ATTRIBUTE_GROUPS, CLOSE_COLOURS, DAYPARTS, MONTHS, SEASONS, WEEKDAYS
from negatives.number_words import Number, numbers, write_like

CYCLES: tuple[tuple[str, ...], ...] = (MONTHS, SEASONS, WEEKDAYS, DAYPARTS)
"""Times of one kind, in order: the nearest ones come first."""
YEARS = range(1000, 2101)


def _nearest(cycle: tuple[str, ...], k: int) -> list[str]:
    """The other words of ``cycle``, the nearest to its ``k``-th first (both ways round)."""
    n = len(cycle)
    return sorted((x for x in cycle if x != cycle[k]), key=lambda x: min((cycle.index(x) - k) % n, (k - cycle.index(x)) % n))


TIMES: dict[str, list[str]] = {word: _nearest(cycle, k) for cycle in CYCLES for k, word in enumerate(cycle)}
_GROUP = {w: group for group in ATTRIBUTE_GROUPS["colour"] for w in group}
COLOURS: dict[str, list[str]] = {
    w: [g[0] for g in ATTRIBUTE_GROUPS["colour"] if g is not group and g[0] not in CLOSE_COLOURS.get(w, ())]
    for w, group in _GROUP.items()
}
"""Each colour word's distant colours."""


def near_values(n: Number) -> list[int]:
    """Values near ``n``'s, the nearest first: a year moves by a few years, a day of the month stays
    in 1..31, a count by one or two, a large number by about a tenth."""
    v = n.value
    if n.ordinal:
        steps = [v - 1, v + 1, v - 2, v + 2, v - 5, v + 5]
        return [x for x in steps if 1 <= x <= 31]
    if v in YEARS and n.text.isdigit():  # "1945", not "1,000" nor "one thousand"
        return [x for x in (v - 1, v + 1, v - 2, v + 2, v - 5, v + 5, v - 10, v + 10) if x in YEARS]
    if v <= 12:
        steps = [v - 2, v + 2, v - 1, v + 1, v * 2]
    else:
        tenth = max(2, round(v / 10))
        steps = [v - 2, v + 2, v - tenth, v + tenth, v * 2, v // 2]
    return list(dict.fromkeys(x for x in steps if x > 1 and x != v))


class AnswerEngine:
    name = "answer"
    OPS = ("number", "time", "colour")
    DEFAULT_OPS = OPS

    def __init__(self, alternatives: int = 4) -> None:
        self.alternatives = alternatives  # new values drawn per number, time or colour

    def propose(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        if context.task != "text":
            return []
        return self.number(parsed, rng) + self.time(parsed, rng) + self.colour(parsed, rng)

    def number(self, parsed: Parsed, rng: random.Random) -> list[Candidate]:
        out = []
        for n in numbers(parsed.text):
            if n.value <= 1:
                continue  # "one leg" -> "three leg": the noun would have to change too
            options = near_values(n)[: self.alternatives + 2]
            for value in draw(rng, options, self.alternatives):
                new = write_like(value, n)
                c = candidate(parsed, "number", [Replacement(n.start, n.end, new)], delta=value - n.value) if new else None
                if c:
                    out.append(c)
        return out

    def _words(
        self, parsed: Parsed, op: str, choices: dict[str, list[str]], rng: random.Random, nearest: bool = False
    ) -> list[Candidate]:
        """Each token with alternatives in ``choices`` becomes up to ``alternatives`` of them (drawn
        from the nearest few with ``nearest``)."""
        out = []
        for t in parsed.tokens:
            options = choices.get(t.lower, [])
            for new in draw(rng, options[: self.alternatives + 1] if nearest else options, self.alternatives):
                c = candidate(parsed, op, [Replacement(t.start, t.end, match_case(new, t.text))])
                if c:
                    out.append(c)
        return out

    def time(self, parsed: Parsed, rng: random.Random) -> list[Candidate]:
        return self._words(parsed, "time", TIMES, rng, nearest=True)

    def colour(self, parsed: Parsed, rng: random.Random) -> list[Candidate]:
        return self._words(parsed, "colour", COLOURS, rng)
