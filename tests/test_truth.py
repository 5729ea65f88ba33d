"""The scene-graph validator accepts true captions and rejects each engine's kind of edit."""

from __future__ import annotations

import pytest

from negatives.world.captions import captions
from negatives.world.scene import Group, Item, Scene, sample_scenes
from negatives.world.truth import evaluate, parse


def group(shape: str, colour: str, size: str, *centres: tuple[float, float]) -> Group:
    radius = 0.075 if size == "small" else 0.13
    return Group(shape, colour, size, tuple(Item(shape, colour, size, x, y, radius) for x, y in centres))


# Row: two small red circles (left), a large blue square (middle), a small green triangle (right).
ROW = Scene(1, 7, "row", (
    group("circle", "red", "small", (0.2, 0.4), (0.2, 0.6)),
    group("square", "blue", "large", (0.5, 0.5)),
    group("triangle", "green", "small", (0.8, 0.5)),
), (210, 210, 210))
# Column: a yellow star above two large orange diamonds.
COLUMN = Scene(2, 8, "column", (
    group("star", "yellow", "small", (0.5, 0.27)),
    group("diamond", "orange", "large", (0.35, 0.73), (0.65, 0.73)),
), (220, 220, 220))


@pytest.mark.parametrize("scene, caption", [
    (ROW, "two small red circles"),
    (ROW, "a picture of two red circles"),
    (ROW, "there are 2 red circles"),
    (ROW, "red circles"),
    (ROW, "a big blue square"),
    (ROW, "a blue square to the left of a green triangle"),
    (ROW, "a green triangle to the right of two small red circles"),
    (ROW, "two red circles left of a large blue square, and a triangle on the right of the blue square"),
    (ROW, "a large blue square next to a small green triangle"),
    (ROW, "a drawing of a small green triangle and two circles"),
    (COLUMN, "a yellow star above two large orange diamonds"),
    (COLUMN, "two orange diamonds below a star"),
    (COLUMN, "two large orange diamonds under a small yellow star"),
    (COLUMN, "three shapes"),
])
def test_true_captions(scene: Scene, caption: str) -> None:
    assert evaluate(caption, scene) is True


@pytest.mark.parametrize("scene, caption, kind", [
    (ROW, "a red square to the left of a green triangle", "colour replacement"),
    (ROW, "a blue circle to the left of a green triangle", "shape replacement"),
    (ROW, "a blue square to the left of a green star", "shape replacement"),
    (ROW, "a black square", "colour outside the world"),
    (ROW, "a blue hexagon", "shape outside the world"),
    (ROW, "a dog to the left of a green triangle", "entity replacement outside the world"),
    (ROW, "two small red planets", "entity replacement outside the world"),
    (ROW, "two red small circles and a green blue square", "binding swap leaving two colours on one noun"),
    (ROW, "two enormous red circles", "size replacement"),
    (ROW, "a green square to the left of a blue triangle", "attribute swap"),
    (ROW, "a small blue square to the left of a large green triangle", "size swap"),
    (ROW, "two large red circles", "size replacement"),
    (ROW, "three small red circles", "count change"),
    (ROW, "a small red circle", "count change"),
    (ROW, "two blue squares", "count change"),
    (ROW, "a blue square to the right of a green triangle", "relation flip"),
    (ROW, "a blue square above a green triangle", "relation replacement"),
    (ROW, "a green triangle to the left of a blue square", "role swap"),
    (ROW, "two red circles to the right of a large blue square", "relation flip"),
    (ROW, "two red circles to the left of a large blue square, and a green triangle to the left of a square",
     "relation flip in the second clause"),
    (COLUMN, "a yellow star below two large orange diamonds", "relation flip"),
    (COLUMN, "two large orange diamonds above a small yellow star", "role swap"),
    (COLUMN, "an orange star above two large yellow diamonds", "attribute swap"),
    (COLUMN, "a yellow star to the left of two orange diamonds", "relation replacement"),
    (COLUMN, "two yellow stars", "count change"),
])
def test_engine_edits_are_false(scene: Scene, caption: str, kind: str) -> None:
    assert evaluate(caption, scene) is False, kind


@pytest.mark.parametrize("caption", [
    "a violet square",  # a colour close to one of ours: cannot decide
    "a blue ball to the left of a green triangle",  # a noun that may name one of our shapes
    "a blue square behind a green triangle",  # a relation the world has no depth for
    "a shiny blue square",  # a material/adjective the world does not model
    "a blue square to the left of",  # not a caption of the grammar
    "",
])
def test_undecidable_captions_are_unknown(caption: str) -> None:
    assert evaluate(caption, ROW) is None


def test_ambiguous_relation_is_unknown() -> None:
    # 0.1 apart on both axes: neither clearly left of nor clearly not left of
    diagonal = Scene(3, 9, "row", (
        group("circle", "red", "small", (0.3, 0.3)),
        group("square", "blue", "small", (0.4, 0.4)),
    ), (200, 200, 200))
    assert evaluate("a red circle to the left of a blue square", diagonal) is None


def test_every_generated_caption_is_true() -> None:
    scenes = sample_scenes(400, seed=11)
    verdicts = {evaluate(text, scene) for scene in scenes for text in captions(scene, n=6)}
    assert verdicts == {True}


def test_captions_of_one_scene_are_false_of_most_others() -> None:
    scenes = sample_scenes(60, seed=3)
    text = captions(scenes[0], n=1)[0]
    verdicts = [evaluate(text, other) for other in scenes[1:]]
    assert verdicts.count(False) > len(verdicts) // 2


def test_parse_structure() -> None:
    clauses = parse("a picture of two small red circles to the left of a blue square, and a star")
    assert [len(c) for c in clauses] == [3, 1]
    first, relation, second = clauses[0]
    assert (first.count, first.size, first.colour, first.shape, relation) == (2, "small", "red", "circle", "left")
    assert (second.count, second.colour, second.shape) == (1, "blue", "square")
