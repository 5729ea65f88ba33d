"""Scene graphs of the built-in world and their seeded sampling.

A scene holds 1-3 *groups*; a group is 1-3 identical shapes (same shape, colour and size) clustered
around an anchor.  Groups lie on one line -- a row (left to right) or a column (top to bottom) --
so every pair of groups stands in a clear spatial relation on one axis and none on the other.
Coordinates are fractions of the canvas side (0 = left/top, 1 = right/bottom).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any

SHAPES = ("circle", "square", "triangle", "star", "diamond")
COLOURS = ("red", "green", "blue", "yellow", "purple", "orange")
SIZES = ("small", "large")
LAYOUTS = ("row", "column")

RADIUS = {"small": 0.075, "large": 0.13}
MAX_ITEMS = 4
MAX_COUNT = {"small": 3, "large": 2}
# Anchor positions along the layout axis, by number of groups.
ANCHORS = {1: (0.5,), 2: (0.27, 0.73), 3: (0.18, 0.5, 0.82)}
AXIS_JITTER = 0.02
CROSS_JITTER = 0.025


@dataclass(frozen=True)
class Item:
    """One drawn shape: centre (x, y) and radius as fractions of the canvas side."""

    shape: str
    colour: str
    size: str
    x: float
    y: float
    radius: float
    angle: float = 0.0


@dataclass(frozen=True)
class Group:
    """``count`` identical shapes drawn next to each other."""

    shape: str
    colour: str
    size: str
    items: tuple[Item, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def centre(self) -> tuple[float, float]:
        return centroid(self.items)


@dataclass(frozen=True)
class Scene:
    """One image's ground truth: groups, layout and the seed its rendering noise uses."""

    id: int
    seed: int
    layout: str
    groups: tuple[Group, ...]
    background: tuple[int, int, int]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Scene:
        groups = tuple(
            Group(g["shape"], g["colour"], g["size"], tuple(Item(**i) for i in g["items"]))
            for g in d["groups"]
        )
        return cls(int(d["id"]), int(d["seed"]), d["layout"], groups, tuple(d["background"]))


def centroid(items: tuple[Item, ...] | list[Item]) -> tuple[float, float]:
    n = len(items)
    return sum(i.x for i in items) / n, sum(i.y for i in items) / n


def sample_scene(scene_id: int, seed: int) -> Scene:
    """Draw one scene; the same (scene_id, seed) always gives the same scene."""
    rng = random.Random(f"negatives-world:{seed}:{scene_id}")
    n_groups = rng.choices((1, 2, 3), weights=(0.2, 0.45, 0.35))[0]
    kinds: list[tuple[str, str, str]] = []
    while len(kinds) < n_groups:
        kind = (rng.choice(SHAPES), rng.choice(COLOURS), rng.choice(SIZES))
        if kind not in kinds:
            kinds.append(kind)
    counts = [1] * n_groups
    for g in rng.sample(range(n_groups), n_groups):
        room = min(MAX_COUNT[kinds[g][2]], MAX_ITEMS - sum(counts) + counts[g])
        counts[g] = rng.randint(1, room)
    layout = rng.choice(LAYOUTS)
    cross = 0.5 + rng.uniform(-CROSS_JITTER, CROSS_JITTER)
    groups = []
    for (shape, colour, size), count, anchor in zip(kinds, counts, ANCHORS[n_groups]):
        along = anchor + rng.uniform(-AXIS_JITTER, AXIS_JITTER)
        radius = RADIUS[size] * rng.uniform(0.94, 1.05)
        step = 2 * radius + 0.03
        items = []
        for k in range(count):
            offset = (k - (count - 1) / 2) * step
            wobble = rng.uniform(-0.01, 0.01)
            x, y = (along + wobble, cross + offset) if layout == "row" else (cross + offset, along + wobble)
            items.append(Item(shape, colour, size, round(x, 4), round(y, 4), round(radius, 4),
                              round(rng.uniform(-12.0, 12.0), 2)))
        groups.append(Group(shape, colour, size, tuple(items)))
    grey = rng.randint(190, 235)
    background = tuple(grey + rng.randint(-12, 12) for _ in range(3))
    return Scene(scene_id, rng.randrange(2**31), layout, tuple(groups), background)  # type: ignore[arg-type]


def sample_scenes(n: int, seed: int = 0, start: int = 0) -> list[Scene]:
    """Scenes ``start .. start+n-1`` of the world with this seed."""
    return [sample_scene(i, seed) for i in range(start, start + n)]
