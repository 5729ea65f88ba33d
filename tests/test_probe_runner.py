"""The runner's cache (each unique text, pair or item scored once), skipping, plain callables, the spec parser."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pytest

from negatives.records import Distractor, Record
from probes.runner import candidates, run_scorer
from probes.scorers import build_scorer, build_scorers, parse_spec
from probes.scorers.base import EmbeddingScorer, ImagePath, ItemScorer, PairScorer
from probes.scorers.blind import LengthScorer, NgramScorer


def rec(id: str, anchor: str, positive: str, *negatives: str, level: int = 1) -> Record:
    ds = [Distractor(text=n, engine="e", op="o", level=level) for n in negatives]
    return Record(id=id, task="text", anchor={"text": anchor}, positive=positive, distractors=ds)


RECORDS = [
    rec("1", "a dog", "a dog runs", "a cat runs", "a dog sits"),
    rec("2", "a dog", "a dog sits", "a dog runs", "a cat runs"),  # same anchor, same texts again
    rec("3", "a cat", "a cat runs", "a dog runs"),
    Record(id="4", task="text", anchor={"text": "x"}, positive="no distractors"),
]


class CountingEmbedder(EmbeddingScorer):
    """Bag-of-letters vectors; counts how often each text is encoded."""

    kind = "counting"

    def __init__(self) -> None:
        super().__init__()
        self.seen: Counter[str] = Counter()

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.update(texts)
        out = np.zeros((len(texts), 26), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                if ch.isalpha():
                    out[i, ord(ch) - 97] += 1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class CountingPairs(PairScorer):
    kind = "counting-pairs"

    def __init__(self) -> None:
        super().__init__()
        self.seen: Counter[tuple[str, str]] = Counter()

    def score_pairs(self, anchors, candidates) -> list[float]:  # noqa: ANN001
        self.seen.update((a["text"], c) for a, c in zip(anchors, candidates))
        return [float(c.startswith(a["text"])) for a, c in zip(anchors, candidates)]


def test_embedding_scorer_encodes_each_unique_text_once() -> None:
    scorer = CountingEmbedder()
    run = run_scorer(RECORDS, scorer, batch_size=2, progress=False)
    unique = {"a dog", "a cat", "a dog runs", "a cat runs", "a dog sits"}
    assert set(scorer.seen) == unique and set(scorer.seen.values()) == {1}
    assert run.stats["unique_texts"] == len(unique) and run.skipped == 1 and len(run.items) == 3
    direct = scorer({"text": "a dog"}, ["a dog runs", "a cat runs", "a dog sits"])
    assert [run.items[0].positive, *run.items[0].scores] == pytest.approx(direct)


def test_pair_scorer_scores_each_unique_pair_once() -> None:
    scorer = CountingPairs()
    run = run_scorer(RECORDS, scorer, batch_size=3, progress=False)
    assert set(scorer.seen.values()) == {1}
    assert len(scorer.seen) == run.stats["unique_pairs"] == 5  # "a dog" x 3 texts + "a cat" x 2 texts
    assert [(i.positive, i.scores) for i in run.items][2] == (1.0, [0.0])


def test_plain_callable_and_item_dedup() -> None:
    calls: list[tuple] = []

    def longest(anchor: dict, cands: list[str]) -> list[float]:
        calls.append((anchor["text"], tuple(cands)))
        return [len(c) for c in cands]

    records = [*RECORDS, rec("5", "a cat", "a cat runs", "a dog runs")]  # a duplicate item
    run = run_scorer(records, longest, progress=False)
    assert len(calls) == len(set(calls)) == 3 and run.stats["unique_items"] == 3
    assert len(run.items) == 4


def test_bad_scores_are_rejected() -> None:
    with pytest.raises(ValueError, match="2 scores for 3"):
        run_scorer(RECORDS[:1], lambda a, c: [1.0, 2.0], progress=False)
    with pytest.raises(ValueError, match="NaN"):
        run_scorer(RECORDS[:1], lambda a, c: [float("nan")] * len(c), progress=False)


def test_item_scorer_batches() -> None:
    class First(ItemScorer):
        kind = "first"
        batches: list[int] = []

        def score_items(self, items):  # noqa: ANN001
            self.batches.append(len(items))
            return [[-i for i in range(len(c))] for _, c in items]

    run = run_scorer(RECORDS, First(), batch_size=2, progress=False)
    assert First.batches == [2, 1] and all(i.positive > max(i.scores) for i in run.items)


def test_image_candidates() -> None:
    r = Record(id="i", task="image-caption", anchor={"text": "a dog"}, positive="dog.png",
               distractors=[Distractor(text=None, engine="e", op="o", image="cat.png")])  # fmt: skip
    assert candidates(r) == ["dog.png", "cat.png"] and all(isinstance(c, ImagePath) for c in candidates(r))


def test_spec_parser_and_registry() -> None:
    assert parse_spec("lm:some/model,reduction=sum,prompt=Q: {text}\\nA:") == (
        "lm", "some/model", {"reduction": "sum", "prompt": "Q: {text}\nA:"})  # fmt: skip
    assert parse_spec("blind-ngram,n=3,k=0.5") == ("blind-ngram", None, {"n": 3, "k": 0.5})
    assert parse_spec('lm, prompt="{text} " ,start=false,n="3"') == (  # quoted: a string, spaces kept
        "lm", None, {"prompt": "{text} ", "start": False, "n": "3"})  # fmt: skip
    assert isinstance(build_scorer("blind-length,prefer=longer,unit=words"), LengthScorer)
    with pytest.raises(ValueError, match="unknown scorer kind"):
        build_scorer("nope")
    with pytest.raises(ValueError, match="key=value"):
        parse_spec("lm,reduction")
    with pytest.raises(ValueError):
        build_scorer("blind-length,colour=red")
    panel = build_scorers(["blind"], RECORDS)
    assert list(panel) == ["blind-length", "blind-ngram", "blind-lm-prior-sum", "blind-lm-prior-mean"]


def test_length_scorer() -> None:
    s = LengthScorer()
    assert s({}, ["a dog ", "a big dog"]) == [-5.0, -9.0]
    assert LengthScorer(prefer="longer", unit="words")({}, ["a dog", "a big dog"]) == [2.0, 3.0]


def test_ngram_leave_one_out() -> None:
    positives = ["a dog runs on the grass", "a dog sits on the grass", "a cat runs on the road"]
    records = [rec(str(i), "", p, "x") for i, p in enumerate(positives)]
    s = NgramScorer(reduction="sum")
    s.prepare(records)
    # leave-one-out: a positive's own counts are removed, so it scores exactly like an unseen text
    loo = NgramScorer(reduction="sum")
    loo.prepare(records[1:])
    assert loo.vocab == s.vocab  # every word of positives[0] occurs in the others too
    assert s({}, [positives[0]]) == pytest.approx(loo({}, [positives[0]]), abs=1e-9)
    # ... and so is the item's distractor: the positive's counts are out for every candidate of the item
    neg = "a dog runs on the road"
    assert s({}, [positives[0], neg])[1] == pytest.approx(loo({}, [neg])[0], abs=1e-9)
    fluent, scrambled = s({}, ["a dog runs on the road", "road the on runs dog a"])
    assert fluent > scrambled
