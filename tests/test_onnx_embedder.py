"""The reference embedder (all-MiniLM-L6-v2 in ONNX Runtime, int8) agrees with the float32 model."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from scipy.stats import spearmanr

from negatives import models
from negatives.embeddings import Embedder

CAPTIONS = [line.strip() for line in open("tests/data/captions.txt", encoding="utf-8") if line.strip()][:60]
EDITS = [("A man riding a horse on a beach.", "A woman riding a horse on a beach."),
         ("A man riding a horse on a beach.", "A man riding a horse on a street."),
         ("Two dogs play in the snow.", "Three dogs play in the snow."),
         ("Two dogs play in the snow.", "A red car parked next to a building."),
         ("A cat sleeping on a red sofa.", "A cat sleeping on a blue sofa."),
         ("A cat sleeping on a red sofa.", "A sofa sleeping on a red cat.")]


@pytest.fixture(scope="module")
def both() -> tuple[Embedder, Embedder]:
    return Embedder(models.load_reference_embedder(device="cpu")), Embedder(models.load_embedder())


def test_vectors_agree_with_minilm_on_real_captions(both) -> None:
    fast, slow = (e.encode(CAPTIONS) for e in both)
    assert fast.dtype == np.float32 and fast.shape == slow.shape == (len(CAPTIONS), 384)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert np.einsum("ij,ij->i", fast, slow).min() > 0.97
    pairs = np.triu_indices(len(CAPTIONS), 1)  # every pair of captions: the same similarities, ranked alike
    assert spearmanr((fast @ fast.T)[pairs], (slow @ slow.T)[pairs])[0] > 0.97


def test_similarities_of_edits_rank_like_minilm(both) -> None:
    sims = [[float(a @ b) for a, b in zip(e.encode([p for p, _ in EDITS]), e.encode([d for _, d in EDITS]))] for e in both]
    assert spearmanr(*sims)[0] > 0.9 and max(abs(a - b) for a, b in zip(*sims)) < 0.05


def test_same_texts_same_vectors_and_batch_mates_barely_matter(both) -> None:
    fast = both[0]
    one = fast.encode(CAPTIONS)
    assert np.array_equal(one, fast.encode(CAPTIONS))
    mates = fast.encode(CAPTIONS[::-1])[::-1]  # other batches: int8 activations are scaled per batch
    assert np.einsum("ij,ij->i", one, mates).min() > 0.98


def test_reference_embedder_runs_without_torch_and_names_itself(tmp_path) -> None:
    import subprocess

    code = ("import sys; from negatives.models import load_reference_embedder as l; m = l(device='cpu'); "
            "m.encode(['a dog']); print('torch' in sys.modules, m.model_id)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("False") and "ONNX Runtime int8" in out


def test_devices() -> None:
    assert models.resolve_device("cpu") == "cpu"
    assert models.resolve_device("auto") in ("cpu", "cuda")
    with pytest.raises(ValueError):
        models.resolve_device("tpu")
    if not models.cuda_available():
        with pytest.raises(models.ModelNotAvailable):
            models.resolve_device("cuda")


def test_the_static_embedder_is_built_offline_and_ranks_captions_like_minilm(both) -> None:
    """`--model minilm-static`: model2vec's distillation of the packaged model, built into the cache
    without the network; its similarities follow MiniLM's on real captions, less closely than int8's."""
    static = Embedder(models.load_reference_embedder(models.STATIC, device="cpu"))
    assert static.id.startswith(models.STATIC) and static.dimension == 256
    vectors, reference = static.encode(CAPTIONS), both[1].encode(CAPTIONS)
    upper = np.triu_indices(len(CAPTIONS), 1)
    rho = spearmanr((vectors @ vectors.T)[upper], (reference @ reference.T)[upper]).statistic
    assert 0.6 < rho < 0.99
    a, b, c = static.encode(["A man riding a horse on a beach.", "A man riding a horse on the sand.", "Two dogs play in the snow."])
    assert a @ b > a @ c
