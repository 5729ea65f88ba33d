"""Debiased selection: a biased pool ends near 50% for every blind scorer, keeping the yield."""

from __future__ import annotations

import numpy as np
import pytest

from negatives.audit.verdict import outcomes
from negatives.debias import debias, select
from negatives.records import Distractor, Record
from probes.scorers.blind import LengthScorer


def biased_pool(n_items: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four candidates per item; scorer 0 prefers the positive on 3 of them (75%), scorer 1 is noise."""
    rng = np.random.default_rng(seed)
    margins, items = [], []
    for i in range(n_items):
        signs = rng.permutation([1.0, 1.0, 1.0, -1.0])
        for s in signs:
            margins.append([s * rng.uniform(0.5, 2.0), rng.normal()])
            items.append(i)
    return np.array(margins), np.array(items)


def accuracy(margins: np.ndarray) -> np.ndarray:
    return outcomes(margins).mean(axis=0)


def test_select_brings_a_biased_scorer_to_chance_and_keeps_every_item() -> None:
    margins, items = biased_pool(400)
    assert accuracy(margins)[0] == pytest.approx(0.75)
    mask = select(margins, items, per_item=1, tolerance=0.02, seed=0)
    acc = accuracy(margins[mask])
    assert np.all(np.abs(acc - 0.5) <= 0.02), acc
    assert len(set(items[mask])) == 400  # every item has a counter-biased candidate: no yield lost
    assert np.bincount(items[mask]).max() == 1


def test_select_respects_the_cap_and_fills_it_when_balance_allows() -> None:
    margins, items = biased_pool(200)
    mask = select(margins, items, per_item=2, tolerance=0.02, seed=0)
    counts = np.bincount(items[mask], minlength=200)
    assert counts.max() == 2 and counts.min() >= 1
    assert np.all(np.abs(accuracy(margins[mask]) - 0.5) <= 0.02)
    assert mask.sum() == 400  # one biased + one counter candidate per item balances exactly


def test_select_drops_items_only_when_balance_needs_it() -> None:
    # 150 items can only offer a candidate the scorer gets right, 50 can also offer one it gets wrong:
    # the largest balanced selection keeps the 50 flexible items (wrong side) and 50 forced ones
    margins = np.array([[1.0]] * 150 + [[1.0], [-1.0]] * 50)
    items = np.array(list(range(150)) + [i for i in range(150, 200) for _ in range(2)])
    mask = select(margins, items, per_item=1, tolerance=0.0, seed=0)
    assert accuracy(margins[mask])[0] == 0.5
    assert len(set(items[mask])) == 100
    assert set(range(150, 200)) <= set(items[mask].tolist())


def test_select_is_deterministic_by_seed() -> None:
    margins, items = biased_pool(100)
    a = select(margins, items, 1, 0.02, seed=3)
    assert np.array_equal(a, select(margins, items, 1, 0.02, seed=3))


def make_records() -> list[Record]:
    """Each item: two longer distractors and one shorter, for two engines; plus an image distractor."""
    base = ["a dog on a couch", "two cats on a bed", "a man on a horse", "a red bus on a road", "a bowl of soup", "a girl with a kite"]
    recs = []
    for i, text in enumerate(base):
        ds = []
        for engine in ("entity", "binding"):
            ds += [
                Distractor(text=text + " at night", engine=engine, op="add", level=1),
                Distractor(text="a big " + text[2:], engine=engine, op="add", level=1),
                Distractor(text=text.rsplit(" ", 1)[0], engine=engine, op="drop", level=1),
            ]
        ds.append(Distractor(text=None, engine="image", op="neighbour", image=f"{i}.jpg"))
        recs.append(Record(id=str(i), task="image-caption", anchor={"image": f"{i}.jpg"}, positive=text, distractors=ds))
    return recs


def test_debias_records_balances_each_engine_keeps_order_and_image_distractors() -> None:
    recs = make_records()
    out, stats = debias(recs, {"length": LengthScorer()}, per_engine=1, seed=0, tolerance=0.0)
    assert [r.id for r in out] == [r.id for r in recs]
    for g in stats.groups:
        assert g["before"]["length"]["accuracy"] == pytest.approx(2 / 3)
        assert g["after"]["length"]["accuracy"] == 0.5
        assert g["items_before"] == 6 and g["items_after"] == 6 and g["yield_kept"] == 1.0
    for before, after in zip(recs, out):
        engines = [d.engine for d in after.distractors]
        assert engines.count("entity") == 1 and engines.count("binding") == 1 and engines.count("image") == 1
        positions = [before.distractors.index(d) for d in after.distractors]
        assert positions == sorted(positions)
    assert "yield kept 100.0%" in stats.table()
    again, _ = debias(recs, {"length": LengthScorer()}, per_engine=1, seed=0, tolerance=0.0)
    assert [r.to_json() for r in again] == [r.to_json() for r in out]


def test_debias_accepts_any_callable_scorer_and_rejects_an_empty_panel() -> None:
    def shorter(anchor: dict, candidates: list[str]) -> list[float]:
        return [-float(len(c)) for c in candidates]

    out, stats = debias(make_records(), {"shorter": shorter}, per_engine=2, tolerance=0.0)
    assert all(abs(g["after"]["shorter"]["accuracy"] - 0.5) < 1e-9 for g in stats.groups)
    assert all(g["pairs_after"] >= 6 for g in stats.groups)
    with pytest.raises(ValueError):
        debias(make_records(), {}, per_engine=1)
