"""Metrics against hand-computed cases: ties, empty levels, one item, Wilson, curves, paired comparisons."""

from __future__ import annotations

import math

import numpy as np
import pytest

from probes.metrics import ScoredItem, bootstrap_ci, curve_summary, paired_comparison, summarize, wilson


def item(id: str, positive: float, scores: list[float], levels: list[int | None], engines: list[str] | None = None) -> ScoredItem:
    engines = engines or ["e"] * len(scores)
    return ScoredItem(id, positive, scores, engines, ["op"] * len(scores), levels)


def by(rows: list[dict], **key) -> dict:
    (row,) = [r for r in rows if all(r.get(k) == v for k, v in key.items())]
    return row


def test_wilson_matches_hand_computation() -> None:
    lo, hi = wilson(8, 10)
    # p=0.8, z=1.96: centre=(0.8+0.19208)/1.38415=0.71674, half=1.96*sqrt(0.016+0.00096)/1.38415=0.18441
    assert lo == pytest.approx(0.4902, abs=1e-3) and hi == pytest.approx(0.9433, abs=1e-3)
    assert wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0
    assert all(math.isnan(x) for x in wilson(0, 0))


def test_item_and_pairwise_accuracy_with_ties() -> None:
    items = [
        item("a", 1.0, [0.5, 0.2], [1, 2]),  # beats both
        item("b", 1.0, [1.0, 0.2], [1, 2]),  # ties at level 1: a failure there, a win at level 2
        item("c", 0.0, [0.5, 0.7], [1, 2]),  # loses both
    ]
    m = summarize(items)
    overall = m["overall"][0]
    assert (overall["n"], overall["correct"], overall["ties"]) == (3, 1, 1)
    assert overall["chance"] == pytest.approx(1 / 3)
    assert (overall["n_pairs"], overall["pairwise_correct"]) == (6, 3)
    assert overall["pairwise_accuracy"] == 0.5 and overall["pairwise_chance"] == 0.5
    assert by(m["level"], level=1)["correct"] == 1 and by(m["level"], level=1)["ties"] == 1
    assert by(m["level"], level=2)["correct"] == 2
    assert by(m["level"], level=1)["chance"] == 0.5


def test_groups_levels_none_and_engines() -> None:
    items = [
        item("a", 1.0, [0.0, 2.0, 0.5], [1, None, 1], ["x", "y", "x"]),
        item("b", 1.0, [0.0], [3], ["y"]),
    ]
    m = summarize(items)
    assert [r["level"] for r in m["level"]] == [1, 3, None]  # numeric order, None last; no empty level 2
    assert by(m["level"], level=None)["correct"] == 0
    assert by(m["level"], level=1)["chance"] == pytest.approx(1 / 3)  # two level-1 distractors
    assert by(m["engine"], engine="y")["n"] == 2 and by(m["engine"], engine="y")["correct"] == 1
    assert by(m["engine_level"], engine="x", level=1)["correct"] == 1
    assert m["overall"][0]["correct"] == 1


def test_one_item_and_no_items() -> None:
    m = summarize([item("a", 2.0, [1.0], [0])])
    o = m["overall"][0]
    assert (o["n"], o["accuracy"]) == (1, 1.0)
    assert o["lo"] == pytest.approx(0.2065, abs=1e-3)
    assert summarize([]) == {"overall": [], "level": [], "engine": [], "engine_level": [], "op": []}


def test_curve_summary() -> None:
    rows = [
        {"level": 1, "n": 100, "accuracy": 0.9, "lo": 0.83, "chance": 0.5},
        {"level": 2, "n": 100, "accuracy": 0.7, "lo": 0.6, "chance": 0.5},
        {"level": 4, "n": 100, "accuracy": 0.5, "lo": 0.4, "chance": 0.5},
        {"level": None, "n": 5, "accuracy": 0.0, "lo": 0.0, "chance": 0.5},
    ]
    c = curve_summary(rows)
    # trapezoids: (0.9+0.7)/2*1 + (0.7+0.5)/2*2 = 0.8 + 1.2 = 2.0, over span 3
    assert c["auc"] == pytest.approx(2.0 / 3)
    assert c["chance_level"] == 4 and c["levels"] == [1, 2, 4]
    assert curve_summary(rows[:1])["auc"] == 0.9
    assert curve_summary([]) == {"levels": [], "auc": None, "chance_level": None}


def test_paired_comparison_and_bootstrap() -> None:
    a = [item(str(i), 1.0, [0.0], [1]) for i in range(10)]
    b = [item(str(i), 1.0, [0.0 if i < 4 else 2.0], [1]) for i in range(10)]
    (row,) = paired_comparison(a, b)
    assert (row["n"], row["accuracy_a"], row["accuracy_b"]) == (10, 1.0, 0.4)
    assert row["difference"] == pytest.approx(0.6)
    assert row["lo"] <= 0.6 <= row["hi"] and row["lo"] > 0.2
    assert paired_comparison(a, b, seed=3) == paired_comparison(a, b, seed=3)
    assert bootstrap_ci(np.ones(5)) == (1.0, 1.0)
    with pytest.raises(ValueError):
        paired_comparison(a, b[:5])
