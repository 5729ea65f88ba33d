"""Ground truth for world captions: evaluate a caption against a scene graph -> True / False / None.

The world's captions follow a small grammar, so a caption is parsed by pattern matching against the
world's own vocabulary::

    caption := [medium-prefix] clause ((", and" | "," | "and") clause)*
    clause  := ["there is" | "there are"] np [relation np]
    np      := [article | number | "the" | "some" | "several"] adjective* shape-noun

A noun phrase is true when the number of shapes matching its attributes equals its number (``a``/``one``
= 1, a bare plural or ``some`` = at least 2); a relation compares the centroids of the two matched
sets.  The world is closed: a colour it does not use ("black") or a head noun that names no shape of
it ("hexagon", "planet") makes its noun phrase match nothing, and two different colours (or sizes) on
one noun ("an orange green triangle") match nothing either.  Words the world cannot decide -- a noun
that may name one of our shapes ("ball", "rectangle"), a colour close to one of ours ("violet"), an
unknown adjective, a relation such as "behind" -- make the answer None: unknown, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from negatives.records import Record
from negatives.world.captions import NUMBERS, plural
from negatives.world.scene import COLOURS, SHAPES, Item, Scene, centroid

ABSENT = "<absent>"  # an attribute value no shape of the world has
ABSENT_COLOURS = ("black", "white", "brown", "pink", "gray", "grey", "silver", "beige", "tan")
SIZE_WORDS = {"small": "small", "little": "small", "tiny": "small", "miniature": "small",
              "large": "large", "big": "large", "huge": "large", "giant": "large", "enormous": "large",
              "gigantic": "large", "massive": "large"}
SHAPE_SYNONYMS = {"rhombus": "diamond", "lozenge": "diamond"}
# Nouns that may name one of our shapes (or several): a caption using them cannot be decided.
UNSURE_NOUNS = ("ball", "disc", "disk", "dot", "spot", "ring", "oval", "ellipse", "sphere", "rectangle", "box",
                "block", "tile", "quadrilateral", "cube", "polygon", "wedge", "pyramid", "asterisk", "pentagram",
                "gem", "jewel", "kite", "form", "figure", "sign", "symbol", "mark", "icon", "piece")
GENERIC_NOUNS = ("shape", "object", "thing", "item")
MEDIA = ("picture", "image", "drawing", "photo", "photograph", "painting", "illustration", "sketch", "render")
AT_LEAST_TWO = ("some", "several", "many")
RELATIONS = {
    ("to", "the", "left", "of"): "left", ("on", "the", "left", "of"): "left", ("left", "of"): "left",
    ("to", "the", "right", "of"): "right", ("on", "the", "right", "of"): "right", ("right", "of"): "right",
    ("above",): "above", ("over",): "above", ("on", "top", "of"): "above",
    ("below",): "below", ("under",): "below", ("underneath",): "below", ("beneath",): "below",
    ("next", "to"): "next", ("beside",): "next",
}
CHECK = "world_truth"  # name of the check in Distractor.checks
CLEAR = 0.15  # centroid offset (canvas fraction) that makes a relation true
NONE_AT_ALL = 0.06  # offset at or below which a relation is false


class Unknown(Exception):
    """The caption uses words or structure the world cannot evaluate."""


@dataclass(frozen=True)
class NounPhrase:
    count: int  # exact count, or -2 for "at least two"
    shape: str | None  # None: any shape ("shape", "object")
    colour: str | None
    size: str | None

    def matches(self, scene: Scene) -> list[Item]:
        return [
            i for i in scene.items
            if self.shape in (None, i.shape) and self.colour in (None, i.colour) and self.size in (None, i.size)
        ]

    def holds(self, items: list[Item]) -> bool:
        return len(items) >= 2 if self.count == -2 else len(items) == self.count


def _nouns() -> dict[str, tuple[str | None, bool]]:
    """noun -> (shape or ABSENT or None for generic, plural?)."""
    table: dict[str, tuple[str | None, bool]] = {}
    for words, value in ((SHAPES, None), (tuple(SHAPE_SYNONYMS), None), (GENERIC_NOUNS, "generic")):
        for word in words:
            shape = SHAPE_SYNONYMS.get(word, word) if value is None else value
            shape = None if shape == "generic" else shape
            table[word] = (shape, False)
            table[plural(word) if not word.endswith(("s", "x")) else word + "es"] = (shape, True)
    return table


NOUNS = _nouns()


class _Parser:
    def __init__(self, caption: str):
        self.tokens = re.findall(r"[a-z]+|\d+|,", caption.lower())
        self.pos = 0

    def peek(self, k: int = 0) -> str | None:
        return self.tokens[self.pos + k] if self.pos + k < len(self.tokens) else None

    def accept(self, *words: str) -> bool:
        if tuple(self.tokens[self.pos:self.pos + len(words)]) == words:
            self.pos += len(words)
            return True
        return False

    def ends_phrase(self, k: int) -> bool:
        """Whether the token ``k`` ahead ends a noun phrase (end, separator or relation)."""
        word = self.peek(k)
        return word in (None, ",", "and") or any(
            tuple(self.tokens[self.pos + k:self.pos + k + len(w)]) == w for w in RELATIONS)

    def caption(self) -> list[tuple]:
        if self.peek() in ("a", "an") and self.peek(1) in MEDIA and self.peek(2) == "of":
            self.pos += 3
        clauses = [self.clause()]
        while self.peek() is not None:
            if not (self.accept(",", "and") or self.accept(",") or self.accept("and")):
                raise Unknown(f"unexpected {self.peek()!r}")
            clauses.append(self.clause())
        return clauses

    def clause(self) -> tuple:
        self.accept("there", "is") or self.accept("there", "are")
        first = self.noun_phrase()
        for words, relation in RELATIONS.items():
            if self.accept(*words):
                return first, relation, self.noun_phrase()
        return (first,)

    def noun_phrase(self) -> NounPhrase:
        word = self.peek()
        count: int | None = None
        definite = False
        if word in ("a", "an"):
            count = 1
        elif word in NUMBERS:
            count = NUMBERS.index(word)
        elif word is not None and word.isdigit():
            count = int(word)
        elif word in AT_LEAST_TWO:
            count = -2
        elif word == "the":
            definite = True
        if count is not None or definite:
            self.pos += 1
        colour = size = None
        while (word := self.peek()) is not None and word not in NOUNS:
            if word in COLOURS or word in ABSENT_COLOURS:
                value, slot = (word if word in COLOURS else ABSENT), "colour"
            elif word in SIZE_WORDS:
                value, slot = SIZE_WORDS[word], "size"
            elif self.ends_phrase(1):
                break  # a head noun outside our shape words
            else:
                raise Unknown(f"unknown word {word!r}")
            old = colour if slot == "colour" else size
            value = value if old in (None, value) else ABSENT  # "an orange green triangle": nothing
            colour, size = (value, size) if slot == "colour" else (colour, value)
            self.pos += 1
        if word is None:
            raise Unknown("noun phrase without a noun")
        if word in NOUNS:
            shape, is_plural = NOUNS[word]
        elif word.rstrip("s") in UNSURE_NOUNS or word in UNSURE_NOUNS:
            raise Unknown(f"{word!r} may name one of the world's shapes")
        else:
            shape, is_plural = ABSENT, word.endswith("s")
        self.pos += 1
        if count is None:
            count = -2 if is_plural else 1
        return NounPhrase(count, shape, colour, size)


def _relation_holds(relation: str, a: list[Item], b: list[Item]) -> bool | None:
    (ax, ay), (bx, by) = centroid(a), centroid(b)
    offset = {"left": bx - ax, "right": ax - bx, "above": by - ay, "below": ay - by}
    if relation == "next":
        if abs(bx - ax) >= CLEAR and abs(by - ay) <= NONE_AT_ALL:
            return True
        return None
    if offset[relation] >= CLEAR:
        return True
    if offset[relation] <= NONE_AT_ALL:
        return False
    return None


def _clause_truth(clause: tuple, scene: Scene) -> bool | None:
    matched = [(np, np.matches(scene)) for np in clause[::2]]
    if not all(np.holds(items) for np, items in matched):
        return False
    if len(clause) == 1:
        return True
    if not (matched[0][1] and matched[1][1]):
        return None
    return _relation_holds(clause[1], matched[0][1], matched[1][1])


def parse(caption: str) -> list[tuple]:
    """Clauses ``(np,)`` or ``(np, relation, np)``; raises Unknown outside the grammar."""
    return _Parser(caption).caption()


def evaluate(caption: str, scene: Scene) -> bool | None:
    """True / False for the scene, or None when the caption is outside what the world can decide."""
    try:
        clauses = parse(caption)
    except Unknown:
        return None
    return truth_of(clauses, scene)


def truth_of(clauses: list[tuple], scene: Scene) -> bool | None:
    """Kleene conjunction of the parsed clauses' verdicts."""
    verdicts = [_clause_truth(clause, scene) for clause in clauses]
    if False in verdicts:
        return False
    return None if None in verdicts else True


def check_distractors(record: Record, scene: Scene) -> None:
    """Record in ``checks[CHECK]`` whether each text distractor is false of ``scene``.

    True: the caption is false of the scene (a valid distractor); False: it is true of the scene (not
    a negative at all); None: the world cannot decide.
    """
    for d in record.distractors:
        if d.text is not None:
            verdict = evaluate(d.text, scene)
            d.checks[CHECK] = None if verdict is None else not verdict


def validity_by_engine(records: list[Record]) -> dict[str, dict[str, float]]:
    """Per engine: how many checked distractors are false (valid), true, unknown, and the valid share."""
    counts: dict[str, dict[str, float]] = {}
    for d in (d for r in records for d in r.distractors if CHECK in d.checks):
        row = counts.setdefault(d.engine, {"false": 0, "true": 0, "unknown": 0})
        row[{True: "false", False: "true", None: "unknown"}[d.checks[CHECK]]] += 1
    for row in counts.values():
        row["validity"] = round(row["false"] / max(1, row["false"] + row["true"] + row["unknown"]), 4)
    return dict(sorted(counts.items()))


class TruthCheck:
    """A check for :class:`negatives.builder.GradedSetBuilder`: each record's candidates are judged
    against its scene (``scenes[record.meta["image_id"]]``) and only the false ones are kept;
    :meth:`validity` counts the verdicts per engine over everything it saw."""

    def __init__(self, scenes: dict[Any, Scene]) -> None:
        self.scenes = scenes
        self.seen: list[Record] = []

    def __call__(self, record: Record) -> None:
        check_distractors(record, self.scenes[record.meta["image_id"]])
        self.seen.append(Record(record.id, record.task, record.anchor, record.positive, list(record.distractors)))
        record.distractors = [d for d in record.distractors if d.checks.get(CHECK) is True]

    def validity(self) -> dict[str, dict[str, float]]:
        return validity_by_engine(self.seen)
