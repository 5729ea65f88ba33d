"""Difficulty: the documented formula, fixed levels monotone in difficulty, easy random captions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negatives.difficulty import (
    changed_share,
    edit_distance,
    combine,
    easy_random,
    level_edges,
    level_of,
    score_difficulty,
    tokens,
)
from negatives.records import Distractor, Edit, Record

POSITIVE = "A red car parked next to a blue truck."
CANDIDATES = {
    "unrelated": "Two people playing tennis on a clay court.",
    "neighbour": "A white van parked on the side of a street.",
    "replace": "A red car parked next to a blue bus.",
    "swap": "A blue car parked next to a red truck.",
}


@pytest.fixture(scope="module")
def embedder():
    from negatives.embeddings import Embedder
    from negatives.models import load_embedder

    return Embedder(load_embedder())


def scored(embedder) -> dict[str, Distractor]:
    record = Record("1", "image-caption", {"image": "1.jpg"}, POSITIVE)
    record.distractors = [Distractor(text, "test", op) for op, text in CANDIDATES.items()]
    record.distractors.append(Distractor(None, "test", "image", image="other.jpg"))
    score_difficulty([record], embedder)
    return {d.op: d for d in record.distractors}


def test_changed_share() -> None:
    a = tokens(POSITIVE)
    assert changed_share(a, a) == 0.0
    assert changed_share(a, tokens(CANDIDATES["replace"])) == pytest.approx(1 / 9)
    assert changed_share(a, tokens(CANDIDATES["swap"])) == pytest.approx(2 / 9)
    assert changed_share(["a", "b"], ["c", "d", "e"]) == 1.0
    assert changed_share([], []) == 0.0


def _levenshtein(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from("a b c dog the".split()), max_size=70), st.lists(st.sampled_from("a b c dog cat".split()), max_size=70))
def test_edit_distance_is_levenshtein(a: list[str], b: list[str]) -> None:
    assert edit_distance(a, b) == _levenshtein(a, b) == edit_distance(b, a)


def test_formula_and_fixed_levels() -> None:
    assert combine(1.0, 0.0, True) == 1.0
    assert combine(-0.3, 1.0, False) == 0.0  # negative similarity counts as none
    assert combine(0.5, 0.5, False) == pytest.approx(0.6 * 0.5 + 0.3 * 0.5)
    assert level_edges(5) == [0.2, 0.4, 0.6, 0.8]
    assert [level_of(x) for x in (0.0, 0.19, 0.2, 0.59, 0.8, 1.0)] == [1, 1, 2, 3, 5, 5]
    grid = [i / 1000 for i in range(1001)]
    for k in (2, 3, 5, 7):
        got = [level_of(x, k) for x in grid]
        assert got == sorted(got) and got[0] == 1 and got[-1] == k


def test_real_scores_order_the_candidates(embedder) -> None:
    d = scored(embedder)
    order = [d[op].difficulty for op in ("unrelated", "neighbour", "replace")]
    assert order == sorted(order)
    assert d["unrelated"].level == 1
    assert d["replace"].level >= 4 and d["swap"].level >= 4
    assert d["swap"].meta["signals"]["same_words"] is True
    assert d["replace"].meta["signals"]["same_words"] is False
    assert d["image"].difficulty is None and d["image"].level is None
    levels = [x.level for x in sorted((x for x in d.values() if x.level), key=lambda x: x.difficulty)]
    assert levels == sorted(levels)


def test_edit_distractors_are_scored_from_their_text(embedder) -> None:
    record = Record("1", "text", {}, POSITIVE)
    start = POSITIVE.index("truck")
    edit = Edit((start, start + 5), "truck", "bus")
    record.distractors = [Distractor(edit.apply(POSITIVE), "entity", "replace", edit=edit)]
    score_difficulty([record], embedder)
    assert record.distractors[0].text == CANDIDATES["replace"]
    assert 0 < record.distractors[0].difficulty <= 1


def records_for_random() -> list[Record]:
    out = []
    for i in range(30):
        captions = [f"caption {i} number {j}" for j in range(3)]
        for j, c in enumerate(captions):
            out.append(Record(f"{i}-{j}", "image-caption", {"image": f"{i}.jpg"}, c,
                              meta={"siblings": [s for s in captions if s != c]}))
    return out


def test_easy_random_never_returns_own_or_sibling_and_is_order_independent() -> None:
    records = records_for_random()
    first = easy_random(records, seed=3, n=2)
    for r in records:
        texts = [d.text for d in first[r.id]]
        assert len(texts) == 2 and len(set(texts)) == 2
        assert r.positive not in texts and not set(texts) & set(r.siblings)
        assert all(d.engine == "random" and d.op == "sample" for d in first[r.id])
    shuffled = easy_random(list(reversed(records)), seed=3, n=2)
    assert {k: [d.text for d in v] for k, v in first.items()} == {k: [d.text for d in v] for k, v in shuffled.items()}
    other = easy_random(records, seed=4, n=2)
    assert any([d.text for d in first[k]] != [d.text for d in other[k]] for k in first)
