"""The scene world: seeded sampling, deterministic rendering, captions and the files on disk."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from negatives.errors import OutputExists
from negatives.readers import Reject, read_records
from negatives.world.build import build_world, load_scenes
from negatives.world.captions import captions
from negatives.world.render import render
from negatives.world.scene import MAX_ITEMS, Scene, sample_scene, sample_scenes


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sampling_is_deterministic_and_varied() -> None:
    assert sample_scenes(30, seed=4) == sample_scenes(30, seed=4)
    assert sample_scenes(30, seed=4) != sample_scenes(30, seed=5)
    assert sample_scene(17, seed=4) == sample_scenes(20, seed=4)[17]
    scenes = sample_scenes(300, seed=4)
    assert {len(s.groups) for s in scenes} == {1, 2, 3}
    assert {s.layout for s in scenes} == {"row", "column"}
    assert all(1 <= len(s.items) <= MAX_ITEMS for s in scenes)
    assert all(len({(g.shape, g.colour, g.size) for g in s.groups}) == len(s.groups) for s in scenes)


def test_groups_lie_on_one_axis() -> None:
    for scene in sample_scenes(200, seed=2):
        centres = [g.centre for g in scene.groups]
        along = 0 if scene.layout == "row" else 1
        positions = [c[along] for c in centres]
        assert positions == sorted(positions)
        assert all(b - a > 0.25 for a, b in zip(positions, positions[1:]))
        assert max(c[1 - along] for c in centres) - min(c[1 - along] for c in centres) < 0.05


def test_rendering_is_deterministic_and_depends_on_the_scene() -> None:
    scene = sample_scene(3, seed=1)
    first, again = render(scene, 64), render(scene, 64)
    assert first.size == (64, 64) and first.mode == "RGB"
    assert first.tobytes() == again.tobytes()
    assert render(sample_scene(4, seed=1), 64).tobytes() != first.tobytes()
    assert render(scene, 96).size == (96, 96)
    assert render(scene, 64, noise=False).tobytes() != first.tobytes()


def test_shapes_are_drawn_in_their_colour() -> None:
    scene = sample_scene(0, seed=0)
    image = render(scene, 128, noise=False)
    for item in scene.items:
        r, g, b = image.getpixel((int(item.x * 128), int(item.y * 128)))
        assert max(abs(r - scene.background[0]), abs(g - scene.background[1]), abs(b - scene.background[2])) > 40


def test_captions_vary_in_length_and_are_distinct() -> None:
    lengths = Counter()
    for scene in sample_scenes(100, seed=0):
        texts = captions(scene)
        assert len(texts) == len(set(texts)) >= 3
        lengths.update(len(t.split()) for t in texts)
    assert min(lengths) <= 3 and max(lengths) >= 15


def test_build_writes_coco_and_scene_graphs(tmp_path: Path) -> None:
    files = build_world(tmp_path / "a", 12, seed=3, size=64)
    again = build_world(tmp_path / "b", 12, seed=3, size=64)
    doc = json.loads(files.captions.read_text())
    assert [img["id"] for img in doc["images"]] == list(range(12))
    assert len(doc["annotations"]) >= 12 * 3
    assert digest(files.captions) == digest(again.captions)
    assert digest(files.scenes) == digest(again.scenes)
    for img in doc["images"]:
        assert digest(files.images / img["file_name"]) == digest(again.images / img["file_name"])
    scenes = load_scenes(files.scenes)
    assert scenes == {s.id: s for s in sample_scenes(12, seed=3)}
    assert Scene.from_dict(scenes[5].to_dict()) == scenes[5]
    records = list(read_records(files.captions, fmt="coco", image_root=files.images))
    assert not [r for r in records if isinstance(r, Reject)]
    assert all(Path(r.anchor_image).is_file() for r in records)
    first = records[0]
    assert first.positive not in first.siblings and len(first.siblings) >= 2


def test_build_refuses_to_overwrite(tmp_path: Path) -> None:
    build_world(tmp_path, 2)
    with pytest.raises(OutputExists):
        build_world(tmp_path, 2)
    build_world(tmp_path, 2, overwrite=True)
