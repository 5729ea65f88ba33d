"""The sweep figure: sample sizes on it, thin levels greyed, a panel per scorer when there are many."""

from __future__ import annotations

import random

from matplotlib.collections import PolyCollection

from negatives.records import Distractor, Record
from probes.api import evaluate
from probes.plots import GREY, MIN_N, sweep_figure

SIZES = {1: 3, 2: 12, 3: 20}  # items per level: level 1 is too thin to read


def records() -> list[Record]:
    out = []
    for level, n in SIZES.items():
        for i in range(n):
            distractors = [Distractor(f"wrong {engine} {level} {i}", engine, "op", level=level) for engine in ("count", "entity")]
            out.append(Record(f"{level}-{i}", "text", {}, f"right answer {level} {i}", distractors))
    return out


def scorer(seed: int):  # noqa: ANN201
    rng = random.Random(seed)
    return lambda anchor, candidates: [rng.random() for _ in candidates]


def texts(ax) -> list[str]:  # noqa: ANN001
    return [t.get_text() for t in ax.texts]


def test_each_level_shows_its_items_and_a_thin_level_is_grey() -> None:
    report = evaluate(records(), {"a": scorer(1), "b": scorer(2)}, progress=False)
    fig = sweep_figure(report["scorers"], "engine")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["count", "entity"]
    for ax in panels:
        assert texts(ax) == [f"n={n}" for n in SIZES.values()]  # under each level, shared by both scorers
        grey = [t for t in ax.texts if t.get_color() == GREY]
        assert [t.get_text() for t in grey] == [f"n={SIZES[1]}"] and SIZES[1] < MIN_N
        hollow = [line for line in ax.lines if line.get_color() == GREY and line.get_markerfacecolor() == "white"]
        assert [list(line.get_xdata()) for line in hollow] == [[1], [1]]  # one thin point per scorer
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert len(bands) == 2 and all(c.get_paths()[0].vertices[:, 0].min() == 2 for c in bands)  # no band at level 1
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["a", "b", f"fewer than {MIN_N} items", "chance"]


def test_more_than_three_scorers_get_a_panel_each() -> None:
    scorers = {name: scorer(i) for i, name in enumerate(["lm", "biencoder", "blind-length", "blind-ngram", "blind-prior"])}
    fig = sweep_figure(evaluate(records(), scorers, progress=False)["scorers"], "engine")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == list(scorers)
    for ax in panels:
        labels = ax.get_legend_handles_labels()[1]
        assert {"count", "entity"} <= set(labels) and not set(scorers) & set(labels)
    one = sweep_figure(evaluate(records(), scorers, progress=False)["scorers"], "all")
    assert [ax.get_title() for ax in one.axes if ax.get_visible()] == list(scorers)
