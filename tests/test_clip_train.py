"""The small world CLIP: a few seconds of training lowers the loss; saved weights load back and score."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from negatives.world.build import build_world

torch = pytest.importorskip("torch")

from negatives import clip_train  # noqa: E402
from negatives.clip_train import TrainConfig  # noqa: E402

TINY = TrainConfig(scenes=32, epochs=8, batch_size=16, lr=2e-3, seed=1)


@pytest.fixture(scope="module")
def trained() -> tuple:
    return clip_train.train(TINY)


def batch_loss(model, preprocess, tokenizer) -> float:
    from negatives.world.scene import sample_scenes

    images, texts = clip_train.examples(sample_scenes(32, TINY.seed), preprocess, TINY.seed)
    with torch.no_grad():
        image_features, text_features, scale = model(images, tokenizer([t[0] for t in texts]))[:3]
        return float(clip_train.contrastive_loss(image_features, text_features, scale))


def test_training_lowers_the_loss(trained: tuple) -> None:
    model, preprocess, tokenizer, losses = trained
    assert len(losses) == TINY.epochs * (TINY.scenes // TINY.batch_size)
    fresh = clip_train.new_model(TINY.seed)
    before = batch_loss(*fresh)
    assert batch_loss(model, preprocess, tokenizer) < before - 0.2
    assert np.mean(losses[-3:]) < np.mean(losses[:3])


def test_new_model_is_seeded_and_shaped() -> None:
    a, preprocess, tokenizer = clip_train.new_model(5)
    b, *_ = clip_train.new_model(5)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    from negatives.world.render import render
    from negatives.world.scene import sample_scene

    image = preprocess(render(sample_scene(0, 0))).unsqueeze(0)
    assert tuple(image.shape) == (1, 3, clip_train.IMAGE_SIZE, clip_train.IMAGE_SIZE)
    with torch.no_grad():
        assert a.encode_image(image).shape == (1, clip_train.MODEL_CONFIG["embed_dim"])
        assert a.encode_text(tokenizer(["two small red circles"])).shape == (1, clip_train.MODEL_CONFIG["embed_dim"])


def test_saved_model_loads_and_the_clip_scorer_uses_it(trained: tuple, tmp_path: Path) -> None:
    from probes.scorers.clip import ClipScorer

    model = trained[0]
    builtin = clip_train.save(model, tmp_path / "clip")
    assert Path(builtin.pretrained).is_file() and Path(builtin.config).is_file()
    scorer = ClipScorer(builtin.config, builtin.pretrained)
    world = build_world(tmp_path / "world", 3, seed=TINY.seed)
    image = str(world.images / "scene_000000.png")
    texts = ["two small red circles", "a blue square to the left of a green triangle"]
    vectors = scorer.encode_texts(texts)
    assert vectors.shape == (2, clip_train.MODEL_CONFIG["embed_dim"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    with torch.no_grad():
        reference = torch.nn.functional.normalize(model.encode_text(scorer.loaded[2](texts)), dim=-1).numpy()
    assert np.allclose(vectors, reference, atol=1e-5)
    assert scorer.encode_images([image]).shape == (1, clip_train.MODEL_CONFIG["embed_dim"])


def test_default_clip_trains_once_then_comes_from_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                            trained: tuple) -> None:
    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path))
    calls = []

    def fake_train(config: TrainConfig, log=None) -> tuple:
        calls.append(config)
        return trained

    monkeypatch.setattr(clip_train, "train", fake_train)
    first = clip_train.default_world_clip(TINY)
    second = clip_train.default_world_clip(TINY)
    assert first == second and len(calls) == 1
    assert Path(first.pretrained).parent.name == f"world-clip-{TINY.key()}"
    assert TINY.key() != TrainConfig().key()


def test_retrieval_accuracy_is_reported(trained: tuple) -> None:
    model, preprocess, tokenizer, _ = trained
    result = clip_train.retrieval_accuracy(model, preprocess, tokenizer, n=40)
    assert 0 <= result["image_to_text_r1"] <= 1 and 0 <= result["text_to_image_r1"] <= 1
    assert result["chance"] == 1 / 40
