"""``biencoder``: cosine similarity of sentence-transformers embeddings (default: the offline MiniLM)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from probes.scorers.base import EmbeddingScorer, l2_normalise


class BiencoderScorer(EmbeddingScorer):
    """Anchor text vs candidate text, each encoded once per run by the runner."""

    kind = "biencoder"
    loads_model = True

    def __init__(self, model: str | None = None, batch_size: int = 64) -> None:
        super().__init__(model=model, batch_size=int(batch_size))
        self._model = None

    @property
    def model(self):  # noqa: ANN201 - a SentenceTransformer, imported lazily
        if self._model is None:
            from negatives.models import load_embedder

            self._model = load_embedder(self.options["model"])
        return self._model

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        from negatives.embeddings import encode_bounded

        vectors = encode_bounded(self.model, texts, self.options["batch_size"], convert_to_numpy=True, show_progress_bar=False)
        return l2_normalise(vectors)
