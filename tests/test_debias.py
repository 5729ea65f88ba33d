"""Debiased selection: a biased pool ends near 50% for every blind scorer, keeping the yield."""

from __future__ import annotations

import numpy as np
import pytest

import itertools

from negatives.audit.verdict import outcomes
from negatives.debias import binding_scorers, debias, select
from negatives.engines import OVERGENERATION, overgeneration
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
    mask, proven = select(margins, items, per_item=1, tolerance=0.02, seed=0)
    assert proven
    acc = accuracy(margins[mask])
    assert np.all(np.abs(acc - 0.5) <= 0.02), acc
    assert len(set(items[mask])) == 400  # every item has a counter-biased candidate: no yield lost
    assert np.bincount(items[mask]).max() == 1


def test_select_respects_the_cap_and_fills_it_when_balance_allows() -> None:
    margins, items = biased_pool(200)
    mask, _ = select(margins, items, per_item=2, tolerance=0.02, seed=0)
    counts = np.bincount(items[mask], minlength=200)
    assert counts.max() == 2 and counts.min() >= 1
    assert np.all(np.abs(accuracy(margins[mask]) - 0.5) <= 0.02)
    assert mask.sum() == 400  # one biased + one counter candidate per item balances exactly


def test_select_drops_items_only_when_balance_needs_it() -> None:
    # 150 items can only offer a candidate the scorer gets right, 50 can also offer one it gets wrong:
    # the largest balanced selection keeps the 50 flexible items (wrong side) and 50 forced ones
    margins = np.array([[1.0]] * 150 + [[1.0], [-1.0]] * 50)
    items = np.array(list(range(150)) + [i for i in range(150, 200) for _ in range(2)])
    mask, _ = select(margins, items, per_item=1, tolerance=0.0, seed=0)
    assert accuracy(margins[mask])[0] == 0.5
    assert len(set(items[mask])) == 100
    assert set(range(150, 200)) <= set(items[mask].tolist())


def brute_force_items(margins: np.ndarray, items: np.ndarray, tolerance: float) -> int:
    """The most items any selection of at most one candidate per item keeps inside the band."""
    d = outcomes(margins) - 0.5
    owners = sorted(set(items.tolist()))
    choices = [[None, *np.flatnonzero(items == i)] for i in owners]
    best = 0
    for pick in itertools.product(*choices):
        rows = [c for c in pick if c is not None]
        if len(rows) > best and np.all(np.abs(d[rows].sum(0)) <= tolerance * len(rows) + 1e-9):
            best = len(rows)
    return best


@pytest.mark.parametrize("seed", range(4))
def test_select_keeps_the_most_items_any_balanced_selection_can(seed: int) -> None:
    rng = np.random.default_rng(seed)
    items = np.repeat(np.arange(9), rng.integers(1, 4, size=9))
    margins = rng.choice([-1.0, 0.0, 1.0, 1.0], size=(len(items), 3))  # three scorers, half prefer the positive
    mask, _ = select(margins, items, per_item=1, tolerance=0.1, seed=seed)
    assert np.all(np.abs(outcomes(margins[mask]).mean(0) - 0.5) <= 0.1 + 1e-9)
    assert len(set(items[mask].tolist())) == mask.sum() == brute_force_items(margins, items, 0.1) > 0


def test_binding_scorers_name_the_scorer_that_costs_the_yield() -> None:
    # scorer 0 prefers the positive of every candidate of items 0-59 and can be balanced only by items 60-79;
    # scorer 1 always has a candidate of each sign
    margins, items = [], []
    for i in range(80):
        first = 1.0 if i < 60 else -1.0
        margins += [[first, 1.0], [first, -1.0]]
        items += [i, i]
    kept = binding_scorers(np.array(margins), np.array(items), per_item=1, tolerance=0.0)
    assert kept == [(80, True), (40, True), (40, True)]  # without scorer 0: every item; without scorer 1 or with both: 20 + 20


def test_overgeneration_passes_only_options_the_engines_take() -> None:
    from negatives.engines import build_engines

    assert overgeneration(["count"]) == {"alternatives": OVERGENERATION["alternatives"]}
    for names in (["entity"], ["binding"], ["count"], ["relation"], ["entity", "binding", "count", "relation"]):
        build_engines(names, **overgeneration(names))  # raises on an option no selected engine takes


def test_select_is_deterministic_by_seed() -> None:
    margins, items = biased_pool(100)
    a, _ = select(margins, items, 1, 0.02, seed=3)
    assert np.array_equal(a, select(margins, items, 1, 0.02, seed=3)[0])


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


def test_a_selection_out_of_time_stays_in_the_band_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import negatives.debias as debias_module

    rng = np.random.default_rng(0)
    margins = rng.normal(0.3, 1.0, size=(3000, 4))  # four scorers, each biased towards the positive
    items = np.repeat(np.arange(600), 5)
    assert select(margins[:200], items[:200], per_item=2, tolerance=0.02)[1]  # a small group is proven
    monkeypatch.setattr(debias_module, "MILP_TIME_LIMIT", 1e-3)
    mask, proven = select(margins, items, per_item=2, tolerance=0.02)
    assert not proven
    assert not mask.any() or np.all(np.abs(accuracy(margins[mask]) - 0.5) <= 0.02 + 1e-9)  # the best found, in the band
    _, stats = debias(make_records(), {"length": LengthScorer()}, per_engine=1, seed=0, tolerance=0.0, progress=False)
    assert not any(g["proven"] for g in stats.groups) and "not proven the largest" in stats.table()
