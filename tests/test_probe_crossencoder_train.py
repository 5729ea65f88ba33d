"""The built-in cross-encoder's training data and cache (training itself: tests/test_probe_scorers.py)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from negatives.world.scene import sample_scenes
from negatives.world.truth import evaluate
from probes import crossencoder_train
from probes.crossencoder_train import TrainConfig, edit, groups, held_out


def test_groups_hold_one_true_caption_then_false_ones() -> None:
    scenes = {s.id: s for s in sample_scenes(30, seed=3)}
    data = groups(list(scenes.values()), negatives=2, seed=3)
    assert len(data) > 60
    descriptions = {crossencoder_train.description(s): s for s in scenes.values()}
    for anchor, (true, *false) in data:
        scene = descriptions[anchor]
        assert evaluate(true, scene) is True
        assert len(false) == 2 and all(evaluate(f, scene) is False for f in false)
    assert data == groups(list(scenes.values()), negatives=2, seed=3)  # seeded
    assert len(held_out(10)) > 20


def test_edit_changes_a_world_word_and_keeps_articles_right() -> None:
    rng = random.Random(0)
    caption = "a red star to the left of two small blue squares"
    edits = {edit(caption, rng) for _ in range(60)}
    assert caption not in edits and len(edits) > 10
    assert not [e for e in edits if re.search(r"\ba [aeiou]|\ban [^aeiou]", e)]  # "an orange star", "a red star"
    assert edit("nothing to change here", rng) is None


def test_default_is_trained_once_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    class Saved:
        def save(self, path: str) -> None:
            (Path(path) / "config.json").write_text("{}")

    calls = []
    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path))
    monkeypatch.setattr(crossencoder_train, "train", lambda config, log=None: (calls.append(config), (Saved(), []))[1])
    tiny = TrainConfig(scenes=5)
    first = crossencoder_train.default_world_crossencoder(tiny)
    assert crossencoder_train.default_world_crossencoder(tiny) == first and len(calls) == 1
    assert Path(first).name == f"world-crossencoder-{tiny.key()}" and tiny.key() != TrainConfig().key()
