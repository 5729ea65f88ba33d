"""Embeddings: normalised float32 rows, an on-disk cache that a second run hits, memory-mapping."""

from __future__ import annotations

import numpy as np
import pytest

from negatives import embeddings
from negatives.embeddings import Embedder, content_hash

TEXTS = ["A dog runs across a field.", "A cat sleeps on a sofa.", "Two people playing tennis."]


class Counting:
    """Wraps a model and counts how many texts it was asked to encode."""

    def __init__(self, model) -> None:
        self.model = model
        self.calls = 0
        self.texts = 0

    def encode(self, texts, **kwargs):
        self.calls += 1
        self.texts += len(texts)
        return self.model.encode(texts, **kwargs)

    def get_embedding_dimension(self) -> int:
        return self.model.get_embedding_dimension()

    def __getitem__(self, i):
        return self.model[i]


@pytest.fixture(scope="module")
def model():
    from negatives.models import load_embedder

    return load_embedder()


def test_vectors_are_normalised_float32(model, tmp_path) -> None:
    v = Embedder(model, cache_dir=tmp_path).embed_corpus(TEXTS)
    assert v.dtype == np.float32 and v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.allclose(v, Embedder(model, cache_dir=tmp_path).encode(TEXTS), atol=1e-5)


def test_second_run_hits_the_cache(model, tmp_path) -> None:
    counting = Counting(model)
    first = Embedder(counting, cache_dir=tmp_path).embed_corpus(TEXTS)
    assert counting.texts == 3
    again = Embedder(counting, cache_dir=tmp_path).embed_corpus(TEXTS)  # a new Embedder: only the disk is shared
    assert counting.texts == 3
    assert np.array_equal(first, again)
    Embedder(counting, cache_dir=tmp_path).embed_corpus(TEXTS[:2])  # other content: a new entry
    assert counting.texts == 5
    assert len(list(tmp_path.glob("*.npy"))) == 2


def test_encode_reuses_vectors_of_an_embedded_corpus(model, tmp_path) -> None:
    counting = Counting(model)
    e = Embedder(counting, cache_dir=tmp_path)
    corpus = e.embed_corpus(TEXTS)
    v = e.encode([TEXTS[2], "A new sentence.", TEXTS[0]])
    assert counting.texts == 4  # three for the corpus, one for the new sentence
    assert np.array_equal(v[0], corpus[2]) and np.array_equal(v[2], corpus[0])


def test_cache_key_depends_on_model_and_exact_texts() -> None:
    assert content_hash("m", ["ab", "c"]) != content_hash("m", ["a", "bc"])
    assert content_hash("m", TEXTS) != content_hash("other", TEXTS)
    assert content_hash("m", TEXTS) == content_hash("m", list(TEXTS))


def test_large_caches_are_memory_mapped(model, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(embeddings, "MMAP_BYTES", 0)
    monkeypatch.setattr(embeddings, "CHUNK", 2)  # written chunk by chunk
    e = Embedder(model, cache_dir=tmp_path)
    v = e.embed_corpus(TEXTS)
    assert isinstance(v, np.memmap)
    assert np.allclose(np.asarray(v), Embedder(model).encode(TEXTS), atol=1e-5)
    assert not list(tmp_path.glob(".*.tmp"))


def test_empty_corpus(model, tmp_path) -> None:
    assert Embedder(model, cache_dir=tmp_path).encode([]).shape == (0, 384)
