"""Image-side distractors: FAISS neighbours plus random draws, graded by calibrated similarity, guarded."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from negatives.difficulty import level_of
from negatives.image_distractors import ENGINE, ImageCorpus, add_image_distractors, text_to_image
from negatives.records import Distractor, Record


def corpus(n: int = 40, dim: int = 8, seed: int = 0) -> ImageCorpus:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    captions = [[f"caption {i}", f"other caption {i}"] for i in range(n)]
    captions[7].append("a red circle")  # image 7 shares a caption with image 0
    return ImageCorpus([f"img{i}.png" for i in range(n)], vectors, captions)


def selection(image: int, caption: str) -> Record:
    source = Record(id=f"r{image}", task="image-caption", anchor={"image": f"img{image}.png"}, positive=caption,
                    meta={"image_id": image, "siblings": ["x"], "line": 3})
    return text_to_image(source)


def test_text_to_image_record() -> None:
    record = selection(0, "a red circle")
    assert record.anchor == {"text": "a red circle"} and record.positive == "img0.png"
    assert record.meta == {"image_id": 0, "selection": "text-to-image"}
    assert Record.from_json(record.to_json()) == record
    with pytest.raises(ValueError):
        text_to_image(Record(id="t", task="text", anchor={"text": "q"}, positive="a"))


def test_distractors_are_graded_images_and_guarded() -> None:
    images = corpus()
    records = [selection(0, "a red circle"), selection(3, "caption 3")]
    stats = add_image_distractors(records, images, per_level=2, neighbours=10, random_draws=39)
    for record in records:
        paths = [d.image for d in record.distractors]
        assert record.positive not in paths
        assert len(paths) == len(set(paths)) > 0
        row = images.row[record.positive]
        for d in record.distractors:
            assert d.text is None and d.engine == ENGINE and d.op in ("retrieve", "random")
            similarity = float(images.vectors[row] @ images.vectors[images.row[d.image]])
            assert d.meta["similarity"] == pytest.approx(similarity, abs=1e-4)
            assert d.level == level_of(d.difficulty)
        assert max(Counter(d.level for d in record.distractors).values()) <= 2
        assert Record.from_json(record.to_json()) == record
    assert "img7.png" not in [d.image for d in records[0].distractors]  # its captions include the positive
    assert stats.removed["same_caption"] >= 1 and stats.removed["same_image"] == 2
    assert stats.items == 2


def test_difficulty_rises_with_similarity() -> None:
    images = corpus()
    values = [images.difficulty(s) for s in (-1.0, -0.2, 0.0, 0.3, 0.9, 1.0)]
    assert values == sorted(values) and values[0] == 0.0 and values[-1] == 1.0
    assert 0.3 < images.difficulty(float(np.median(images.calibration))) < 0.7


def test_nearest_neighbour_is_the_hardest_candidate() -> None:
    images = corpus()
    record = selection(5, "caption 5")
    add_image_distractors([record], images, per_level=5, neighbours=39, random_draws=0)
    sims = images.vectors @ images.vectors[5]
    sims[5] = -2
    nearest = f"img{int(np.argmax(sims))}.png"
    hardest = max(record.distractors, key=lambda d: d.difficulty)
    assert hardest.image == nearest and hardest.op == "retrieve"


def test_ground_truth_guard_and_determinism() -> None:
    images = corpus()
    banned = {"img1.png", "img2.png"}

    def is_true(caption: str, path: str) -> bool | None:
        return True if path in banned else False

    first = [selection(0, "a red circle")]
    stats = add_image_distractors(first, images, neighbours=39, random_draws=0, is_true=is_true, seed=3)
    assert not banned & {d.image for d in first[0].distractors}
    assert stats.removed["true_of_image"] == 2
    again = [selection(0, "a red circle")]
    add_image_distractors(again, images, neighbours=39, random_draws=0, is_true=is_true, seed=3)
    assert [d.to_dict() for d in first[0].distractors] == [d.to_dict() for d in again[0].distractors]


def test_text_distractors_keep_the_text_only_format() -> None:
    record = Record(id="t", task="text", anchor={"text": "q"}, positive="a",
                    distractors=[Distractor(text="b", engine="entity", op="replace")])
    assert "image" not in record.to_dict()["distractors"][0]
    assert Record.from_json(record.to_json()) == record
