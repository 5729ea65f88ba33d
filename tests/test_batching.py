"""Batches sized by real token counts: one long text never pads a whole batch to its length."""

from __future__ import annotations

import numpy as np
import pytest

from negatives.batching import token_batches
from negatives.embeddings import TOKENS_PER_BATCH, encode_bounded


def test_groups_stay_within_the_budget_and_keep_every_index() -> None:
    lengths = [10, 400, 12, 9, 11, 2000, 10, 10]
    groups = token_batches(lengths, budget=100, max_size=4)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    for group in groups:
        assert len(group) <= 4
        assert len(group) == 1 or len(group) * max(lengths[i] for i in group) <= 100
    assert [5] in groups and [1] in groups  # longer than the budget: alone


class RecordingEncoder:
    """A stand-in for a SentenceTransformer that records the batches it is given."""

    max_seq_length = 256

    def __init__(self) -> None:
        self.calls: list[tuple[list[int], int]] = []  # (text lengths, batch_size)

    def encode(self, texts: list[str], batch_size: int, **options: object) -> np.ndarray:
        self.calls.append(([len(t) for t in texts], batch_size))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_short_texts_are_encoded_in_one_call_as_before() -> None:
    model = RecordingEncoder()
    out = encode_bounded(model, ["a dog"] * 200, 64)
    assert [(len(n), b) for n, b in model.calls] == [(200, 64)] and out.shape == (200, 2)


def test_a_long_text_gets_small_batches_and_the_order_is_kept() -> None:
    model = RecordingEncoder()
    texts = ["a dog"] * 100 + ["x" * 5_000] + ["two cats"] * 100
    out = encode_bounded(model, texts, 64)
    assert out[:, 0].tolist() == [len(t) for t in texts]
    for lengths, batch in model.calls:
        assert batch == len(lengths) <= 64
        assert len(lengths) == 1 or len(lengths) * min(256, max(lengths) + 2) <= TOKENS_PER_BATCH
    [long_batch] = [lengths for lengths, _ in model.calls if 5_000 in lengths]
    assert len(long_batch) == TOKENS_PER_BATCH // 256  # 16 texts of at most 256 tokens, not 64


@pytest.mark.slow
def test_lm_batches_are_sized_by_their_real_token_count(monkeypatch: pytest.MonkeyPatch) -> None:
    from probes.scorers.lm import TOKENS_PER_BATCH as LM_TOKENS
    from probes.scorers.lm import CausalLM, causal_lm

    lm = causal_lm(None)
    shapes: list[tuple[int, int]] = []
    forward = CausalLM.forward

    def recording(self: CausalLM, sequences: list[list[int]], keep: list[int] | None = None) -> object:
        shapes.append((len(sequences), max(map(len, sequences))))
        return forward(self, sequences, keep)

    monkeypatch.setattr(CausalLM, "forward", recording)
    long = " ".join(["A red car is parked next to two dogs on a sunny day."] * 35)  # ~1,800 characters
    pairs = [("", f"A dog number {i} runs.") for i in range(40)] + [("", long), ("", "x" * 20_000)]
    before = lm.truncated
    scores = lm.logprobs(pairs)
    assert len(scores) == len(pairs) and all(np.isfinite(s) for s, _ in scores)
    assert all(rows == 1 or rows * width <= LM_TOKENS for rows, width in shapes)
    assert max(width for _, width in shapes) <= LM_TOKENS and lm.truncated == before + 1
