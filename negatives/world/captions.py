"""True captions of a scene, of varying length, written the way people caption pictures.

Kinds: a single noun phrase ("two small red circles"), a list ("a blue star and a yellow square"),
a spatial relation ("a blue square to the left of a green triangle") and a long caption (every
attribute spelt out; two chained relations when the scene has three groups).  A noun phrase's number is the count of all matching shapes in the scene, and a relation only
links noun phrases that pick out exactly one group, so every caption is true by construction
(``negatives.world.truth`` checks that independently).
"""

from __future__ import annotations

import random

from negatives.world.scene import Group, Scene

NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
PREFIXES = ("a picture of ", "an image of ", "a drawing of ")
KINDS = ("object", "relation", "list", "long")
RELATIONS = {  # layout -> (phrase for earlier-before-later, phrase for later-before-earlier)
    "row": ("to the left of", "to the right of"),
    "column": ("above", "below"),
}


def plural(shape: str) -> str:
    return shape + "s"


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def noun_phrase(count: int, shape: str, colour: str | None = None, size: str | None = None) -> str:
    """``two small red circles`` / ``an orange star`` (omitted attributes are left out)."""
    words = [w for w in (size, colour) if w]
    if count == 1:
        return " ".join([article((words or [shape])[0]), *words, shape])
    return " ".join([NUMBERS[count], *words, plural(shape)])


def describe(scene: Scene, group: Group, rng: random.Random, unique: bool, full: bool = False) -> str | None:
    """A noun phrase for ``group`` with a random subset of its attributes (all of them with ``full``).

    With ``unique`` the phrase must match this group's shapes and no others (for relations); returns
    None when the drawn subset does not.
    """
    colour = group.colour if full or rng.random() < 0.85 else None
    size = group.size if full or rng.random() < 0.55 else None
    matching = [
        i for i in scene.items
        if i.shape == group.shape and colour in (None, i.colour) and size in (None, i.size)
    ]
    if unique and len(matching) != group.count:
        return None
    return noun_phrase(len(matching), group.shape, colour, size)


def _relation(scene: Scene, a: int, b: int, rng: random.Random, full: bool = False) -> str | None:
    """``<group a> <relation> <group b>`` (groups are indexed in layout order)."""
    first = describe(scene, scene.groups[a], rng, True, full)
    second = describe(scene, scene.groups[b], rng, True, full)
    if first is None or second is None:
        return None
    before, after = RELATIONS[scene.layout]
    phrase = before if a < b else after
    if scene.layout == "row" and rng.random() < 0.12:
        phrase = "next to"
    return f"{first} {phrase} {second}"


def _pair(scene: Scene, rng: random.Random) -> tuple[int, int]:
    a, b = rng.sample(range(len(scene.groups)), 2)
    return a, b


def caption(scene: Scene, kind: str, rng: random.Random) -> str | None:
    """One caption of ``kind`` (None when the scene cannot have that kind or the draw failed)."""
    groups = scene.groups
    if kind == "object":
        text = describe(scene, rng.choice(groups), rng, False)
        return f"{rng.choice(PREFIXES)}{text}" if text and rng.random() < 0.3 else text
    if len(groups) < 2:
        return None
    if kind == "list":
        parts = [describe(scene, groups[i], rng, False) for i in sorted(rng.sample(range(len(groups)), 2))]
        return None if None in parts else f"{parts[0]} and {parts[1]}"
    if kind == "relation":
        return _relation(scene, *_pair(scene, rng), rng)
    if kind == "long":
        a, b = _pair(scene, rng)
        text = _relation(scene, a, b, rng, full=True)
        if text and len(groups) > 2:
            third = 3 - a - b
            rest = _relation(scene, *rng.choice(((third, a), (third, b), (a, third), (b, third))), rng)
            text = f"{text}, and {rest}" if rest else None
        prefix = rng.choice(PREFIXES) if rng.random() < 0.5 else ""
        return f"{prefix}{text}" if text else None
    raise ValueError(f"unknown caption kind {kind!r}")


def captions(scene: Scene, n: int = 5, seed: int = 0, attempts: int = 60) -> list[str]:
    """Up to ``n`` distinct true captions, cycling through the caption kinds for varied lengths."""
    rng = random.Random(f"negatives-captions:{seed}:{scene.id}")
    out: list[str] = []
    for attempt in range(attempts):
        if len(out) == n:
            break
        text = caption(scene, KINDS[attempt % len(KINDS)], rng)
        if text and text not in out:
            out.append(text)
    return out


def description(scene: Scene) -> str:
    """A written description of the whole scene (the context of the world's text task)."""
    parts = [noun_phrase(g.count, g.shape, g.colour, g.size) for g in scene.groups]
    total = len(scene.items)
    shapes = "one shape" if total == 1 else f"{NUMBERS[total]} shapes"
    if len(parts) == 1:
        return f"The picture shows {shapes}: {parts[0]}."
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}"
    order = "from left to right" if scene.layout == "row" else "from top to bottom"
    line = "in a row" if scene.layout == "row" else "in a column"
    return f"The picture shows {shapes} {line}; {order}: {listed}."
